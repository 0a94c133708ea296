import { InputError } from '@backstage/errors';
import type { Labels } from '@aiops/plugin-aiops-common';
import { MAX_JSON_DEPTH } from '@aiops/plugin-aiops-node';
import {
  type Json,
  isObject,
  requireArray,
  requireObject,
} from '../validation';

/**
 * Value parsing shared by the OTLP/HTTP JSON receivers. OTLP JSON is the proto3 JSON mapping
 * with OTLP's deviations: 64-bit integers arrive as strings or numbers, enums as integers only,
 * trace and span ids as hex. Unknown fields are never read, so they are ignored.
 */

const MINUTE_MS = 60_000;

const NANOS_PER_MS = 1_000_000n;
const UINT64_MAX = 2n ** 64n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether a field is set; in proto3 JSON, null is the same as absent. */
export function isSet(value: Json): boolean {
  return value !== undefined && value !== null;
}

/** A repeated field: absent or null is the empty list, as in proto3. */
export function optionalArray(value: Json, path: string): Json[] {
  if (!isSet(value)) return [];
  return requireArray(value, path);
}

/** A message field: absent or null is the empty message. */
export function optionalObject(
  value: Json,
  path: string,
): Record<string, Json> {
  if (!isSet(value)) return {};
  return requireObject(value, path);
}

/**
 * A 64-bit integer (`fixed64`, `uint64`, `sfixed64`, `int64`), or an `int32` sent the same way.
 * Strings keep full precision; numbers are only accepted when integral, since JSON.parse has
 * already rounded anything beyond 2^53.
 */
export function optionalInt64(
  value: Json,
  path: string,
  { signed }: { signed: boolean },
): bigint | undefined {
  if (!isSet(value)) return undefined;
  let parsed: bigint | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) {
    parsed = BigInt(value);
  } else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    parsed = BigInt(value);
  }
  const [min, max] = signed ? [INT64_MIN, INT64_MAX] : [0n, UINT64_MAX];
  if (parsed === undefined || parsed < min || parsed > max) {
    const kind = signed ? 'a 64-bit integer' : 'a non-negative 64-bit integer';
    throw new InputError(
      `${path} must be ${kind} (decimal string or number), got ${describe(
        value,
      )}`,
    );
  }
  return parsed;
}

/** A non-negative count (`fixed64`/`uint64`); absent is 0. */
export function optionalCount(value: Json, path: string): number {
  return Number(optionalInt64(value, path, { signed: false }) ?? 0n);
}

/** A `double`: a number, or one of the strings proto3 JSON allows (`"NaN"`, `"1.5"`, …). */
export function optionalDouble(value: Json, path: string): number | undefined {
  if (!isSet(value)) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    if (value === 'NaN') return NaN;
    const parsed = Number(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new InputError(`${path} must be a number, got ${describe(value)}`);
}

export function requireDouble(value: Json, path: string): number {
  const parsed = optionalDouble(value, path);
  if (parsed === undefined) throw new InputError(`${path} must be a number`);
  return parsed;
}

export function optionalBoolean(value: Json, path: string): boolean {
  if (!isSet(value)) return false;
  if (typeof value !== 'boolean')
    throw new InputError(`${path} must be a boolean`);
  return value;
}

/**
 * An enum. OTLP JSON forbids enum names, so a string here is a sender bug worth reporting;
 * unknown numbers are left for the caller to treat as "unspecified".
 */
export function optionalEnum(value: Json, path: string): number {
  if (!isSet(value)) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InputError(
      `${path} must be an integer enum value (OTLP JSON does not allow enum names), got ${describe(
        value,
      )}`,
    );
  }
  return value;
}

/** Nanoseconds since the epoch; undefined when absent or 0, which OTLP defines as "unspecified". */
export function optionalUnixNanos(
  value: Json,
  path: string,
): bigint | undefined {
  // uint64 nanoseconds end in year 2554, well within what Date and the store handle.
  return optionalInt64(value, path, { signed: false }) || undefined;
}

export function requireUnixNanos(value: Json, path: string): bigint {
  const nanos = optionalUnixNanos(value, path);
  if (nanos === undefined) {
    throw new InputError(`${path} is required (Unix time in nanoseconds)`);
  }
  return nanos;
}

export function nanosToEpochMillis(nanos: bigint): number {
  return Number(nanos / NANOS_PER_MS);
}

export function minuteOf(epochMillis: number): number {
  return epochMillis - (epochMillis % MINUTE_MS);
}

/**
 * A `traceId` (16 bytes) or `spanId` (8 bytes): hex in any case, returned lower-case.
 * Undefined when absent, empty or all zeros, which OTLP uses for "no id".
 */
