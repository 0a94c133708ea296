import fc from 'fast-check';
import { InputError } from '@backstage/errors';
import {
  lastEnd,
  silenceWindows,
  validateSilenceSpec,
  type SilenceSpec,
} from './silenceSchedule';
import { fuzzRuns, silenceBodies } from '../__testUtils__/silenceFuzz';

/**
 * Silences and their RRULEs, as an administrator (or a script) could send them: validation
 * returns a spec or throws an InputError, quickly; an accepted spec expands to ordered windows
 * of its own length inside the asked range, and its last end is computed quickly too. The
 * HTTP properties (POST /silences, query strings) are in silences.fuzz.test.ts.
 */

const RUNS = fuzzRuns(300);
jest.setTimeout(60_000 + RUNS * 20);

/** Longest one validation or expansion may take before it counts as hanging. */
const BUDGET_MS = 2_000;

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const tookMs = performance.now() - started;
  if (tookMs > BUDGET_MS) {
    throw new Error(`${what} took ${Math.round(tookMs)} ms`);
  }
  return result;
}

/** The spec, or undefined when it is refused with an InputError; anything else fails. */
function validated(body: unknown): SilenceSpec | undefined {
  try {
    return timed('validateSilenceSpec', () => validateSilenceSpec(body));
  } catch (error) {
    if (InputError.is(error)) return undefined;
    throw error;
  }
}

/**
 * The spec's last end (if it ends) is no earlier than its first, and its windows in
 * `[from, to)` are ordered, as long as the spec's own window, overlap the range and end by
 * the last end.
 */
function expectBoundedOrderedWindows(
  spec: SilenceSpec,
  from: number,
  to: number,
) {
  const startsAt = Date.parse(spec.startsAt);
  const durationMs = Date.parse(spec.endsAt) - startsAt;
  expect(durationMs).toBeGreaterThan(0);
  const end = timed('lastEnd', () => lastEnd(spec));
  const lastStop = end === undefined ? Infinity : Date.parse(end);
  expect(lastStop).toBeGreaterThanOrEqual(Date.parse(spec.endsAt));

  const windows = timed('silenceWindows', () =>
    silenceWindows(
      {
        id: 'fuzz',
        createdBy: 'user:default/fuzz',
        createdAt: spec.startsAt,
        ...spec,
      },
      from,
      to,
    ),
  );
  let previousStart = -Infinity;
  for (const window of windows) {
    const start = Date.parse(window.startsAt);
    const stop = Date.parse(window.endsAt);
    expect(start).toBeGreaterThan(previousStart);
    expect(start).toBeGreaterThanOrEqual(startsAt);
    expect(stop - start).toBe(durationMs);
    expect(start).toBeLessThan(to);
    expect(stop).toBeGreaterThan(from);
    expect(stop).toBeLessThanOrEqual(lastStop);
    previousStart = start;
  }
}

describe('silence schedules', () => {
  it('validation returns a spec or an InputError; accepted specs expand to bounded, ordered windows', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        silenceBodies,
        fc.integer({ min: -2 * 86_400_000, max: 400 * 86_400_000 }),
        fc.integer({ min: 1, max: 31 * 86_400_000 }),
        (body, offsetMs, spanMs) => {
          const spec = validated(body);
          if (!spec) return;
          accepted += 1;
          const from = Date.parse(spec.startsAt) + offsetMs;
          expectBoundedOrderedWindows(spec, from, from + spanMs);
        },
      ),
      { numRuns: RUNS },
    );
    // The generator reaches expansion, not just the first checks.
    expect(accepted).toBeGreaterThan(RUNS / 50);
  });
});
