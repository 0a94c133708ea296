import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { configureRootHttpRouter } from './rootHttpRouter';
import { STARTING_RETRY_AFTER_S } from './startingGate';

jest.setTimeout(60_000);

/** A plugin that starts only when told to, with one route. */
function slowPlugin(started: Promise<void>) {
  return createBackendPlugin({
    pluginId: 'slow',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          await started;
          httpRouter.use((_req, res) => {
            res.status(202).json({ accepted: true });
          });
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

describe('the backend while its plugins start', () => {
  it('answers 503 with Retry-After, not 404, and serves the route once started', async () => {
    let release!: () => void;
    const started = new Promise<void>(resolve => {
      release = resolve;
    });
    let server: http.Server | undefined;
    let running: Promise<{ stop(): Promise<void> }> | undefined;
    const listening = new Promise<void>(resolve => {
      const backend = createBackend();
      backend.add(
        rootHttpRouterServiceFactory({
          configure(context) {
            server = context.server;
            context.server.once('listening', () => resolve());
            configureRootHttpRouter(context);
          },
        }),
      );
      backend.add(mockServices.rootLogger.factory({ level: 'warn' }));
      backend.add(
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://127.0.0.1',
              listen: { port: 0, host: '127.0.0.1' },
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          },
        }),
      );
      backend.add(slowPlugin(started));
      running = backend.start().then(() => backend);
    });
    await listening;
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    try {
      const early = await fetch(`${url}/api/slow/alerts`, { method: 'POST' });
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe(
        String(STARTING_RETRY_AFTER_S),
      );
      expect(await early.json()).toEqual({
        error: {
          name: 'ServiceUnavailableError',
          message: expect.stringContaining('starting'),
        },
      });
      // The readiness probe answers for itself.
      const ready = await fetch(`${url}/.backstage/health/v1/readiness`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).not.toHaveProperty(
        'error.name',
        'ServiceUnavailableError',
      );

      release();
      await running;
      const later = await fetch(`${url}/api/slow/alerts`, { method: 'POST' });
      expect(later.status).toBe(202);
      expect((await fetch(`${url}/api/nothing`)).status).toBe(404);
    } finally {
      release();
      await (await running!).stop();
    }
  });
});
