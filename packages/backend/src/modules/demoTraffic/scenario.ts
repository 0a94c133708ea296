import { type PagerDutyChangeEvent, changeEventsAt } from './changeEvents';
import { createPrng, mixSeed, type Prng } from './prng';
import {
  type Attributes,
  type OtlpLogRecord,
  type OtlpLogs,
  type OtlpMetric,
  type OtlpMetrics,
  type OtlpSpan,
  type OtlpTraces,
  SEVERITY,
  SPAN_KIND,
  STATUS_CODE,
  type SeverityText,
  attributes,
  groupBy,
  microsToNanos,
  millisToNanos,
} from './otlp';
import {
  INSTRUMENTED,
  SERVICES,
  SERVICE_IDS,
  type ServiceId,
} from './services';
import {
  type AlertmanagerWebhook,
  type GenericAlertEvent,
  type GenericDeployment,
  alertmanagerWebhooksAt,
  cartBuggyBuildLive,
  cartVersionAt,
  deploymentsAt,
  genericAlertsAt,
  ledgerDiskUtilization,
  positionAt,
  redisStress,
  sendWindowMs,
  walArchiveFailing,
} from './storyline';

/**
 * The demo's synthetic telemetry for one tick: a pure function of the tick's time and the
 * options. Traces follow Online Boutique's real call graph into the Payments Platform; metrics,
 * logs, deployments and alerts follow the storyline in `storyline.ts`.
 */
export interface ScenarioOptions {
  /** Seeds the random generator; the same seed and time give the same payloads. */
  seed: number;
  /** Epoch ms at which storyline cycle 0 starts. */
  origin: number;
  /** Length of a tick: the tick at `time` covers (time - intervalMs, time]. */
  intervalMs: number;
  /** Frontend requests per minute at normal load (default 40). */
  requestsPerMinute?: number;
}

export interface TickPayloads {
  /** Epoch ms of the tick. */
  time: number;
  cycle: number;
  /** Milliseconds into the storyline cycle. */
  phase: number;
  /** `POST /deployments` body, when something deploys. */
  deployments?: { deployments: GenericDeployment[] };
  /** `POST /otlp/v1/traces` bodies; each holds whole traces, and stays well under 1 MiB. */
  traces: OtlpTraces[];
  /** `POST /otlp/v1/metrics` body. */
  metrics: OtlpMetrics;
  /** `POST /otlp/v1/logs` body. */
  logs: OtlpLogs;
  /** `POST /alerts/alertmanager` bodies, one per alert group. */
  alertmanager: AlertmanagerWebhook[];
  /** `POST /alerts` body (generic format), when an alert changes or repeats. */
  genericAlerts?: { alerts: GenericAlertEvent[] };
  /** `POST /changes/pagerduty` bodies, one event each (PagerDuty takes one per request). */
  changeEvents: PagerDutyChangeEvent[];
}

const DEFAULT_REQUESTS_PER_MINUTE = 40;
/** Transaction-history reads that come from outside the catalog (the bank's own app). */
const HISTORY_REQUESTS_PER_MINUTE = 6;
/** At most this many traces per tick, whatever the interval, and per traces request. */
const MAX_TRACES_PER_TICK = 400;
const TRACES_PER_REQUEST = 40;

// --- traces ---

interface RecordedSpan {
  service: ServiceId;
  span: OtlpSpan;
}

interface RecordedLog {
  service: ServiceId;
  record: OtlpLogRecord;
}

/** One trace being generated; times are microseconds, relative until `shift`. */
class TraceRecorder {
  readonly traceId: string;
  readonly spans: RecordedSpan[] = [];
  readonly logs: RecordedLog[] = [];
  startUs = 0;

  constructor(
    readonly rng: Prng,
    /** The storyline's state when the trace started. */
    readonly state: { stress: number; buggyCart: boolean; disk: number },
  ) {
    this.traceId = nonZeroHex(rng, 32);
  }

  spanId(): string {
    return nonZeroHex(this.rng, 16);
  }

  /** Moves the trace so that it starts at `startUs`. */
  shift(startUs: number) {
    this.startUs = startUs;
    const shiftNanos = (nanos: string) =>
      microsToNanos(Number(nanos.slice(0, -3)) + startUs);
    for (const recorded of this.spans) {
      recorded.span.startTimeUnixNano = shiftNanos(
        recorded.span.startTimeUnixNano,
      );
      recorded.span.endTimeUnixNano = shiftNanos(recorded.span.endTimeUnixNano);
    }
    for (const { record } of this.logs) {
      record.timeUnixNano = shiftNanos(record.timeUnixNano);
      record.observedTimeUnixNano = shiftNanos(record.observedTimeUnixNano);
    }
  }

