/**
 * AIOps correlation backend plugin: groups alerts into incidents by entity and catalog
 * topology with deterministic, versioned rules, ranks root causes and explains them with
 * findings; serves incidents, their lifecycle, silences and entity health. The pure core is
 * exported too, for replays and evaluation.
 *
 * @packageDocumentation
 */
export { aiopsCorrelationPlugin as default } from './plugin';
export {
  correlate,
  correlateAll,
  correlateSteps,
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
  lastEnd,
  silenceWindows,
  toCoreSilence,
  validateSilenceSpec,
} from './service/silenceSchedule';
export type {
  SilenceSpec,
  SilenceWindow,
  StoredSilence,
} from './service/silenceSchedule';
export {
  ruleVersions,
  EVENT_STAGES,
  HOUSEKEEPING_STAGES,
} from './service/pipeline';
export type { CorrelationStage, Draft } from './service/pipeline/stage';
export type * from './service/types';
