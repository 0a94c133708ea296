import { normalSampler, seededRandom } from '../service/random';
import { Annotations } from './metrics';

/**
 * The generated evaluation set: series with known change points in the shapes operations
 * metrics take (level shifts with noise, outliers, seasonality, trends; variance and slope
 * changes, which a means-based detector is not built for; and series with no change at all),
 * plus simulated annotators who disagree a little, as TCPDBench's human annotators do.
 *
 * Every number comes from one seed, so the files in evaluation/generated are reproducible and
 * a test checks they still equal this generator's output. The shapes and their parameters
 * were fixed before the detector was run on them (shift sizes 1–4 noise standard deviations,
 * regimes of at least 30 points, seasonality of one standard deviation), not tuned after.
 */

export interface GeneratedSeries {
  name: string;
  category: string;
  values: number[];
  /** The true change points: first index of each new regime. */
  changePoints: number[];
  /** Per change point, how visible it is (|shift| in noise σ; 0 for variance/slope changes). */
  strengths: number[];
}

const SD = 5;
const BASE = 100;
const MIN_REGIME = 30;

type Rng = {
  uniform: () => number;
  normal: () => number;
  int: (lo: number, hi: number) => number;
};

function rng(seed: number): Rng {
  const uniform = seededRandom(seed);
  return {
    uniform,
    normal: normalSampler(uniform),
    int: (lo, hi) => lo + Math.floor(uniform() * (hi - lo + 1)),
  };
}

/** k change points in (0, n) with every regime at least MIN_REGIME long. */
function positions(r: Rng, n: number, k: number): number[] {
  for (;;) {
    const cps = Array.from({ length: k }, () =>
      r.int(MIN_REGIME, n - MIN_REGIME),
    ).sort((a, b) => a - b);
    const bounds = [0, ...cps, n];
    if (bounds.every((b, i) => i === 0 || b - bounds[i - 1] >= MIN_REGIME)) {
      return cps;
    }
  }
}

/** A shift of 1–4 σ, up or down. */
function shift(r: Rng): number {
  return (r.uniform() < 0.5 ? -1 : 1) * (1 + 3 * r.uniform());
}

interface Extras {
  outliers?: boolean;
  seasonal?: boolean;
  trend?: boolean;
  heavyTails?: boolean;
}

function noise(r: Rng, heavy: boolean): number {
  if (!heavy) return r.normal();
  // Student's t with 3 degrees of freedom, scaled to unit variance
  const chi = r.normal() ** 2 + r.normal() ** 2 + r.normal() ** 2;
  return r.normal() / Math.sqrt(chi / 3) / Math.sqrt(3);
}

function levelSeries(
  r: Rng,
  name: string,
  category: string,
  k: number,
  extras: Extras,
): GeneratedSeries {
  const n = r.int(300, 800);
  const cps = positions(r, n, k);
  const shifts = cps.map(() => shift(r));
  const period = r.int(80, 160);
  const phase = r.uniform() * 2 * Math.PI;
  const drift = (r.uniform() < 0.5 ? -3 : 3) / n;
  const values: number[] = [];
  let level = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (next < cps.length && i === cps[next]) level += shifts[next++];
    let v = level + noise(r, !!extras.heavyTails);
    if (extras.seasonal) v += Math.sin(phase + (2 * Math.PI * i) / period);
    if (extras.trend) v += drift * i;
    if (extras.outliers && r.uniform() < 0.01) {
      v += (r.uniform() < 0.5 ? -1 : 1) * (6 + 4 * r.uniform());
    }
    values.push(round(BASE + SD * v));
  }
  return {
    name,
    category,
    values,
    changePoints: cps,
    strengths: shifts.map(Math.abs),
  };
}

/** Same mean, the noise three times larger or smaller from each change point on. */
function varianceSeries(r: Rng, name: string, k: number): GeneratedSeries {
  const n = r.int(300, 800);
  const cps = positions(r, n, k);
  const values: number[] = [];
  let scale = 1;
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (next < cps.length && i === cps[next]) {
      scale = scale === 1 ? 3 : 1;
      next++;
    }
    values.push(round(BASE + SD * scale * r.normal()));
  }
  return {
    name,
    category: 'variance',
    values,
    changePoints: cps,
    strengths: cps.map(() => 0),
  };
}

