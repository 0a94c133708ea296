import {
  severityRank,
  type Finding,
  type Incident,
  type Severity,
} from '@aiops/plugin-aiops-common';
import {
  findingIsNews,
  rankingOrderChanged,
} from '../../../service/timelineNews';
import { severityRaisedSummary } from '../../../service/timelineWording';
import type { IncidentSnapshot } from '../../IncidentStore';
import { chunks, insertIgnore } from '../../rows';
import {
  DESCRIBING_COLUMNS,
  describingColumns,
  entitiesOf,
  fromFinding,
  parseCandidates,
  sameFinding,
  toFinding,
} from '../rows';
import { noteChange } from './batch';
import { rankingEntry } from './rankRootCauses';
import type { Step } from './step';

/** The stored row's entities, as `entitiesOf` reads an incident. */
function toStoredEntities(row: {
  primary_entity_ref: string | null;
  affected_entity_refs: string;
}): Pick<Incident, 'primaryEntityRef' | 'affectedEntityRefs'> {
  return {
    primaryEntityRef: row.primary_entity_ref ?? undefined,
    affectedEntityRefs: JSON.parse(row.affected_entity_refs),
  };
}

/**
 * Stores the core's view of the step's incidents: describing columns that changed, a raised
 * severity, affected entities, and findings (changed ones replaced, dropped ones deleted). The
 * stored rows are read once for all of them, so a batch costs a few statements plus one per
 * incident whose description changed.
 */
export async function storeSnapshots(
  step: Step,
  snapshots: IncidentSnapshot[],
) {
  const { tx, now, batch } = step;
  const present: Array<IncidentSnapshot & { id: string }> = [];
  for (const snapshot of snapshots) {
    const id = step.target(snapshot.incident.id);
    if (await step.known(id)) present.push({ ...snapshot, id });
  }
  if (present.length === 0) return;
  const ids = [...new Set(present.map(p => p.id))];
  const described = new Map<string, any>();
  const storedFindings = new Map<string, Map<string, Finding>>();
  for (const chunk of chunks(ids)) {
    const [rows, findingRows] = await Promise.all([
      tx('incidents')
        .whereIn('id', chunk)
        .select(
          'id',
          ...DESCRIBING_COLUMNS,
          'peak_severity',
          'root_cause_candidates',
        ),
      tx('incident_findings').whereIn('incident_id', chunk),
    ]);
    for (const row of rows) described.set(row.id, row);
    for (const row of findingRows) {
      if (!storedFindings.has(row.incident_id))
        storedFindings.set(row.incident_id, new Map());
      storedFindings.get(row.incident_id)!.set(row.finding_key, toFinding(row));
    }
  }

  const entities: Array<{ incident_id: string; entity_ref: string }> = [];
  const findingRows: ReturnType<typeof fromFinding>[] = [];
  for (const { incident: snapshot, findingsByKey, id } of present) {
    const current = described.get(id);
    const ranking = JSON.stringify(snapshot.rootCauseCandidates);
    const reranked =
      step.rankedBySnapshot.has(id) &&
      current.root_cause_candidates !== ranking;
    const columns = {
      ...describingColumns(snapshot),
      ...(reranked && { root_cause_candidates: ranking }),
    };
    const differs = Object.entries(columns).some(
      ([key, value]) => (current[key] ?? null) !== value,
    );
    // News only beyond the worst the incident has been: a severity that drops and comes back,
    // or a replay of an older step, is not raised again.
    const peak: Severity = current.peak_severity ?? current.severity;
    const raised = severityRank(snapshot.severity) < severityRank(peak);
    if (differs || raised) {
      await tx('incidents')
        .where({ id })
        .update({
          ...columns,
          ...(raised && { peak_severity: snapshot.severity }),
        });
      described.set(id, {
        ...current,
        ...columns,
        ...(raised && { peak_severity: snapshot.severity }),
      });
      noteChange(batch, id, now);
    }
    if (
      reranked &&
      rankingOrderChanged(
        parseCandidates(current.root_cause_candidates),
        snapshot.rootCauseCandidates,
      )
    ) {
      step.timeline(rankingEntry(id, snapshot.rootCauseCandidates));
    }
    if (raised) {
      step.timeline({
        incidentId: id,
        kind: 'status',
        action: 'raise-severity',
        summary: severityRaisedSummary(peak, snapshot.severity),
        evidence: [],
        identity: ['raise-severity', id, snapshot.severity],
        change: 'severity-raised',
      });
    }
    // Every entity the stored row names has its index row already (each write of the row's
    // entities inserts them in the same transaction): only new ones are inserted. A storm's
    // incidents span hundreds of entities, and re-inserting them all with every batch was
    // 125,000 ignored rows in 20 s of a 1,000 alerts/s storm.
    const indexed = new Set(entitiesOf(toStoredEntities(current)));
    for (const ref of entitiesOf(snapshot))
      if (!indexed.has(ref))
        entities.push({ incident_id: id, entity_ref: ref });
    if (!findingsByKey) continue;
    const stored = storedFindings.get(id) ?? new Map<string, Finding>();
    for (const [key, finding] of Object.entries(findingsByKey)) {
      const before = stored.get(key);
      if (before && sameFinding(before, finding)) continue;
      stored.set(key, finding);
      findingRows.push(fromFinding(id, key, finding, now));
      noteChange(batch, id, now);
      if (!findingIsNews(before, finding)) continue;
      step.timeline({
        incidentId: id,
        kind: 'finding',
        action: 'add-finding',
        summary: finding.summary,
        evidence: finding.evidence,
        // Same identity as the add-finding decision: one entry per finding, however it came.
        identity: [id, { type: 'add-finding', incidentId: id, key, finding }],
      });
    }
    const dropped = [...stored.keys()].filter(key => !(key in findingsByKey));
    if (dropped.length > 0) {
      await tx('incident_findings')
        .where({ incident_id: id })
        .whereIn('finding_key', dropped)
        .delete();
      for (const key of dropped) stored.delete(key);
      noteChange(batch, id, now);
    }
    storedFindings.set(id, stored);
  }
  await insertIgnore(tx, 'incident_entities', entities);
  // The last version of a finding wins when one step names an incident twice.
  const latest = new Map(
    findingRows.map(row => [`${row.incident_id}\n${row.finding_key}`, row]),
  );
  for (const chunk of chunks([...latest.values()])) {
    await tx('incident_findings')
      .insert(chunk)
      .onConflict(['incident_id', 'finding_key'])
      .merge(['rule', 'summary', 'evidence', 'confidence', 'updated_at']);
  }
}