export function optionalHexId(
  value: Json,
  path: string,
  bytes: 8 | 16,
): string | undefined {
  if (!isSet(value) || value === '') return undefined;
  if (
    typeof value !== 'string' ||
    value.length !== bytes * 2 ||
    !/^[0-9a-fA-F]+$/.test(value)
  ) {
    throw new InputError(
      `${path} must be ${
        bytes * 2
      } hex characters (OTLP JSON encodes ids as hex, not base64), got ${describe(
        value,
      )}`,
    );
  }
  return /^0+$/.test(value) ? undefined : value.toLowerCase();
}

/**
 * An AnyValue as plain JSON data: kvlists become objects, arrays arrays, 64-bit ints numbers
 * when exact and decimal strings otherwise, bytes stay base64. Undefined for an empty AnyValue.
 * Recursive, so bounded: each AnyValue level is at least one level of JSON, so a body within
 * the body reader's MAX_JSON_DEPTH never reaches the bound; it holds for any other caller.
 */
export function anyValueToJson(value: Json, path: string, depth = 1): Json {
  if (!isSet(value)) return undefined;
  if (depth > MAX_JSON_DEPTH) {
    throw new InputError(
      `${path} nests AnyValues deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  const any = requireObject(value, path);
  if (isSet(any.stringValue)) {
    if (typeof any.stringValue !== 'string') {
      throw new InputError(`${path}.stringValue must be a string`);
    }
    return any.stringValue;
  }
  if (isSet(any.boolValue)) {
    if (typeof any.boolValue !== 'boolean') {
      throw new InputError(`${path}.boolValue must be a boolean`);
    }
    return any.boolValue;
  }
  const int = optionalInt64(any.intValue, `${path}.intValue`, { signed: true });
  if (int !== undefined) {
    const asNumber = Number(int);
    return Number.isSafeInteger(asNumber) ? asNumber : int.toString();
  }
  const double = optionalDouble(any.doubleValue, `${path}.doubleValue`);
  if (double !== undefined) return double;
  if (isSet(any.bytesValue)) {
    if (typeof any.bytesValue !== 'string') {
      throw new InputError(`${path}.bytesValue must be a base64 string`);
    }
    return any.bytesValue;
  }
  if (isSet(any.arrayValue)) {
    const array = requireObject(any.arrayValue, `${path}.arrayValue`);
    return optionalArray(array.values, `${path}.arrayValue.values`).map(
      (item, i) =>
        anyValueToJson(item, `${path}.arrayValue.values[${i}]`, depth + 1) ??
        null,
    );
  }
  if (isSet(any.kvlistValue)) {
    const kvlist = requireObject(any.kvlistValue, `${path}.kvlistValue`);
    const result: Record<string, Json> = {};
    forEachKeyValue(
      kvlist.values,
      `${path}.kvlistValue.values`,
      (key, item) => {
        result[key] = item;
      },
      depth + 1,
    );
    return result;
  }
  return undefined;
}

/** An AnyValue as text: strings as they are, anything else as JSON. */
export function anyValueToString(
  value: Json,
  path: string,
): string | undefined {
  const json = anyValueToJson(value, path);
  if (json === undefined) return undefined;
  return typeof json === 'string' ? json : JSON.stringify(json);
}

/**
 * Flattens `KeyValue[]` into labels. Every attribute is kept, stringified, so keying can use
 * whichever of `service.name`, `service.namespace`, `k8s.*`, `deployment.environment` a sender
 * provides. Attributes with an empty value are left out.
 */
export function flattenAttributes(value: Json, path: string): Labels {
  const labels: Labels = {};
  forEachKeyValue(value, path, (key, item) => {
    if (item !== undefined)
      labels[key] = typeof item === 'string' ? item : JSON.stringify(item);
  });
  return labels;
}

function forEachKeyValue(
  value: Json,
  path: string,
  visit: (key: string, item: Json) => void,
  depth = 1,
): void {
  optionalArray(value, path).forEach((entry, i) => {
    const keyValue = requireObject(entry, `${path}[${i}]`);
    if (typeof keyValue.key !== 'string') {
      throw new InputError(`${path}[${i}].key must be a string`);
    }
    // `key_strindex` keys belong to the profiles signal; OTLP tells other receivers to skip them.
    if (keyValue.key === '') return;
    visit(
      keyValue.key,
      anyValueToJson(keyValue.value, `${path}[${i}].value`, depth),
    );
  });
}

/** A stable identity for a label set, independent of attribute order. */
export function labelsKey(labels: Labels): string {
  // Keys of one object are distinct, so the comparison never needs to return 0.
  return JSON.stringify(
    Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Cuts text to at most `maxLength` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function describe(value: Json): string {
  if (typeof value === 'string') return `"${truncate(value, 64)}"`;
  if (Array.isArray(value)) return 'an array';
  if (isObject(value)) return 'an object';
  return String(value);
}
