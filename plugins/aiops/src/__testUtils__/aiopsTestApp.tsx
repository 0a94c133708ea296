import type { ReactNode } from 'react';
import type { Entity } from '@backstage/catalog-model';
import type {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { configure, within } from '@testing-library/react';
import { HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import type {
  AiopsDeployRiskApi,
  AiopsNarratorApi,
  AiopsRegressionApi,
  AiopsRetrievalApi,
  Alert,
  Deployment,
  Incident,
} from '@aiops/plugin-aiops-common';
import { aiopsApiRef } from '../api/AiopsApi';
import { AiopsClient } from '../api/AiopsClient';
import { rootRouteRef } from '../routes';

/** Where the test discovery stub puts the backends. */
export const CORRELATION = 'http://backstage.test/api/aiops-correlation';
export const INGEST = 'http://backstage.test/api/aiops-ingest';
export const NARRATOR = 'http://backstage.test/api/aiops-narrator';
export const RETRIEVAL = 'http://backstage.test/api/aiops-retrieval';
export const REGRESSION = 'http://backstage.test/api/aiops-regression';
export const DEPLOY_RISK = 'http://backstage.test/api/aiops-deploy-risk';

/**
 * An msw server for one test file, listening from its first test to its last and reset
 * after each. Call it at the top level of the test file: that is where the hooks belong.
 */
export function setupAiopsServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/**
 * {@link setupAiopsServer}, for a file that renders the plugin in a whole test app. That is
 * slow in jsdom, more so on a busy shared CI machine: queries get 5 s instead of 1 s, and
 * each test `testTimeoutMs` instead of 5 s. Call it at the top level of the test file.
 */
export function setupAiopsTestApp(options: { testTimeoutMs: number }) {
  configure({ asyncUtilTimeout: 5_000 });
  jest.setTimeout(options.testTimeoutMs);
  return setupAiopsServer();
}

/** The real client, talking to the msw server through the test discovery stub. */
export function createAiopsClient(fetchApi = new MockFetchApi()) {
  return new AiopsClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://backstage.test/api/${pluginId}`,
    },
    fetchApi,
  });
}

/** What the permission backend answers; the enum lives in @backstage/plugin-permission-common. */
export type Decision = 'ALLOW' | 'DENY';

/**
 * Renders `ui` in a test app with the real {@link AiopsClient}, the plugin's root route at
 * `/aiops` and the catalog's entity pages at `/catalog/:namespace/:kind/:name`.
 */
export function renderAiops(
  ui: ReactNode,
  options: {
    /** Wraps `ui` in an EntityProvider, as on an entity page. */
    entity?: Entity;
    /** Installs a permission API that answers each request with the decision this makes. */
    authorize?: (request: EvaluatePermissionRequest) => Decision;
    routeEntries?: string[];
  } = {},
) {
  const { entity, authorize, routeEntries } = options;
  const aiops = [aiopsApiRef, createAiopsClient()] as const;
  const apis = authorize
    ? [
        aiops,
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              authorize(request) as
                | AuthorizeResult.ALLOW
                | AuthorizeResult.DENY,
          }),
        ] as const,
      ]
    : [aiops];
  return renderInTestApp(
    <TestApiProvider apis={apis}>
      {entity ? <EntityProvider entity={entity}>{ui}</EntityProvider> : ui}
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/aiops': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      routeEntries,
    },
  );
}

/**
 * The answer of Backstage's error middleware: the client turns it into a ResponseError
 * whose cause carries `name` and `message`.
 */
export function backstageError(
  status: number,
  name: string,
  message: string,
  request: { method: string; url: string } = { method: 'GET', url: '/' },
) {
  return HttpResponse.json(
    { error: { name, message }, request, response: { statusCode: status } },
    { status },
  );
}

/**
 * Holds answers back until `release()`, to see what a component shows while it waits.
 * `answer(body)` is an msw resolver that answers `body` once released.
 */