  endUs(): number {
    return Math.max(
      ...this.spans.map(s => Number(s.span.endTimeUnixNano.slice(0, -3))),
    );
  }
}

function nonZeroHex(rng: Prng, length: number): string {
  const id = rng.hex(length);
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id;
}

interface CallOptions {
  name: string;
  /** Attributes on both halves of the call (rpc.*, http.*). */
  attributes?: Attributes;
  /** Attributes only on the server half. */
  serverAttributes?: Attributes;
  /** Status message on the caller's span when the callee fails. */
  clientError?: (serverError: string) => string;
  /** Extra status attributes of the call, by outcome. */
  outcomeAttributes?: (error: boolean) => Attributes;
}

/** A server span in progress: its own work advances `cursor`; calls happen one after another. */
class Handler {
  cursor: number;
  error?: string;

  constructor(
    readonly trace: TraceRecorder,
    readonly service: ServiceId,
    readonly spanId: string,
    startUs: number,
  ) {
    this.cursor = startUs;
  }

  get rng() {
    return this.trace.rng;
  }

  /** Spends about `medianMs` of the handler's own time. */
  work(medianMs: number, sigma = 0.35) {
    this.cursor += this.rng.lognormal(medianMs, sigma) * 1000;
  }

  fail(message: string) {
    this.error ??= message;
  }

  log(severity: SeverityText, body: string, extra: Attributes = {}) {
    const nanos = microsToNanos(this.cursor);
    this.trace.logs.push({
      service: this.service,
      record: {
        timeUnixNano: nanos,
        observedTimeUnixNano: nanos,
        severityNumber: SEVERITY[severity],
        severityText: severity,
        body: { stringValue: body },
        attributes: attributes(extra),
        traceId: this.trace.traceId,
        spanId: this.spanId,
      },
    });
  }

  /**
   * Calls an instrumented service: a CLIENT span here, a SERVER span there (its child), and the
   * callee's handler in between. Returns the error the caller saw, if any.
   */
  call(
    callee: ServiceId,
    options: CallOptions,
    handle: (h: Handler) => void,
  ): string | undefined {
    const { rng, trace } = this;
    const clientSpanId = trace.spanId();
    const clientStart = this.cursor;
    const serverStart = clientStart + rng.between(150, 600);
    const server = new Handler(trace, callee, trace.spanId(), serverStart);
    handle(server);
    const serverEnd = server.cursor + rng.between(20, 120);
    const clientEnd = serverEnd + rng.between(150, 600);
    const failed = server.error !== undefined;
    const calleeService = SERVICES[callee];

    trace.spans.push({
      service: callee,
      span: span({
        traceId: trace.traceId,
        spanId: server.spanId,
        parentSpanId: clientSpanId,
        name: options.name,
        kind: SPAN_KIND.SERVER,
        startUs: serverStart,
        endUs: serverEnd,
        attributes: {
          ...options.attributes,
          ...options.serverAttributes,
          ...options.outcomeAttributes?.(failed),
        },
        error: server.error,
      }),
    });
    const clientError = failed
      ? options.clientError?.(server.error!) ?? server.error
      : undefined;
    trace.spans.push({
      service: this.service,
      span: span({
        traceId: trace.traceId,
        spanId: clientSpanId,
        parentSpanId: this.spanId,
        name: options.name,
        kind: SPAN_KIND.CLIENT,
        startUs: clientStart,
        endUs: clientEnd,
        attributes: {
          ...options.attributes,
          'server.address': calleeService.serviceName,
          'server.port': calleeService.port,
          ...options.outcomeAttributes?.(failed),
        },
        error: clientError,
      }),
    });
    this.cursor = clientEnd + rng.between(20, 200);
    return clientError;
  }

