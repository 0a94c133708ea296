import Router from 'express-promise-router';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import type { Request, Response } from 'express';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { AuthenticationError, InputError } from '@backstage/errors';
import type { IngestStore } from './database/IngestStore';
import { SenderAuthentication, acceptedByRoutingKey } from './http/auth';
import { jsonBodyParser } from './http/body';
import type { IngestConfig, SignedReceiver } from './config';
import { parseAlertmanagerWebhook } from './service/alerts/alertmanager';
import { parseGenericAlerts } from './service/alerts/generic';
import type { IngestService } from './service/IngestService';
import { loadOpenApiSpec, readQuery } from '@aiops/plugin-aiops-node';
import { quantileFromBuckets } from './service/telemetryKeys';
import type { TelemetryReceivers } from './service/TelemetryReceivers';
import * as deployments from './service/deployments';

export interface RouterOptions {
  service: IngestService;
  store: IngestStore;
  httpAuth: HttpAuthService;
  config: IngestConfig;
  /**
   * Mirrors `backend.auth.dangerouslyDisableDefaultAuthPolicy`: the read APIs share path
   * prefixes with receivers, which are opened at the policy level, so they check credentials
   * themselves — unless the whole backend runs without the default policy (development).
   */
  openReads?: boolean;
  telemetry: TelemetryReceivers;
  now?: () => Date;
}

