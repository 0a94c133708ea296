import type { Prng } from '../prng';
import {
  type Attributes,
  type OtlpLogRecord,
  type OtlpSpan,
  SEVERITY,
  SPAN_KIND,
  STATUS_CODE,
  type SeverityText,
  attributes,
  microsToNanos,
} from '../otlp';
import { SERVICES, type ServiceId } from '../services';

/*
 * Recording one trace: its spans and logs as the request passes from service to service, with
 * times relative to the trace's start until it is moved into the tick.
 */

export interface RecordedSpan {
  service: ServiceId;
  span: OtlpSpan;
}

export interface RecordedLog {
  service: ServiceId;
  record: OtlpLogRecord;
}

/** One trace being generated; times are microseconds, relative until `shift`. */
export class TraceRecorder {
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

export interface CallOptions {
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
export class Handler {
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
    this.trace.logs.push({
      service: this.service,
      record: {
        ...logRecord(microsToNanos(this.cursor), severity, body, extra),
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

export function span(options: {
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

/** A log record observed when it was written, at `nanos`. */
export function logRecord(
  nanos: string,
  severity: SeverityText,
  body: string,
  extra: Attributes,
): OtlpLogRecord {
  return {
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    severityNumber: SEVERITY[severity],
    severityText: severity,
    body: { stringValue: body },
    attributes: attributes(extra),
  };
}