/** Continuous piecewise-linear: the slope changes (by 4 σ per 100 points) at each point. */
function slopeSeries(r: Rng, name: string, k: number): GeneratedSeries {
  const n = r.int(300, 800);
  const cps = positions(r, n, k);
  const values: number[] = [];
  let slope = 0;
  let level = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (next < cps.length && i === cps[next]) {
      slope += (r.uniform() < 0.5 ? -1 : 1) * 0.04;
      next++;
    }
    level += slope;
    values.push(round(BASE + SD * (level + r.normal())));
  }
  return {
    name,
    category: 'slope',
    values,
    changePoints: cps,
    strengths: cps.map(() => 0),
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The whole set, in a fixed order. */
export function generateSeries(seed = 27): GeneratedSeries[] {
  const r = rng(seed);
  const out: GeneratedSeries[] = [];
  const add = (count: number, make: (name: string) => GeneratedSeries) => {
    for (let i = 0; i < count; i++) out.push(make(`${out.length}`));
  };
  const id = (category: string, n: string) =>
    `${category}_${n.padStart(2, '0')}`;
  add(8, n => levelSeries(r, id('level', n), 'level', r.int(1, 4), {}));
  add(5, n =>
    levelSeries(r, id('level_outliers', n), 'level+outliers', r.int(1, 3), {
      outliers: true,
    }),
  );
  add(4, n =>
    levelSeries(r, id('level_seasonal', n), 'level+seasonal', r.int(1, 3), {
      seasonal: true,
    }),
  );
  add(3, n =>
    levelSeries(r, id('level_trend', n), 'level+trend', r.int(1, 3), {
      trend: true,
    }),
  );
  add(3, n => varianceSeries(r, id('variance', n), r.int(1, 2)));
  add(3, n => slopeSeries(r, id('slope', n), r.int(1, 2)));
  add(3, n => levelSeries(r, id('none_noise', n), 'none', 0, {}));
  add(2, n =>
    levelSeries(r, id('none_outliers', n), 'none', 0, { outliers: true }),
  );
  add(2, n =>
    levelSeries(r, id('none_seasonal', n), 'none', 0, { seasonal: true }),
  );
  add(2, n =>
    levelSeries(r, id('none_heavy_tails', n), 'none', 0, { heavyTails: true }),
  );
  add(1, n => levelSeries(r, id('none_trend', n), 'none', 0, { trend: true }));
  return out;
}

/**
 * Five simulated annotators per series: each marks a true change point within ±3 points
 * (rounded Gaussian jitter, σ = 1), misses a faint one (under 1.5 σ, or a variance or slope
 * change) one time in five and a clear one one time in twenty.
 */
export function simulateAnnotators(
  series: GeneratedSeries[],
  seed = 2027,
  annotators = 5,
): Record<string, Annotations> {
  const r = rng(seed);
  const out: Record<string, Annotations> = {};
  for (const s of series) {
    const marks: Record<string, number[]> = {};
    for (let a = 1; a <= annotators; a++) {
      const mine: number[] = [];
      s.changePoints.forEach((cp, i) => {
        const miss = s.strengths[i] < 1.5 ? 0.2 : 0.05;
        if (r.uniform() < miss) return;
        const jitter = Math.max(-3, Math.min(3, Math.round(r.normal())));
        mine.push(Math.max(1, Math.min(s.values.length - 1, cp + jitter)));
      });
      marks[`annotator_${a}`] = mine;
    }
    out[s.name] = marks;
  }
  return out;
}

/** A series in TCPDBench's dataset format. */
export function toTcpd(s: GeneratedSeries) {
  return {
    name: s.name,
    longname: `${s.category} (generated)`,
    n_obs: s.values.length,
    n_dim: 1,
    time: { index: s.values.map((_, i) => i) },
    series: [{ label: 'V1', type: 'float', raw: s.values }],
  };
}
