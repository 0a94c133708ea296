import type {
  Deployment,
  IncidentAlertLink,
  IncidentDetails,
  Regression,
} from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '../keying/EntityIndex';
import type { FactsInput } from '../narrative/facts';

/*
 * The incident of the example: Redis (cart) fails at 07:04 UTC, three minutes after
 * cart 2.790.23 was deployed; cart, checkout and frontend alert after it.
 */

function entity(
  ref: string,
  fields: Partial<CatalogEntitySummary> = {},
): CatalogEntitySummary {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    entityRef: ref,
    kind,
    namespace,
    name,
    annotations: {},
    dependsOn: [],
    dependencyOf: [],
    providesApis: [],
    consumesApis: [],
    ...fields,
  };
}

export const CART_CATALOG: CatalogEntitySummary[] = [
  entity('resource:default/redis-cart', {
    title: 'Redis (cart)',
    owner: 'group:default/platform-team',
    system: 'system:default/online-boutique',
    dependencyOf: ['component:default/cart'],
  }),
  entity('component:default/cart', {
    title: 'Cart',
    owner: 'group:default/checkout-team',
    system: 'system:default/online-boutique',
    annotations: { 'aiops/runbook-url': 'https://runbooks.acme.example/cart' },
    dependsOn: ['resource:default/redis-cart'],
    dependencyOf: ['component:default/checkout', 'component:default/frontend'],
  }),
  entity('component:default/checkout', {
    title: 'Checkout',
    owner: 'group:default/checkout-team',
    system: 'system:default/online-boutique',
    dependsOn: ['component:default/cart'],
    dependencyOf: ['component:default/frontend', 'component:default/email'],
  }),
  entity('component:default/frontend', {
    owner: 'group:default/storefront-team',
    system: 'system:default/online-boutique',
    dependsOn: ['component:default/cart', 'component:default/checkout'],
  }),
  entity('component:default/email', {
    owner: 'group:default/checkout-team',
    dependsOn: ['component:default/checkout'],
  }),
  entity('component:default/payment', {
    title: 'Payment',
    owner: 'group:default/payments-team',
  }),
  entity('component:default/payment-gateway', {
    title: 'Payment Gateway',
    owner: 'group:default/payments-team',
  }),
  entity('group:default/platform-team', { title: 'Platform' }),
  entity('group:default/checkout-team', { title: 'Checkout' }),
  entity('group:default/storefront-team', { title: 'Storefront' }),
  entity('group:default/payments-team', { title: 'Payments Platform' }),
  entity('system:default/online-boutique', { title: 'Online Boutique' }),
];

export const lookup =
  (catalog: CatalogEntitySummary[]) =>
  (ref: string): CatalogEntitySummary | undefined =>
    catalog.find(e => e.entityRef === ref);

const at = (hhmmss: string) => `2026-11-20T${hhmmss}.000Z`;

function alert(
  id: string,
  name: string,
  entityRef: string,
  startsAt: string,
  role: IncidentAlertLink['role'] = 'member',
): IncidentAlertLink {
  return {
    alertId: id,
    role,
    attachedAt: startsAt,
    details: {
      name,
      title: name,
      entityRef,
      severity: 'critical',
      status: 'firing',
      startsAt,
      lastSeenAt: startsAt,
    },
  };
}

export const CART_DEPLOYMENT: Deployment = {
  id: 'dep-cart-2790',
  source: 'argocd',
  externalId: 'argo-1',
  resolution: {
    status: 'resolved',
    entityRef: 'component:default/cart',
    owner: 'group:default/checkout-team',
    matchedBy: 'test',
  },
  environment: 'production',
  version: '2.790.23',
  previousVersion: '2.790.22',
  status: 'succeeded',
  startedAt: at('07:01:10'),
  finishedAt: at('07:02:00'),
};

export const CART_REGRESSION: Regression = {
  id: 'reg-cart-latency',
  entityRef: 'component:default/cart',
  metric: 'latency_p99',
  direction: 'increase',
  detectedAt: at('07:10:00'),
  changePointAt: at('07:04:00'),
  before: { mean: 120, n: 30 },
  after: { mean: 480, n: 12 },
  relativeChange: 3,
  pValue: 0.001,
  deploymentId: 'dep-cart-2790',
};

