import { InputError } from '@backstage/errors';
import type { AssessmentRequest, DiffStats, RiskLevel } from './types';

export const RISK_LEVELS: readonly RiskLevel[] = [
  'low',
  'medium',
  'high',
  'blocked',
];

const MAX_REF = 255;
const MAX_VERSION = 255;
const MAX_ENVIRONMENT = 100;
const MAX_SUMMARY = 10_000;
const MAX_AUTHOR = 255;
/** More paths than this are cut off by the path classifier anyway; refuse rather than store them. */
const MAX_PATHS = 10_000;
const MAX_PATH = 4096;
const MAX_COUNT = 1_000_000_000;
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Checks the body of `POST /assessments` and returns it normalised (entity ref in full lower-case
 * kind and namespace form, timestamps in UTC ISO form, strings trimmed). Throws an `InputError`
 * naming the first field that is wrong, so the router answers 400 and never 500.
 */
export function validateAssessmentRequest(body: unknown): AssessmentRequest {
  if (!isRecord(body))
    throw new InputError('the request body must be an object');
  const entityRef = validateEntityRef(body.entityRef);
  const version = requiredString(body.version, 'version', MAX_VERSION);
  const environment = requiredString(
    body.environment,
    'environment',
    MAX_ENVIRONMENT,
  );
  const changeSummary = optionalString(
    body.changeSummary,
    'changeSummary',
    MAX_SUMMARY,
  );
  const author = optionalString(body.author, 'author', MAX_AUTHOR);
  const diffStats =
    body.diffStats === undefined
      ? undefined
      : validateDiffStats(body.diffStats);
  const plannedAt =
    body.plannedAt === undefined
      ? undefined
      : validateTimestamp(body.plannedAt, 'plannedAt');
  return {
    entityRef,
    version,
    environment,
    ...(changeSummary !== undefined ? { changeSummary } : {}),
    ...(diffStats ? { diffStats } : {}),
    ...(author !== undefined ? { author } : {}),
    ...(plannedAt ? { plannedAt } : {}),
  };
}

/** A risk level from a query or an action input (`failOn`); throws naming `field`. */
export function validateLevel(value: unknown, field: string): RiskLevel {
  if (typeof value !== 'string' || !RISK_LEVELS.includes(value as RiskLevel)) {
    throw new InputError(`${field} must be one of ${RISK_LEVELS.join(', ')}`);
  }
  return value as RiskLevel;
}

/**
 * `kind:namespace/name`, with `component` and `default` filled in when left out, as the
 * catalog reads short refs; kind and namespace lower-cased as the catalog compares them.
 */
export function validateEntityRef(value: unknown): string {
  const ref = requiredString(value, 'entityRef', MAX_REF);
  const colon = ref.indexOf(':');
  const kind = colon >= 0 ? ref.slice(0, colon) : 'component';
  const rest = colon >= 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : 'default';
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (
    ![kind, namespace, name].every(
      part => part.length > 0 && !/[\s:/]/.test(part),
    )
  ) {
    throw new InputError(
      'entityRef must be an entity reference like component:default/cart',
    );
  }
  return `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase(
    'en-US',
  )}/${name}`;
}

function validateDiffStats(value: unknown): DiffStats {
  if (!isRecord(value)) throw new InputError('diffStats must be an object');
  const count = (key: 'filesChanged' | 'linesAdded' | 'linesDeleted') => {
    const n = value[key];
    if (
      typeof n !== 'number' ||
      !Number.isInteger(n) ||
      n < 0 ||
      n > MAX_COUNT
    ) {
      throw new InputError(
        `diffStats.${key} must be an integer from 0 to ${MAX_COUNT}`,
      );
    }
    return n;
  };
  const paths = value.paths ?? [];
  if (!Array.isArray(paths) || paths.length > MAX_PATHS) {
    throw new InputError(
      `diffStats.paths must be an array of at most ${MAX_PATHS} paths`,
    );
  }
  paths.forEach((path, i) => {
    if (typeof path !== 'string' || path.length > MAX_PATH) {
      throw new InputError(
        `diffStats.paths[${i}] must be a string of at most ${MAX_PATH} characters`,
      );
    }
  });
  return {
    filesChanged: count('filesChanged'),
    linesAdded: count('linesAdded'),
    linesDeleted: count('linesDeleted'),
    paths: paths as string[],
  };
}

function validateTimestamp(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) {
    throw new InputError(`${field} must be an ISO 8601 timestamp`);
  }
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new InputError(`${field} must be an ISO 8601 timestamp`);
  }
  return new Date(ms).toISOString();
}

function requiredString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new InputError(`${field} must be a non-empty string`);
  }
  return checkedString(value, field, max);
}

function optionalString(
  value: unknown,
  field: string,
  max: number,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${field} must be a string`);
  return checkedString(value, field, max);
}

function checkedString(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length > max) {
    throw new InputError(`${field} must be at most ${max} characters`);
  }
  // Control characters in a version or ref are a sign of a broken pipeline, not a version.
  for (let i = 0; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    if ((code < 0x20 && code !== 0x0a && code !== 0x09) || code === 0x7f) {
      throw new InputError(`${field} must not contain control characters`);
    }
  }
  return trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
