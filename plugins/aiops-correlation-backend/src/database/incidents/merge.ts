import type { Knex } from 'knex';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  severityRank,
  type Incident,
  type Severity,
} from '@aiops/plugin-aiops-common';
import { iso, optionalIso } from '@aiops/plugin-aiops-node';
import { mergedByPersonSummaries } from '../../service/timelineWording';
import { insertTimeline } from '../rows';
import { lifecycleIdentity, transition } from './lifecycle';
import { resolutionColumns, toFinding } from './rows';
import { insertEntities, upsertFinding } from './writes';

/**
 * A person merges `sourceId` into `targetId` (see `IncidentStore.merge`): the target takes the
 * source's alerts, entities and findings, and the source resolves, merged into it.
 */
export async function merge(
  db: Knex,
  sourceId: string,
  targetId: string,
  actor: string,
  at: string,
): Promise<Incident> {
  const when = iso(at);
  if (sourceId === targetId) {
    throw new InputError(`Incident ${sourceId} cannot be merged into itself`);
  }
  const summaries = mergedByPersonSummaries(sourceId, targetId, actor);
  return transition(db, targetId, {
    alsoChanged: [sourceId],
    update: async tx => {
      // Locked in id order (SQLite serializes writers anyway), so concurrent merges of one
      // pair, in either direction, wait for each other instead of deadlocking.
      const rows = await tx('incidents')
        .whereIn('id', [sourceId, targetId])
        .orderBy('id')
        .forUpdate();
      const source = rows.find(row => row.id === sourceId);
      const target = rows.find(row => row.id === targetId);
      if (!source) throw new NotFoundError(`Incident ${sourceId} not found`);
      if (!target) throw new NotFoundError(`Incident ${targetId} not found`);
      // A retry of a merge that already happened changes nothing.
      if (source.merged_into === targetId) return 0;
      if (source.merged_into) {
        throw new ConflictError(
          `Incident ${sourceId} was already merged into incident ${source.merged_into}`,
        );
      }
      if (target.status === 'resolved') {
        throw new ConflictError(
          `Incident ${targetId} is resolved; reopen it before merging into it`,
        );
      }

      await moveAlerts(tx, sourceId, targetId);
      const entities: string[] = await tx('incident_entities')
        .where('incident_id', sourceId)
        .orderBy('entity_ref')
        .pluck('entity_ref');
      await insertEntities(tx, targetId, entities);
      const findings = await tx('incident_findings')
        .where('incident_id', sourceId)
        .orderBy('seq');
      for (const row of findings) {
        // Prefixed so that they neither replace nor get replaced by the target's own findings.
        const key = `merged:${sourceId}:${row.finding_key}`;
        await upsertFinding(tx, targetId, key, toFinding(row), when);
      }

      await tx('incidents')
        .where('id', targetId)
        .update({
          severity: mostSevere(source.severity, target.severity),
          peak_severity: mostSevere(
            source.peak_severity ?? source.severity,
            target.peak_severity ?? target.severity,
          ),
          affected_entity_refs: JSON.stringify([
            ...new Set([
              ...JSON.parse(target.affected_entity_refs),
              ...entities,
            ]),
          ]),
          updated_at: when,
        });
      await tx('incidents')
        .where('id', sourceId)
        .update({
          status: 'resolved',
          // A source resolved before keeps the time it really was, and who resolved it how.
          ...(source.status === 'resolved'
            ? { resolved_at: optionalIso(source.resolved_at) ?? when }
            : {
                resolved_at: when,
                resolved_by: actor,
                ...resolutionColumns(),
              }),
          open_correlation_key: null,
          merged_into: targetId,
          updated_at: when,
        });
      await insertTimeline(tx, [
        {
          incidentId: sourceId,
          at: when,
          kind: 'status',
          action: 'merge',
          summary: summaries.source,
          actor,
          evidence: [],
          identity: lifecycleIdentity('merge', sourceId, when, actor, targetId),
          change: 'merged',
        },
      ]);
      return 1;
    },
    entry: {
      at: when,
      actor,
      action: 'merge',
      summary: summaries.target,
      subject: sourceId,
    },
  });
}

/** Moves the source's alerts the target lacks to it; the source keeps none. */
async function moveAlerts(
  tx: Knex.Transaction,
  sourceId: string,
  targetId: string,
) {
  await tx('incident_alerts')
    .where('incident_id', sourceId)
    .whereNotIn(
      'alert_id',
      tx('incident_alerts').where('incident_id', targetId).select('alert_id'),
    )
    .update({ incident_id: targetId });
  // The target has the rest already. Left on the source, a restored state would track
  // those alerts in two incidents.
  await tx('incident_alerts').where('incident_id', sourceId).delete();
}

function mostSevere(a: Severity, b: Severity): Severity {
  return severityRank(a) < severityRank(b) ? a : b;
}
