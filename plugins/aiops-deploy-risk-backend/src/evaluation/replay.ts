import { FACTORS } from '../service/factors';
import type {
  FactorMeasure,
  FreezeWindow,
  PastDeployment,
  RiskInput,
} from '../service/types';
import {
  DAY,
  transitiveDependents,
  type GenService,
  type History,
} from './generate';

const HOUR = 3_600_000;
const HISTORY_MS = 90 * DAY;

/** One assessed deploy: what the factors measured before it, and what happened after. */
export interface ReplayedDeploy {
  id: string;
  ref: string;
  at: number;
  measures: FactorMeasure[];
  /** The measures' values in FACTORS order: the model's feature vector. */
  values: number[];
  blocked: boolean;
  failed: boolean;
  caused: boolean;
  /** The generator's hidden probability that the change itself fails (the ceiling's ranking). */
  probability: number;
  isNew: boolean;
}

/**
 * Assesses every deploy of the evaluated period in time order with only what was known when
 * it was assessed: incidents already opened, regressions already detected, outcomes whose
 * window had closed, services that existed. The outcome is looked at only for the result.
 */
export function replay(history: History): ReplayedDeploy[] {
  const services = new Map(history.services.map(s => [s.ref, s]));
  const dependents = transitiveDependents(history.services);
  const dependencies = transitiveDependencies(history.services);
  const past = new Map<
    string,
    Array<{ id: string; at: number; outcomeAt: number; failed: boolean }>
  >();
  const result: ReplayedDeploy[] = [];
  for (const d of history.deploys) {
    const s = services.get(d.ref)!;
    const known = past.get(d.ref) ?? [];
    if (d.at >= history.evaluatedFrom) {
      const input = riskInputAt(history, s, d, known, dependents, dependencies);
      const measures = FACTORS.map(f => f.measure(input));
      result.push({
        id: d.id,
        ref: d.ref,
        at: d.at,
        measures,
        values: measures.map(m => m.value),
        blocked: measures.some(m => m.block),
        failed: d.failed,
        caused: d.caused,
        probability: d.probability,
        isNew: s.isNew,
      });
    }
    known.push({
      id: d.id,
      at: d.at,
      outcomeAt: d.outcomeAt,
      failed: d.failed,
    });
    past.set(d.ref, known);
  }
  return result;
}

function riskInputAt(
  history: History,
  s: GenService,
  d: History['deploys'][number],
  earlier: Array<{
    id: string;
    at: number;
    outcomeAt: number;
    failed: boolean;
  }>,
  dependents: Map<string, Map<string, number>>,
  dependencies: Map<string, Set<string>>,
): RiskInput {
  const t = d.at;
  const deps = dependencies.get(s.ref)!;
  const deployments: PastDeployment[] = earlier
    .filter(e => e.at >= t - HISTORY_MS && e.at < t)
    .map(e => ({
      id: e.id,
      at: new Date(e.at).toISOString(),
      outcome: outcomeAt(e, t),
    }));
  const byRef = new Map(history.services.map(x => [x.ref, x]));
  return {
    request: {
      entityRef: s.ref,
      version: d.id,
      environment: 'production',
      diffStats: {
        filesChanged: d.paths.length,
        linesAdded: d.linesAdded,
        linesDeleted: d.linesDeleted,
        paths: d.paths,
      },
      plannedAt: new Date(t).toISOString(),
    },
    now: new Date(t).toISOString(),
    incidents: history.incidents
      .filter(
        i =>
          i.openedAt <= t &&
          t < i.resolvedAt &&
          (i.ref === s.ref || deps.has(i.ref)),
      )
      .map(i => ({
        id: i.id,
        entityRef: i.ref,
        severity: i.severity,
        relation:
          i.ref === s.ref ? ('entity' as const) : ('dependency' as const),
      })),
    deployments,
    dependents: [...dependents.get(s.ref)!]
      .map(([ref, depth]) => ({ ref, depth, svc: byRef.get(ref)! }))
      .filter(x => x.svc.createdAt <= t)
      .map(x => ({
        entityRef: x.ref,
        depth: x.depth,
        tier: x.svc.tier,
        lifecycle: x.svc.lifecycle,
      })),
    regressions: history.regressions
      .filter(r => r.ref === s.ref && r.detectedAt <= t && t < r.endsAt)
      .map(r => ({
        id: r.id,
        metric: r.metric,
        relativeChange: r.relativeChange,
      })),
    policy: {
      timezone: s.timezone,
      workingHours: { start: 9, end: 18 },
      fridayCutoffHour: 14,
      freezeWindows: s.weekendFreeze ? weekendFreezes(s, t) : [],
    },
  };
}

function outcomeAt(
  e: { outcomeAt: number; failed: boolean },
  t: number,
): PastDeployment['outcome'] {
  if (e.outcomeAt > t) return 'pending';
  return e.failed ? 'failed' : 'succeeded';
}

/**
 * The team's weekly freeze (Friday 16:00 to Monday 06:00 local) around `t`, expanded the way
 * the plugin would expand `FREQ=WEEKLY;BYDAY=FR;BYHOUR=16` with a 62-hour duration.
 */
export function weekendFreezes(s: GenService, t: number): FreezeWindow[] {
  const localT = t + s.utcOffset * HOUR;
  const localDay = Math.floor(localT / DAY) * DAY;
  const weekday = new Date(localDay).getUTCDay();
  const friday = localDay - ((weekday + 2) % 7) * DAY;
  return [-7, 0, 7].map(offset => {
    const startsAt = friday + offset * DAY + 16 * HOUR - s.utcOffset * HOUR;
    return {
      name: 'weekend freeze',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 62 * HOUR).toISOString(),
    };
  });
}

function transitiveDependencies(
  services: GenService[],
): Map<string, Set<string>> {
  const byRef = new Map(services.map(s => [s.ref, s]));
  const result = new Map<string, Set<string>>();
  for (const s of services) {
    const seen = new Set<string>();
    const stack = [...s.dependsOn];
    while (stack.length) {
      const ref = stack.pop()!;
      if (seen.has(ref) || ref === s.ref) continue;
      seen.add(ref);
      stack.push(...(byRef.get(ref)?.dependsOn ?? []));
    }
    result.set(s.ref, seen);
  }
  return result;
}
