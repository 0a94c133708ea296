import type {
  Feed,
  IncidentChangeFeedItem,
  RecordedIncidentChange,
} from '@aiops/plugin-aiops-common';
import { iso } from '@aiops/plugin-aiops-node';
import type { Db } from '../rows';
import { toIncidentSummary } from '../incidents/rows';

/*
 * The incident change feed: the rows of `incident_changes` in commit order, by the sequence
 * numbers the database gives them as their transactions commit (migration
 * 20261203000000_incident_change_feed), each with its incident as it is now. Cursors are those
 * numbers, as in ingest's feeds.
 */

/** The columns of an incident a feed item carries. */
const SUMMARY_COLUMNS = [
  'id',
  'title',
  'status',
  'severity',
  'primary_entity_ref',
  'affected_entity_refs',
  'owner',
  'system',
  'opened_at',
  'acknowledged_at',
  'resolved_at',
  'merged_into',
  'updated_at',
].map(column => `i.${column}`);

/** The columns of a change (`incident_changes as c`) that `toRecordedChange` reads. */
export const CHANGE_COLUMNS = [
  'c.seq',
  'c.change_id',
  'c.incident_id',
  'c.kind',
  'c.at',
  'c.escalation',
];

/** A feed page of change rows, cursors being their sequence numbers. */
export function changePage<T>(
  rows: any[],
  after: string,
  toItem: (row: any) => T,
): Feed<T> {
  const items = rows.map(row => ({
    item: toItem(row),
    cursor: String(Number(row.seq)),
  }));
  return { items, cursor: items[items.length - 1]?.cursor ?? after };
}

/** The changes after `after` (a cursor, `'0'` for the beginning), oldest first. */
export async function readChangeFeed(
  db: Db,
  after: string,
  limit: number,
): Promise<Feed<IncidentChangeFeedItem>> {
  const rows = await db('incident_changes as c')
    .join('incidents as i', 'i.id', 'c.incident_id')
    .where('c.seq', '>', Number(after))
    .orderBy('c.seq')
    .limit(limit)
    .select(...CHANGE_COLUMNS, ...SUMMARY_COLUMNS);
  return changePage(rows, after, row => ({
    change: toRecordedChange(row),
    incident: toIncidentSummary(row),
  }));
}

/** The cursor of the incident's newest change; `undefined` while it has none. */
export async function latestChangeCursor(
  db: Db,
  incidentId: string,
): Promise<string | undefined> {
  const [{ seq }] = await db('incident_changes')
    .where('incident_id', incidentId)
    .max({ seq: 'seq' });
  return seq === null || seq === undefined ? undefined : String(Number(seq));
}

/**
 * Where routing starts on a database it has not consumed before: just before the oldest change
 * not routed yet, or at the newest change when all are routed (changes routed before the feed
 * existed are not read again).
 */
export async function firstUnroutedCursor(db: Db): Promise<string> {
  const [{ unrouted }] = await db('incident_changes')
    .whereNull('routed_at')
    .whereNotNull('seq')
    .min({ unrouted: 'seq' });
  if (unrouted !== null && unrouted !== undefined) {
    return String(Number(unrouted) - 1);
  }
  const [{ newest }] = await db('incident_changes').max({ newest: 'seq' });
  return String(Number(newest ?? 0));
}

export function toRecordedChange(row: any): RecordedIncidentChange {
  return {
    id: row.change_id,
    incidentId: row.incident_id,
    kind: row.kind,
    at: iso(row.at),
    ...(row.escalation && { escalation: JSON.parse(row.escalation) }),
  };
}
