import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Regression } from '@aiops/plugin-aiops-common';
import { AIOPS_TOPICS } from '@aiops/plugin-aiops-node';
// The suite's data plane as it runs: the detector reads what the real ingest serves.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsIngestPlugin from '@aiops/plugin-aiops-ingest-backend';
import { aiopsRegressionPlugin, DETECTION_TASK_ID } from '../plugin';

export const asService = mockCredentials.service.header();
export const asUser = (ref = 'user:default/jo') =>
  mockCredentials.user.header(ref);

const component = (
  name: string,
  annotations: Record<string, string>,
  owner: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

export const ENTITIES: Entity[] = [
  component(
    'cart',
    { 'aiops/service-name': 'cartservice' },
    'group:default/cart-team',
  ),
  component(
    'ad',
    { 'aiops/service-name': 'adservice' },
    'group:default/ads-team',
  ),
];

export interface RegressionSuite {
  server: Server;
  stop(): Promise<void>;
  /** Runs the scheduled detection once. */
  detect(): Promise<void>;
  /** What was announced on `aiops.regression.detected`. */
  announced: Regression[];
}

/** The real ingest and regression plugins on a two-component catalog. */
export async function startRegressionSuite(
  options: {
    config?: object;
    extraFeatures?: Array<ServiceFactory | BackendFeature>;
  } = {},
): Promise<RegressionSuite> {
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const announced: Regression[] = [];
  await events.subscribe({
    id: 'test-listener',
    topics: [AIOPS_TOPICS.regressionDetected],
    async onEvent({ eventPayload }) {
      announced.push((eventPayload as { regression: Regression }).regression);
    },
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      (scheduler as unknown as { factory(): ServiceFactory }).factory(),
      aiopsIngestPlugin,
      aiopsRegressionPlugin,
      catalogServiceMock.factory({ entities: ENTITIES }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://backstage.example' },
          aiops: { regression: { window: 'PT3H', ...options.config } },
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    detect: () => scheduler.triggerTask(DETECTION_TASK_ID),
    announced,
  };
}

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Server spans of one service, minute by minute, through ingest's OTLP receiver: `perMinute(i)`
 * requests at minute i, `errors(i)` of them failed, durations across two latency buckets.
 */
export async function sendSpans(
  server: Server,
  options: {
    service: string;
    from: number;
    minutes: number;
    perMinute(minute: number): number;
    errors(minute: number): number;
  },
) {
  let id = 1;
  const CHUNK = 30;
  for (let first = 0; first < options.minutes; first += CHUNK) {
    const spans = [];
    for (let i = first; i < Math.min(first + CHUNK, options.minutes); i++) {
      const start = options.from + i * 60_000 + 1000;
      const n = options.perMinute(i);
      for (let j = 0; j < n; j++) {
        const spanId = id++;
        spans.push({
          traceId: hex(spanId, 32),
          spanId: hex(spanId, 16),
          parentSpanId: '',
          name: 'GET /cart',
          kind: 2,
          startTimeUnixNano: nanos(start + j * 100),
          endTimeUnixNano: nanos(
            start + j * 100 + (j === 0 && i % 2 ? 40 : 20),
          ),
          status: j < options.errors(i) ? { code: 2, message: 'boom' } : {},
        });
      }
    }
    await request(server)
      .post('/api/aiops-ingest/otlp/v1/traces')
      .set('authorization', asService)
      .send({
        resourceSpans: [
          {
            resource: {
              attributes: [
                {
                  key: 'service.name',
                  value: { stringValue: options.service },
                },
              ],
            },
            scopeSpans: [{ spans }],
          },
        ],
      })
      .expect(200);
  }
}
