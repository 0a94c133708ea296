import type { DeploymentSource, Severity } from '@aiops/plugin-aiops-common';
import type { ObservedEdge } from '../service/topology';

/** One alert identity of a scripted storm; times are minutes after the scenario starts. */
export interface ScriptedAlert {
  id: string;
  /** Entity name in the demo catalog (`cart`, `redis-cart`, …). */
  entity: string;
  title: string;
  severity: Severity;
  /** Firing episodes `[from, to]`; `to` undefined: still firing at the end. */
  episodes: Array<[number, number | undefined]>;
  /** Labels the sender adds to `alertname`, `service` and `pod` (e.g. `reason`). */
  labels?: Record<string, string>;
  /** The sender's clock is this many minutes ahead: its `startsAt`/`endsAt` lie in the future. */
  clockSkewMin?: number;
}

export interface Scenario {
  name: string;
  /** The failure class of issue [L] it reproduces, when it reproduces one. */
  failureClass?: string;
  description: string;
  /** Storms count towards the compression target. */
  storm: boolean;
  alerts: ScriptedAlert[];
  deployments?: Array<{
    id: string;
    entity: string;
    version: string;
    at: number;
    /** `pagerduty-change` for a change event a CI tool sent; a deployment otherwise. */
    source?: DeploymentSource;
    summary?: string;
  }>;
  /** Maintenance windows silencing every alert on these entities. */
  silences?: Array<{
    id: string;
    entities: string[];
    from: number;
    to: number;
  }>;
  observedEdges?: Array<{ caller: string; callee: string }>;
  /** What a good on-call engineer would want to see. */
  expected: {
    incidents: Array<{ name: string; alertIds: string[]; rootCause: string }>;
    /**
     * Incidents must open within this many minutes of their first delivery (default 1): a
     * group held on a sender's clock counts as late.
     */
    maxOpenDelayMin?: number;
    /** Alerts that must open nothing (silenced, already over). */
    noIncident?: string[];
    /** Findings each named incident must carry (rule prefixes). */
    findings?: Record<string, string[]>;
  };
}

