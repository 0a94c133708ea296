import type { Knex } from 'knex';
import type { Incident } from '@aiops/plugin-aiops-common';
import { iso } from '@aiops/plugin-aiops-node';
import type { CorrelationDecision } from '../../../service/types';
import type { AppliedDecisions, ApplyContext } from '../../IncidentStore';
import type { TimelineRow } from '../../rows';
import type { RoleColumns } from '../rows';
import { lookUpExistence } from '../writes';
import type { BatchWrites } from './batch';

const SYSTEM_ACTOR = 'system';

/** A timeline entry of the step; `at` defaults to the step's time, `actor` is the step's. */
export type StepEntry = Omit<TimelineRow, 'actor' | 'at'> & { at?: string };

/** One correlation step being stored, as its decisions' writers see it. */
export interface Step {
  tx: Knex.Transaction;
  /** All the step's decisions: an opening stores its alerts' joins with it. */
  decisions: CorrelationDecision[];
  /** The step's time (ISO 8601). */
  now: string;
  actor: string;
  result: AppliedDecisions;
  batch: BatchWrites;
  /** The stored incident a decision's incident id stands for (see `redirected`). */
  target(id: string): string;
  /** Whether an incident is stored (looked up once per batch). */
  known(id: string): Promise<boolean>;
  /** Appends an entry to the batch's timeline. */
  timeline(entry: StepEntry): void;
  /** Suppressions change an alert's role; stored with the batch (`storeRoles`). */
  roleChange(alertId: string, columns: RoleColumns, entry: TimelineRow): void;
  /** Incidents whose findings the step's snapshots store. */
  findingsBySnapshot: Set<string>;
  /** The core's view of each incident of the step, by stored id. */
  snapshotOf: Map<string, Incident>;
  /** Incidents whose ranking is stored with their snapshot (one update instead of two). */
  rankedBySnapshot: Set<string>;
  /** `incident\nalert` of alerts stored with their incident's opening in this step. */
  attachedWithOpen: Set<string>;
}

export function startStep(
  tx: Knex.Transaction,
  decisions: CorrelationDecision[],
  context: ApplyContext,
  batch: BatchWrites,
): Step {
  const now = iso(context.now);
  const actor = context.actor ?? SYSTEM_ACTOR;
  const { redirected, exists } = batch;
  const target = (id: string) => redirected[id] ?? id;
  const snapshots = context.snapshots ?? [];
  return {
    tx,
    decisions,
    now,
    actor,
    result: { opened: [], redirected: {}, skipped: 0 },
    batch,
    target,
    known: async id => {
      if (!exists.has(id)) await lookUpExistence(tx, [id], exists);
      return exists.get(id)!;
    },
    timeline: entry => {
      batch.timeline.push({ at: now, actor, ...entry });
    },
    roleChange: (alertId, columns, entry) => {
      batch.timeline.push(entry);
      batch.roles.push({
        incidentId: entry.incidentId,
        alertId,
        columns,
        entry,
      });
    },
    findingsBySnapshot: new Set(
      snapshots
        .filter(snapshot => snapshot.findingsByKey)
        .map(snapshot => target(snapshot.incident.id)),
    ),
    snapshotOf: new Map(
      snapshots.map(snapshot => [
        target(snapshot.incident.id),
        snapshot.incident,
      ]),
    ),
    rankedBySnapshot: new Set(),
    attachedWithOpen: new Set(),
  };
}

/**
 * The entry id inputs of a decision about a stored incident: the decision and the step's
 * time, so a replay of the step records nothing twice.
 */
export function stepIdentity(
  step: Step,
  incidentId: string,
  decision: CorrelationDecision,
): unknown[] {
  return [incidentId, step.now, { ...decision, incidentId }];
}

/**
 * Findings and rankings are identified by what they say, not when: replicas that batched the
 * same alerts differently then record each of them once.
 */
export function contentIdentity(
  incidentId: string,
  decision: CorrelationDecision,
): unknown[] {
  return [incidentId, { ...decision, incidentId }];
}