  /** Calls an uninstrumented dependency (Redis, PostgreSQL): a CLIENT span with `peer.service`. */
  peerCall(
    peer: ServiceId,
    options: {
      name: string;
      durationMs: number;
      attributes: Attributes;
      error?: string;
    },
  ): string | undefined {
    const start = this.cursor;
    const end = start + options.durationMs * 1000;
    const peerService = SERVICES[peer];
    this.trace.spans.push({
      service: this.service,
      span: span({
        traceId: this.trace.traceId,
        spanId: this.trace.spanId(),
        parentSpanId: this.spanId,
        name: options.name,
        kind: SPAN_KIND.CLIENT,
        startUs: start,
        endUs: end,
        attributes: {
          'peer.service': peerService.serviceName,
          'server.address': peerService.serviceName,
          'server.port': peerService.port,
          ...options.attributes,
        },
        error: options.error,
      }),
    });
    this.cursor = end + this.rng.between(10, 80);
    return options.error;
  }
}

function span(options: {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startUs: number;
  endUs: number;
  attributes: Attributes;
  error?: string;
}): OtlpSpan {
  return {
    traceId: options.traceId,
    spanId: options.spanId,
    ...(options.parentSpanId && { parentSpanId: options.parentSpanId }),
    name: options.name,
    kind: options.kind,
    startTimeUnixNano: microsToNanos(options.startUs),
    endTimeUnixNano: microsToNanos(options.endUs),
    attributes: attributes(options.attributes),
    ...(options.error !== undefined && {
      status: { code: STATUS_CODE.ERROR, message: options.error },
    }),
  };
}

/** Resource attributes and trace generation shared by the tick. */
class Traffic {
  constructor(readonly rng: Prng, readonly origin: number) {}

  /**
   * Generates one trace whose root starts near `nominalStartMs`, moved earlier if needed so
   * that it ends by `latestEndMs`.
   */
  trace(
    nominalStartMs: number,
    latestEndMs: number,
    root: (trace: TraceRecorder) => void,
  ): TraceRecorder {
    const trace = new TraceRecorder(this.rng, {
      stress: redisStress(nominalStartMs, this.origin),
      buggyCart: cartBuggyBuildLive(nominalStartMs, this.origin),
      disk: ledgerDiskUtilization(nominalStartMs, this.origin),
    });
    root(trace);
    const durationUs = trace.endUs();
    const startUs = Math.min(
      nominalStartMs * 1000,
      latestEndMs * 1000 - durationUs - 1000,
    );
    trace.shift(Math.round(startUs));
    return trace;
  }

  /** A service's resource attributes: the same for its traces, metrics and logs. */
  resource(id: ServiceId, time: number): Attributes {
    const service = SERVICES[id];
    const version =
      id === 'cart' ? cartVersionAt(time, this.origin) : service.version;
    return {
      'service.name': service.serviceName,
      'service.namespace': service.namespace,
      'service.version': version,
      'deployment.environment.name': 'production',
      'k8s.namespace.name': service.namespace,
      'k8s.pod.name': `${service.serviceName}-${podSuffix(
        service.serviceName,
        version,
      )}`,
      'telemetry.sdk.language': service.language,
    };
  }
}

/** A stable pod name suffix per (service, version), like a Deployment's ReplicaSet hash. */
function podSuffix(name: string, version: string): string {
  const rng = createPrng(
    mixSeed(...[...`${name}@${version}`].map(c => c.charCodeAt(0))),
  );
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const pick = (n: number) =>
    Array.from({ length: n }, () => rng.pick([...alphabet])).join('');
  return `${pick(9)}-${pick(5)}`;
}

// --- the call graph (Online Boutique, then the Payments Platform) ---

const PRODUCTS = [
  'OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N',
  '0PUK6V6EV0', 'LS4PSXUNUM', '9SIQT8TOJO', '6E92ZMYYFZ',
] as const; // prettier-ignore
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD'] as const;

const grpc = (service: string, method: string): CallOptions => ({
  name: `hipstershop.${service}/${method}`,
  attributes: {
    'rpc.system': 'grpc',
    'rpc.service': `hipstershop.${service}`,
    'rpc.method': method,
  },
  outcomeAttributes: error => ({ 'rpc.grpc.status_code': error ? 9 : 0 }),
  clientError: message =>
    `rpc error: code = FailedPrecondition desc = ${message}`,
});

function httpStatus(method: string, error: boolean): number {
  if (error) return 500;
  return method === 'POST' ? 201 : 200;
}

const http = (method: string, route: string, path: string): CallOptions => ({
  name: `${method} ${route}`,
  attributes: {
    'http.request.method': method,
    'http.route': route,
    'url.path': path,
  },
  outcomeAttributes: error => ({
    'http.response.status_code': httpStatus(method, error),
  }),
  clientError: message =>
    `${method} ${path}: 500 Internal Server Error: ${message}`,
});

