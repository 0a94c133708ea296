import Router from 'express-promise-router';
import type { Request, Response } from 'express';
import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  aiopsAdminPermission,
  aiopsIncidentReadPermission,
  aiopsIncidentUpdatePermission,
  aiopsSilenceManagePermission,
  AiopsCorrelationApi,
  type Incident,
} from '@aiops/plugin-aiops-common';
import {
  incidentPermissionResourceRef,
  readQuery,
  withEchoesCut,
  rejectNulInPath,
} from '@aiops/plugin-aiops-node';
import type { IncidentStore } from './database/IncidentStore';
import { DETAIL_TIMELINE_ENTRIES } from './database/incidents/reads';
import type {
  NotificationStore,
  StoredDelivery,
} from './database/NotificationStore';
import type { ReportedProblem } from './notify/RoutingProblems';
import { describeTarget } from './service/routing/targets';
import type { SilenceStore } from './database/SilenceStore';
import type { IncidentActions } from './engine/IncidentActions';
import type { CorrelationEngine } from './engine/CorrelationEngine';
import type { IngestClient } from './engine/IngestClient';
import { withAlertDetails } from './engine/alertDetails';
import { validateSilenceSpec } from './service/silenceSchedule';
import { readResolutionInput } from './service/resolutionInput';
import { entityStatus } from './service/health';
import { jsonBody, rejectUnsafeJson } from './jsonBody';
import { createOpenApiRouter } from './schema/openapi/generated';

export interface RouterOptions {
  incidents: IncidentStore;
  silences: SilenceStore;
  notifications: NotificationStore;
  /** What notification routing found wrong on this instance. */
  routingProblems(): ReportedProblem[];
  actions: IncidentActions;
  engine: CorrelationEngine;
  ingest: IngestClient;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  /** Called after a silence was created or expired, so correlation uses it at once. */
  onSilencesChanged(): void;
  now?: () => Date;
}

const DAY = 24 * 3600_000;
// The values a query parameter may take are the spec's.
const { DeliveryStatusValues, IncidentStatusValues, SeverityValues } =
  AiopsCorrelationApi;

