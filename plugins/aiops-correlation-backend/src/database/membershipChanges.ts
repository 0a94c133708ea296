import type { Knex } from 'knex';
import type { CorrelationDecision } from '../service/types';
import type { TimelineRow } from './rows';

type MoveAlert = Extract<CorrelationDecision, { type: 'move-alert' }>;
type MergeIncident = Extract<CorrelationDecision, { type: 'merge-incident' }>;

/** A move waiting for the end of its batch, when the batch's joins have been stored. */
export interface PendingMove {
  alertId: string;
  from: string;
  to: string;
  rule: string;
  reason: string;
  at: string;
}

/**
 * The two timeline entries of a move: the incident it left says where the alert went, the one
 * it joined where it came from. Identified by what they say, like joins.
 */
export function moveEntries(
  decision: MoveAlert,
  from: string,
  to: string,
  at: string,
  actor: string,
): TimelineRow[] {
  const evidence = [{ kind: 'alert' as const, id: decision.alertId }];
  const identity = ['move-alert', decision.alertId, from, to];
  return [
    {
      incidentId: from,
      at,
      actor,
      kind: 'alert',
      action: 'move-alert',
      summary: `Alert ${decision.alertId} moved to incident ${to}: ${decision.reason} (${decision.rule})`,
      evidence,
      identity: [...identity, 'left'],
    },
    {
      incidentId: to,
      at,
      actor,
      kind: 'alert',
      action: 'move-alert',
      summary: `Alert ${decision.alertId} moved here from incident ${from}: ${decision.reason} (${decision.rule})`,
      evidence,
      identity: [...identity, 'joined'],
    },
  ];
}

/**
 * Stores the batch's moves after its joins and role changes, so a join of the same batch is
 * never left behind in the incident the alert left. The alert becomes a member of the incident
 * it joined (its muting there is decided by that incident's next refresh). A move into an
 * incident that does not exist (never stored) only removes the alert from the one it left.
 */
export async function storeMoves(tx: Knex.Transaction, moves: PendingMove[]) {
  for (const move of moves) {
    await tx('incident_alerts')
      .where({ incident_id: move.from, alert_id: move.alertId })
      .delete();
    const target = await tx('incidents').where('id', move.to).first('id');
    if (!target) continue;
    await tx('incident_alerts')
      .insert({
        incident_id: move.to,
        alert_id: move.alertId,
        role: 'member',
        joined_rule: move.rule,
        joined_reason: move.reason,
        attached_at: move.at,
      })
      .onConflict(['incident_id', 'alert_id'])
      .merge({
        role: 'member',
        suppressed_reason: null,
        suppressed_by_alert_id: null,
        suppressed_by_silence_id: null,
        suppressed_rule: null,
        joined_rule: move.rule,
        joined_reason: move.reason,
      });
  }
}

/**
 * Resolves an incident whose every alert moved to another one, as merged into it. Nothing
 * was fixed, so it resolves without the target resolving; a resolved or already merged source
 * is left as it is. Returns whether it changed, and the entries for both timelines.
 */
export async function storeMerge(
  tx: Knex.Transaction,
  decision: MergeIncident,
  source: string,
  target: string,
  actor: string,
): Promise<TimelineRow[]> {
  const at = decision.at;
  const updated = await tx('incidents')
    .where('id', source)
    .whereNull('merged_into')
    .whereNot('status', 'resolved')
    .update({
      status: 'resolved',
      resolved_at: at,
      open_correlation_key: null,
      merged_into: target,
      updated_at: at,
    });
  if (!updated) return [];
  const identity = ['merge-incident', source, target];
  return [
    {
      incidentId: source,
      at,
      actor,
      kind: 'status',
      action: 'merge',
      summary: `Merged into incident ${target}: every alert moved there (${decision.rule})`,
      evidence: [],
      identity: [...identity, 'source'],
      change: 'merged',
    },
    {
      incidentId: target,
      at,
      actor,
      kind: 'status',
      action: 'merge',
      summary: `Incident ${source} merged in: all its alerts moved here (${decision.rule})`,
      evidence: [],
      identity: [...identity, 'target'],
    },
  ];
}
