import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type BackstageServicePrincipal,
  type BackstageUserPrincipal,
  type PermissionsService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import type { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  CatalogEntityResolver,
  entityResolverServiceRef,
  loadOpenApiSpec,
} from '@aiops/plugin-aiops-node';
import aiopsIngest from '@aiops/plugin-aiops-ingest-backend';
import aiopsCorrelation from '@aiops/plugin-aiops-correlation-backend';
import aiopsNarrator from '@aiops/plugin-aiops-narrator-backend';
import aiopsRetrieval from '@aiops/plugin-aiops-retrieval-backend';
import aiopsRegression from '@aiops/plugin-aiops-regression-backend';
import aiopsDeployRisk from '@aiops/plugin-aiops-deploy-risk-backend';
import { AiopsPermissionPolicy } from './modules/AiopsPermissionPolicy';

/**
 * The authorization audit: every route of every plugin's OpenAPI spec, against the plugins as
 * they run, with Backstage's HTTP auth and a permission service that asks a permission policy
 * the way Backstage's does. New routes are covered without touching this file, unless they
 * need a sample body or are meant to need credentials only (then they must be listed below).
 */

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../..');

interface Route {
  pluginId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As in the spec, e.g. `/incidents/{id}/acknowledge`. */
  specPath: string;
  /** `METHOD /api/<plugin><specPath>`, the key of the tables below. */
  name: string;
  /** Marked `security: []` in the spec: meant to be reachable without credentials. */
  unauthenticated: boolean;
}

/** Every operation of every plugin that has `src/schema/openapi.yaml`. */
function specRoutes(): Route[] {
  const routes: Route[] = [];
  for (const dir of fs.readdirSync(path.join(repoRoot, 'plugins'))) {
    const pluginDir = path.join(repoRoot, 'plugins', dir);
    if (!fs.existsSync(path.join(pluginDir, 'src/schema/openapi.yaml'))) {
      continue;
    }
    const pkg = JSON.parse(
      fs.readFileSync(path.join(pluginDir, 'package.json'), 'utf8'),
    );
    const spec = loadOpenApiSpec(pkg.name);
    const pluginId: string = pkg.backstage.pluginId;
    for (const [specPath, operations] of Object.entries<any>(spec.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const operation = operations[method];
        if (!operation) continue;
        const security = operation.security ?? spec.security;
        routes.push({
          pluginId,
          method,
          specPath,
          name: `${method.toUpperCase()} /api/${pluginId}${specPath}`,
          unauthenticated: Array.isArray(security) && security.length === 0,
        });
      }
    }
  }
  return routes;
}

const ROUTES = specRoutes();

/**
 * Routes any signed-in user may call without a permission, and why. Everything else must
 * answer 403 to a user whom the policy allows nothing.
 */
const CREDENTIALS_ONLY: Record<string, string> = {
  'GET /api/aiops-ingest/alerts':
    'the alert feed correlation reads and the UI lists; alert text is not access-controlled',
  'GET /api/aiops-ingest/deployments': 'deployments, as alerts',
  'GET /api/aiops-ingest/series': 'telemetry rollups shown on entity pages',
  'GET /api/aiops-ingest/exemplars':
    'error logs and spans shown on entity pages',
  'GET /api/aiops-ingest/topology': 'observed call edges',
  'GET /api/aiops-correlation/silences':
    'every signed-in user may see what is muted (docs/threat-model.md)',
  'GET /api/aiops-correlation/silences/{id}': 'as the silence list',
  'POST /api/aiops-regression/analyze':
    "change points of the caller's own series: reads no data of the suite",
};

/**
 * Routes that take a signature over the body and nothing else: any token, a user's included,
 * is no credential there, so a user without a permission still gets 401.
 */
const SIGNATURE_ONLY: Record<string, string> = {
  'POST /api/aiops-ingest/deployments/github':
    'GitHub webhooks are verified by X-Hub-Signature-256 alone',
};

