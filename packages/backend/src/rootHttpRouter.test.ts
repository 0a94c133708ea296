import http from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { constructRequestsWithExpressPrototypes } from './rootHttpRouter';

/** Prototypes of each request and response when the server constructed them, and in a route. */
type Seen = { constructed: object; inRoute: object };

const constructedPrototypes = new WeakMap<object, object>();

const probePlugin = (seen: { requests: Seen[]; responses: Seen[] }) =>
  createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = Router();
          router.use(express.json());
          router.post('/echo', (req, res) => {
            seen.requests.push({
              constructed: constructedPrototypes.get(req)!,
              inRoute: Object.getPrototypeOf(req),
            });
            seen.responses.push({
              constructed: constructedPrototypes.get(res)!,
              inRoute: Object.getPrototypeOf(res),
            });
            res.status(201).json({
              header: req.get('x-probe'),
              query: req.query.q,
              body: req.body,
              isIncomingMessage: req instanceof http.IncomingMessage,
              isServerResponse: res instanceof http.ServerResponse,
            });
          });
          router.get('/missing', () => {
            throw new NotFoundError('no such thing');
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });

async function startBackend(withExpressPrototypes: boolean) {
  const seen = { requests: [] as Seen[], responses: [] as Seen[] };
  let applied: boolean | undefined;
  let server: http.Server | undefined;
  const backend = createBackend();
  backend.add(
    rootHttpRouterServiceFactory({
      configure(context) {
        server = context.server;
        // Runs before Express: the objects as the server constructed them.
        server.prependListener('request', (req, res) => {
          constructedPrototypes.set(req, Object.getPrototypeOf(req));
          constructedPrototypes.set(res, Object.getPrototypeOf(res));
        });
        if (withExpressPrototypes)
          applied = constructRequestsWithExpressPrototypes(context);
        context.applyDefaults();
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
  backend.add(probePlugin(seen));
  await backend.start();
  const { port } = server!.address() as AddressInfo;
  return { backend, seen, applied, url: `http://127.0.0.1:${port}` };
}

describe('constructRequestsWithExpressPrototypes', () => {
  jest.setTimeout(60_000);

  it('gives routes requests and responses whose prototype was never changed, with everything Express adds', async () => {
    const { backend, seen, applied, url } = await startBackend(true);
    try {
      expect(applied).toBe(true);
      for (const q of ['a', 'b']) {
        const res = await request(url)
          .post(`/api/probe/echo?q=${q}`)
          .set('x-probe', 'yes')
          .send({ n: 1 });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          header: 'yes',
          query: q,
          body: { n: 1 },
          isIncomingMessage: true,
          isServerResponse: true,
        });
      }
      const missing = await request(url).get('/api/probe/missing');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'no such thing',
      });

      expect(seen.requests).toHaveLength(2);
      for (const { constructed, inRoute } of [
        ...seen.requests,
        ...seen.responses,
      ]) {
        expect(inRoute).toBe(constructed);
      }
    } finally {
      await backend.stop();
    }
  });

  it('without it, Express changes the prototype of every request and response', async () => {
    const { backend, seen, url } = await startBackend(false);
    try {
      await request(url).post('/api/probe/echo').send({}).expect(201);
      expect(seen.requests[0].constructed).toBe(http.IncomingMessage.prototype);
      expect(seen.requests[0].inRoute).not.toBe(seen.requests[0].constructed);
      expect(seen.responses[0].inRoute).not.toBe(seen.responses[0].constructed);
    } finally {
      await backend.stop();
    }
  });

  it('changes nothing, and says so, when the server has no such options', () => {
    const app = express();
    const appRequest = app.request;
    const logger = mockServices.logger.mock();
    const server = http.createServer({
      IncomingMessage: class extends http.IncomingMessage {},
    });

    expect(
      constructRequestsWithExpressPrototypes({ app, server, logger }),
    ).toBe(false);
    expect(app.request).toBe(appRequest);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('IncomingMessage'),
    );
  });
});
