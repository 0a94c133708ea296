import type {
  EntityRef,
  IncidentGroupStats,
  IncidentStats,
  IncidentStatus,
  ResponseTimes,
} from '@aiops/plugin-aiops-common';

/*
 * Response times and counts of incidents, computed over plain data. The means are taken here
 * rather than in SQL: date arithmetic differs between SQLite (text) and PostgreSQL
 * (timestamptz), and a window holds few enough incidents.
 */

/** When an incident opened, was acknowledged and resolved (ISO 8601), and whether by a merge. */
export interface IncidentTimes {
  openedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  merged: boolean;
}

/** The owner and system an incident counts towards; `null` when it has none. */
export interface IncidentRefs {
  owner: EntityRef | null;
  system: EntityRef | null;
}

/** How many unresolved incidents one owner and system have in one status. */
export interface UnresolvedCount extends IncidentRefs {
  status: IncidentStatus;
  count: number;
}

/**
 * The stats of a window, the caller naming the window (`from`, `to`). `byOwner` and `bySystem`
 * are sorted by `open + acknowledged`, highest first, then by ref (`null` last).
 */
export type WindowStats = Omit<IncidentStats, 'from' | 'to'>;

export function responseTimes(incidents: IncidentTimes[]): ResponseTimes {
  const toAck: number[] = [];
  const toResolve: number[] = [];
  for (const incident of incidents) {
    const opened = Date.parse(incident.openedAt);
    if (incident.acknowledgedAt)
      toAck.push(Date.parse(incident.acknowledgedAt) - opened);
    // A merge resolves the source without anything having been fixed.
    if (incident.resolvedAt && !incident.merged) {
      toResolve.push(Date.parse(incident.resolvedAt) - opened);
    }
  }
  const mttaMs = mean(toAck);
  const mttrMs = mean(toResolve);
  return {
    incidents: incidents.length,
    ...(mttaMs === undefined ? {} : { mttaMs }),
    ...(mttrMs === undefined ? {} : { mttrMs }),
  };
}

/**
 * Totals and stats per owner and per system: `counts` are the unresolved incidents now,
 * `windowed` the incidents opened in the window.
 */
export function windowStats(
  counts: UnresolvedCount[],
  windowed: Array<IncidentTimes & IncidentRefs>,
): WindowStats {
  return {
    totals: summarize(counts, windowed),
    byOwner: groupStats(counts, windowed, 'owner'),
    bySystem: groupStats(counts, windowed, 'system'),
  };
}

function mean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round(
    values.reduce((sum, value) => sum + value, 0) / values.length,
  );
}

function summarize(counts: UnresolvedCount[], windowed: IncidentTimes[]) {
  const count = (status: IncidentStatus) =>
    counts
      .filter(row => row.status === status)
      .reduce((n, row) => n + row.count, 0);
  return {
    open: count('open'),
    acknowledged: count('acknowledged'),
    ...responseTimes(windowed),
  };
}

/** Stats per owner or system, busiest first. */
function groupStats(
  counts: UnresolvedCount[],
  windowed: Array<IncidentTimes & IncidentRefs>,
  column: keyof IncidentRefs,
): IncidentGroupStats[] {
  const countsByRef = groupBy(counts, row => row[column]);
  const windowedByRef = groupBy(windowed, row => row[column]);
  const refs = new Set([...countsByRef.keys(), ...windowedByRef.keys()]);
  return [...refs]
    .map(ref => ({
      ref,
      ...summarize(countsByRef.get(ref) ?? [], windowedByRef.get(ref) ?? []),
    }))
    .sort(
      (a, b) =>
        b.open + b.acknowledged - (a.open + a.acknowledged) ||
        compareRefs(a.ref, b.ref),
    );
}

function groupBy<T>(
  rows: T[],
  keyOf: (row: T) => string | null,
): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const row of rows) {
    const key = keyOf(row) ?? null;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

/** Code unit order, independent of locale; incidents without a ref last. */
function compareRefs(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
