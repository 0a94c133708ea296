import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EntityIndex, EntityResolver } from '@aiops/plugin-aiops-node';
import { TopologyGraph } from '../service/topology';
import type { IngestClient, ObservedCall } from './IngestClient';

/**
 * The topology correlation works on: the catalog snapshot of the entity resolver plus the calls
 * ingest saw in traces. Rebuilt when the resolver's snapshot changes or the observed calls are
 * older than `refreshMs`. Given the entities a batch is about, a snapshot that lacks one of them
 * (taken while the catalog was still loading) is reloaded first. When the catalog or ingest
 * cannot be read, the last graph stays in use: correlation carries on with less topology rather
 * than stopping.
 */
export function cachedTopology(options: {
  resolver: EntityResolver;
  ingest: IngestClient;
  logger: LoggerService;
  /** How far back observed calls count. */
  observedWindowMs?: number;
  refreshMs?: number;
  now?: () => number;
}): (entityRefs?: string[]) => Promise<TopologyGraph> {
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 5 * 60_000;
  let graph = TopologyGraph.build([]);
  let index: EntityIndex | undefined;
  let calls: ObservedCall[] = [];
  let callsReadAt = Number.NEGATIVE_INFINITY;

  return async entityRefs => {
    let nextIndex = index;
    try {
      nextIndex = await options.resolver.snapshot(entityRefs);
    } catch (error) {
      options.logger.warn(
        `Catalog unavailable for correlation topology: ${error}`,
      );
    }
    const callsStale = now() - callsReadAt >= refreshMs;
    if (callsStale) {
      try {
        calls = await options.ingest.observedCalls(
          options.observedWindowMs ?? 24 * 3600_000,
        );
      } catch (error) {
        options.logger.warn(
          `Observed calls unavailable for correlation topology: ${error}`,
        );
      }
      // Also after a failure: retry at the next refresh, not on every batch.
      callsReadAt = now();
    }
    if (nextIndex && (nextIndex !== index || callsStale)) {
      index = nextIndex;
      const entities = [...nextIndex.entities()];
      const known = new Set(entities.map(e => e.entityRef));
      // Host names of unmatched spans are not entities: only calls between catalog entities count.
      const observed = calls.filter(
        c => known.has(c.caller) && known.has(c.callee),
      );
      graph = TopologyGraph.build(entities, observed);
    }
    return graph;
  };
}
