import type { Severity } from '@aiops/plugin-aiops-common';
import { seededRandom, type Random } from './random';

/**
 * A generated deployment history with a known, hidden failure mechanism. The mechanism is a
 * noisy hazard process over things a real service has — its engineering quality, a learning
 * curve when new, fragility after a failure, change size, what the change touches, when it
 * ships, an unstable environment — and the recorded outcome is what the plugin would record:
 * any incident on the service or a dependent, or a regression, within the outcome window,
 * whatever caused it. So the factors see symptoms, never the mechanism's inputs.
 */

export const DAY = 86_400_000;
const HOUR = 3_600_000;
export const OUTCOME_WINDOW_MS = 24 * HOUR;

export interface HistoryOptions {
  seed: string;
  services: number;
  /** Days of history before the evaluated period, so that old services have a record. */
  warmupDays: number;
  evaluatedDays: number;
  /** Median background (not deploy-caused) incident rate per service per calm day. */
  backgroundRate: number;
  /**
   * Whose incidents fail a deploy: the service's and its direct dependents' (`direct`), or its
   * transitive dependents' too (`transitive`, which makes every deploy of a hub "fail").
   */
  outcomeScope: 'direct' | 'transitive';
}

export const DEFAULT_HISTORY: HistoryOptions = {
  seed: 'deploy-risk-eval-1',
  services: 60,
  warmupDays: 90,
  evaluatedDays: 240,
  backgroundRate: 0.004,
  outcomeScope: 'direct',
};

export interface GenService {
  ref: string;
  tier: 'tier-1' | 'tier-2' | 'tier-3';
  lifecycle: 'production' | 'experimental' | 'deprecated';
  /** Fixed UTC offset of the owning team, in hours, and the zone it names. */
  utcOffset: number;
  timezone: string;
  /** Epoch ms from which the service exists. */
  createdAt: number;
  /** Created during the history, so it has no record and its team is still learning. */
  isNew: boolean;
  dependsOn: string[];
  /** Hidden: multiplies the code-defect hazard (lognormal, median 1). */
  quality: number;
  /** Hidden: deploys per week. */
  cadence: number;
  /** Hidden: median lines changed per deploy. */
  medianLines: number;
  /** Hidden: background incident rate per day outside unstable periods. */
  backgroundRate: number;
  /** Team policy: no deploys from Friday 16:00 to Monday 06:00 local, except hotfixes. */
  weekendFreeze: boolean;
}

export interface GenDeploy {
  id: string;
  ref: string;
  at: number;
  linesAdded: number;
  linesDeleted: number;
  paths: string[];
  hotfix: boolean;
  /** Hidden: the mechanism's probability that the change itself fails. */
  probability: number;
  /** Hidden: the change itself failed. */
  caused: boolean;
  /**
   * The recorded outcome: an incident on the service or a dependent, or a regression on the
   * service, after the deploy and before its window closes.
   */
  failed: boolean;
  /** When the window closes: 24 hours later, or at the service's next deploy if sooner. */
  outcomeAt: number;
}

export interface GenIncident {
  id: string;
  ref: string;
  severity: Severity;
  openedAt: number;
  resolvedAt: number;
  cause: 'deploy' | 'background';
}

export interface GenRegression {
  id: string;
  ref: string;
  metric: string;
  relativeChange: number;
  detectedAt: number;
  endsAt: number;
}

export interface History {
  /** Start of the evaluated period (epoch ms); deploys before it only build the record. */
  evaluatedFrom: number;
  evaluatedTo: number;
  services: GenService[];
  deploys: GenDeploy[];
  incidents: GenIncident[];
  regressions: GenRegression[];
}

const ZONES: Array<[string, number]> = [
  ['UTC', 0],
  ['Europe/Paris', 1],
  ['America/New_York', -5],
  ['Asia/Tokyo', 9],
];
const SEVERITIES: Array<[Severity, number]> = [
  ['critical', 0.1],
  ['error', 0.4],
  ['warning', 0.4],
  ['info', 0.1],
];
const METRICS = ['latency_p95', 'error_rate', 'cpu', 'memory'];

const HISTORY_START = Date.parse('2026-01-05T00:00:00Z');

/** Where the evaluated period of a history with these options starts (epoch ms). */
export function evaluationStart(options: HistoryOptions): number {
  return HISTORY_START + options.warmupDays * DAY;
}