function redisCommand(h: Handler, command: string, userId: string) {
  const { rng } = h;
  const { stress, buggyCart } = h.trace.state;
  if (buggyCart && command === 'HGET') {
    // The new build looks for stale carts on every read.
    h.peerCall('redisCart', {
      name: 'SCAN',
      durationMs: rng.lognormal(2 + 40 * stress, 0.5),
      attributes: {
        'db.system': 'redis',
        'db.operation.name': 'SCAN',
        'db.query.text': 'SCAN 0 MATCH cart:* COUNT 1000',
      },
    });
  }
  const timedOut = rng.chance(0.35 * stress);
  const durationMs = timedOut
    ? rng.between(1000, 1040)
    : rng.lognormal(0.4 + 60 * stress * rng.next(), 0.5);
  return h.peerCall('redisCart', {
    name: command,
    durationMs,
    attributes: {
      'db.system': 'redis',
      'db.operation.name': command,
      'db.query.text': `${command} ${userId}`,
    },
    error: timedOut
      ? `Timeout performing ${command} (1000ms), inst: 1, qs: ${rng.int(
          8,
          60,
        )}, rs: ReadAsync`
      : undefined,
  });
}

const CART_STORAGE_ERROR = "Can't access cart storage.";

function cartHandler(
  method: 'GetCart' | 'AddItem' | 'EmptyCart',
  userId: string,
) {
  return (h: Handler) => {
    h.work(0.3);
    h.log('INFO', `${method}Async called with userId=${userId}`);
    const commands = {
      GetCart: ['HGET'],
      AddItem: ['HGET', 'HSET', 'EXPIRE'],
      EmptyCart: ['HSET'],
    }[method];
    for (const command of commands) {
      const error = redisCommand(h, command, userId);
      if (error) {
        const message = `${CART_STORAGE_ERROR} StackExchange.Redis.RedisTimeoutException: ${error}`;
        h.log('ERROR', message, {
          'exception.type': 'StackExchange.Redis.RedisTimeoutException',
        });
        h.fail(CART_STORAGE_ERROR);
        return;
      }
    }
    h.work(0.2);
  };
}

function productCatalogHandler(
  method: 'ListProducts' | 'GetProduct' | 'SearchProducts',
) {
  return (h: Handler) => {
    h.work(method === 'ListProducts' ? 0.9 : 0.3);
    if (h.rng.chance(0.1))
      h.log('INFO', `${method} served from the in-memory catalog`);
  };
}

function currencyHandler(
  method: 'GetSupportedCurrencies' | 'Convert',
  to: string,
) {
  return (h: Handler) => {
    h.work(method === 'Convert' ? 0.6 : 0.3);
    if (method === 'Convert' && h.rng.chance(0.2))
      h.log('INFO', `conversion request successful to=${to}`);
    else if (method === 'GetSupportedCurrencies' && h.rng.chance(0.2))
      h.log('INFO', 'Getting supported currencies...');
  };
}

function adHandler(words: string) {
  return (h: Handler) => {
    h.work(1.8);
    h.log('INFO', `received ad request (context_words=[${words}])`);
  };
}

function recommendationHandler(productIds: string[]) {
  return (h: Handler) => {
    h.work(2.5);
    h.call(
      'productcatalog',
      grpc('ProductCatalogService', 'ListProducts'),
      productCatalogHandler('ListProducts'),
    );
    h.work(1.5);
    h.log(
      'INFO',
      `[Recv ListRecommendations] product_ids=[${productIds
        .map(p => `'${p}'`)
        .join(', ')}]`,
    );
  };
}

function shippingHandler(method: 'GetQuote' | 'ShipOrder') {
  return (h: Handler) => {
    h.work(0.4);
    h.log(
      'INFO',
      method === 'GetQuote'
        ? '[GetQuote] received request'
        : '[ShipOrder] completed request',
    );
  };
}

function emailHandler(email: string) {
  return (h: Handler) => {
    h.work(8);
    h.log(
      'INFO',
      `A request to send order confirmation email to ${email} has been received.`,
    );
  };
}