export function holdResponses() {
  let release: () => void = () => {};
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  return {
    answer: (body: JsonBodyType) => async () => {
      await released;
      return HttpResponse.json(body);
    },
    release: () => release(),
  };
}

export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** `n` minutes in milliseconds. */
export const minutes = (n: number) => n * MINUTE_MS;
/** The ISO time `ms` milliseconds before now. */
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
/** The ISO time `ms` milliseconds after now. */
export const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
/** The ISO time `n` minutes before now. */
export const minutesAgo = (n: number) => ago(minutes(n));

/** The service the entity-page tests show. */
export const cartEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'cart', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
  },
};

/** An open incident of cart, owned by the checkout team, opened 10 minutes ago. */
export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    title: 'cart: HighErrorRate',
    status: 'open',
    severity: 'error',
    primaryEntityRef: 'component:default/cart',
    affectedEntityRefs: ['component:default/cart'],
    owner: 'group:default/checkout-team',
    correlationKey: 'k',
    ruleVersions: [],
    alertIds: [],
    findings: [],
    rootCauseCandidates: [],
    openedAt: minutesAgo(10),
    updatedAt: minutesAgo(10),
    ...overrides,
  };
}

/** The template's narrative of inc-1, written 5 minutes ago and passing the grounding check. */
export function narrative(
  overrides: Partial<AiopsNarratorApi.StoredNarrative> = {},
): AiopsNarratorApi.StoredNarrative {
  return {
    id: 'n-1',
    incidentId: 'inc-1',
    summary: 'Redis (cart) is the most likely cause, alerting since 07:04.',
    impact: 'cart and frontend are affected; owned by Platform.',
    probableCause: 'resource:default/redis-cart stopped answering.',
    evidence: [],
    whatChanged: [],
    suggestedActions: [],
    generatedBy: 'template',
    grounding: { passed: true, rejected: [], rules: ['cited-evidence@1'] },
    accepted: true,
    inputHash: 'h-1',
    createdAt: minutesAgo(5),
    ...overrides,
  };
}

/**
 * A past redis-cart outage as aiops-retrieval finds it: resolved in 45 minutes by a memory
 * limit, three days ago, matching on redis-cart, its alert and the root cause.
 */
export function similarHit(
  overrides: Partial<AiopsRetrievalApi.SimilarIncidentHit> = {},
): AiopsRetrievalApi.SimilarIncidentHit {
  return {
    incidentId: 'inc-past-1',
    title: 'redis-cart: RedisCartLatencyHigh (+2 related alerts)',
    status: 'resolved',
    severity: 'critical',
    openedAt: ago(3 * DAY_MS),
    resolvedAt: ago(3 * DAY_MS - minutes(45)),
    timeToResolveMs: minutes(45),
    resolution: {
      note: 'Raised redis-cart memory limit to 2Gi and restarted it.',
      postmortemUrl: 'https://postmortems.acme.example/PM-101',
    },
    score: 0.91,
    why: {
      sharedEntities: ['resource:default/redis-cart'],
      sharedAlertNames: ['RedisCartLatencyHigh'],
      sameRootCause: true,
      sameSystem: true,
      sharedTerms: ['rediscartlatencyhigh', 'redis'],
      signals: { lexical: 4.2, vector: 0.83, structural: 0.8 },
    },
    ...overrides,
  };
}

/** A firing alert keyed to cart, first seen 30 minutes ago and last 2 minutes ago. */
export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a-1',
    fingerprint: 'f-1',
    source: 'alertmanager',
    status: 'firing',
    severity: 'warning',
    title: 'HighLatency',
    labels: { alertname: 'HighLatency' },
    annotations: {},
    resolution: {
      status: 'resolved',
      entityRef: 'component:default/cart',
      matchedBy: 'label:service',
    },
    startsAt: minutesAgo(30),
    firstSeenAt: minutesAgo(30),
    lastSeenAt: minutesAgo(2),
    deliveryCount: 1,
    ...overrides,
  };
}

