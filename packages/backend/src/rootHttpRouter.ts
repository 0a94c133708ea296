import http from 'node:http';
import {
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { logRoutineFeedReadsAtDebug } from './requestLogging';
import { startingOrNotFound } from './startingGate';

type ServerWithOptions = http.Server & Record<symbol, unknown>;

/**
 * Lets Node's HTTP server construct requests and responses that already have the Express app's
 * prototypes, so that Express's first middleware (`Object.setPrototypeOf(req, app.request)`,
 * and the same for `res`) finds nothing to change.
 *
 * Changing an object's prototype per request is what makes Express slow on V8
 * (expressjs/express#5998, nodejs/node#37457). In the ingest benchmark it made V8 copy about a
 * sixth of every request's allocations out of the young generation; the old generation then
 * filled about every 10 s, and each major collection stalled the event loop for 50–90 ms, which
 * decided the p99 at 1,000 alerts/s (docs/benchmarks.md, "Where the time goes").
 *
 * Node documents these as the server's `IncomingMessage` and `ServerResponse` options; Backstage
 * creates the server without options, so they are set here, before it listens, through the
 * symbols Node keeps them under. If this Node.js version has no such symbols, or someone else set
 * them, nothing changes and a warning says so.
 *
 * @returns whether requests are now constructed with the app's prototypes
 */
export function constructRequestsWithExpressPrototypes({
  app,
  server,
  logger,
}: Pick<RootHttpRouterConfigureContext, 'app' | 'server' | 'logger'>): boolean {
  const options = server as ServerWithOptions;
  const option = (name: string) =>
    Object.getOwnPropertySymbols(options).find(s => s.description === name);
  const requestOption = option('IncomingMessage');
  const responseOption = option('ServerResponse');
  if (
    !requestOption ||
    !responseOption ||
    options[requestOption] !== http.IncomingMessage ||
    options[responseOption] !== http.ServerResponse
  ) {
    logger.warn(
      "The HTTP server's IncomingMessage/ServerResponse options were not found with their defaults; Express will change every request's prototype as usual",
    );
    return false;
  }

  class ExpressRequest extends http.IncomingMessage {}
  class ExpressResponse extends http.ServerResponse {}
  // Same prototype chains as before (app.request → Express's request → IncomingMessage), one
  // link longer; done once, at startup.
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  app.request = ExpressRequest.prototype as typeof app.request;
  app.response = ExpressResponse.prototype as typeof app.response;
  options[requestOption] = ExpressRequest;
  options[responseOption] = ExpressResponse;
  return true;
}

/**
 * Backstage's defaults, with requests that start with Express's prototypes, 503 rather than 404
 * while the plugins start, and a request log that has correlation's routine feed reads at
 * `debug`.
 */
export function configureRootHttpRouter(
  context: RootHttpRouterConfigureContext,
): void {
  constructRequestsWithExpressPrototypes(context);
  const notFound = startingOrNotFound(context);
  context.middleware.notFound = () => notFound;
  logRoutineFeedReadsAtDebug(context);
  context.applyDefaults();
}

/** Backstage's root HTTP router, configured by `configureRootHttpRouter`. */
export const rootHttpRouter = rootHttpRouterServiceFactory({
  configure: configureRootHttpRouter,
});