/** Bodies that pass the spec, so that the request reaches the permission check. */
const SAMPLE_BODIES: Record<string, object> = {
  'POST /api/aiops-correlation/incidents/{id}/notes': { text: 'audit note' },
  'POST /api/aiops-correlation/incidents/{id}/merge': { into: 'inc-other' },
  'POST /api/aiops-retrieval/search': { query: 'redis down' },
  'POST /api/aiops-regression/analyze': {
    values: Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 2)),
  },
  'POST /api/aiops-deploy-risk/assessments': {
    entityRef: 'component:default/cart',
    version: '1.0.0',
    environment: 'production',
  },
  'POST /api/aiops-correlation/silences': {
    matchers: [{ name: 'entity', value: 'component:default/cart' }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
    comment: 'audit',
  },
};

const PATH_PARAMETERS: Record<string, string> = {
  id: 'inc-unknown',
  entityRef: encodeURIComponent('component:default/cart'),
};

function urlOf(route: Route, parameters: Record<string, string> = {}) {
  const values = { ...PATH_PARAMETERS, ...parameters };
  return `/api/${route.pluginId}${route.specPath.replace(
    /\{(\w{1,40})\}/g,
    (_, name: string) => {
      if (!(name in values)) {
        throw new Error(`${route.name}: no value for path parameter ${name}`);
      }
      return values[name];
    },
  )}`;
}

/** Who belongs where: the claims Backstage's sign-in would give each user. */
const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/jo.checkout': ['group:default/checkout-team'],
  'user:default/ana.platform': ['group:default/platform-team'],
  'user:default/sam.admin': ['group:default/sre-admins'],
};
const asUser = (ref: string) => mockCredentials.user.header(ref);
const asService = mockCredentials.service.header();

/**
 * Backstage's permission service as the permission backend answers it: service principals are
 * allowed outright, users get the policy's decision with their ownership claims; `authorize`
 * (basic permissions) cannot take a conditional decision and treats one as a denial.
 */
function policyPermissions(policy: () => PermissionPolicy): PermissionsService {
  const decide = async (
    permission: any,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as
      | BackstageUserPrincipal
      | BackstageServicePrincipal;
    if (principal.type !== 'user') return { result: AuthorizeResult.ALLOW };
    const { userEntityRef } = principal;
    const ownershipEntityRefs = [
      userEntityRef,
      ...(MEMBERSHIPS[userEntityRef] ?? []),
    ];
    const user = {
      identity: { type: 'user', userEntityRef, ownershipEntityRefs },
      info: { userEntityRef, ownershipEntityRefs },
      credentials,
      token: 'audit',
    } as unknown as PolicyQueryUser;
    return policy().handle({ permission }, user);
  };
  return {
    authorize: async (requests, { credentials }) =>
      Promise.all(
        requests.map(async ({ permission }) => {
          const decision = await decide(permission, credentials);
          return {
            result:
              decision.result === AuthorizeResult.ALLOW
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        }),
      ),
    authorizeConditional: async (requests, { credentials }) =>
      Promise.all(
        requests.map(({ permission }) => decide(permission, credentials)),
      ) as any,
  };
}

const denyAll: PermissionPolicy = {
  handle: async () => ({ result: AuthorizeResult.DENY }),
};
const suitePolicy = new AiopsPermissionPolicy({
  admins: ['group:default/sre-admins'],
});

/** Three unrelated services, two teams: no topology joins their incidents. */
const CATALOG: Entity[] = [
  ...(
    [
      ['component', 'cart', 'cartservice', 'checkout-team'],
      ['component', 'email', 'emailservice', 'checkout-team'],
      ['resource', 'redis-cart', 'redis-cart', 'platform-team'],
    ] as const
  ).map(([kind, name, service, owner]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'component' ? 'Component' : 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'aiops/service-name': service },
    },
    spec: { type: 'service', owner: `group:default/${owner}` },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  })),
  ...['checkout-team', 'platform-team', 'sre-admins'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
];

const staticCatalog = {
  queryEntities: async () => ({
    items: CATALOG,
    totalItems: CATALOG.length,
    pageInfo: {},
  }),
} as unknown as ConstructorParameters<
  typeof CatalogEntityResolver
>[0]['catalog'];

