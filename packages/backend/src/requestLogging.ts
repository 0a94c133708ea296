import {
  MiddlewareFactory,
  type RootHttpRouterConfigureContext,
} from '@backstage/backend-defaults/rootHttpRouter';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

/** Ingest's change feeds, which correlation reads from a cursor (`?after=`) on every tick. */
const POLLED_FEEDS = new Set([
  '/api/aiops-ingest/alerts',
  '/api/aiops-ingest/deployments',
]);

/**
 * Whether an entry of Backstage's request log is one of correlation's routine feed reads: a
 * successful GET of an ingest change feed from a cursor. Each replica makes two per tick (every
 * 5 seconds by default); at `info` they drowned out everything else. A failed read stays at
 * `info`, and so do listings of the same paths without `after` (people and the app).
 */
export function isRoutineFeedRead(meta: Error | JsonObject | undefined) {
  if (!meta || meta instanceof Error || meta.type !== 'incomingRequest') {
    return false;
  }
  const { method, status, url } = meta;
  if (method !== 'GET' || typeof status !== 'number' || status >= 400) {
    return false;
  }
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://backend');
  } catch {
    return false;
  }
  return POLLED_FEEDS.has(parsed.pathname) && parsed.searchParams.has('after');
}

/** `logger`, with routine feed reads logged at `debug` instead of `info`. */
export function withFeedReadsAtDebug(logger: LoggerService): LoggerService {
  return {
    error: (message, meta) => logger.error(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    info: (message, meta) =>
      isRoutineFeedRead(meta)
        ? logger.debug(message, meta)
        : logger.info(message, meta),
    debug: (message, meta) => logger.debug(message, meta),
    child: meta => withFeedReadsAtDebug(logger.child(meta)),
  };
}

/**
 * Makes `applyDefaults()` install Backstage's own request logging middleware, with its own
 * format, writing to `withFeedReadsAtDebug(logger)`. Backstage offers no setting for the level
 * of a request's log line (`backend.logger.overrides` can only hide lines, also at `debug`),
 * and the rest of the default chain (helmet, CORS, compression, rate limit, health, the
 * `backend.server` options) stays Backstage's, so only the logger is swapped: `applyDefaults()`
 * asks this context's middleware factory for its request logger.
 */
export function logRoutineFeedReadsAtDebug(
  context: Pick<
    RootHttpRouterConfigureContext,
    'config' | 'logger' | 'middleware'
  >,
): void {
  const logging = MiddlewareFactory.create({
    config: context.config,
    logger: withFeedReadsAtDebug(context.logger),
  }).logging();
  context.middleware.logging = () => logging;
}