/** `n` per-pod alerts on one entity, like a storm from a replicated deployment. */
export function pods(
  prefix: string,
  entity: string,
  title: string,
  severity: Severity,
  start: number,
  count: number,
  end?: number,
): ScriptedAlert[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i + 1}`,
    entity,
    title,
    severity,
    episodes: [[start + i * 0.5, end]],
  }));
}

export const ids = (alerts: ScriptedAlert[]) => alerts.map(a => a.id);

const cascade = {
  frontendEarly: pods(
    'frontend-latency',
    'frontend',
    'FrontendLatencyHigh',
    'warning',
    2,
    1,
    30,
  ),
  cart: pods('cart-errors', 'cart', 'CartServiceErrorRate', 'error', 3, 4, 30),
  cartLatency: pods(
    'cart-latency',
    'cart',
    'CartServiceLatency',
    'warning',
    3.5,
    2,
    30,
  ),
  checkout: pods(
    'checkout-errors',
    'checkout',
    'PlaceOrderErrors',
    'error',
    4,
    3,
    30,
  ),
  frontend: pods(
    'frontend-5xx',
    'frontend',
    'Frontend5xx',
    'critical',
    5,
    3,
    30,
  ),
};

const ledger = {
  balance: pods(
    'balance-errors',
    'balance-reader',
    'BalanceReaderErrors',
    'error',
    1,
    3,
    40,
  ),
  history: pods(
    'history-errors',
    'transaction-history',
    'TransactionHistoryErrors',
    'error',
    1,
    3,
    40,
  ),
  writer: pods(
    'writer-errors',
    'ledger-writer',
    'LedgerWriterErrors',
    'error',
    2,
    2,
    40,
  ),
  db: pods(
    'ledger-db-conns',
    'ledger-db',
    'PostgresConnectionsSaturated',
    'critical',
    3,
    1,
    40,
  ),
  gateway: pods(
    'gateway-errors',
    'payment-gateway',
    'GatewayChargeErrors',
    'error',
    3,
    2,
    40,
  ),
  payment: pods(
    'payment-errors',
    'payment',
    'PaymentChargeFailures',
    'error',
    4,
    2,
    40,
  ),
};

const unrelated = {
  ad: pods('ad-errors', 'ad', 'AdServiceErrors', 'error', 1, 3, 20),
  shipping: pods(
    'shipping-latency',
    'shipping',
    'ShippingQuoteLatency',
    'warning',
    1.5,
    3,
    20,
  ),
  history: pods(
    'history-slow',
    'transaction-history',
    'TransactionHistorySlow',
    'warning',
    2,
    2,
    20,
  ),
  email: pods(
    'email-errors',
    'email',
    'EmailSendFailures',
    'error',
    2.5,
    2,
    20,
  ),
};

const redis = {
  redis: pods('redis-down', 'redis-cart', 'RedisDown', 'critical', 2, 1, 25),
  cart: pods(
    'cart-unavailable',
    'cart',
    'CartServiceUnavailable',
    'critical',
    1,
    3,
    25,
  ),
  checkout: pods(
    'checkout-cart-errors',
    'checkout',
    'PlaceOrderErrors',
    'error',
    2,
    3,
    25,
  ),
  frontend: pods(
    'frontend-cart-errors',
    'frontend',
    'Frontend5xx',
    'error',
    3,
    3,
    25,
  ),
};

const flapping: ScriptedAlert[] = [
  {
    id: 'gateway-latency-flap',
    entity: 'payment-gateway',
    title: 'GatewayLatencyHigh',
    severity: 'warning',
    // Two minutes firing, eight quiet, six times: each quiet spell outlasts the quiet period.
    episodes: [0, 10, 20, 30, 40, 50].map(t => [t, t + 2] as [number, number]),
  },
  {
    id: 'gateway-saturation-flap',
    entity: 'payment-gateway',
    title: 'GatewayThreadPoolSaturated',
    severity: 'warning',
    episodes: [1, 11, 21, 31, 41, 51].map(
      t => [t, t + 1.5] as [number, number],
    ),
  },
];

const maintenance = {
  redis: pods(
    'maint-redis-down',
    'redis-cart',
    'RedisDown',
    'critical',
    5,
    1,
    25,
  ),
  cart: pods(
    'maint-cart-errors',
    'cart',
    'CartServiceErrorRate',
    'error',
    6,
    4,
    25,
  ),
  checkout: pods(
    'maint-checkout-errors',
    'checkout',
    'PlaceOrderErrors',
    'error',
    7,
    2,
    25,
  ),
  currency: pods(
    'currency-errors',
    'currency',
    'CurrencyConvertErrors',
    'error',
    45,
    2,
    60,
  ),
};

export const SCENARIOS: Scenario[] = [
  {
    name: 'bad-deploy-cascade',
    description:
      'cart 2.4.0 ships a bug; cart errors spread to checkout and frontend. A frontend latency warning fires before the first cart alert; an unrelated ad deploy happened earlier.',
    storm: true,
    deployments: [
      { id: 'deploy-ad-1', entity: 'ad', version: '1.9.0', at: -20 },
      { id: 'deploy-cart-7', entity: 'cart', version: '2.4.0', at: 0 },
    ],
    alerts: Object.values(cascade).flat(),
    expected: {
      incidents: [
        {
          name: 'cart cascade',
          alertIds: Object.values(cascade).flatMap(ids),
          rootCause: 'component:default/cart',
        },
      ],
      findings: {
        'cart cascade': [
          'deploy-linked@',
          'topology-root-cause@',
          'topology-grouping@',
        ],
      },
    },
  },
  {
    name: 'shared-resource-outage',
    description:
      'ledger-db saturates; balance-reader and transaction-history (which share it) fail first, the database alert arrives later, and the failure climbs to ledger-writer, payment-gateway and payment.',
    storm: true,
    alerts: Object.values(ledger).flat(),
    expected: {
      incidents: [
        {
          name: 'ledger-db outage',
          alertIds: Object.values(ledger).flatMap(ids),
          rootCause: 'resource:default/ledger-db',
        },
      ],
    },
  },
  {
    name: 'shared-resource-no-resource-alert',
    description:
      'The same ledger-db failure, but the database has no alert of its own: the root cause must be inferred from the shared dependency.',
    storm: false,
    alerts: [...ledger.balance, ...ledger.history, ...ledger.writer],
    expected: {
      incidents: [
        {
          name: 'ledger-db outage (inferred)',
          alertIds: ids([
            ...ledger.balance,
            ...ledger.history,
            ...ledger.writer,
          ]),
          rootCause: 'resource:default/ledger-db',
        },
      ],
    },
  },
  {
    name: 'redis-outage-undeclared-call',
    description:
      'redis-cart goes down; traces show checkout calling redis-cart directly, which the catalog does not declare. Cart alerts fire before the Redis alert.',
    storm: true,
    observedEdges: [
      { caller: 'cart', callee: 'redis-cart' },
      { caller: 'checkout', callee: 'redis-cart' },
      { caller: 'checkout', callee: 'cart' },
      { caller: 'frontend', callee: 'checkout' },
    ],
    alerts: Object.values(redis).flat(),
    expected: {
      incidents: [
        {
          name: 'redis outage',
          alertIds: Object.values(redis).flatMap(ids),
          rootCause: 'resource:default/redis-cart',
        },
      ],
      findings: { 'redis outage': ['observed-topology@'] },
    },
  },
  {
    name: 'unrelated-simultaneous-failures',
    description:
      'ad, shipping, email (Online Boutique) and transaction-history (Payments Platform) fail within two minutes of each other for unrelated reasons. They share callers (frontend, checkout) but no dependency.',
    storm: false,
    alerts: Object.values(unrelated).flat(),
    expected: {
      incidents: [
        {
          name: 'ad',
          alertIds: ids(unrelated.ad),
          rootCause: 'component:default/ad',
        },
        {
          name: 'shipping',
          alertIds: ids(unrelated.shipping),
          rootCause: 'component:default/shipping',
        },
        {
          name: 'transaction-history',
          alertIds: ids(unrelated.history),
          rootCause: 'component:default/transaction-history',
        },
        {
          name: 'email',
          alertIds: ids(unrelated.email),
          rootCause: 'component:default/email',
        },
      ],
    },
  },
  {
    name: 'flapping',
    description:
      'Two payment-gateway warnings flap for an hour, each quiet spell longer than the quiet period.',
    storm: false,
    alerts: flapping,
    expected: {
      incidents: [
        {
          name: 'gateway flapping',
          alertIds: ids(flapping),
          rootCause: 'component:default/payment-gateway',
        },
      ],
      findings: { 'gateway flapping': ['flap-detection@'] },
    },
  },
  {
    name: 'maintenance-window',
    description:
      'redis-cart is restarted in a maintenance window silencing redis-cart, cart and checkout; the alerts it causes open nothing. A currency failure after the window is a real incident.',
    storm: false,
    silences: [
      {
        id: 'maint-redis',
        entities: ['redis-cart', 'cart', 'checkout'],
        from: 0,
        to: 30,
      },
    ],
    alerts: Object.values(maintenance).flat(),
    expected: {
      incidents: [
        {
          name: 'currency',
          alertIds: ids(maintenance.currency),
          rootCause: 'component:default/currency',
        },
      ],
      noIncident: [
        maintenance.redis,
        maintenance.cart,
        maintenance.checkout,
      ].flatMap(ids),
    },
  },
];

export type { ObservedEdge };