/** cart's p99 latency, up 80% (p < 0.0001) since 2 hours ago, active, after deploy d-1. */
export function regression(
  overrides: Partial<AiopsRegressionApi.Regression> = {},
): AiopsRegressionApi.Regression {
  return {
    id: 'reg-1',
    entityRef: 'component:default/cart',
    metric: 'latency_p99',
    direction: 'increase',
    changeAt: ago(2 * HOUR_MS),
    detectedAt: ago(HOUR_MS),
    updatedAt: ago(HOUR_MS),
    before: { mean: 100, n: 60 },
    after: { mean: 180, n: 30 },
    relativeChange: 0.8,
    pValue: 0.00001,
    method: 'welch-mann-whitney-holm@1',
    deploymentId: 'd-1',
    status: 'active',
    ...overrides,
  };
}

/** The series around a regression: 10 points, a change point and deploy d-1 (v2.0.0) mid-way. */
export function entitySeries(
  reg: AiopsRegressionApi.Regression = regression(),
): AiopsRegressionApi.EntitySeries {
  const change = Date.parse(reg.changeAt);
  const at = (i: number) =>
    new Date(change + (i - 5) * minutes(10)).toISOString();
  return {
    entityRef: reg.entityRef,
    metric: reg.metric,
    provider: 'embedded',
    from: at(0),
    to: at(9),
    stepSeconds: 600,
    points: Array.from({ length: 10 }, (_, i) => ({
      at: at(i),
      value: i < 5 ? 100 : 180,
    })),
    changePoints: [
      {
        at: reg.changeAt,
        before: 100,
        after: 180,
        relativeChange: 0.8,
        pValue: reg.pValue,
      },
    ],
    deployments: [{ id: 'd-1', at: reg.changeAt, version: 'v2.0.0' }],
    regressions: [reg],
  };
}

/** cart's deploy of v2.0.0 to production through the generic receiver, 2 hours ago. */
export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'd-1',
    source: 'generic',
    externalId: 'x-1',
    resolution: {
      status: 'resolved',
      entityRef: 'component:default/cart',
      matchedBy: 'label:service',
    },
    environment: 'production',
    version: 'v2.0.0',
    status: 'succeeded',
    startedAt: ago(2 * HOUR_MS),
    finishedAt: ago(2 * HOUR_MS - minutes(5)),
    ...overrides,
  };
}

/** A high-risk (score 42) assessment of cart v2.0.0 to production, linked to d-1. */
export function assessment(
  overrides: Partial<AiopsDeployRiskApi.Assessment> = {},
): AiopsDeployRiskApi.Assessment {
  return {
    id: 'as-1',
    entityRef: 'component:default/cart',
    version: 'v2.0.0',
    environment: 'production',
    assessedAt: ago(2 * HOUR_MS + minutes(10)),
    score: 42,
    level: 'high',
    factors: [
      {
        id: 'change-size',
        version: 'change-size@1',
        label: 'Change size',
        value: 1,
        weight: 1.2,
        contribution: 1.2,
        explanation: '2,400 lines changed',
      },
      {
        id: 'blast-radius',
        version: 'blast-radius@1',
        label: 'Blast radius',
        value: 0.5,
        weight: 1,
        contribution: 0.5,
        explanation: '3 dependents',
      },
      {
        id: 'timing',
        version: 'timing@1',
        label: 'Timing',
        value: 0.1,
        weight: 0.5,
        contribution: 0.05,
        explanation: 'Friday afternoon',
      },
    ],
    recommendation: 'Deploy with a canary.',
    blockedBy: [],
    ruleVersions: [],
    deploymentId: 'd-1',
    ...overrides,
  };
}

/** The text of each cell of a table row. */
export function cellTexts(row: HTMLElement) {
  return within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent);
}
