import Router from 'express-promise-router';
import type { Request, Response, Router as ExpressRouter } from 'express';
import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { IngestStore } from './database/IngestStore';
import { SenderAuthentication, type ReceiverCredentials } from './http/auth';
import { receiverGate } from './http/receiverGate';
import type { SignalMetrics } from './http/signalMetrics';
import { SignedDeliveries } from './http/signedDeliveries';
import type { IngestConfig, SignedReceiver } from './config';
import { parseAlertmanagerWebhook } from './service/alerts/alertmanager';
import { parseGenericAlerts } from './service/alerts/generic';
import type { IngestService } from './service/IngestService';
import { echoed, readQuery, withEchoesCut } from '@aiops/plugin-aiops-node';
import { AiopsIngestApi } from '@aiops/plugin-aiops-common';
import { quantileFromBuckets } from './service/telemetryKeys';
import type { TelemetryReceivers } from './service/TelemetryReceivers';
import * as deployments from './service/deployments';
import { createOpenApiRouter } from './schema/openapi/generated';

/** Entities one deployments read may ask for (`entityRefs`). */
const MAX_DEPLOYMENT_ENTITY_REFS = 50;

export interface RouterOptions {
  service: IngestService;
  store: IngestStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  config: IngestConfig;
  /**
   * Mirrors `backend.auth.dangerouslyDisableDefaultAuthPolicy`: the read APIs share path
   * prefixes with receivers, which are opened at the policy level, so they check credentials
   * themselves — unless the whole backend runs without the default policy (development).
   */
  openReads?: boolean;
  telemetry: TelemetryReceivers;
  /** Counts each receiver's accepted and refused deliveries. */
  signals: SignalMetrics;
  now?: () => Date;
}

