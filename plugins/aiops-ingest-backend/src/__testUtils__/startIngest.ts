import type { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
  type EventParams,
} from '@backstage/plugin-events-node';
import type { Server } from 'node:http';
import request from 'supertest';
import { aiopsIngestPlugin } from '../plugin';

/** Starts the real plugin on an in-memory database, with a small demo catalog. */
export const HMAC_SECRET = 'alertmanager-signing-secret';

function entity(
  kind: string,
  name: string,
  annotations: Record<string, string>,
  owner?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: {},
    relations: owner ? [{ type: 'ownedBy', targetRef: owner }] : [],
  };
}

const catalog = [
  entity(
    'Component',
    'cart',
    { 'aiops/service-name': 'cartservice' },
    'group:default/checkout-team',
  ),
  entity(
    'Component',
    'checkout',
    { 'prometheus.io/service-name': 'checkoutservice' },
    'group:default/checkout-team',
  ),
  entity(
    'Component',
    'payment-gateway',
    { 'aiops/service-name': 'payment-gateway' },
    'group:default/payments-team',
  ),
  entity(
    'Resource',
    'redis-cart',
    { 'aiops/service-name': 'redis-cart' },
    'group:default/platform-team',
  ),
];

export async function startIngest(
  config: object = {},
  rootConfig: object = {},
  /** Replacements for Backstage services, such as a permissions service with a policy. */
  services: ServiceFactory[] = [],
): Promise<{ server: Server; published: EventParams[] }> {
  const published: EventParams[] = [];
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  await events.subscribe({
    id: 'test',
    topics: ['aiops.alert.received', 'aiops.deployment.received'],
    onEvent: async event => {
      published.push(event);
    },
  });
  const { server } = await startTestBackend({
    features: [
      aiopsIngestPlugin,
      catalogServiceMock.factory({ entities: catalog }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      mockServices.rootConfig.factory({
        data: {
          ...rootConfig,
          aiops: {
            ingest: {
              maxItemsPerRequest: 50,
              maxBodyBytes: 64 * 1024,
              hmacSecrets: { alertmanager: HMAC_SECRET },
              ...config,
            },
          },
        },
      }),
      ...services,
    ],
  });
  return { server, published };
}

export const service = mockCredentials.service.header();
export const post = (server: any, path: string, body: unknown) =>
  request(server)
    .post(`/api/aiops-ingest${path}`)
    .set('authorization', service)
    .set('content-type', 'application/json')
    .send(JSON.stringify(body));

/** Retries an assertion until it passes: events are published after the response is sent. */
export async function eventually(
  assertion: () => void,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}
