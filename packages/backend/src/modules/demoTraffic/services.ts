/**
 * The demo catalog (examples/entities.yaml) as the telemetry sees it: each entity with the
 * runtime name its signals carry. Those names are the entities' keying annotations, so every
 * signal keys to its entity the way a real installation's would.
 */
export interface DemoService {
  /** The catalog entity the name keys to (for tests and docs; never sent). */
  entityRef: string;
  /** `service.name` of its telemetry. */
  serviceName: string;
  /** How the catalog knows that name. */
  keyedBy: string;
  namespace: 'boutique' | 'payments';
  language: string;
  /** The version it runs when no storyline deploys it. */
  version: string;
  port: number;
  /** Typical CPU utilisation (0–1) and resident memory (MiB). */
  cpu: number;
  memoryMiB: number;
}

function service(
  entityRef: string,
  serviceName: string,
  keyedBy: string,
  details: Omit<DemoService, 'entityRef' | 'serviceName' | 'keyedBy'>,
): DemoService {
  return { entityRef, serviceName, keyedBy, ...details };
}

// prettier-ignore
export const SERVICES = {
  frontend: service('component:default/frontend', 'frontend', 'aiops/service-name', { namespace: 'boutique', language: 'go', version: 'v0.10.2', port: 8080, cpu: 0.18, memoryMiB: 96 }),
  cart: service('component:default/cart', 'cartservice', 'aiops/service-name', { namespace: 'boutique', language: 'dotnet', version: 'v2.0.0', port: 7070, cpu: 0.12, memoryMiB: 160 }),
  productcatalog: service('component:default/productcatalog', 'productcatalogservice', 'backstage.io/kubernetes-id', { namespace: 'boutique', language: 'go', version: 'v0.10.2', port: 3550, cpu: 0.08, memoryMiB: 48 }),
  currency: service('component:default/currency', 'currencyservice', 'aiops/service-name', { namespace: 'boutique', language: 'nodejs', version: 'v0.10.2', port: 7000, cpu: 0.22, memoryMiB: 88 }),
  payment: service('component:default/payment', 'paymentservice', 'sentry.io/project-slug', { namespace: 'boutique', language: 'nodejs', version: 'v0.10.2', port: 50051, cpu: 0.05, memoryMiB: 72 }),
  shipping: service('component:default/shipping', 'shippingservice', 'datadoghq.com/service-name', { namespace: 'boutique', language: 'go', version: 'v0.10.2', port: 50051, cpu: 0.04, memoryMiB: 32 }),
  email: service('component:default/email', 'emailservice', 'aiops/service-name', { namespace: 'boutique', language: 'python', version: 'v0.10.2', port: 8080, cpu: 0.06, memoryMiB: 110 }),
  checkout: service('component:default/checkout', 'checkoutservice', 'prometheus.io/service-name', { namespace: 'boutique', language: 'go', version: 'v0.10.2', port: 5050, cpu: 0.07, memoryMiB: 40 }),
  recommendation: service('component:default/recommendation', 'recommendationservice', 'aiops/service-name', { namespace: 'boutique', language: 'python', version: 'v0.10.2', port: 8080, cpu: 0.14, memoryMiB: 140 }),
  ad: service('component:default/ad', 'adservice', 'aiops/service-name', { namespace: 'boutique', language: 'java', version: 'v0.10.2', port: 9555, cpu: 0.1, memoryMiB: 300 }),
  redisCart: service('resource:default/redis-cart', 'redis-cart', 'aiops/service-name', { namespace: 'boutique', language: 'c', version: '7.2.4', port: 6379, cpu: 0.05, memoryMiB: 24 }),
  paymentGateway: service('component:default/payment-gateway', 'payment-gateway', 'aiops/service-name', { namespace: 'payments', language: 'java', version: 'v3.4.1', port: 8080, cpu: 0.2, memoryMiB: 512 }),
  ledgerWriter: service('component:default/ledger-writer', 'ledgerwriter', 'aiops/service-name', { namespace: 'payments', language: 'java', version: 'v1.9.0', port: 8080, cpu: 0.15, memoryMiB: 420 }),
  balanceReader: service('component:default/balance-reader', 'balancereader', 'aiops/service-name', { namespace: 'payments', language: 'java', version: 'v1.9.0', port: 8080, cpu: 0.1, memoryMiB: 380 }),
  transactionHistory: service('component:default/transaction-history', 'transactionhistory', 'aiops/service-name', { namespace: 'payments', language: 'java', version: 'v1.9.0', port: 8080, cpu: 0.09, memoryMiB: 360 }),
  ledgerDb: service('resource:default/ledger-db', 'ledger-db', 'aiops/service-name', { namespace: 'payments', language: 'c', version: '16.2', port: 5432, cpu: 0.25, memoryMiB: 2048 }),
} as const;

export type ServiceId = keyof typeof SERVICES;
export const SERVICE_IDS = Object.keys(SERVICES) as ServiceId[];

/** Services that run instrumented code (the two Resources are only called, through peers). */
export const INSTRUMENTED: ReadonlySet<ServiceId> = new Set(
  SERVICE_IDS.filter(id => id !== 'redisCart' && id !== 'ledgerDb'),
);