/** HTTP only: authentication, parsing to inputs, status codes. The domain is in service/. */
export async function createRouter(options: RouterOptions) {
  const { service, store, httpAuth, config, telemetry } = options;
  const now = () => options.now?.() ?? new Date();
  const authenticateReader = async (req: Request) => {
    if (!options.openReads) await httpAuth.credentials(req, { allow: ['user', 'service'] });
  };
  const senders = new SenderAuthentication(httpAuth);
  // Bodies are read before the spec is checked, so size, encoding and content-type problems
  // answer 413/415 rather than the validator's generic 400.
  const outer = Router();
  outer.use(jsonBodyParser({ maxBodyBytes: config.maxBodyBytes }));
  // The spec is loaded at run time, so the typed-handler generics have nothing to infer from;
  // the handlers below do their own parsing into domain inputs.
  // `middleware` replaces the default express.json(); the body is already parsed.
  const router = createValidatedOpenApiRouter(loadOpenApiSpec('@aiops/plugin-aiops-ingest-backend'), {
    middleware: [(_req, _res, next) => next()],
  }) as unknown as ReturnType<typeof Router>;
  outer.use(router);

  const limits = () => ({ maxAlerts: config.maxItemsPerRequest, now: now() });
  const receiver =
    (name: SignedReceiver, handle: (req: Request, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      await senders.authenticate(req, config.hmacSecrets[name]);
      res.json(await handle(req, res));
    };

  router.post(
    '/alerts/alertmanager',
    receiver('alertmanager', async req => {
      const group = parseAlertmanagerWebhook(req.body, 'alertmanager', limits());
      return service.receiveAlerts(group.alerts, { truncatedAlerts: group.truncatedAlerts });
    }),
  );
  router.post(
    '/alerts/grafana',
    receiver('grafana', async req => {
      const group = parseAlertmanagerWebhook(req.body, 'grafana', limits());
      return service.receiveAlerts(group.alerts, { truncatedAlerts: group.truncatedAlerts });
    }),
  );
  router.post(
    '/alerts',
    receiver('generic', async req => service.receiveGenericAlerts(parseGenericAlerts(req.body, limits()))),
  );

  router.post(
    '/otlp/v1/metrics',
    receiver('otlp', async req => service.receiveTelemetry(telemetry.metrics(req.body))),
  );
  router.post(
    '/otlp/v1/logs',
    receiver('otlp', async req => service.receiveTelemetry(telemetry.logs(req.body))),
  );
  router.post(
    '/otlp/v1/traces',
    receiver('otlp', async req => service.receiveTelemetry(telemetry.traces(req.body))),
  );

  router.post(
    '/deployments',
    receiver('deployments', async req =>
      service.receiveDeployments(
        deployments.parseGenericDeployments(req.body, { maxItems: config.maxItemsPerRequest }),
      ),
    ),
  );
  router.post(
    '/deployments/cdevents',
    receiver('cdevents', async req =>
      service.receiveDeployments(deployments.parseCdEvent(req.body, headersOf(req))),
    ),
  );
  router.post(
    '/deployments/argocd',
    receiver('argocd', async req =>
      service.receiveDeployments(deployments.parseArgoCdNotification(req.body)),
    ),
  );
  // PagerDuty change events, at this API's own path and at the path PagerDuty's SDKs append to
  // a configured endpoint. PagerDuty's senders count only a 202 as delivered, and SDKs read
  // `status` and `message`: the answer is PagerDuty's, with the receipt.
  const receivePagerDutyChange = async (req: Request, res: Response) => {
    if (!acceptedByRoutingKey(req, config.pagerdutyRoutingKeys)) {
      await senders.authenticate(req, config.hmacSecrets.pagerduty);
    }
    const changes = deployments.parsePagerDutyChangeEvent(req.body, { now: now() });
    const receipt = await service.receiveDeployments(changes);
    res.status(202).json({ status: 'success', message: 'Change event processed', ...receipt });
  };
  router.post('/changes/pagerduty', receivePagerDutyChange);
  router.post('/v2/change/enqueue', receivePagerDutyChange);
  // GitHub cannot send a bearer token: its webhook secret is the only credential.
  router.post('/deployments/github', async (req, res) => {
    if (!config.githubWebhookSecret) {
      throw new AuthenticationError(
        'GitHub webhooks are not enabled: set aiops.ingest.github.webhookSecret',
      );
    }
    if (
      !deployments.verifyGitHubSignature(
        req.rawBody ?? Buffer.alloc(0),
        req.header('x-hub-signature-256'),
        config.githubWebhookSecret,
      )
    ) {
      throw new AuthenticationError('X-Hub-Signature-256 does not match the body');
    }
    const event = req.header('x-github-event');
    if (!event) throw new InputError('X-GitHub-Event header is required');
    const parsed = deployments.parseGitHubDeploymentEvent(event, req.body);
    if (parsed.length === 0) {
      res.status(202).json({ accepted: 0, ignored: `event ${event} carries no deployment change` });
      return;
    }
    res.json(await service.receiveDeployments(parsed));
  });

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
        status: q.oneOf('status', ['firing', 'resolved'] as const),
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
    const points = await store.readSeries({ entityKey: entityRef, metric, from, to, stepMs });
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
    const items = await store.listExemplars({ entityKey: entityRef, from, to, limit: q.limit() });
    res.json({
      items: items.map(e => ({ ...e, time: new Date(e.time).toISOString() })),
    });
  });

  router.get('/topology', async (req, res) => {
    await authenticateReader(req);
    const q = readQuery(req.query);
    const { from, to } = q.range({ now: now(), maxPoints: Infinity, defaultSpanMs: 24 * 3600_000 });
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
async function lookUpAlerts(store: IngestStore, query: Request['query']) {
  const others = Object.keys(query).filter(name => name !== 'id');
  if (others.length > 0) {
    throw new InputError(`query parameter id cannot be combined with ${others.join(', ')}`);
  }
  const ids = ([] as unknown[]).concat(query.id);
  if (ids.length > MAX_ALERT_IDS) {
    throw new InputError(`query parameter id is given ${ids.length} times; at most ${MAX_ALERT_IDS}`);
  }
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ALERT_ID_LENGTH) {
      throw new InputError(
        `query parameter id must be an alert id of 1 to ${MAX_ALERT_ID_LENGTH} characters`,
      );
    }
  }
  const items = await store.getAlerts(ids as string[]);
  const found = new Set(items.map(alert => alert.id));
  return { items, missing: [...new Set(ids as string[])].filter(id => !found.has(id)) };
}

function headersOf(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
