import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeEntityRef } from '../keying/EntityIndex';
import { echoed } from './echo';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MINUTE_MS = 60_000;
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Query-string readers that answer 400 naming the parameter, never a 500. Given a handler's
 * query as the typed router has it (from the plugin's OpenAPI spec), the readers take only the
 * parameter names the spec declares for that operation.
 */
export function readQuery<Query extends object = Record<string, unknown>>(
  query: Query,
) {
  type Name = Extract<keyof Query, string>;
  const values = query as Record<string, unknown>;
  const string = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    // An OpenAPI validator may already have coerced the value to its declared type.
    if (typeof value === 'number' || typeof value === 'boolean')
      return String(value);
    if (typeof value !== 'string')
      throw new InputError(`query parameter ${name} must be given once`);
    // PostgreSQL refuses NUL in text: `?environment=%00` must not reach a query (a 500).
    if (value.includes('\u0000'))
      throw new InputError(
        `query parameter ${name} holds a NUL character (%00)`,
      );
    return value;
  };
  const timestamp = (name: string): string | undefined => {
    const value = string(name);
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms))
      throw new InputError(
        `query parameter ${name} must be an RFC 3339 timestamp`,
      );
    // JavaScript dates reach year -271821; PostgreSQL refused `to=-271821-04-20T00:00:00Z`
    // with a 500 (found by fuzzing).
    if (ms < EARLIEST_MS || ms > LATEST_MS)
      throw new InputError(
        `query parameter ${name} must be a timestamp in the years 0001 to 9999`,
      );
    return new Date(ms).toISOString();
  };
  const integer = (
    name: string,
    min: number,
    max: number,
  ): number | undefined => {
    const value = string(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InputError(
        `query parameter ${name} must be an integer from ${min} to ${max}`,
      );
    }
    return Number(value);
  };

  return {
    string: (name: Name) => string(name),
    timestamp: (name: Name) => timestamp(name),
    required(name: Name): string {
      const value = string(name);
      if (!value) throw new InputError(`query parameter ${name} is required`);
      return value;
    },
    limit: () => integer('limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
    cursor(name: Name): string | undefined {
      const value = string(name);
      if (value === undefined || value === '') return undefined;
      if (!/^\d{1,15}$/.test(value))
        throw new InputError(`query parameter ${name} is not a valid cursor`);
      return value;
    },
    boolean(name: Name): boolean | undefined {
      const value = string(name);
      if (value === undefined) return undefined;
      if (value !== 'true' && value !== 'false') {
        throw new InputError(`query parameter ${name} must be true or false`);
      }
      return value === 'true';
    },
    oneOf<T extends string>(name: Name, allowed: readonly T[]): T | undefined {
      const value = string(name);
      if (value === undefined) return undefined;
      if (!(allowed as readonly string[]).includes(value)) {
        throw new InputError(
          `query parameter ${name} must be one of ${allowed.join(', ')}`,
        );
      }
      return value as T;
    },
    /**
     * Allowed values, comma-separated (`status=open,acknowledged`), repeated
     * (`status=open&status=acknowledged`) or both; an OpenAPI validator may already have made
     * either form an array.
     */
    list<T extends string>(name: Name, allowed: readonly T[]): T[] | undefined {
      const value = values[name];
      if (value === undefined || value === '') return undefined;
      const given = Array.isArray(value) ? value : [value];
      if (given.some(item => typeof item !== 'string')) {
        throw new InputError(
          `query parameter ${name} must be a comma-separated list`,
        );
      }
      const items = (given as string[]).flatMap(item =>
        item.split(',').map(part => part.trim()),
      );
      const wrong = items.find(
        item => !(allowed as readonly string[]).includes(item),
      );
      if (wrong !== undefined) {
        throw new InputError(
          `query parameter ${name} must be a comma-separated list of ${allowed.join(
            ', ',
          )}; got "${echoed(wrong)}"`,
        );
      }
      return items as T[];
    },
    /**
     * An entity ref (short forms allowed, `defaultKind` component), or the `unowned:<service>`
     * key under which telemetry of services the catalog does not know is kept.
     */
    entityRef(
      options: { required?: boolean; name?: Name; defaultKind?: string } = {},
    ): string | undefined {
      const name = options.name ?? 'entityRef';
      const defaultKind = options.defaultKind ?? 'component';
      const value = string(name);
      if (value === undefined || value === '') {
        if (options.required)
          throw new InputError(`query parameter ${name} is required`);
        return undefined;
      }
      return normalizedRef(value, name, defaultKind);
    },
    /**
     * A comma-separated list of entity refs, as `entityRef` reads each (entity refs hold no
     * comma), at most `max` of them; `undefined` when absent or empty.
     */
    entityRefs(options: { name?: Name; max: number }): string[] | undefined {
      const name = options.name ?? 'entityRefs';
      const value = string(name);
      if (value === undefined || value === '') return undefined;
      const items = value.split(',');
      if (items.length > options.max) {
        throw new InputError(
          `query parameter ${name} lists ${items.length} entity refs; at most ${options.max}`,
        );
      }
      return [
        ...new Set(items.map(item => normalizedRef(item, name, 'component'))),
      ];
    },
    /** `from`/`to` (default: the last hour, or `defaultSpanMs`) and `step` in seconds (default 60). */
    range(options: { now: Date; maxPoints: number; defaultSpanMs?: number }) {
      const to = Date.parse(timestamp('to') ?? options.now.toISOString());
      // Rollups are per minute: a range starts on a minute boundary.
      const from =
        Math.floor(
          Date.parse(
            timestamp('from') ??
              new Date(to - (options.defaultSpanMs ?? 3600_000)).toISOString(),
          ) / MINUTE_MS,
        ) * MINUTE_MS;
      if (from >= to)
        throw new InputError('query parameter from must be before to');
      const stepMs = (integer('step', 60, 86_400) ?? 60) * 1000;
      if (stepMs % MINUTE_MS !== 0)
        throw new InputError(
          'query parameter step must be whole minutes (seconds divisible by 60)',
        );
      if ((to - from) / stepMs > options.maxPoints) {
        throw new InputError(
          `the range holds more than ${options.maxPoints} steps; use a larger step`,
        );
      }
      return { from, to, stepMs };
    },
  };
}

/** An entity ref in its normal form, or the `unowned:<service>` key as it is. */
function normalizedRef(value: string, name: string, defaultKind: string) {
  if (value.startsWith('unowned:')) return value;
  try {
    return normalizeEntityRef(
      stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
      ),
    );
  } catch {
    throw new InputError(
      `query parameter ${name} must be an entity ref like ${defaultKind}:default/name`,
    );
  }
}
