import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Building blocks of the fuzz properties (`*.fuzz.test.ts`): what a hostile or careless sender
 * could post, as random JSON and as mutations of the captured payloads under fixtures/.
 */

/**
 * Cases per property: a few hundred in `npm test`, `FUZZ_RUNS` (10,000 in `npm run fuzz`)
 * otherwise.
 */
export function fuzzRuns(ciRuns = 200): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : ciRuns;
}

/** A jest timeout for a property of `runs` cases, each taking up to `perRunMs` on a busy machine. */
export function fuzzTimeoutMs(runs: number, perRunMs: number): number {
  return 60_000 + runs * perRunMs;
}

/** A captured payload under fixtures/, parsed. */
export function fixture(path: string): unknown {
  return JSON.parse(
    readFileSync(resolve(__dirname, '../../fixtures', path), 'utf8'),
  );
}

/**
 * Strings that have broken parsers elsewhere: empty and blank, numbers and timestamps as text,
 * Go's zero time, prototype keys, Argo CD's missing-value marker, NUL, and text longer than
 * the store's 255-character columns.
 */
const awkwardString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      'null',
      '-1',
      '0',
      '1e309',
      'NaN',
      '99999999999999999999999',
      '0x1F',
      '0001-01-01T00:00:00Z',
      '2026-11-25T08:00:00Z',
      '2026-11-25T08:00:00+14:00',
      '2026-02-30T08:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '10000-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '__proto__',
      'constructor',
      'toString',
      '<no value>',
      'firing',
      'resolved',
      'trigger',
      'resolve',
      'acknowledge',
      'critical',
      'cartservice',
      'component:default/cart',
      'component:default/',
      'dev.cdevents.service.deployed.0.1.1',
      'https://argocd.example.com///',
      'application/cloudevents+json',
      '%',
      '\\',
      '"',
      '🛒',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 250, maxLength: 1100 }),
  },
);

const awkwardNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -1,
    1.5,
    2 ** 31,
    2 ** 53 + 1,
    2 ** 64,
    1e21,
    1e308,
    -1e308,
  ),
);

/** One JSON value of any type, biased to the awkward ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: awkwardString },
  { weight: 2, arbitrary: awkwardNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    // Objects whose keys shadow Object.prototype: `String(value)` throws on `{"toString":1}`.
    arbitrary: fc.constantFrom<unknown>(
      [],
      {},
      [[]],
      JSON.parse('{"toString":1,"valueOf":1}'),
      JSON.parse('{"__proto__":{"polluted":"yes"}}'),
      { constructor: 'x' },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }) },
);

/** Any JSON document, nested a few levels (the body reader refuses more than 64). */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({
  maxDepth: 6,
  stringUnit: 'binary',
});

type Path = Array<string | number>;

/** Every path into `value` (the root included), objects and arrays alike. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.map((child, index) => pathsOf(child, [...prefix, index]))
    : Object.entries(value).map(([key, child]) =>
        pathsOf(child, [...prefix, key]),
      );
  return [prefix, ...children.flat()];
}

/** One edit of a document, applied at the path `pick` chooses (modulo the paths it has). */
type Mutation =
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'add'; pick: number; key: string; value: unknown }
  | { kind: 'repeat'; pick: number; times: number }
  | { kind: 'lengthen'; pick: number; by: number }
  | { kind: 'wrap'; pick: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      pick: fc.nat(),
      value: hostileValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      pick: fc.nat(),
      key: awkwardString,
      value: hostileValue,
    }),
  },
  {
    weight: 1,
    // Arrays grown past the per-request item limit (50 in the tests), or just repeated.
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      pick: fc.nat(),
      times: fc.constantFrom(2, 3, 51),
    }),
  },
  {
    weight: 2,
    // A real value made longer than the store's columns (255, 512) or a sender's limits.
    arbitrary: fc.record({
      kind: fc.constant('lengthen' as const),
      pick: fc.nat(),
      by: fc.constantFrom(200, 260, 520, 1100),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wrap' as const),
      pick: fc.nat(),
    }),
  },
);

