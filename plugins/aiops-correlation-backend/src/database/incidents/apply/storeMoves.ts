import type { Knex } from 'knex';
import { MEMBER_ROLE } from '../rows';

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
        ...MEMBER_ROLE,
        joined_rule: move.rule,
        joined_reason: move.reason,
      });
  }
}