export function generateHistory(
  options: HistoryOptions = DEFAULT_HISTORY,
): History {
  const random = seededRandom(options.seed);
  const start = HISTORY_START;
  const evaluatedFrom = start + options.warmupDays * DAY;
  const end = evaluatedFrom + options.evaluatedDays * DAY;
  const services = makeServices(random, options, start, evaluatedFrom, end);
  const incidents: GenIncident[] = [];
  const regressions: GenRegression[] = [];
  for (const s of services) {
    backgroundEvents(random, s, end, incidents, regressions);
  }
  const deploys = candidateDeploys(random, services, end);
  simulate(random, services, deploys, incidents, regressions, end);
  label(services, deploys, incidents, regressions, options.outcomeScope);
  incidents.sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id));
  regressions.sort((a, b) => a.detectedAt - b.detectedAt);
  return {
    evaluatedFrom,
    evaluatedTo: end,
    services,
    deploys,
    incidents,
    regressions,
  };
}

function makeServices(
  random: Random,
  options: HistoryOptions,
  start: number,
  evaluatedFrom: number,
  end: number,
): GenService[] {
  const services: GenService[] = [];
  for (let i = 0; i < options.services; i++) {
    const [timezone, utcOffset] = random.pick(ZONES);
    const isNew = i >= 8 && random.chance(0.2);
    // Lower indexes are platform services; later ones depend on up to three earlier ones.
    const dependsOn = new Set<string>();
    const fanOut = i === 0 ? 0 : Math.min(i, random.poisson(1.5));
    for (let k = 0; k < fanOut; k++) {
      const j = Math.floor(Math.pow(random.next(), 2) * i);
      dependsOn.add(services[j].ref);
    }
    const tierDraw = random.next();
    const lifecycleDraw = random.next();
    const cadence = Math.exp(Math.log(2.5) + 0.8 * random.normal());
    services.push({
      ref: `component:default/svc-${String(i).padStart(2, '0')}`,
      tier: byDraw(tierDraw, [
        ['tier-1', 0.15],
        ['tier-2', 0.35],
        ['tier-3', 0.5],
      ]),
      lifecycle: byDraw(lifecycleDraw, [
        ['production', 0.8],
        ['experimental', 0.15],
        ['deprecated', 0.05],
      ]),
      utcOffset,
      timezone,
      isNew,
      createdAt: isNew
        ? evaluatedFrom +
          Math.floor(random.next() * 0.8 * (end - evaluatedFrom))
        : start,
      dependsOn: [...dependsOn].sort(),
      quality: Math.exp(0.7 * random.normal()),
      cadence: Math.min(15, Math.max(0.3, cadence)),
      // Teams that deploy rarely ship bigger batches.
      medianLines:
        60 * Math.sqrt(2.5 / cadence) * Math.exp(0.4 * random.normal()),
      backgroundRate: options.backgroundRate * Math.exp(0.5 * random.normal()),
      weekendFreeze: random.chance(0.3),
    });
  }
  return services;
}

function severity(random: Random): Severity {
  return byDraw(random.next(), SEVERITIES);
}

/** The value whose share of [0, 1) the uniform `draw` falls in; shares add up to 1. */
function byDraw<T>(draw: number, shares: Array<[T, number]>): T {
  let cumulative = 0;
  for (const [value, share] of shares) {
    cumulative += share;
    if (draw < cumulative) return value;
  }
  return shares[shares.length - 1][0];
}

/** Incidents and regressions that no deploy caused, in calm and unstable periods. */
function backgroundEvents(
  random: Random,
  s: GenService,
  end: number,
  incidents: GenIncident[],
  regressions: GenRegression[],
) {
  let unstableUntil = -Infinity;
  for (let day = s.createdAt; day < end; day += DAY) {
    // An unstable spell (a flaky dependency, load growth) starts about every 60 days.
    if (day >= unstableUntil && random.chance(1 / 60)) {
      unstableUntil = day + (2 + random.next() * 5) * DAY;
    }
    const rate = s.backgroundRate * (day < unstableUntil ? 8 : 1);
    for (let k = random.poisson(rate); k > 0; k--) {
      const openedAt = day + random.next() * DAY;
      incidents.push({
        id: `bg-${incidents.length}`,
        ref: s.ref,
        severity: severity(random),
        openedAt,
        resolvedAt: openedAt + Math.exp(Math.log(2 * HOUR) + random.normal()),
        cause: 'background',
      });
    }
    if (random.chance(day < unstableUntil ? 0.03 : 0.004)) {
      const detectedAt = day + random.next() * DAY;
      regressions.push({
        id: `bgr-${regressions.length}`,
        ref: s.ref,
        metric: random.pick(METRICS),
        relativeChange: 0.1 + random.next() * 0.6,
        detectedAt,
        endsAt: detectedAt + (1 + random.next() * 3) * DAY,
      });
    }
  }
}

/** The local (fixed-offset) weekday and hour of `at` for a team. */
function local(at: number, s: GenService): { weekday: number; hour: number } {
  const shifted = new Date(at + s.utcOffset * HOUR);
  return { weekday: shifted.getUTCDay(), hour: shifted.getUTCHours() };
}

