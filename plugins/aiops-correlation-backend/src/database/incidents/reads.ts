import type {
  EntityRef,
  Finding,
  Incident,
  Page,
} from '@aiops/plugin-aiops-common';
import {
  decodeSequenceCursor,
  encodeSequenceCursor,
  iso,
} from '@aiops/plugin-aiops-node';
import type {
  IncidentDetails,
  IncidentListQuery,
  IncidentStatusRow,
  StoredFinding,
  StoredTimelineEntry,
  TimelineQuery,
} from '../IncidentStore';
import { chunks, newestFirstPage, type Db } from '../rows';
import {
  toFinding,
  toIncident,
  toIncidentAlert,
  toTimelineEntry,
} from './rows';

/*
 * The read models of incidents: one incident with its history, pages of incidents, and the
 * stored status of several.
 */

/**
 * The newest timeline entries an incident's detail carries. A flapping incident gathers
 * thousands of entries over hours; the detail stays this size and the rest are paged
 * (`timelinePage`).
 */
export const DETAIL_TIMELINE_ENTRIES = 200;

export async function getIncident(
  db: Db,
  id: string,
  options: { timeline?: boolean } = {},
): Promise<IncidentDetails | undefined> {
  const row = await db('incidents').where({ id }).first();
  if (!row) return undefined;
  const [incident] = await hydrate(db, [row]);
  const [alerts, findings, timeline] = await Promise.all([
    db('incident_alerts').where({ incident_id: id }).orderBy('seq'),
    db('incident_findings').where({ incident_id: id }).orderBy('seq'),
    options.timeline === false
      ? { items: [] }
      : timelineBefore(db, id, undefined, DETAIL_TIMELINE_ENTRIES),
  ]);
  return {
    incident,
    alerts: alerts.map(toIncidentAlert),
    findings: findings.map(
      (f): StoredFinding => ({
        key: f.finding_key,
        finding: toFinding(f),
        updatedAt: iso(f.updated_at),
      }),
    ),
    timeline: timeline.items,
    ...('nextCursor' in timeline &&
      timeline.nextCursor && { olderTimelineCursor: timeline.nextCursor }),
  };
}

/**
 * The `limit` entries of an incident's timeline before the cursor `query.before` (an
 * `olderTimelineCursor` or a page's `nextCursor`), oldest first like the detail's timeline.
 * `nextCursor` is present while older entries exist. `InputError` for a cursor that is not one.
 */
export async function timelinePage(
  db: Db,
  id: string,
  query: TimelineQuery,
): Promise<Page<StoredTimelineEntry>> {
  return timelineBefore(
    db,
    id,
    query.before === undefined ? undefined : decodeSequenceCursor(query.before),
    query.limit,
  );
}

/**
 * Keyset paging on the timeline's `seq` (its insertion order, indexed with the incident id):
 * the newest `limit` entries below `before`, read newest first and answered oldest first. The
 * cursor is the seq of the page's oldest entry.
 */
async function timelineBefore(
  db: Db,
  id: string,
  before: number | undefined,
  limit: number,
): Promise<Page<StoredTimelineEntry>> {
  const rows = await db('incident_timeline')
    .where({ incident_id: id })
    .modify(builder => {
      if (before !== undefined) builder.where('seq', '<', before);
    })
    .orderBy('seq', 'desc')
    .limit(limit + 1);
  const page = rows.slice(0, limit).reverse();
  return {
    items: page.map(toTimelineEntry),
    // PostgreSQL answers a bigint seq as a string.
    ...(rows.length > limit && {
      nextCursor: encodeSequenceCursor(Number(page[0].seq)),
    }),
  };
}

/** Newest first (ties by id), with keyset cursors. */
export async function listIncidents(
  db: Db,
  query: IncidentListQuery,
): Promise<Page<Incident>> {
  return newestFirstPage(db, {
    table: 'incidents',
    column: 'opened_at',
    query,
    where: builder => {
      if (query.entityRef)
        builder.whereIn('id', affecting(db, query.entityRef));
      if (query.owner) builder.where('owner', query.owner);
      if (query.system) builder.where('system', query.system);
      if (query.status) builder.whereIn('status', [query.status].flat());
      if (query.severity) builder.whereIn('severity', [query.severity].flat());
      if (query.to) builder.where('opened_at', '<', iso(query.to));
      if (query.from) {
        const from = iso(query.from);
        builder.where(b =>
          b.whereNull('resolved_at').orWhere('resolved_at', '>=', from),
        );
      }
    },
    toItems: rows => hydrate(db, rows),
    keyOf: incident => ({ at: incident.openedAt, id: incident.id }),
  });
}

const STATUS_COLUMNS = [
  'id',
  'status',
  'acknowledged_at',
  'resolved_at',
  'merged_into',
];

function toStatusRow(row: any): IncidentStatusRow {
  return {
    status: row.status,
    ...(row.acknowledged_at && {
      acknowledgedAt: iso(row.acknowledged_at),
    }),
    ...(row.resolved_at && { resolvedAt: iso(row.resolved_at) }),
    ...(row.merged_into && { mergedInto: row.merged_into }),
  };
}

export async function statuses(
  db: Db,
  ids: string[],
): Promise<Record<string, IncidentStatusRow>> {
  const result: Record<string, IncidentStatusRow> = {};
  for (const chunk of chunks(ids)) {
    const rows = await db('incidents')
      .whereIn('id', chunk)
      .select(...STATUS_COLUMNS);
    for (const row of rows) result[row.id] = toStatusRow(row);
  }
  return result;
}

/** Incidents a person changed at or after `since`, with their stored status (see the store). */
export async function changedByPeopleSince(
  db: Db,
  since: string,
): Promise<Record<string, IncidentStatusRow>> {
  const rows = await db('incidents')
    .where('changed_by_person_at', '>=', iso(since))
    .select(...STATUS_COLUMNS);
  return Object.fromEntries(rows.map(row => [row.id, toStatusRow(row)]));
}

/** The ids of the incidents affecting an entity (primary or not), as a subquery. */
export function affecting(db: Db, entityRef: EntityRef) {
  return db('incident_entities')
    .where('entity_ref', entityRef)
    .select('incident_id');
}

/** Adds alert ids and findings to incident rows, in two queries per chunk. */
export async function hydrate(db: Db, rows: any[]): Promise<Incident[]> {
  const alertIds = new Map<string, string[]>();
  const findings = new Map<string, Finding[]>();
  for (const chunk of chunks(rows.map(r => r.id as string))) {
    const alertRows = await db('incident_alerts')
      .whereIn('incident_id', chunk)
      .orderBy('seq')
      .select('incident_id', 'alert_id');
    for (const row of alertRows) {
      alertIds.set(row.incident_id, [
        ...(alertIds.get(row.incident_id) ?? []),
        row.alert_id,
      ]);
    }
    const findingRows = await db('incident_findings')
      .whereIn('incident_id', chunk)
      .orderBy('seq');
    for (const row of findingRows) {
      findings.set(row.incident_id, [
        ...(findings.get(row.incident_id) ?? []),
        toFinding(row),
      ]);
    }
  }
  return rows.map(row =>
    toIncident(row, alertIds.get(row.id) ?? [], findings.get(row.id) ?? []),
  );
}