export function cartIncidentDetails(): IncidentDetails {
  return {
    incident: {
      id: 'inc-1',
      title: 'redis-cart: RedisDown (+5 related alerts)',
      status: 'open',
      severity: 'critical',
      primaryEntityRef: 'resource:default/redis-cart',
      affectedEntityRefs: [
        'component:default/cart',
        'component:default/checkout',
        'component:default/frontend',
        'resource:default/redis-cart',
      ],
      owner: 'group:default/platform-team',
      system: 'system:default/online-boutique',
      correlationKey: 'k',
      ruleVersions: [],
      alertIds: [
        'a-redis',
        'a-cart-1',
        'a-cart-2',
        'a-checkout',
        'a-front-1',
        'a-front-2',
      ],
      findings: [],
      rootCauseCandidates: [
        {
          entityRef: 'resource:default/redis-cart',
          score: 0.87,
          reasons: [
            'no other affected entity is upstream of it',
            'upstream of cart, checkout and frontend',
            'earliest onset',
          ],
          evidence: [{ kind: 'alert', id: 'a-redis' }],
        },
        {
          entityRef: 'component:default/cart',
          score: 0.41,
          reasons: ['deployed 2.790.23 3 min before its first alert'],
          evidence: [
            { kind: 'deployment', id: 'dep-cart-2790' },
            { kind: 'alert', id: 'a-cart-1' },
          ],
        },
      ],
      openedAt: at('07:04:40'),
      updatedAt: at('07:09:00'),
    },
    alerts: [
      alert(
        'a-redis',
        'RedisDown',
        'resource:default/redis-cart',
        at('07:04:05'),
      ),
      alert(
        'a-cart-1',
        'CartServiceErrorRate',
        'component:default/cart',
        at('07:04:20'),
      ),
      alert(
        'a-cart-2',
        'CartServiceLatency',
        'component:default/cart',
        at('07:05:00'),
      ),
      alert(
        'a-checkout',
        'PlaceOrderErrors',
        'component:default/checkout',
        at('07:06:00'),
      ),
      alert(
        'a-front-1',
        'Frontend5xx',
        'component:default/frontend',
        at('07:06:30'),
      ),
      alert(
        'a-front-2',
        'Frontend5xx',
        'component:default/frontend',
        at('07:07:00'),
        'suppressed',
      ),
    ],
    findings: [
      {
        key: 'root-cause',
        finding: {
          rule: 'topology-root-cause@1',
          summary:
            'redis-cart is the most likely root cause (score 0.87): no other affected entity is upstream of it',
          evidence: [{ kind: 'alert', id: 'a-redis' }],
          confidence: 0.74,
        },
        updatedAt: at('07:05:00'),
      },
      {
        key: 'deploy:dep-cart-2790',
        finding: {
          rule: 'deploy-linked@1',
          summary:
            'cart 2.790.23 was deployed at 2026-11-20T07:01:10.000Z (deployment dep-cart-2790), 3 min before the first alert on cart',
          evidence: [
            { kind: 'deployment', id: 'dep-cart-2790' },
            { kind: 'alert', id: 'a-cart-1' },
          ],
          confidence: 0.86,
        },
        updatedAt: at('07:05:00'),
      },
      {
        key: 'topology',
        finding: {
          rule: 'topology-grouping@1',
          summary:
            '6 alerts on 4 related entities grouped around redis-cart: cart depends on it (1 hop); checkout depends on it (2 hops); frontend depends on it (2 hops)',
          evidence: [
            { kind: 'entity', id: 'component:default/cart' },
            { kind: 'entity', id: 'component:default/checkout' },
          ],
          confidence: 0.8,
        },
        updatedAt: at('07:06:00'),
      },
    ],
    timeline: [],
    alertDetails: 'available',
  };
}

export function cartFactsInput(
  overrides: Partial<FactsInput> = {},
): FactsInput {
  return {
    details: cartIncidentDetails(),
    deployments: [CART_DEPLOYMENT],
    regressions: [CART_REGRESSION],
    catalog: lookup(CART_CATALOG),
    ...overrides,
  };
}

export const CART_KNOWN_ENTITIES = CART_CATALOG.map(e => ({
  ref: e.entityRef,
  name: e.name,
  title: e.title,
}));