/** HTTP only: authentication, parsing to inputs, status codes. The domain is in service/. */
export async function createRouter(options: RouterOptions) {
  const { service, store, httpAuth, config, telemetry, signals } = options;
  const now = () => options.now?.() ?? new Date();
  const authenticateReader = async (req: Request) => {
    if (!options.openReads)
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
  };
  const senders = new SenderAuthentication(httpAuth, options.permissions);
  const deliveries = new SignedDeliveries({
    toleranceMs: config.signatureToleranceMs,
    now: () => now().getTime(),
  });
  // Each receiver's gate (credentials, then the body) runs before the spec is checked, so an
  // unauthenticated request costs no parse, and size, encoding and content-type problems answer
  // 413/415 rather than the validator's generic 400. Read APIs take no body.
  const outer = Router();
  // Generated from src/schema/openapi.yaml: the read handlers below are typed by the spec.
  // `middleware` replaces the default express.json(); receivers' bodies are parsed by the gate.
  const router = await createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
  });
  // Receivers are registered by path in a loop of gates and parse their bodies into domain
  // inputs themselves (the spec describes most bodies as open objects): they take the router
  // as plain Express.
  const receivers = router as ExpressRouter;

  const signed = (name: SignedReceiver): ReceiverCredentials => ({
    scheme: 'aiops',
    hmacSecret: config.hmacSecrets[name],
  });
  /** A receiver is only ever registered with its gate. */
  const receive = (
    path: string,
    receiver: string,
    credentials: ReceiverCredentials,
    handle: (req: Request, res: Response) => Promise<void>,
  ) => {
    outer.post(
      path,
      signals.observe(receiver, path),
      receiverGate({
        receiver,
        credentials,
        senders,
        deliveries,
        maxBodyBytes: config.maxBodyBytes,
      }),
    );
    receivers.post(path, handle);
  };
  const json =
    (handle: (req: Request) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      res.json(await handle(req));
    };

  const limits = () => ({ maxAlerts: config.maxItemsPerRequest, now: now() });
  receive(
    '/alerts/alertmanager',
    'alertmanager',
    signed('alertmanager'),
    json(async req => {
      const group = parseAlertmanagerWebhook(
        req.body,
        'alertmanager',
        limits(),
      );
      return service.receiveAlerts(group.alerts, {
        truncatedAlerts: group.truncatedAlerts,
      });
    }),
  );
  receive(
    '/alerts/grafana',
    'grafana',
    signed('grafana'),
    json(async req => {
      const group = parseAlertmanagerWebhook(req.body, 'grafana', limits());
      return service.receiveAlerts(group.alerts, {
        truncatedAlerts: group.truncatedAlerts,
      });
    }),
  );
  receive(
    '/alerts',
    'generic',
    signed('generic'),
    json(async req =>
      service.receiveGenericAlerts(parseGenericAlerts(req.body, limits())),
    ),
  );

  receive(
    '/otlp/v1/metrics',
    'otlp',
    signed('otlp'),
    json(async req => service.receiveTelemetry(telemetry.metrics(req.body))),
  );
  receive(
    '/otlp/v1/logs',
    'otlp',
    signed('otlp'),
    json(async req => service.receiveTelemetry(telemetry.logs(req.body))),
  );
  receive(
    '/otlp/v1/traces',
    'otlp',
    signed('otlp'),
    json(async req => service.receiveTelemetry(telemetry.traces(req.body))),
  );

  receive(
    '/deployments',
    'deployments',
    signed('deployments'),
    json(async req =>
      service.receiveDeployments(
        deployments.parseGenericDeployments(req.body, {
          maxItems: config.maxItemsPerRequest,
        }),
      ),
    ),
  );
  receive(
    '/deployments/cdevents',
    'cdevents',
    signed('cdevents'),
    json(async req =>
      service.receiveDeployments(
        deployments.parseCdEvent(req.body, headersOf(req)),
      ),
    ),
  );
  receive(
    '/deployments/argocd',
    'argocd',
    signed('argocd'),
    json(async req =>
      service.receiveDeployments(deployments.parseArgoCdNotification(req.body)),
    ),
  );
  // PagerDuty change events, at this API's own path and at the path PagerDuty's SDKs append to
  // a configured endpoint. PagerDuty's senders count only a 202 as delivered, and SDKs read
  // `status` and `message`: the answer is PagerDuty's, with the receipt. Its senders that cannot
  // add a header authenticate with a listed `routing_key`.
  const pagerduty: ReceiverCredentials = {
    scheme: 'aiops',
    hmacSecret: config.hmacSecrets.pagerduty,
    routingKeys: config.pagerdutyRoutingKeys,
  };
  const receivePagerDutyChange = async (req: Request, res: Response) => {
    const changes = deployments.parsePagerDutyChangeEvent(req.body, {
      now: now(),
    });
    const receipt = await service.receiveDeployments(changes);
    res.status(202).json({
      status: 'success',
      message: 'Change event processed',
      ...receipt,
    });
  };
  receive('/changes/pagerduty', 'pagerduty', pagerduty, receivePagerDutyChange);
  receive('/v2/change/enqueue', 'pagerduty', pagerduty, receivePagerDutyChange);
  receive(
    '/deployments/github',
    'github',
    { scheme: 'github', webhookSecret: config.githubWebhookSecret },
    async (req, res) => {
      const event = req.header('x-github-event');
      if (!event) throw new InputError('X-GitHub-Event header is required');
      const parsed = deployments.parseGitHubDeploymentEvent(event, req.body);
      if (parsed.length === 0) {
        res.status(202).json({
          accepted: 0,
          ignored: `event ${echoed(event)} carries no deployment change`,
        });
        return;
      }
      res.json(await service.receiveDeployments(parsed));
    },
  );
  // After every gate: Express tries layers in the order they were added.
  outer.use(router);
  outer.use(signals.noteRefusal);
  // The validator names a field by its path, sender's keys and all: a 200 KB key is not sent
  // back in full.
  outer.use(
    (
      error: unknown,
      _req: Request,
      _res: Response,
      next: (error: unknown) => void,
    ) => {
      if (error instanceof Error) error.message = withEchoesCut(error.message);
      next(error);
    },
  );

  router.get('/alerts', async (req, res) => {
    await authenticateReader(req);
    if (req.query.id !== undefined) {
      res.json(await lookUpAlerts(store, req.query));
      return;
    }
    const q = readQuery(req.query);
    const after = q.string('after');
    if (after !== undefined) {
      res.json(await store.alertFeed(q.cursor('after'), q.limit()));
      return;
    }
    res.json(
      await store.listAlerts({
        entityRef: q.entityRef(),
        status: q.oneOf('status', AiopsIngestApi.AlertStatusValues),
        unowned: q.boolean('unowned'),
        from: q.timestamp('from'),
        to: q.timestamp('to'),
        limit: q.limit(),
        cursor: q.cursor('cursor'),
      }),
    );
  });

  router.get('/deployments', async (req, res) => {
    await authenticateReader(req);
    const q = readQuery(req.query);
    if (q.string('after') !== undefined) {
      res.json(await store.deploymentFeed(q.cursor('after'), q.limit()));
      return;
    }
    res.json(
      await store.listDeployments({
        entityRef: q.entityRef(),
        entityRefs: q.entityRefs({ max: MAX_DEPLOYMENT_ENTITY_REFS }),
        environment: q.string('environment'),
        from: q.timestamp('from'),
        to: q.timestamp('to'),
        limit: q.limit(),
        cursor: q.cursor('cursor'),
      }),
    );
  });

  router.get('/series', async (req, res) => {
    await authenticateReader(req);
    const q = readQuery(req.query);
    const entityRef = q.entityRef({ required: true })!;
    const metric = q.required('metric');
    const { from, to, stepMs } = q.range({ now: now(), maxPoints: 10_000 });
    const points = await store.readSeries({
      entityKey: entityRef,
      metric,
      from,
      to,
      stepMs,
    });
    res.json({
      entityRef,
      metric,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      stepSeconds: stepMs / 1000,
      points: points.map(({ buckets, ...point }) => ({
        ...point,
        time: new Date(point.time).toISOString(),
        mean: point.count > 0 ? point.sum / point.count : undefined,
        ...(buckets && {
          p50: quantileFromBuckets(buckets, 0.5),
          p90: quantileFromBuckets(buckets, 0.9),
          p99: quantileFromBuckets(buckets, 0.99),
        }),
      })),
    });
  });

  router.get('/exemplars', async (req, res) => {
    await authenticateReader(req);
    const q = readQuery(req.query);
    const entityRef = q.entityRef({ required: true })!;
    const { from, to } = q.range({ now: now(), maxPoints: Infinity });
    const items = await store.listExemplars({
      entityKey: entityRef,
      from,
      to,
      limit: q.limit(),
    });
    res.json({
      items: items.map(e => ({ ...e, time: new Date(e.time).toISOString() })),
    });
  });

  router.get('/topology', async (req, res) => {
    await authenticateReader(req);
    const q = readQuery(req.query);
    const { from, to } = q.range({
      now: now(),
      maxPoints: Infinity,
      defaultSpanMs: 24 * 3600_000,
    });
    const edges = await store.listEdges({ from, to, entityKey: q.entityRef() });
    res.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      edges: edges.map(e => ({
        caller: e.callerKey,
        callee: e.calleeKey,
        count: e.count,
        errorCount: e.errorCount,
        firstSeen: new Date(e.firstSeen).toISOString(),
        lastSeen: new Date(e.lastSeen).toISOString(),
      })),
    });
  });

  return outer;
}

