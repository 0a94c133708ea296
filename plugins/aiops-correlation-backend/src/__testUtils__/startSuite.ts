import type { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
  type EventParams,
} from '@backstage/plugin-events-node';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import type { Server } from 'node:http';
import request from 'supertest';
// The suite's data plane end to end: correlation reads what the real ingest plugin stored.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsIngestPlugin from '@aiops/plugin-aiops-ingest-backend';
import { aiopsCorrelationPlugin } from '../plugin';
import { loadDemoEntities } from '../evaluation/demoCatalog';

export interface SuiteOptions {
  /** One database per plugin (ingest and correlation keep separate migration tables). */
  databases?: { ingest: Knex; correlation: Knex };
  correlationConfig?: object;
  /** `aiops.routing`: notification routing, escalation and delivery. */
  routingConfig?: object;
  /** More services or backend modules (a module using one of the plugin's extension points). */
  extraFeatures?: Array<ServiceFactory | BackendFeature>;
}

/**
 * Starts the real ingest and correlation plugins on the demo catalog, and records what
 * correlation announces.
 */
export interface Suite {
  server: Server;
  stop(): Promise<void>;
  /** Runs correlation's scheduled tick once (time passes, other replicas' alerts are read). */
  tick(): Promise<void>;
  /** `aiops.incident.changed` events, in order. */
  announced: EventParams[];
  /** Publishes on the suite's event bus, as another plugin would. */
  publish(topic: string, eventPayload: unknown): Promise<void>;
  /** Runs the notification task once: escalation, routing, delivery. */
  notify(): Promise<void>;
  /** What was sent as Backstage notifications, in order. */
  notified: NotificationSendOptions[];
}

export async function startSuite(options: SuiteOptions = {}): Promise<Suite> {
  const announced: EventParams[] = [];
  const notified: NotificationSendOptions[] = [];
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  await events.subscribe({
    id: 'test',
    topics: ['aiops.incident.changed'],
    onEvent: async event => {
      announced.push(event);
    },
  });
  const { databases } = options;
  // Scheduled tasks run when the test says so: `tick()` lets correlation's time pass.
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      (scheduler as unknown as { factory(): ServiceFactory }).factory(),
      aiopsIngestPlugin,
      aiopsCorrelationPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      // Backstage's notifications backend is not part of the suite; its client records instead.
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (sent: NotificationSendOptions) => {
            notified.push(sent);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://backstage.example' },
          aiops: {
            correlation: {
              checkpointInterval: { milliseconds: 0 },
              ...options.correlationConfig,
            },
            routing: {
              fallbackGroup: 'group:default/platform-team',
              ...options.routingConfig,
            },
          },
        },
      }),
      ...(databases
        ? [
            createServiceFactory({
              service: coreServices.database,
              deps: { plugin: coreServices.pluginMetadata },
              factory: ({ plugin }) => {
                const knex =
                  plugin.getId() === 'aiops-ingest'
                    ? databases.ingest
                    : databases.correlation;
                return { getClient: async () => knex };
              },
            }),
          ]
        : []),
      ...(options.extraFeatures ?? []),
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    tick: () => scheduler.triggerTask('aiops-correlation-tick'),
    publish: (topic, eventPayload) => events.publish({ topic, eventPayload }),
    announced,
    notify: () => scheduler.triggerTask('aiops-correlation-notify'),
    notified,
  };
}

/** The data plane with another plugin of the suite beside it, as `startWithDataPlane` starts it. */
export interface DataPlaneWith {
  server: Server;
  stop(): Promise<void>;
  /** Runs correlation's scheduled tick once. */
  tick(): Promise<void>;
  /** Runs a scheduled task once by its id (e.g. `aiops-retrieval-catch-up`). */
  trigger(taskId: string): Promise<void>;
}

/**
 * The real ingest and correlation plugins on the demo catalog with `features` beside them (the
 * narrator, retrieval, deploy risk and their modules): what those plugins' end-to-end tests
 * start, one definition for all. Scheduled tasks run only when the test triggers them.
 */
export async function startWithDataPlane(options: {
  features: Array<ServiceFactory | BackendFeature>;
  /** More of `aiops.*` (e.g. `narrator`, `retrieval`, `llm`). */
  aiops?: Record<string, unknown>;
}): Promise<DataPlaneWith> {
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      (scheduler as unknown as { factory(): ServiceFactory }).factory(),
      aiopsIngestPlugin,
      aiopsCorrelationPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://backstage.example' },
          aiops: {
            correlation: { checkpointInterval: { milliseconds: 0 } },
            routing: { fallbackGroup: 'group:default/platform-team' },
            ...options.aiops,
          },
        },
      }),
      ...options.features,
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    tick: () => scheduler.triggerTask('aiops-correlation-tick'),
    trigger: taskId => scheduler.triggerTask(taskId),
  };
}

export const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

export const asService = mockCredentials.service.header();
export const asUser = (ref = 'user:default/jo.checkout') =>
  mockCredentials.user.header(ref);

export function alertmanagerGroup(
  alerts: Array<{
    alertname: string;
    service: string;
    severity: string;
    status?: 'firing' | 'resolved';
    startsAt: string;
    endsAt?: string;
  }>,
) {
  return {
    version: '4',
    groupKey: '{}:{alertname="storm"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aiops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map(a => ({
      status: a.status ?? 'firing',
      labels: {
        alertname: a.alertname,
        service: a.service,
        severity: a.severity,
        namespace: 'boutique',
      },
      annotations: { summary: `${a.alertname} on ${a.service}` },
      startsAt: a.startsAt,
      endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `${a.alertname}-${a.service}`
        .replace(/[^a-z0-9]/gi, '')
        .toLowerCase(),
    })),
  };
}

/** redis-cart fails; cart (which depends on it) and frontend (which depends on cart) follow. */
export const storm = () =>
  alertmanagerGroup([
    {
      alertname: 'RedisDown',
      service: 'redis-cart',
      severity: 'critical',
      startsAt: minutesAgo(5),
    },
    {
      alertname: 'CartErrors',
      service: 'cartservice',
      severity: 'error',
      startsAt: minutesAgo(4),
    },
    {
      alertname: 'FrontendLatency',
      service: 'frontend',
      severity: 'warning',
      startsAt: minutesAgo(3),
    },
  ]);

/** A new alert on cart, starting now. */
export const cartLatency = () =>
  alertmanagerGroup([
    {
      alertname: 'CartLatency',
      service: 'cartservice',
      severity: 'warning',
      startsAt: minutesAgo(0),
    },
  ]);

export const sendAlerts = (server: any, body: object) =>
  request(server)
    .post('/api/aiops-ingest/alerts/alertmanager')
    .set('authorization', asService)
    .send(body)
    .expect(200);

/** Polls until `read` returns something truthy (correlation is asynchronous by design). */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