describe('authorization audit of every route in the OpenAPI specs', () => {
  let policy: PermissionPolicy = denyAll;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  // Correlation's tick runs when the test says so; ingest's events reach it in process.
  const scheduler = mockServices.scheduler();

  beforeAll(async () => {
    const events = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    backend = await startTestBackend({
      features: [
        aiopsIngest,
        aiopsCorrelation,
        aiopsNarrator,
        aiopsRetrieval,
        aiopsRegression,
        aiopsDeployRisk,
        (scheduler as unknown as { factory(): ServiceFactory }).factory(),
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        // No credentials means none, not a default user.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () => policyPermissions(() => policy),
        }),
        createServiceFactory({
          service: entityResolverServiceRef,
          deps: { auth: coreServices.auth, logger: coreServices.logger },
          factory: ({ auth, logger }) =>
            new CatalogEntityResolver({ catalog: staticCatalog, auth, logger }),
        }),
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://backstage.example' } },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const send = (
    route: Route,
    options: {
      authorization?: string;
      parameters?: Record<string, string>;
      body?: object;
    } = {},
  ) => {
    let test = request(backend.server)[route.method](
      urlOf(route, options.parameters),
    );
    if (options.authorization) {
      test = test.set('authorization', options.authorization);
    }
    if (route.method === 'get' || route.method === 'delete') return test;
    return test
      .set('content-type', 'application/json')
      .send(JSON.stringify(options.body ?? SAMPLE_BODIES[route.name] ?? {}));
  };

  it('finds the routes of every backend plugin', () => {
    expect(new Set(ROUTES.map(route => route.pluginId))).toEqual(
      new Set([
        'aiops-ingest',
        'aiops-correlation',
        'aiops-narrator',
        'aiops-retrieval',
        'aiops-regression',
        'aiops-deploy-risk',
      ]),
    );
    // The tables name only routes that exist, so a renamed route cannot keep an exemption.
    const names = new Set(ROUTES.map(route => route.name));
    for (const name of [
      ...Object.keys(CREDENTIALS_ONLY),
      ...Object.keys(SIGNATURE_ONLY),
      ...Object.keys(SAMPLE_BODIES),
    ]) {
      expect({ name, inSpec: names.has(name) }).toEqual({ name, inSpec: true });
    }
  });

  it('answers 401 without credentials on every route not marked unauthenticated', async () => {
    policy = denyAll;
    const answers: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const route of ROUTES.filter(r => !r.unauthenticated)) {
      answers[route.name] = (await send(route)).status;
      expected[route.name] = 401;
    }
    expect(answers).toEqual(expected);
  });

  it('answers 403 to a user the policy allows nothing, except on credentials-only routes', async () => {
    policy = denyAll;
    const who = asUser('user:default/jo.checkout');
    const answers: Record<string, number | string> = {};
    const expected: Record<string, number | string> = {};
    for (const route of ROUTES) {
      const { status } = await send(route, { authorization: who });
      if (route.name in SIGNATURE_ONLY) {
        answers[route.name] = status;
        expected[route.name] = 401;
      } else if (route.name in CREDENTIALS_ONLY) {
        // Allowed past authorization: whatever it answers, it is not a refusal or a crash.
        answers[route.name] =
          status === 401 || status === 403 || status >= 500
            ? status
            : 'not refused';
        expected[route.name] = 'not refused';
      } else {
        // Ingest's receivers included: a user sends signals only with aiops.signal.create.
        answers[route.name] = status;
        expected[route.name] = 403;
      }
    }
    expect(answers).toEqual(expected);
  });

  describe('with the suite policy', () => {
    const incidents: Record<'cart' | 'email' | 'redis', string> = {
      cart: '',
      email: '',
      redis: '',
    };

    beforeAll(async () => {
      policy = suitePolicy;
      const firing = (alertname: string, service: string) => ({
        status: 'firing',
        labels: { alertname, service, severity: 'critical' },
        annotations: { summary: `${alertname} on ${service}` },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: `${alertname}${service}`.toLowerCase(),
      });
      await request(backend.server)
        .post('/api/aiops-ingest/alerts/alertmanager')
        .set('authorization', asService)
        .send({
          version: '4',
          groupKey: '{}:{alertname="audit"}',
          status: 'firing',
          receiver: 'aiops',
          groupLabels: {},
          commonLabels: {},
          commonAnnotations: {},
          externalURL: 'http://alertmanager:9093',
          alerts: [
            firing('CartErrors', 'cartservice'),
            firing('EmailBounces', 'emailservice'),
            firing('RedisDown', 'redis-cart'),
          ],
        })
        .expect(200);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await request(backend.server)
          .get('/api/aiops-correlation/incidents')
          .set('authorization', asService);
        const items: Array<{ id: string; primaryEntityRef: string }> =
          res.body.items ?? [];
        const idOf = (ref: string) =>
          items.find(i => i.primaryEntityRef === ref)?.id ?? '';
        incidents.cart = idOf('component:default/cart');
        incidents.email = idOf('component:default/email');
        incidents.redis = idOf('resource:default/redis-cart');
        if (incidents.cart && incidents.email && incidents.redis) break;
        if (Date.now() > deadline) {
          throw new Error(`incidents not opened: ${JSON.stringify(items)}`);
        }
        await scheduler.triggerTask('aiops-correlation-tick');
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    });

    /** The routes that act on one incident: acknowledge, resolve, reopen, notes, merge, … */
    const actions = () =>
      ROUTES.filter(
        route =>
          route.pluginId === 'aiops-correlation' &&
          route.method === 'post' &&
          route.specPath.startsWith('/incidents/{id}/'),
      );

    const statusOf = async (id: string) =>
      (
        await request(backend.server)
          .get(`/api/aiops-correlation/incidents/${id}`)
          .set('authorization', asService)
      ).body.incident?.status;

    it("lets no user act on another team's incident, and changes nothing", async () => {
      expect(actions().map(route => route.specPath)).toEqual(
        expect.arrayContaining([
          '/incidents/{id}/acknowledge',
          '/incidents/{id}/resolve',
          '/incidents/{id}/notes',
          '/incidents/{id}/merge',
        ]),
      );
      const jo = 'user:default/jo.checkout';
      const ana = 'user:default/ana.platform';
      const attempts = actions().flatMap(route => {
        const merge = route.specPath.endsWith('/merge');
        return [
          { route, who: jo, id: incidents.redis, into: incidents.cart },
          { route, who: ana, id: incidents.cart, into: incidents.redis },
          // A merge needs the permission on both: owning the source is not enough.
          ...(merge
            ? [{ route, who: jo, id: incidents.cart, into: incidents.redis }]
            : []),
        ].map(attempt => ({ ...attempt, merge }));
      });
      const answers: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const { route, who, id, into, merge } of attempts) {
        const key = `${who} ${route.specPath} ${id}${
          merge ? ` into ${into}` : ''
        }`;
        const res = await send(route, {
          authorization: asUser(who),
          parameters: { id },
          body: merge ? { into } : undefined,
        });
        answers[key] = res.status;
        expected[key] = 403;
      }
      expect(answers).toEqual(expected);
      expect(await statusOf(incidents.redis)).toBe('open');
      expect(await statusOf(incidents.cart)).toBe('open');
    });

    it('lets a user read any incident', async () => {
      const res = await request(backend.server)
        .get(`/api/aiops-correlation/incidents/${incidents.redis}`)
        .set('authorization', asUser('user:default/jo.checkout'));
      expect(res.status).toBe(200);
    });

    it("lets the owning team act on its incidents, and administrators on anyone's", async () => {
      // In the spec's order: acknowledge, resolve, reopen, notes, then merging email's
      // incident into cart's, both the checkout team's.
      const answers: Record<string, number | string> = {};
      const expected: Record<string, number | string> = {};
      for (const route of actions()) {
        const merge = route.specPath.endsWith('/merge');
        const res = await send(route, {
          authorization: asUser('user:default/jo.checkout'),
          parameters: { id: merge ? incidents.email : incidents.cart },
          body: merge ? { into: incidents.cart } : undefined,
        });
        answers[route.specPath] =
          res.status >= 200 && res.status < 300 ? 'done' : res.status;
        expected[route.specPath] = 'done';
      }
      expect(answers).toEqual(expected);

      const admin = await request(backend.server)
        .post(`/api/aiops-correlation/incidents/${incidents.redis}/acknowledge`)
        .set('authorization', asUser('user:default/sam.admin'));
      expect(admin.status).toBe(200);
    });
  });
});
