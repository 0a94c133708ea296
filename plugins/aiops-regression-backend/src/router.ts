import express from 'express';
import Router from 'express-promise-router';
import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  aiopsIncidentReadPermission,
  aiopsIncidentUpdatePermission,
  type AiopsRegressionApi,
  type Incident,
} from '@aiops/plugin-aiops-common';
import {
  incidentPermissionRules,
  readQuery,
  rejectNulInPath,
} from '@aiops/plugin-aiops-node';
import {
  REGRESSION_STATUSES,
  type RegressionStatus,
  type RegressionStore,
  type StoredRegression,
} from './database/RegressionStore';
import { knownMetric } from './metrics';
import { E_DIVISIVE_T } from './service/changepoints';
import { createOpenApiRouter } from './schema/openapi/generated';

export interface EntitySeriesAnswer {
  provider: string;
  points: Array<{ at: number; value: number }>;
  stepMs: number;
  deployments: Array<{ id: string; at: number; version?: string }>;
}

export interface RouterOptions {
  store: RegressionStore;
  /** The metric's points and the entity's deploys in the range; throws when it cannot read. */
  series(
    entityRef: string,
    metric: string,
    from: number,
    to: number,
  ): Promise<EntitySeriesAnswer>;
  /** The entity's owner, for a conditional update decision. */
  ownerOf(entityRef: string): Promise<string | undefined>;
  changePoints: { maxPValue: number; windowLength: number; minSegment: number };
  windowMs: number;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  now?: () => number;
}

/** Points a chart's range may hold at one-minute steps (a week), matching ingest's limit. */
const MAX_RANGE_POINTS = 10_080;

const conditionsAllow = createConditionAuthorizer(
  Object.values(incidentPermissionRules),
);

/** The rules are written for incidents; a regression is judged by its entity's owner. */
function asIncident(regression: StoredRegression, owner?: string): Incident {
  return {
    id: regression.id,
    title: `${regression.metric} of ${regression.entityRef}`,
    status: 'open',
    severity: 'warning',
    owner,
    primaryEntityRef: regression.entityRef,
    affectedEntityRefs: [regression.entityRef],
    correlationKey: '',
    ruleVersions: [],
    alertIds: [],
    findings: [],
    rootCauseCandidates: [],
    openedAt: regression.detectedAt,
    updatedAt: regression.updatedAt,
  };
}

export function toApi(r: StoredRegression): AiopsRegressionApi.Regression {
  return r;
}

