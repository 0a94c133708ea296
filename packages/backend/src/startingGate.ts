import type { RootHttpRouterConfigureContext } from '@backstage/backend-defaults/rootHttpRouter';
import type { RequestHandler } from 'express';

/** Seconds a sender is asked to wait before it tries again while the backend starts. */
export const STARTING_RETRY_AFTER_S = 5;

/**
 * Answers 503 with `Retry-After` until every plugin has started.
 *
 * Backstage's HTTP server listens before the plugins are initialised, so a request that reaches
 * a starting replica (a restart, a crash, a rollout without a readiness probe in front) finds no
 * route and gets 404. Alertmanager, Grafana and most webhook senders drop a notification on a
 * 4xx and retry a 5xx: the alert would be lost at the sender. The health routes pass, so the
 * readiness probe keeps saying "not ready" in its own words.
 */
export function startingGate({
  lifecycle,
}: Pick<RootHttpRouterConfigureContext, 'lifecycle'>): RequestHandler {
  let started = false;
  lifecycle.addStartupHook(() => {
    started = true;
  });
  return (req, res, next) => {
    if (started || req.path.startsWith('/.backstage/health/')) {
      next();
      return;
    }
    res
      .status(503)
      .set('retry-after', String(STARTING_RETRY_AFTER_S))
      .json({
        error: {
          name: 'ServiceUnavailableError',
          message: 'The backend is starting; try again shortly',
        },
      });
  };
}
