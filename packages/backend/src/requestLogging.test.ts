import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import Router from 'express-promise-router';
import request from 'supertest';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { configureRootHttpRouter } from './rootHttpRouter';

interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: JsonObject;
}

/** A root logger that keeps every line, with the metadata its children add. */
function capturingLogger(lines: LogLine[], fields: JsonObject = {}) {
  const log =
    (level: LogLine['level']) => (message: string, meta?: Error | JsonObject) =>
      lines.push({
        level,
        message,
        meta: { ...fields, ...(meta instanceof Error ? {} : meta) },
      });
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => capturingLogger(lines, { ...fields, ...meta }),
  };
  return logger;
}

/**
 * Stands in for ingest's read API with the paths correlation polls: answers 200, or 400 when
 * asked for `after=bad`.
 */
const feedPlugin = createBackendPlugin({
  pluginId: 'aiops-ingest',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = Router();
        for (const path of ['/alerts', '/deployments']) {
          router.get(path, (req, res) => {
            if (req.query.after === 'bad') {
              res.status(400).json({ error: { name: 'InputError' } });
            } else res.json({ items: [], cursor: '0' });
          });
          router.post(path, (_req, res) => {
            res.status(202).json({});
          });
        }
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

describe('request logging of the backend', () => {
  jest.setTimeout(60_000);

  it("logs correlation's feed reads at debug and every other request at info", async () => {
    const lines: LogLine[] = [];
    let server: http.Server | undefined;
    const backend = createBackend();
    backend.add(
      rootHttpRouterServiceFactory({
        configure(context) {
          server = context.server;
          configureRootHttpRouter(context);
        },
      }),
    );
    backend.add(
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => capturingLogger(lines),
      }),
    );
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
    backend.add(feedPlugin);
    await backend.start();
    try {
      const { port } = server!.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}`;
      // What HttpIngestClient sends on every tick.
      await request(url)
        .get('/api/aiops-ingest/alerts?after=41&limit=500')
        .expect(200);
      await request(url)
        .get('/api/aiops-ingest/deployments?after=0&limit=500')
        .expect(200);
      // Not routine: a listing, a failed read, a write.
      await request(url).get('/api/aiops-ingest/alerts?limit=50').expect(200);
      await request(url).get('/api/aiops-ingest/alerts?after=bad').expect(400);
      await request(url).post('/api/aiops-ingest/alerts').send({}).expect(202);

      const requests = lines
        .filter(line => line.meta.type === 'incomingRequest')
        .map(line => ({ level: line.level, url: line.meta.url }));
      expect(requests).toEqual([
        { level: 'debug', url: '/api/aiops-ingest/alerts?after=41&limit=500' },
        {
          level: 'debug',
          url: '/api/aiops-ingest/deployments?after=0&limit=500',
        },
        { level: 'info', url: '/api/aiops-ingest/alerts?limit=50' },
        { level: 'info', url: '/api/aiops-ingest/alerts?after=bad' },
        { level: 'info', url: '/api/aiops-ingest/alerts' },
      ]);
      // Backstage's own line format and fields, from its own middleware.
      const feedRead = lines.find(
        line => line.meta.url === '/api/aiops-ingest/alerts?after=41&limit=500',
      )!;
      expect(feedRead.message).toMatch(
        /^"GET \/api\/aiops-ingest\/alerts\?after=41&limit=500 HTTP\/1\.1" 200 /,
      );
      expect(feedRead.meta).toMatchObject({
        service: 'rootHttpRouter',
        method: 'GET',
        status: 200,
      });
    } finally {
      await backend.stop();
    }
  });
});