/** At most this many ids in one lookup: an incident page's alerts, not a bulk export. */
const MAX_ALERT_IDS = 200;
const MAX_ALERT_ID_LENGTH = 64;

/**
 * `GET /alerts?id=…&id=…`: the alerts with these ids, in the order asked for, and the ids no
 * alert is stored under (never received, or deleted by retention). The spec bounds the list
 * too; these checks keep the bounds and the 400s from depending on the validator's coercions.
 */
async function lookUpAlerts(
  store: IngestStore,
  query: AiopsIngestApi.ListAlertsQuery,
) {
  const others = Object.keys(query).filter(name => name !== 'id');
  if (others.length > 0) {
    throw new InputError(
      `query parameter id cannot be combined with ${others
        .map(name => echoed(name))
        .join(', ')}`,
    );
  }
  const ids = ([] as unknown[]).concat(query.id);
  if (ids.length > MAX_ALERT_IDS) {
    throw new InputError(
      `query parameter id is given ${ids.length} times; at most ${MAX_ALERT_IDS}`,
    );
  }
  for (const id of ids) {
    if (
      typeof id !== 'string' ||
      id.length === 0 ||
      id.length > MAX_ALERT_ID_LENGTH
    ) {
      throw new InputError(
        `query parameter id must be an alert id of 1 to ${MAX_ALERT_ID_LENGTH} characters`,
      );
    }
  }
  const items = await store.getAlerts(ids as string[]);
  const found = new Set(items.map(alert => alert.id));
  return {
    items,
    missing: [...new Set(ids as string[])].filter(id => !found.has(id)),
  };
}

function headersOf(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value;
  }
  return headers;
}
