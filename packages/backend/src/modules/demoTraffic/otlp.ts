/**
 * The parts of OTLP/HTTP JSON (`ExportTraceServiceRequest`, `ExportMetricsServiceRequest`,
 * `ExportLogsServiceRequest`) the demo sends, and builders for them. 64-bit integers are decimal
 * strings and enums integers, as the OTLP JSON mapping (and docs/ingest/otlp.md) requires.
 */

export type AnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export type Attributes = Record<string, string | number | boolean>;

export interface OtlpResource {
  attributes: KeyValue[];
}

export interface OtlpScope {
  name: string;
  version?: string;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status?: { code: number; message?: string };
}

export interface OtlpTraces {
  resourceSpans: Array<{
    resource: OtlpResource;
    scopeSpans: Array<{ scope: OtlpScope; spans: OtlpSpan[] }>;
  }>;
}

export interface OtlpGaugePoint {
  timeUnixNano: string;
  asDouble: number;
  attributes?: KeyValue[];
}

export interface OtlpMetric {
  name: string;
  unit: string;
  description?: string;
  gauge: { dataPoints: OtlpGaugePoint[] };
}

export interface OtlpMetrics {
  resourceMetrics: Array<{
    resource: OtlpResource;
    scopeMetrics: Array<{ scope: OtlpScope; metrics: OtlpMetric[] }>;
  }>;
}

export const SEVERITY = {
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
} as const;
export type SeverityText = keyof typeof SEVERITY;

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: SeverityText;
  body: { stringValue: string };
  attributes: KeyValue[];
  traceId?: string;
  spanId?: string;
}

export interface OtlpLogs {
  resourceLogs: Array<{
    resource: OtlpResource;
    scopeLogs: Array<{ scope: OtlpScope; logRecords: OtlpLogRecord[] }>;
  }>;
}

export function attributes(values: Attributes): KeyValue[] {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: anyValue(value),
  }));
}

function anyValue(value: string | number | boolean): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value)
    ? { intValue: String(value) }
    : { doubleValue: value };
}

/** Microseconds since the epoch (exact in a double until the year 2255) to OTLP nanoseconds. */
export function microsToNanos(micros: number): string {
  return `${Math.round(micros)}000`;
}

export function millisToNanos(millis: number): string {
  return microsToNanos(millis * 1000);
}

/** Groups items by a resource key, keeping first-seen order: one resource entry per service. */
export function groupBy<T>(
  items: T[],
  keyOf: (item: T) => string,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