/** HTTP only: credentials, permissions, parsing and status codes. */
export async function createRouter(options: RouterOptions) {
  const {
    incidents,
    silences,
    actions,
    engine,
    ingest,
    httpAuth,
    permissions,
  } = options;
  const now = () => options.now?.() ?? new Date();
  // Bodies are parsed ahead of the validated router, which would answer 400 for a 413. The
  // router is generated from src/schema/openapi.yaml: paths, parameters, bodies and answers
  // of the handlers below are typed by the spec.
  const api = Router();
  api.use(rejectNulInPath);
  api.use(jsonBody);
  const router = await createOpenApiRouter({ middleware: [rejectUnsafeJson] });
  api.use(router);
  const incidentRules = options.permissionsRegistry.getPermissionRuleset(
    incidentPermissionResourceRef,
  );
  const isAllowed = createConditionAuthorizer(incidentRules);
  const toIncidentFilter = createConditionTransformer(incidentRules);

  // Any handler's request, however the spec types its parameters.
  const credentialsOf = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const actorOf = ({ principal }: Awaited<ReturnType<typeof credentialsOf>>) =>
    principal.type === 'user'
      ? principal.userEntityRef
      : `service:${principal.subject}`;

  /**
   * The caller's decision for a resource permission; conditional decisions (such as "the owner
   * group may act") are evaluated here against each incident.
   */
  const incidentScope = async (
    credentials: BackstageCredentials,
    permission: ResourcePermission<'aiops-incident'>,
  ) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`${permission.name} is not allowed`);
    }
    return {
      allows: (incident: Incident) => isAllowed(decision, incident),
      /** The same conditions for the store, where it counts in SQL. */
      filter:
        decision.result === AuthorizeResult.CONDITIONAL
          ? toIncidentFilter(decision.conditions)
          : undefined,
    };
  };
  const incidentFilter = async (
    credentials: BackstageCredentials,
    permission: ResourcePermission<'aiops-incident'>,
  ) => (await incidentScope(credentials, permission)).allows;
  const requireBasic = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`${permission.name} is not allowed`);
    }
  };
  /** Loads the incidents the caller may act on with `permission` (404 before 403). */
  const incidentsFor = async (
    credentials: BackstageCredentials,
    ids: string[],
    permission: ResourcePermission<'aiops-incident'>,
    read: { timeline?: boolean } = {},
  ) => {
    const allowed = await incidentFilter(credentials, permission);
    const found = [];
    for (const id of ids) {
      const details = await incidents.getIncident(id, read);
      if (!details) throw new NotFoundError(`Incident ${id} not found`);
      if (!allowed(details.incident)) {
        throw new NotAllowedError(
          `${permission.name} is not allowed on incident ${id}`,
        );
      }
      found.push(details);
    }
    return found;
  };
  const incidentFor = async (
    credentials: BackstageCredentials,
    id: string,
    permission: ResourcePermission<'aiops-incident'>,
    read?: { timeline?: boolean },
  ) => (await incidentsFor(credentials, [id], permission, read))[0];

  router.get('/incidents', async (req, res) => {
    const credentials = await credentialsOf(req);
    const allowed = await incidentFilter(
      credentials,
      aiopsIncidentReadPermission,
    );
    const q = readQuery(req.query);
    const page = await incidents.listIncidents({
      entityRef: q.entityRef(),
      owner: q.entityRef({ name: 'owner', defaultKind: 'group' }),
      system: q.entityRef({ name: 'system', defaultKind: 'system' }),
      status: q.list('status', IncidentStatusValues),
      severity: q.list('severity', SeverityValues),
      from: q.timestamp('from'),
      to: q.timestamp('to'),
      limit: q.limit(),
      cursor: q.string('cursor') || undefined,
    });
    // Conditional read decisions filter the page; a page can then hold fewer items.
    res.json({ ...page, items: page.items.filter(allowed) });
  });

  router.get('/incidents/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const details = await incidentFor(
      credentials,
      req.params.id,
      aiopsIncidentReadPermission,
      { timeline: readQuery(req.query).boolean('timeline') },
    );
    res.json(await withAlertDetails(details, ingest, options.logger));
  });

  // Older entries than the detail's, for the same readers (404 before 403, as the detail).
  router.get('/incidents/:id/timeline', async (req, res) => {
    const credentials = await credentialsOf(req);
    await incidentFor(credentials, req.params.id, aiopsIncidentReadPermission);
    const q = readQuery(req.query);
    const query = {
      before: q.string('before') || undefined,
      limit:
        req.query.limit === undefined ? DETAIL_TIMELINE_ENTRIES : q.limit(),
    };
    // The store knows a cursor, not the parameter that carried it.
    const page = await incidents
      .timelinePage(req.params.id, query)
      .catch((error: unknown) => {
        throw error instanceof InputError
          ? new InputError(`query parameter before: ${error.message}`)
          : error;
      });
    res.json(page);
  });

  router.get('/changes', async (req, res) => {
    const credentials = await credentialsOf(req);
    const allowed = await incidentFilter(
      credentials,
      aiopsIncidentReadPermission,
    );
    const q = readQuery(req.query);
    const feed = await options.notifications.changeFeed(
      q.cursor('after') ?? '0',
      q.limit(),
    );
    // Conditional read decisions leave items out, and the cursor still moves past them. The
    // permission rules read the incident's owner, which the summary carries.
    res.json({
      ...feed,
      items: feed.items.filter(({ item }) =>
        allowed(item.incident as Incident),
      ),
    });
  });

  const lifecycle = (action: 'acknowledge' | 'reopen') =>
    router.post(`/incidents/:id/${action}`, async (req, res) => {
      const credentials = await credentialsOf(req);
      await incidentFor(
        credentials,
        req.params.id,
        aiopsIncidentUpdatePermission,
      );
      res.json(await actions[action](req.params.id, actorOf(credentials)));
    });
  lifecycle('acknowledge');
  lifecycle('reopen');

  router.post('/incidents/:id/resolve', async (req, res) => {
    const credentials = await credentialsOf(req);
    // Read before anything is written: a bad resolution resolves nothing.
    const resolution = readResolutionInput(req.body);
    await incidentFor(
      credentials,
      req.params.id,
      aiopsIncidentUpdatePermission,
    );
    res.json(
      await actions.resolve(req.params.id, actorOf(credentials), resolution),
    );
  });

  router.post('/incidents/:id/notes', async (req, res) => {
    const credentials = await credentialsOf(req);
    await incidentFor(
      credentials,
      req.params.id,
      aiopsIncidentUpdatePermission,
    );
    const text = typeof req.body?.text === 'string' ? req.body.text.trim() : '';
    if (!text) throw new InputError('text must be a non-empty string');
    res
      .status(201)
      .json(await actions.addNote(req.params.id, actorOf(credentials), text));
  });

  router.post('/incidents/:id/merge', async (req, res) => {
    const credentials = await credentialsOf(req);
    const into = req.body?.into;
    if (typeof into !== 'string' || !into)
      throw new InputError('into must be an incident id');
    // One decision for both: the caller must be allowed to act on each of them.
    await incidentsFor(
      credentials,
      [req.params.id, into],
      aiopsIncidentUpdatePermission,
    );
    res.json(await actions.merge(req.params.id, into, actorOf(credentials)));
  });

  router.get('/incidents/:id/notifications', async (req, res) => {
    const credentials = await credentialsOf(req);
    await incidentFor(credentials, req.params.id, aiopsIncidentReadPermission);
    const q = readQuery(req.query);
    const page = await options.notifications.listDeliveries({
      incidentId: req.params.id,
      limit: q.limit(),
      cursor: q.string('cursor') || undefined,
    });
    res.json({ ...page, items: page.items.map(deliveryView) });
  });

  router.get('/notifications', async (req, res) => {
    await requireBasic(await credentialsOf(req), aiopsAdminPermission);
    const q = readQuery(req.query);
    const page = await options.notifications.listDeliveries({
      status: q.oneOf('status', DeliveryStatusValues),
      limit: q.limit(),
      cursor: q.string('cursor') || undefined,
    });
    res.json({ ...page, items: page.items.map(deliveryView) });
  });

  router.get('/notifications/status', async (req, res) => {
    await requireBasic(await credentialsOf(req), aiopsAdminPermission);
    res.json({
      counts: await options.notifications.countByStatus(),
      problems: options.routingProblems(),
    });
  });

  router.post('/notifications/:id/retry', async (req, res) => {
    await requireBasic(await credentialsOf(req), aiopsAdminPermission);
    res.json(
      deliveryView(
        await options.notifications.retry(req.params.id, now().toISOString()),
      ),
    );
  });

  router.get('/silences', async (req, res) => {
    await credentialsOf(req);
    const q = readQuery(req.query);
    res.json(
      await silences.list({
        at: q.timestamp('at'),
        includeExpired: q.boolean('includeExpired'),
        limit: q.limit(),
        cursor: q.string('cursor') || undefined,
      }),
    );
  });

  router.get('/silences/:id', async (req, res) => {
    await credentialsOf(req);
    const silence = await silences.get(req.params.id);
    if (!silence) throw new NotFoundError(`Silence ${req.params.id} not found`);
    res.json(silence);
  });

  router.post('/silences', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireBasic(credentials, aiopsSilenceManagePermission);
    const spec = validateSilenceSpec(req.body);
    const silence = await silences.create(
      spec,
      actorOf(credentials),
      now().toISOString(),
    );
    options.onSilencesChanged();
    res.status(201).json(silence);
  });

  router.delete('/silences/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireBasic(credentials, aiopsSilenceManagePermission);
    const silence = await silences.expire(
      req.params.id,
      actorOf(credentials),
      now().toISOString(),
    );
    options.onSilencesChanged();
    res.json(silence);
  });

  router.get('/entities/:entityRef/health', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { filter } = await incidentScope(
      credentials,
      aiopsIncidentReadPermission,
    );
    // The path parameter reads like a query parameter: same forms, same errors.
    const entityRef = readQuery(req.params).entityRef({ required: true })!;
    const to = now();
    const [health, firing, deployments] = await Promise.all([
      incidents.entityHealth(entityRef, {
        from: new Date(to.getTime() - 30 * DAY).toISOString(),
        to: to.toISOString(),
        filter,
      }),
      ingest.listAlerts({ entityRef, status: 'firing', limit: 100 }),
      ingest.listDeployments({ entityRef, limit: 1 }),
    ]);
    const { open: openIncidents, ...window } = health;
    res.json({
      entityRef,
      status: entityStatus(openIncidents, firing.items),
      openIncidents,
      firingAlerts: firing.items,
      suppressedAlerts: engine.suppressedAlerts(entityRef),
      window,
      lastDeployment: deployments.items[0],
    });
  });

  router.get('/stats', async (req, res) => {
    const credentials = await credentialsOf(req);
    // Counted in SQL, so a conditional decision is applied there, not to each incident.
    const { filter } = await incidentScope(
      credentials,
      aiopsIncidentReadPermission,
    );
    const q = readQuery(req.query);
    const to = q.timestamp('to') ?? now().toISOString();
    const from =
      q.timestamp('from') ?? new Date(Date.parse(to) - 30 * DAY).toISOString();
    if (from >= to)
      throw new InputError('query parameter from must be before to');
    res.json({ from, to, ...(await incidents.stats({ from, to, filter })) });
  });

  // The validator and handlers name fields and values as sent: a 200 KB key or value is not
  // sent back in full (ingest does the same).
  api.use(
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
  return api;
}

/** A delivery as the API shows it: the message's gist, and no credentials. */
function deliveryView(delivery: StoredDelivery) {
  const { message, target, claimedUntil, ...rest } = delivery;
  return {
    ...rest,
    target: describeTarget(delivery.channel, target),
    change: message?.change,
    headline: message?.headline,
  };
}
