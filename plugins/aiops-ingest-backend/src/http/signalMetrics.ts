import type {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from 'express';
import type {
  MetricsService,
  MetricsServiceCounter,
} from '@backstage/backend-plugin-api/alpha';
import { NestingTooDeepError } from '@aiops/plugin-aiops-node';
import { GITHUB_SIGNATURE_HEADER, SIGNATURE_HEADER } from './auth';

/** What a receiver's route takes in; `otlp-*` by signal, as OTLP's own paths name them. */
export type SignalKind =
  | 'alert'
  | 'deployment'
  | 'otlp-metrics'
  | 'otlp-logs'
  | 'otlp-traces';

/**
 * Why a request was refused, from a fixed set so the metric's attributes stay bounded: from the
 * error's class and the answer's status, never from the message, which quotes the sender.
 */
export type RejectionReason =
  | 'auth'
  | 'size'
  | 'depth'
  | 'schema'
  | 'signature'
  | 'rate'
  | 'other';

/** The kind of signal a receiver's path takes. */
export function signalKindOf(path: string): SignalKind {
  if (path.startsWith('/otlp/v1/')) {
    return `otlp-${path.slice('/otlp/v1/'.length)}` as SignalKind;
  }
  return path.startsWith('/alerts') ? 'alert' : 'deployment';
}

export function rejectionReason(
  error: unknown,
  status: number,
  req: Pick<Request, 'header'>,
): RejectionReason {
  if (error instanceof NestingTooDeepError) return 'depth';
  switch (status) {
    case 401:
      // The credentials were a signature: it did not match, or its timestamp was outside the
      // tolerance. A missing or refused token is `auth`.
      return req.header(SIGNATURE_HEADER) || req.header(GITHUB_SIGNATURE_HEADER)
        ? 'signature'
        : 'auth';
    case 403:
      return 'auth';
    case 413:
      return 'size';
    case 429:
      return 'rate';
    case 400:
    case 415:
      return 'schema';
    default:
      return 'other';
  }
}

const REFUSAL = 'aiopsRefusal';

/**
 * Counts every request to a receiver once its answer is sent: accepted (2xx, a replayed
 * delivery's acknowledgement included) by receiver and kind, rejected (4xx, 5xx) by receiver and
 * reason. A request is one delivery, however many signals it carries.
 */
export class SignalMetrics {
  private readonly accepted: MetricsServiceCounter<{
    receiver: string;
    kind: SignalKind;
  }>;
  private readonly rejected: MetricsServiceCounter<{
    receiver: string;
    reason: RejectionReason;
  }>;

  constructor(metrics: MetricsService) {
    this.accepted = metrics.createCounter('aiops.ingest.signals.accepted', {
      description: 'Deliveries a receiver accepted (2xx)',
      unit: '{request}',
    });
    this.rejected = metrics.createCounter('aiops.ingest.signals.rejected', {
      description: 'Deliveries a receiver refused (4xx or 5xx), by reason',
      unit: '{request}',
    });
  }

  /** Placed before the receiver's gate: counts the request when its answer is sent. */
  observe(receiver: string, path: string): RequestHandler {
    const kind = signalKindOf(path);
    return (req, res, next) => {
      res.once('finish', () => {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          this.accepted.add(1, { receiver, kind });
        } else if (res.statusCode >= 400) {
          const reason = rejectionReason(
            res.locals[REFUSAL],
            res.statusCode,
            req,
          );
          this.rejected.add(1, { receiver, reason });
        }
      });
      next();
    };
  }

  /** Placed after every route: keeps the error that refused a request for `observe`. */
  readonly noteRefusal: ErrorRequestHandler = (
    error: unknown,
    _req: Request,
    res: Response,
    next: (error: unknown) => void,
  ) => {
    res.locals[REFUSAL] = error;
    next(error);
  };
}