/** Sets a property as JSON.parse would: `__proto__` becomes an own key, not the prototype. */
function define(target: any, key: string | number, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function applyMutation(document: unknown, edit: Mutation): unknown {
  const paths = pathsOf(document);
  const path = paths[edit.pick % paths.length];
  const root: { value: unknown } = { value: document };
  let parent: any = root;
  let key: string | number = 'value';
  for (const step of path) {
    parent = parent[key];
    key = step;
  }
  const target = parent[key];
  switch (edit.kind) {
    case 'replace':
      define(parent, key, structuredClone(edit.value));
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else if (parent !== root) delete parent[key];
      break;
    case 'add':
      if (Array.isArray(target)) target.push(structuredClone(edit.value));
      else if (target !== null && typeof target === 'object') {
        define(target, edit.key, structuredClone(edit.value));
      }
      break;
    case 'repeat':
      if (Array.isArray(target) && target.length > 0) {
        const copies = Array.from({ length: edit.times }, () =>
          structuredClone(target[0]),
        );
        target.push(...copies);
      }
      break;
    case 'lengthen':
      if (typeof target === 'string') {
        define(parent, key, `${target}${'x'.repeat(edit.by)}`);
      }
      break;
    case 'wrap':
      define(parent, key, [target]);
      break;
    default:
      throw new Error('unknown mutation');
  }
  return root.value;
}

/** `document` with one to three random edits, each anywhere in it. */
export function mutated(document: unknown): fc.Arbitrary<unknown> {
  return fc
    .array(mutation, { minLength: 1, maxLength: 3 })
    .map(edits =>
      edits.reduce(
        (value, edit) => applyMutation(value, edit),
        structuredClone(document),
      ),
    );
}

/**
 * What a receiver may be sent: mostly a mutation of one of its real payloads, sometimes any
 * JSON at all. Passed through JSON text, as the body reader delivers it.
 */
export function bodiesLike(documents: unknown[]): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      { weight: 1, arbitrary: anyJson },
      {
        weight: 4,
        arbitrary: fc.constantFrom(...documents).chain(mutated),
      },
    )
    .map(value => JSON.parse(JSON.stringify(value) ?? 'null'));
}

/**
 * The HTTP status Backstage's error handler answers for `error` (its `getStatusCode`): a
 * `statusCode`/`status` field, else by name; anything else is a 500.
 */
export function statusFor(error: unknown): number {
  const fields = error as {
    statusCode?: unknown;
    status?: unknown;
    name?: unknown;
  };
  for (const code of [fields?.statusCode, fields?.status]) {
    if (
      typeof code === 'number' &&
      Number.isInteger(code) &&
      code >= 100 &&
      code <= 599
    ) {
      return code;
    }
  }
  const byName: Record<string, number> = {
    InputError: 400,
    AuthenticationError: 401,
    NotAllowedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
  };
  return (typeof fields?.name === 'string' && byName[fields.name]) || 500;
}

/** Longest a parser may take on one bounded body before it counts as hanging. */
const PARSE_BUDGET_MS = 2_000;

/**
 * Runs `parse` and fails unless it returns a JSON-serialisable value or throws an error that
 * answers 4xx, within PARSE_BUDGET_MS.
 */
export function expectValueOrClientError(parse: () => unknown): void {
  const started = performance.now();
  let refusal: unknown;
  let result: unknown;
  try {
    result = parse();
  } catch (error) {
    refusal = error;
  }
  const tookMs = performance.now() - started;
  if (tookMs > PARSE_BUDGET_MS) {
    throw new Error(`parsing took ${Math.round(tookMs)} ms`);
  }
  if (refusal === undefined) {
    JSON.stringify(result);
    return;
  }
  const status = statusFor(refusal);
  if (status < 400 || status >= 500) throw refusal;
}
