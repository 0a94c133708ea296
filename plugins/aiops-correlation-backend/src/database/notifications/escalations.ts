import type { Knex } from 'knex';
import { iso } from '@aiops/plugin-aiops-node';
import type { EscalationStepRecord } from '../../service/routing/types';
import type { EscalationCandidate } from '../NotificationStore';
import { hashOf, insertTimeline, lockRows, type Db } from '../rows';

/*
 * Escalation: the open incidents it looks at, with the steps recorded since they last opened,
 * and recording a step (on the timeline, as a change to route).
 */

export async function escalationCandidates(
  db: Db,
): Promise<EscalationCandidate[]> {
  const open = () => db('incidents').where('status', 'open');
  const incidents = await open().select(
    'id',
    'owner',
    'primary_entity_ref',
    'severity',
    'opened_at',
  );
  if (incidents.length === 0) return [];
  const changes = await db('incident_changes')
    .whereIn('incident_id', open().select('id'))
    .whereIn('kind', ['opened', 'reopened', 'escalated'])
    .orderBy('at')
    .select('incident_id', 'kind', 'at', 'routed_at', 'escalation');
  const byIncident = new Map<string, typeof changes>();
  for (const change of changes) {
    const history = byIncident.get(change.incident_id);
    if (history) history.push(change);
    else byIncident.set(change.incident_id, [change]);
  }
  return incidents.flatMap(row => {
    const history = byIncident.get(row.id) ?? [];
    const starts = history.filter(change => change.kind !== 'escalated');
    const start = starts[starts.length - 1];
    // The delay counts from when the team was first told (routed), not from the alerts' own
    // time: an incident opened from a backlog must not escalate through its policy at once.
    // Incidents from before the outbox have no recorded opening: their opening time counts.
    if (start && !start.routed_at) return [];
    const since = start
      ? iso(
          Math.max(Date.parse(iso(start.at)), Date.parse(iso(start.routed_at))),
        )
      : iso(row.opened_at);
    const recordedSteps = new Set(
      history
        .filter(
          change =>
            change.kind === 'escalated' &&
            (!start || iso(change.at) >= iso(start.at)),
        )
        .map(
          change =>
            (JSON.parse(change.escalation) as EscalationStepRecord).step,
        ),
    );
    return [
      {
        incidentId: row.id,
        owner: row.owner ?? undefined,
        primaryEntityRef: row.primary_entity_ref ?? undefined,
        severity: row.severity,
        since,
        recordedSteps,
      },
    ];
  });
}

export async function recordEscalation(
  db: Knex,
  candidate: EscalationCandidate,
  record: EscalationStepRecord,
  options: { at: string; summary: string },
): Promise<boolean> {
  const identity = [
    'escalate',
    candidate.incidentId,
    candidate.since,
    record.policy,
    record.step,
  ];
  return db.transaction(async tx => {
    const [incident] = await lockRows(
      tx,
      tx('incidents').where('id', candidate.incidentId).select('status'),
    );
    if (incident?.status !== 'open') return false;
    if (
      await tx('incident_timeline')
        .where('entry_id', hashOf(identity))
        .first('entry_id')
    ) {
      return false;
    }
    await insertTimeline(tx, [
      {
        incidentId: candidate.incidentId,
        at: iso(options.at),
        kind: 'escalation',
        action: 'escalate',
        summary: options.summary,
        actor: 'system',
        evidence: [],
        identity,
        change: 'escalated',
        escalation: record,
      },
    ]);
    return true;
  });
}
