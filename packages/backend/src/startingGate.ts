import type { RootHttpRouterConfigureContext } from '@backstage/backend-defaults/rootHttpRouter';
import type { RequestHandler } from 'express';

/** Seconds a sender is asked to wait before it tries again while the backend starts. */
export const STARTING_RETRY_AFTER_S = 5;

/**
 * Answers 503 with `Retry-After`, instead of 404, for a request no route took while the
 * plugins are still starting.
 *
 * Backstage's HTTP server listens before the plugins are initialised, so a request that reaches
 * a starting replica (a restart, a crash, a rollout without a readiness probe in front) finds no
 * route and gets 404. Alertmanager, Grafana and most webhook senders drop a notification on a
 * 4xx and retry a 5xx: the alert would be lost at the sender. Only the not-found answer changes:
 * plugins that are up already (the events bus, auth keys) serve each other as before.
 */
export function startingOrNotFound({
  lifecycle,
  middleware,
}: Pick<
  RootHttpRouterConfigureContext,
  'lifecycle' | 'middleware'
>): RequestHandler {
  let started = false;
  lifecycle.addStartupHook(() => {
    started = true;
  });
  const notFound = middleware.notFound();
  return (req, res, next) => {
    if (started) {
      notFound(req, res, next);
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
