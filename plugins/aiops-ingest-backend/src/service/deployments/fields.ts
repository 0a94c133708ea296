import { InputError } from '@backstage/errors';
import {
  type Json,
  isObject,
  optionalTimestamp,
  requireString,
} from '../validation';

/** Senders that name no environment deploy to the one that matters most. */
export const DEFAULT_ENVIRONMENT = 'production';

/** The label that names a catalog entity directly (see `ENTITY_REF_LABELS` in aiops-node). */
export const ENTITY_REF_LABEL = 'backstage.io/entity-ref';

/** Builds JSON paths below `prefix` for error messages; an empty prefix is the body itself. */
export function fieldPath(prefix: string): (field: string) => string {
  return field => (prefix ? `${prefix}.${field}` : field);
}

/** Like `requireString`, but says "is required" when the field is absent altogether. */
export function requiredString(value: Json, path: string): string {
  if (value === undefined || value === null) {
    throw new InputError(`${path} is required`);
  }
  return requireString(value, path);
}

/** Sender ids arrive as JSON numbers (GitHub) or strings; both become strings. */
export function requiredId(value: Json, path: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  return requiredString(value, path);
}

/** A nested object the sender may leave out; anything else there is a mistake worth reporting. */
export function optionalObject(
  value: Json,
  path: string,
): Record<string, Json> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new InputError(`${path} must be an object`);
  return value;
}

/**
 * When the deployment started and, if it is over, when it finished. A sender that only knows
 * when it finished (a "deployed" notification) may leave `startedAt` out.
 */
export function deploymentTimes(
  startedAtValue: Json,
  finishedAtValue: Json,
  at: (field: string) => string,
): { startedAt: string; finishedAt?: string } {
  const finishedAt = optionalTimestamp(finishedAtValue, at('finishedAt'));
  const startedAt =
    optionalTimestamp(startedAtValue, at('startedAt')) ?? finishedAt;
  if (!startedAt) {
    throw new InputError(
      `${at('startedAt')} is required (RFC 3339 timestamp) unless ${at(
        'finishedAt',
      )} is given`,
    );
  }
  // Both are ISO 8601 UTC of the same shape, so they compare as strings.
  if (finishedAt && finishedAt < startedAt) {
    throw new InputError(
      `${at('finishedAt')} (${finishedAt}) is before ${at(
        'startedAt',
      )} (${startedAt})`,
    );
  }
  return { startedAt, finishedAt };
}
