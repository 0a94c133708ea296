/**
 * AIOps correlation: the pure, deterministic core that groups alerts into incidents by
 * entity and catalog topology, ranks root causes and explains them with findings. The
 * backend plugin (router, store, events) is wired around it later.
 *
 * @packageDocumentation
 */
export {
  correlate,
  correlateAll,
  emptyCorrelationState,
} from './service/correlate';
export {
  correlationConfig,
  DEFAULT_CORRELATION_CONFIG,
} from './service/config';
export { TopologyGraph, shortName } from './service/topology';
export type {
  DependencyEdge,
  EdgeSource,
  ObservedEdge,
  ObservedTopologyDiff,
  Relation,
  RelationOptions,
} from './service/topology';
export {
  rankRootCauses,
  ROOT_CAUSE_RULE,
  ROOT_CAUSE_WEIGHTS,
} from './service/rootCause';
export type { RootCauseOptions } from './service/rootCause';
export { correlationKey, incidentIdFor } from './service/correlationKey';
export {
  ruleVersions,
  EVENT_STAGES,
  HOUSEKEEPING_STAGES,
} from './service/stages';
export type { CorrelationStage, Draft } from './service/pipeline';
export type * from './service/types';