/** Who changed a status: the user's ref, or the calling service's subject. */
function principalRef(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** HTTP only: credentials, permissions and status codes; the store and runner do the work. */
export async function createRouter(options: RouterOptions) {
  const { httpAuth, permissions, store } = options;
  const now = options.now ?? Date.now;
  const api = Router();
  api.use(rejectNulInPath);
  // A series of 100,000 numbers is about 2 MB of JSON.
  api.use(express.json({ limit: '4mb' }));
  const router = await createOpenApiRouter();
  api.use(router);

  const credentialsOf = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const mayRead = async (credentials: BackstageCredentials) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: aiopsIncidentReadPermission }],
      { credentials },
    );
    // Regressions carry no incident to evaluate conditions on; a conditional reader may read
    // them as they may read the entity's metrics.
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `${aiopsIncidentReadPermission.name} is not allowed`,
      );
  };

  router.get('/regressions', async (req, res) => {
    await mayRead(await credentialsOf(req));
    const q = readQuery(req.query);
    const entityRef = q.entityRef();
    const status = req.query.status
      ?.split(',')
      .map(s => s.trim())
      .filter(Boolean);
    for (const s of status ?? []) {
      if (!REGRESSION_STATUSES.includes(s as RegressionStatus))
        throw new InputError(
          `query parameter status: ${s} is not one of ${REGRESSION_STATUSES.join(
            ', ',
          )}`,
        );
    }
    const items = await store.list({
      entityRef,
      status: status as RegressionStatus[] | undefined,
      limit: req.query.limit ?? 100,
    });
    res.json({ items: items.map(toApi) });
  });

  router.get('/runs', async (req, res) => {
    await mayRead(await credentialsOf(req));
    const entityRef = readQuery(req.query).entityRef();
    res.json({ items: await store.runs(entityRef) });
  });

  const setStatus =
    (status: RegressionStatus) =>
    async (req: express.Request<{ id: string }>, res: express.Response) => {
      const credentials = await credentialsOf(req);
      const [decision] = await permissions.authorizeConditional(
        [{ permission: aiopsIncidentUpdatePermission }],
        { credentials },
      );
      if (decision.result === AuthorizeResult.DENY)
        throw new NotAllowedError(
          `${aiopsIncidentUpdatePermission.name} is not allowed`,
        );
      const { id } = req.params;
      const regression = await store.get(id);
      if (!regression) throw new NotFoundError(`Regression ${id} not found`);
      if (
        decision.result === AuthorizeResult.CONDITIONAL &&
        !conditionsAllow(
          decision,
          asIncident(regression, await options.ownerOf(regression.entityRef)),
        )
      )
        throw new NotAllowedError(
          `${aiopsIncidentUpdatePermission.name} is not allowed on ${regression.entityRef}`,
        );
      const by = principalRef(credentials);
      const updated = await store.setStatus(id, status, {
        by,
        now: new Date(now()),
      });
      if (!updated) throw new NotFoundError(`Regression ${id} not found`);
      res.json(toApi(updated));
    };
  router.post('/regressions/:id/acknowledge', setStatus('acknowledged'));
  router.post('/regressions/:id/dismiss', setStatus('dismissed'));

  router.get('/entities/:entityRef/series', async (req, res) => {
    await mayRead(await credentialsOf(req));
    const entityRef = readQuery(req.params).entityRef({ required: true })!;
    const { metric } = req.query;
    if (!metric) throw new InputError('query parameter metric is required');
    if (!knownMetric(metric))
      throw new InputError(`query parameter metric: unknown metric ${metric}`);
    const to = req.query.to ? Date.parse(req.query.to) : now();
    const from = req.query.from
      ? Date.parse(req.query.from)
      : to - options.windowMs;
    if (!(from < to))
      throw new InputError('query parameter from must be before to');
    if ((to - from) / 60_000 > MAX_RANGE_POINTS)
      throw new InputError(
        'query parameter from: the range is longer than 7 days',
      );
    let answer: EntitySeriesAnswer;
    try {
      answer = await options.series(entityRef, metric, from, to);
    } catch (error) {
      throw new ServiceUnavailableError(
        `${metric} of ${entityRef} could not be read: ${
          (error as Error).message
        }`,
      );
    }
    const values = answer.points.map(p => p.value);
    const changePoints =
      values.length >= 20
        ? E_DIVISIVE_T.detect(values, {
            ...options.changePoints,
            minRelativeChange: knownMetric(metric)!.minRelativeChange,
          })
        : [];
    const regressions = (await store.list({ entityRef, metric })).filter(r => {
      const at = Date.parse(r.changeAt);
      return at >= from && at <= to;
    });
    res.json({
      entityRef,
      metric,
      provider: answer.provider,
      from: iso(from),
      to: iso(to),
      stepSeconds: answer.stepMs / 1000,
      points: answer.points.map(p => ({ at: iso(p.at), value: p.value })),
      changePoints: changePoints.map(c => ({
        at: iso(answer.points[c.index].at),
        before: c.before,
        after: c.after,
        relativeChange: c.relativeChange,
        pValue: c.pValue,
      })),
      deployments: answer.deployments.map(d => ({
        id: d.id,
        at: iso(d.at),
        ...(d.version ? { version: d.version } : {}),
      })),
      regressions: regressions.map(toApi),
    });
  });

  router.post('/analyze', async (req, res) => {
    await credentialsOf(req);
    const { values, options: detectOptions } = req.body;
    // The spec refuses NaN and strings already (JSON has no NaN); the method names the index
    // of anything else it cannot take.
    const changePoints = E_DIVISIVE_T.detect(values, detectOptions);
    res.json({ method: E_DIVISIVE_T.name, changePoints });
  });

  return api;
}