function ledgerDbQuery(
  h: Handler,
  operation: 'SELECT' | 'INSERT',
  table: string,
  medianMs: number,
) {
  const slowdown =
    operation === 'INSERT'
      ? 1 + 5 * Math.max(0, (h.trace.state.disk - 0.8) / 0.16)
      : 1;
  h.peerCall('ledgerDb', {
    name: `${operation} ledger.${table}`,
    durationMs: h.rng.lognormal(medianMs * slowdown, 0.4),
    attributes: {
      'db.system': 'postgresql',
      'db.namespace': 'ledger',
      'db.operation.name': operation,
      'db.collection.name': table,
      'db.query.text':
        operation === 'INSERT'
          ? `INSERT INTO ${table} (from_account, to_account, amount, timestamp) VALUES ($1, $2, $3, $4)`
          : `SELECT * FROM ${table} WHERE account_id = $1`,
    },
  });
  return slowdown;
}

function balanceReaderHandler(account: string) {
  return (h: Handler) => {
    h.work(1.2);
    if (h.rng.chance(0.3)) {
      ledgerDbQuery(h, 'SELECT', 'balances', 1.2);
      h.log('INFO', `balance cache miss for account ${account}`);
    }
  };
}

function ledgerWriterHandler(account: string, amount: string) {
  return (h: Handler) => {
    h.work(2);
    h.call(
      'balanceReader',
      http('GET', '/balances/{accountId}', `/balances/${account}`),
      balanceReaderHandler(account),
    );
    const started = h.cursor;
    ledgerDbQuery(h, 'INSERT', 'transactions', 3);
    const tookMs = (h.cursor - started) / 1000;
    if (tookMs > 40)
      h.log('WARN', `slow ledger commit: INSERT took ${Math.round(tookMs)}ms`);
    h.log('INFO', `Submitted transaction of ${amount} from account ${account}`);
  };
}

function paymentGatewayHandler(account: string, amount: string) {
  return (h: Handler) => {
    h.work(12, 0.4); // card network authorisation
    h.call(
      'ledgerWriter',
      http('POST', '/transactions', '/transactions'),
      ledgerWriterHandler(account, amount),
    );
    h.work(1);
    h.log('INFO', `charge captured ch_${h.rng.hex(12)} amount=${amount}`);
  };
}

function paymentHandler(amount: string) {
  return (h: Handler) => {
    h.work(1.5);
    const account = `${h.rng.int(1_000_000_000, 9_999_999_999)}`;
    h.call(
      'paymentGateway',
      http('POST', '/charges', '/charges'),
      paymentGatewayHandler(account, amount),
    );
    h.log(
      'INFO',
      `Transaction processed: visa ending ${h.rng.int(
        1000,
        9999,
      )}     Amount: ${amount}`,
    );
  };
}

function checkoutHandler(userId: string, currency: string, items: string[]) {
  return (h: Handler) => {
    h.work(0.8);
    h.log(
      'INFO',
      `[PlaceOrder] user_id="${userId}" user_currency="${currency}"`,
    );
    const cartError = h.call(
      'cart',
      grpc('CartService', 'GetCart'),
      cartHandler('GetCart', userId),
    );
    if (cartError) {
      const message = `failed to prepare order: cart failure: failed to get user cart during checkout: ${cartError}`;
      h.log('ERROR', message);
      h.fail(message);
      return;
    }
    for (let i = 0; i < items.length; i++) {
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'GetProduct'),
        productCatalogHandler('GetProduct'),
      );
      h.call(
        'currency',
        grpc('CurrencyService', 'Convert'),
        currencyHandler('Convert', currency),
      );
    }
    h.call(
      'shipping',
      grpc('ShippingService', 'GetQuote'),
      shippingHandler('GetQuote'),
    );
    h.call(
      'currency',
      grpc('CurrencyService', 'Convert'),
      currencyHandler('Convert', currency),
    );
    const amount = `${currency}${h.rng.between(20, 900).toFixed(2)}`;
    h.call('payment', grpc('PaymentService', 'Charge'), paymentHandler(amount));
    h.log(
      'INFO',
      `payment went through (transaction_id: ${h.rng.hex(8)}-${h.rng.hex(
        4,
      )}-${h.rng.hex(4)})`,
    );
    h.call(
      'shipping',
      grpc('ShippingService', 'ShipOrder'),
      shippingHandler('ShipOrder'),
    );
    h.call(
      'cart',
      grpc('CartService', 'EmptyCart'),
      cartHandler('EmptyCart', userId),
    );
    const email = `${h.rng.pick([
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
    ])}${h.rng.int(1, 999)}@example.com`;
    h.call(
      'email',
      grpc('EmailService', 'SendOrderConfirmation'),
      emailHandler(email),
    );
    h.log('INFO', `order confirmation email sent to "${email}"`);
  };
}