function inWeekendFreeze(at: number, s: GenService): boolean {
  const { weekday, hour } = local(at, s);
  return (
    (weekday === 5 && hour >= 16) ||
    weekday === 6 ||
    weekday === 0 ||
    (weekday === 1 && hour < 6)
  );
}

function candidateDeploys(
  random: Random,
  services: GenService[],
  end: number,
): GenDeploy[] {
  const deploys: GenDeploy[] = [];
  for (const s of services) {
    for (let day = s.createdAt; day < end; day += DAY) {
      const localMidnight = day - s.utcOffset * HOUR;
      const weekday = new Date(day).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const count = random.poisson(weekend ? s.cadence * 0.02 : s.cadence / 5);
      for (let k = 0; k < count; k++) {
        const hour = deployHour(random);
        const at = Math.floor(localMidnight + hour * HOUR);
        if (at < s.createdAt || at >= end) continue;
        if (s.weekendFreeze && inWeekendFreeze(at, s)) continue;
        deploys.push(change(random, s, at, false));
      }
    }
  }
  return deploys.sort((a, b) => a.at - b.at || a.ref.localeCompare(b.ref));
}

/** Most deploys land in working hours; some teams' automation ships in the evening or at night. */
function deployHour(random: Random): number {
  if (random.chance(0.85)) return 9 + random.next() * 9;
  if (random.chance(0.5)) return 18 + random.next() * 6;
  return random.next() * 9;
}

/** Fewer people watching: a defect more often escapes into an incident. */
function timingMultiplier(weekday: number, hour: number): number {
  if (weekday === 0 || weekday === 6 || hour < 9 || hour >= 18) return 1.4;
  if (weekday === 5) return hour >= 14 ? 1.25 : 1.1;
  return 1;
}

function change(
  random: Random,
  s: GenService,
  at: number,
  hotfix: boolean,
): GenDeploy {
  const lines = hotfix
    ? 5 + Math.floor(random.next() * 60)
    : Math.max(
        1,
        Math.round(Math.exp(Math.log(s.medianLines) + 1.1 * random.normal())),
      );
  const files = 1 + random.poisson(Math.min(40, lines / 40));
  const paths = Array.from(
    { length: files },
    (_, i) => `src/module${i % 7}/file${i}.ts`,
  );
  if (!hotfix) {
    if (random.chance(0.07)) paths.push('db/migrations/0042_change.sql');
    if (random.chance(0.08)) paths.push('deploy/helm/values-prod.yaml');
    if (random.chance(0.12)) paths.push('package.json', 'package-lock.json');
    if (random.chance(0.12)) paths.push('config/production.json');
  }
  const added = Math.round(lines * (0.4 + 0.4 * random.next()));
  return {
    id: '',
    ref: s.ref,
    at,
    linesAdded: added,
    linesDeleted: lines - added,
    paths,
    hotfix,
    probability: 0,
    caused: false,
    failed: false,
    outcomeAt: at + OUTCOME_WINDOW_MS,
  };
}

