import { SPAN_KIND } from '../otlp';
import { http } from './calls';
import { Handler, type TraceRecorder, span } from './recorder';

/*
 * The Payments Platform's part of the call graph: payment → payment gateway → ledger writer →
 * balance reader and the ledger database, whose disk slows commits as it fills; and reads of
 * account history by the bank's own app.
 */

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

export function paymentHandler(amount: string) {
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

/** A read of an account's history by the bank's own app (not in the catalog): a root span. */
export function transactionHistoryRequest(trace: TraceRecorder) {
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