type Page = 'home' | 'product' | 'viewCart' | 'addToCart' | 'checkout';
const PAGES: Array<{
  page: Page;
  weight: number;
  method: string;
  route: string;
}> = [
  { page: 'home', weight: 35, method: 'GET', route: '/' },
  { page: 'product', weight: 33, method: 'GET', route: '/product/{id}' },
  { page: 'viewCart', weight: 12, method: 'GET', route: '/cart' },
  { page: 'addToCart', weight: 12, method: 'POST', route: '/cart' },
  { page: 'checkout', weight: 8, method: 'POST', route: '/cart/checkout' },
];

function pickPage(rng: Prng) {
  let roll = rng.next() * 100;
  for (const page of PAGES) {
    roll -= page.weight;
    if (roll < 0) return page;
  }
  return PAGES[0];
}

/** One shopper's request to the frontend, the root of the trace. */
function frontendRequest(trace: TraceRecorder) {
  const { rng } = trace;
  const { page, method, route } = pickPage(rng);
  const product = rng.pick(PRODUCTS);
  const path = route.replace('{id}', product);
  const userId = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(
    3,
  )}-${rng.hex(12)}`;
  const currency = rng.pick(CURRENCIES);
  const h = new Handler(trace, 'frontend', trace.spanId(), 0);

  const getCart = () =>
    h.call(
      'cart',
      grpc('CartService', 'GetCart'),
      cartHandler('GetCart', userId),
    );
  const convert = () =>
    h.call(
      'currency',
      grpc('CurrencyService', 'Convert'),
      currencyHandler('Convert', currency),
    );
  const currencies = () =>
    h.call(
      'currency',
      grpc('CurrencyService', 'GetSupportedCurrencies'),
      currencyHandler('GetSupportedCurrencies', currency),
    );
  const recommendations = () =>
    h.call(
      'recommendation',
      grpc('RecommendationService', 'ListRecommendations'),
      recommendationHandler([product]),
    );
  const ads = () =>
    h.call(
      'ad',
      grpc('AdService', 'GetAds'),
      adHandler(rng.pick(['clothing', 'accessories', 'kitchen', 'footwear'])),
    );
  const failed = (what: string, error: string | undefined) => {
    if (!error) return false;
    const message = `${what}: ${error}`;
    h.log('ERROR', `request error: ${message}`, {
      'http.req.method': method,
      'http.req.path': path,
    });
    h.fail(message);
    return true;
  };

  h.work(0.5);
  switch (page) {
    case 'home': {
      currencies();
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'ListProducts'),
        productCatalogHandler('ListProducts'),
      );
      if (failed('could not retrieve cart', getCart())) break;
      for (let i = 0; i < 3; i++) convert();
      ads();
      break;
    }
    case 'product': {
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'GetProduct'),
        productCatalogHandler('GetProduct'),
      );
      currencies();
      if (failed('could not retrieve cart', getCart())) break;
      convert();
      recommendations();
      ads();
      break;
    }
    case 'viewCart': {
      currencies();
      if (failed('could not retrieve cart', getCart())) break;
      recommendations();
      h.call(
        'shipping',
        grpc('ShippingService', 'GetQuote'),
        shippingHandler('GetQuote'),
      );
      convert();
      for (let i = rng.int(1, 3); i > 0; i--) {
        h.call(
          'productcatalog',
          grpc('ProductCatalogService', 'GetProduct'),
          productCatalogHandler('GetProduct'),
        );
        convert();
      }
      break;
    }
    case 'addToCart': {
      h.call(
        'productcatalog',
        grpc('ProductCatalogService', 'GetProduct'),
        productCatalogHandler('GetProduct'),
      );
      failed(
        'failed to add to cart',
        h.call(
          'cart',
          grpc('CartService', 'AddItem'),
          cartHandler('AddItem', userId),
        ),
      );
      break;
    }
    case 'checkout': {
      const items = Array.from({ length: rng.int(1, 3) }, () =>
        rng.pick(PRODUCTS),
      );
      const error = h.call(
        'checkout',
        grpc('CheckoutService', 'PlaceOrder'),
        checkoutHandler(userId, currency, items),
      );
      if (failed('failed to complete the order', error)) break;
      recommendations();
      currencies();
      break;
    }
    default:
      break;
  }
  h.work(1.5);
  let status = page === 'addToCart' ? 302 : 200; // adding redirects to the cart
  if (h.error) status = 500;
  h.log('INFO', 'request complete', {
    'http.req.method': method,
    'http.req.path': path,
    'http.resp.status': status,
    'http.resp.took_ms': Math.round(h.cursor / 1000),
  });
  trace.spans.push({
    service: 'frontend',
    span: span({
      traceId: trace.traceId,
      spanId: h.spanId,
      name: `${method} ${route}`,
      kind: SPAN_KIND.SERVER,
      startUs: 0,
      endUs: h.cursor,
      attributes: {
        'http.request.method': method,
        'http.route': route,
        'url.path': path,
        'http.response.status_code': status,
        'user_agent.original': 'python-requests/2.31.0 (locust)',
      },
      error: h.error,
    }),
  });
}

/** A read of an account's history by the bank's own app (not in the catalog): a root span. */
function transactionHistoryRequest(trace: TraceRecorder) {
  const h = new Handler(trace, 'transactionHistory', trace.spanId(), 0);
  const account = `${trace.rng.int(1_000_000_000, 9_999_999_999)}`;
  h.work(2);
  ledgerDbQuery(h, 'SELECT', 'transactions', 2.5);
  h.work(1);
  h.log(
    'INFO',
    `returned ${trace.rng.int(0, 100)} transactions for account ${account}`,
  );
  trace.spans.push({
    service: 'transactionHistory',
    span: span({
      traceId: trace.traceId,
      spanId: h.spanId,
      name: 'GET /transactions/{accountId}',
      kind: SPAN_KIND.SERVER,
      startUs: 0,
      endUs: h.cursor,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/transactions/{accountId}',
        'url.path': `/transactions/${account}`,
        'http.response.status_code': 200,
      },
    }),
  });
}

function tracesRequest(batch: TraceRecorder[], traffic: Traffic): OtlpTraces {
  const spans = batch.flatMap(trace =>
    trace.spans.map(s => ({ ...s, startUs: trace.startUs })),
  );
  const byService = groupBy(spans, s => s.service);
  return {
    resourceSpans: [...byService.entries()].map(([service, items]) => ({
      resource: {
        attributes: attributes(
          traffic.resource(service as ServiceId, items[0].startUs / 1000),
        ),
      },
      scopeSpans: [
        { scope: scopeOf(service as ServiceId), spans: items.map(s => s.span) },
      ],
    })),
  };
}

function scopeOf(service: ServiceId) {
  if (!INSTRUMENTED.has(service))
    return { name: 'otelcol/filelogreceiver', version: '0.104.0' };
  return {
    name: `opentelemetry-${SERVICES[service].language}`,
    version: '1.27.0',
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

// --- metrics ---

function gauge(
  name: string,
  unit: string,
  value: number,
  time: number,
  extra?: Attributes,
): OtlpMetric {
  return {
    name,
    unit,
    gauge: {
      dataPoints: [
        {
          timeUnixNano: millisToNanos(time),
          asDouble: value,
          ...(extra && { attributes: attributes(extra) }),
        },
      ],
    },
  };
}

function metricsRequest(
  time: number,
  origin: number,
  rng: Prng,
  traffic: Traffic,
  disk: number,
): OtlpMetrics {
  const stress = redisStress(time, origin);
  const round = (value: number, digits = 4) => Number(value.toFixed(digits));
  return {
    resourceMetrics: SERVICE_IDS.map(id => {
      const service = SERVICES[id];
      let extraCpu = 0;
      if (id === 'cart' || id === 'redisCart') extraCpu = 0.45 * stress;
      else if (id === 'ledgerDb' && walArchiveFailing(time, origin))
        extraCpu = 0.1;
      const metrics: OtlpMetric[] = [
        gauge(
          'process.cpu.utilization',
          '1',
          round(Math.min(1, service.cpu * rng.between(0.8, 1.2) + extraCpu)),
          time,
        ),
        gauge(
          'process.memory.usage',
          'By',
          Math.round(service.memoryMiB * 1024 * 1024 * rng.between(0.97, 1.03)),
          time,
        ),
      ];
      if (id === 'redisCart') {
        metrics.push(
          gauge(
            'redis.clients.connected',
            '{client}',
            Math.round(24 + 70 * stress + rng.between(-2, 2)),
            time,
          ),
        );
      }
      if (id === 'ledgerDb') {
        metrics.push(
          gauge('system.filesystem.utilization', '1', round(disk), time, {
            'system.device': '/dev/nvme1n1',
            'system.filesystem.mountpoint': '/var/lib/postgresql',
          }),
          gauge(
            'postgresql.backends',
            '{connection}',
            Math.round(18 + rng.between(-3, 3)),
            time,
          ),
        );
      }
      return {
        resource: { attributes: attributes(traffic.resource(id, time)) },
        scopeMetrics: [
          {
            scope: { name: 'otelcol/hostmetricsreceiver', version: '0.104.0' },
            metrics,
          },
        ],
      };
    }),
  };
}

// --- logs ---

function logsRequest(
  time: number,
  windowStart: number,
  origin: number,
  rng: Prng,
  traffic: Traffic,
  traces: TraceRecorder[],
): OtlpLogs {
  const records: RecordedLog[] = traces.flatMap(trace => trace.logs);
  const infrastructureLog = (
    service: ServiceId,
    severity: SeverityText,
    body: string,
  ) => {
    const nanos = millisToNanos(rng.between(windowStart, time));
    records.push({
      service,
      record: {
        timeUnixNano: nanos,
        observedTimeUnixNano: nanos,
        severityNumber: SEVERITY[severity],
        severityText: severity,
        body: { stringValue: body },
        attributes: attributes({
          'log.file.name':
            service === 'ledgerDb' ? 'postgresql.log' : 'redis.log',
        }),
      },
    });
  };
  if (rng.chance(0.5))
    infrastructureLog(
      'redisCart',
      'INFO',
      'Background saving started by pid 1733',
    );
  infrastructureLog(
    'ledgerDb',
    'INFO',
    `checkpoint complete: wrote ${rng.int(200, 4000)} buffers`,
  );
  if (walArchiveFailing(time, origin)) {
    const segment = `00000001000000A9000000${rng.hex(2).toUpperCase()}`;
    infrastructureLog(
      'ledgerDb',
      'WARN',
      'archive command failed with exit code 1',
    );
    infrastructureLog(
      'ledgerDb',
      'WARN',
      `archiving write-ahead log file "${segment}" failed too many times, will try again later`,
    );
  }

  const byService = groupBy(records, r => r.service);
  return {
    resourceLogs: [...byService.entries()].map(([service, items]) => ({
      resource: {
        attributes: attributes(traffic.resource(service as ServiceId, time)),
      },
      scopeLogs: [
        {
          scope: scopeOf(service as ServiceId),
          logRecords: items.map(r => r.record),
        },
      ],
    })),
  };
}

// --- the tick ---

export function generateTick(
  time: number,
  options: ScenarioOptions,
): TickPayloads {
  const rng = createPrng(mixSeed(options.seed, time));
  const { origin, intervalMs } = options;
  const windowStart = time - intervalMs;
  const { cycle, phase } = positionAt(time, origin);
  const traffic = new Traffic(rng, origin);

  const perMinute = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const minutes = intervalMs / 60_000;
  const count = (rate: number) =>
    Math.min(
      MAX_TRACES_PER_TICK,
      Math.round(rate * minutes * rng.between(0.85, 1.15)),
    );

  const traces: TraceRecorder[] = [];
  for (let i = count(perMinute); i > 0; i--) {
    traces.push(
      traffic.trace(rng.between(windowStart, time), time, frontendRequest),
    );
  }
  for (let i = count(HISTORY_REQUESTS_PER_MINUTE); i > 0; i--) {
    traces.push(
      traffic.trace(
        rng.between(windowStart, time),
        time,
        transactionHistoryRequest,
      ),
    );
  }
  traces.sort((a, b) => a.startUs - b.startUs);

  const window = sendWindowMs(intervalMs);
  const disk = ledgerDiskUtilization(time, origin) + rng.between(-0.002, 0.002);
  const deployments = deploymentsAt(time, origin, window);
  const genericAlerts = genericAlertsAt(time, origin, window, disk);

  return {
    time,
    cycle,
    phase,
    ...(deployments.length > 0 && { deployments: { deployments } }),
    changeEvents: changeEventsAt(time, origin, window),
    traces: chunk(traces, TRACES_PER_REQUEST).map(batch =>
      tracesRequest(batch, traffic),
    ),
    metrics: metricsRequest(time, origin, rng, traffic, disk),
    logs: logsRequest(time, windowStart, origin, rng, traffic, traces),
    alertmanager: alertmanagerWebhooksAt(time, origin, window),
    ...(genericAlerts.length > 0 && {
      genericAlerts: { alerts: genericAlerts },
    }),
  };
}