/** Runs the hidden failure mechanism over the deploys in time order; failures cause events. */
function simulate(
  random: Random,
  services: GenService[],
  deploys: GenDeploy[],
  incidents: GenIncident[],
  regressions: GenRegression[],
  end: number,
) {
  const byRef = new Map(services.map(s => [s.ref, s]));
  const dependents = new Map<string, string[]>();
  for (const s of services) {
    for (const d of s.dependsOn)
      dependents.set(d, [...(dependents.get(d) ?? []), s.ref]);
  }
  const deployCount = new Map<string, number>();
  const lastFailure = new Map<string, number>();
  for (let i = 0; i < deploys.length; i++) {
    const d = deploys[i];
    d.id = `dep-${i}`;
    const s = byRef.get(d.ref)!;
    // Old services arrive with experience; new ones learn over their first deploys.
    const n = deployCount.get(d.ref) ?? (s.isNew ? 0 : 50);
    deployCount.set(d.ref, n + 1);
    const { weekday, hour } = local(d.at, s);
    const timingMult = timingMultiplier(weekday, hour);
    const sinceFailure = d.at - (lastFailure.get(d.ref) ?? -Infinity);
    const fragile = 1 + 2 * Math.exp(-sinceFailure / (5 * DAY));
    const learning = 1 + 2 * Math.exp(-n / 10);
    const practice = Math.min(2, 1 + 0.5 / s.cadence);
    const lines = d.linesAdded + d.linesDeleted;
    const hazards = [
      1 -
        Math.exp(
          -0.035 *
            s.quality *
            learning *
            timingMult *
            practice *
            fragile *
            Math.pow(lines / 100, 0.6),
        ),
    ];
    const touches = (p: string) => d.paths.includes(p);
    if (touches('db/migrations/0042_change.sql'))
      hazards.push(0.1 * Math.min(2, s.quality));
    if (touches('deploy/helm/values-prod.yaml')) hazards.push(0.08);
    if (touches('package.json')) hazards.push(0.04);
    if (touches('config/production.json')) hazards.push(0.05);
    const open = incidents.filter(
      x => x.openedAt <= d.at && d.at < x.resolvedAt,
    );
    if (open.some(x => x.ref === d.ref)) hazards.push(0.06);
    const deps = open.filter(x => s.dependsOn.includes(x.ref)).length;
    hazards.push(1 - Math.pow(0.97, Math.min(2, deps)));
    if (
      regressions.some(
        r => r.ref === d.ref && r.detectedAt <= d.at && d.at < r.endsAt,
      )
    ) {
      hazards.push(0.05);
    }
    const pFail = 1 - hazards.reduce((q, h) => q * (1 - h), 1);
    d.probability = pFail;
    if (!random.chance(pFail)) continue;
    d.caused = true;
    lastFailure.set(d.ref, d.at);
    // Most failures page someone; some only show as a regression; a few go unnoticed.
    if (random.chance(0.85)) {
      const openedAt = d.at + (0.2 + random.next() * 6) * HOUR;
      incidents.push({
        id: `inc-${incidents.length}`,
        ref: d.ref,
        severity: severity(random),
        openedAt,
        resolvedAt: openedAt + Math.exp(Math.log(1.5 * HOUR) + random.normal()),
        cause: 'deploy',
      });
      if (random.chance(0.5) && !d.hotfix) {
        const at = openedAt + (0.5 + random.next() * 2.5) * HOUR;
        if (at < end) insertDeploy(deploys, change(random, s, at, true), i);
      }
    }
    if (random.chance(0.4)) {
      const detectedAt = d.at + (0.5 + random.next() * 4) * HOUR;
      regressions.push({
        id: `reg-${regressions.length}`,
        ref: d.ref,
        metric: random.pick(METRICS),
        relativeChange: 0.15 + random.next() * 0.8,
        detectedAt,
        endsAt: detectedAt + (1 + random.next() * 4) * DAY,
      });
    }
    const downstream = dependents.get(d.ref) ?? [];
    if (downstream.length && random.chance(0.25)) {
      const openedAt = d.at + (0.5 + random.next() * 6) * HOUR;
      incidents.push({
        id: `inc-${incidents.length}`,
        ref: random.pick(downstream),
        severity: severity(random),
        openedAt,
        resolvedAt: openedAt + Math.exp(Math.log(1.5 * HOUR) + random.normal()),
        cause: 'deploy',
      });
    }
  }
}

function insertDeploy(deploys: GenDeploy[], d: GenDeploy, after: number) {
  let i = after + 1;
  while (i < deploys.length && deploys[i].at <= d.at) i++;
  deploys.splice(i, 0, d);
}

/** The outcome as the plugin records it, from the events alone. */
function label(
  services: GenService[],
  deploys: GenDeploy[],
  incidents: GenIncident[],
  regressions: GenRegression[],
  scope: HistoryOptions['outcomeScope'],
) {
  const watched = transitiveDependents(services);
  const next = new Map<string, number>();
  // Backwards, so `next` holds each service's following deploy: it closes the window, and
  // what happens after it is that deploy's outcome, not this one's.
  for (const d of [...deploys].reverse()) {
    d.outcomeAt = Math.min(
      d.at + OUTCOME_WINDOW_MS,
      next.get(d.ref) ?? Infinity,
    );
    next.set(d.ref, d.at);
    const refs = new Set([d.ref]);
    for (const [ref, depth] of watched.get(d.ref) ?? []) {
      if (scope === 'transitive' || depth === 1) refs.add(ref);
    }
    const inWindow = (t: number) => t >= d.at && t < d.outcomeAt;
    d.failed =
      incidents.some(x => refs.has(x.ref) && inWindow(x.openedAt)) ||
      regressions.some(r => r.ref === d.ref && inWindow(r.detectedAt));
  }
}

/** For each service, its transitive dependents and their depth. */
export function transitiveDependents(
  services: GenService[],
): Map<string, Map<string, number>> {
  const direct = new Map<string, string[]>();
  for (const s of services) {
    for (const d of s.dependsOn)
      direct.set(d, [...(direct.get(d) ?? []), s.ref]);
  }
  const result = new Map<string, Map<string, number>>();
  for (const s of services) {
    const depth = new Map<string, number>();
    let frontier = [s.ref];
    for (let level = 1; frontier.length; level++) {
      const next: string[] = [];
      for (const ref of frontier) {
        for (const dep of direct.get(ref) ?? []) {
          if (!depth.has(dep) && dep !== s.ref) {
            depth.set(dep, level);
            next.push(dep);
          }
        }
      }
      frontier = next;
    }
    result.set(s.ref, depth);
  }
  return result;
}
