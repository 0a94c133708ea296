import { InputError } from '@backstage/errors';

/**
 * Checks that `values` is an array of finite numbers at least `minLength` long and returns it
 * as a Float64Array. The statistics downstream would turn one NaN into a NaN p-value (which
 * compares false against every threshold, so a broken series would silently look "no change"),
 * hence the error names the field and the first bad index instead.
 */
export function finiteSeries(
  field: string,
  values: unknown,
  minLength: number,
): Float64Array {
  if (!Array.isArray(values) && !(values instanceof Float64Array)) {
    throw new InputError(`${field} must be an array of numbers`);
  }
  const series = values as ArrayLike<unknown>;
  if (series.length < minLength) {
    throw new InputError(
      `${field} has ${series.length} points; at least ${minLength} are needed`,
    );
  }
  const out = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(
        `${field}[${i}] must be a finite number, got ${String(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** A numeric option in [min, max]; the error names the option. */
export function numberOption(
  field: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InputError(
      `${field} must be a number in [${min}, ${max}], got ${String(value)}`,
    );
  }
  return value;
}

/** An integer option in [min, max]; the error names the option. */
export function integerOption(
  field: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = numberOption(field, value, fallback, min, max);
  if (!Number.isInteger(v)) {
    throw new InputError(`${field} must be an integer, got ${v}`);
  }
  return v;
}
