import {
  moveEntries,
  storeMerge,
  storeMoves,
  type PendingMove,
} from './membershipChanges';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  severityRank,
  type EntityRef,
  type Finding,
  type Incident,
  type RootCauseCandidate,
  type Severity,
} from '@aiops/plugin-aiops-common';
import {
  decodeTimeAndIdCursor,
  iso,
  optionalIso,
  toDate,
} from '@aiops/plugin-aiops-node';
import type { CorrelationDecision } from '../service/types';
import type { ChangeKind } from '../service/routing/types';
import type {
  ApplyContext,
  AppliedDecisions,
  EntityIncidentHealth,
  HealthWindow,
  IncidentAlert,
  IncidentDetails,
  IncidentGroupStats,
  IncidentQuery,
  IncidentStats,
  IncidentStore,
  Page,
  ResponseTimes,
  StoredFinding,
  IncidentSnapshot,
  IncidentStatusRow,
  StoredTimelineEntry,
} from './IncidentStore';
import { migratedClient } from './migrate';
import { whereIncidentMatches } from './incidentFilter';
import { sameValue } from '../service/sameValue';
import { findingIsNews, rankingOrderChanged } from '../service/timelineNews';
import {
  chunks,
  hashOf,
  insertIgnore,
  insertRows,
  insertTimeline,
  newerFirstAfter,
  nextTimeAndIdCursor,
  type ColumnTypes,
  type Db,
  type TimelineRow,
} from './rows';

const SYSTEM_ACTOR = 'system';

/** The columns a snapshot of the core's view refreshes (see `describingColumns`). */
const DESCRIBING_COLUMNS = [
  'title',
  'severity',
  'primary_entity_ref',
  'affected_entity_refs',
  'owner',
  'system',
  'rule_versions',
] as const;

/** The columns response times are computed from. */
interface TimesRow {
  opened_at: unknown;
  acknowledged_at: unknown;
  resolved_at: unknown;
  merged_into: string | null;
}

/** Unresolved incidents of one owner, system and status. */
interface CountRow {
  owner: string | null;
  system: string | null;
  status: string;
  n: number | string;
}

export class DatabaseIncidentStore implements IncidentStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseIncidentStore> {
    return new DatabaseIncidentStore(await migratedClient(options));
  }

  constructor(private readonly db: Knex) {}

  async applyDecisions(
    decisions: CorrelationDecision[],
    context: ApplyContext,
  ): Promise<AppliedDecisions> {
    const [result] = await this.applySteps([{ decisions, context }]);
    return result;
  }

  async applySteps(
    steps: Array<{ decisions: CorrelationDecision[]; context: ApplyContext }>,
  ): Promise<AppliedDecisions[]> {
    return this.db.transaction(async tx => {
      const batch: BatchWrites = {
        redirected: {},
        exists: new Map(),
        timeline: [],
        changedAt: new Map(),
        roles: [],
        attaches: [],
        moves: [],
      };
      // One look for every incident the batch names, instead of one per decision.
      await lookUpExistence(
        tx,
        steps.flatMap(({ decisions, context }) => [
          ...decisions.flatMap(d =>
            'incidentId' in d && d.incidentId ? [d.incidentId] : [],
          ),
          ...(context.snapshots ?? []).map(snapshot => snapshot.incident.id),
        ]),
        batch.exists,
      );
      const results: AppliedDecisions[] = [];
      for (const { decisions, context } of steps) {
        results.push(await applyStep(tx, decisions, context, batch));
      }
      await flushBatch(tx, batch);
      return results;
    });
  }

  async getIncident(id: string): Promise<IncidentDetails | undefined> {
    const row = await this.db('incidents').where({ id }).first();
    if (!row) return undefined;
    const [incident] = await hydrate(this.db, [row]);
    const [alerts, findings, timeline] = await Promise.all([
      this.db('incident_alerts').where({ incident_id: id }).orderBy('seq'),
      this.db('incident_findings').where({ incident_id: id }).orderBy('seq'),
      this.db('incident_timeline').where({ incident_id: id }).orderBy('seq'),
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
      timeline: timeline.map(toTimelineEntry),
    };
  }

  async listIncidents(query: IncidentQuery): Promise<Page<Incident>> {
    const cursor = query.cursor
      ? decodeTimeAndIdCursor(query.cursor)
      : undefined;
    const rows = await this.db('incidents')
      .modify(builder => {
        if (query.entityRef)
          builder.whereIn('id', affecting(this.db, query.entityRef));
        if (query.owner) builder.where('owner', query.owner);
        if (query.system) builder.where('system', query.system);
        if (query.status) builder.whereIn('status', [query.status].flat());
        if (query.severity)
          builder.whereIn('severity', [query.severity].flat());
        if (query.to) builder.where('opened_at', '<', iso(query.to));
        if (query.from) {
          const from = iso(query.from);
          builder.where(b =>
            b.whereNull('resolved_at').orWhere('resolved_at', '>=', from),
          );
        }
        if (cursor) newerFirstAfter(builder, 'opened_at', cursor);
      })
      .orderBy([
        { column: 'opened_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit + 1);
    const items = await hydrate(this.db, rows.slice(0, query.limit));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: nextTimeAndIdCursor(
        rows.length,
        query.limit,
        last && { at: last.openedAt, id: last.id },
      ),
    };
  }

  async acknowledge(id: string, actor: string, at: string): Promise<Incident> {
    const when = iso(at);
    return this.transition(id, {
      update: tx =>
        tx('incidents').where({ id, status: 'open' }).update({
          status: 'acknowledged',
          acknowledged_at: when,
          updated_at: when,
        }),
      unchanged: row => {
        if (row.status === 'resolved') {
          throw new ConflictError(
            `Incident ${id} is resolved and cannot be acknowledged`,
          );
        }
      },
      entry: {
        at: when,
        actor,
        action: 'acknowledge',
        summary: `Acknowledged by ${actor}`,
        change: 'acknowledged',
      },
    });
  }

  async resolve(id: string, actor: string, at: string): Promise<Incident> {
    const when = iso(at);
    return this.transition(id, {
      update: tx => resolveUnresolved(tx, id, when),
      entry: {
        at: when,
        actor,
        action: 'resolve',
        summary: `Resolved by ${actor}`,
        change: 'resolved',
      },
    });
  }

  async reopen(id: string, actor: string, at: string): Promise<Incident> {
    const when = iso(at);
    return this.transition(id, {
      update: async tx => {
        const { updated, mergedInto, keyHeldBy } = await reopenResolved(
          tx,
          id,
          when,
        );
        if (mergedInto) {
          throw new ConflictError(
            `Incident ${id} was merged into incident ${mergedInto} and cannot be reopened`,
          );
        }
        if (keyHeldBy) {
          throw new ConflictError(
            `Incident ${id} cannot be reopened: incident ${keyHeldBy} is open with the same correlation key`,
          );
        }
        return updated;
      },
      entry: {
        at: when,
        actor,
        action: 'reopen',
        summary: `Reopened by ${actor}`,
        change: 'reopened',
      },
    });
  }

  async addNote(
    id: string,
    actor: string,
    text: string,
    at: string,
  ): Promise<StoredTimelineEntry> {
    return this.db.transaction(async tx => {
      if (!(await tx('incidents').where({ id }).first('id'))) {
        throw new NotFoundError(`Incident ${id} not found`);
      }
      const entryId = randomUUID();
      await insertTimeline(tx, [
        {
          incidentId: id,
          at: iso(at),
          kind: 'note',
          action: 'note',
          summary: text,
          actor,
          evidence: [],
          identity: entryId,
        },
      ]);
      const row = await tx('incident_timeline')
        .where({ entry_id: hashOf(entryId) })
        .first();
      return toTimelineEntry(row);
    });
  }

  async merge(
    sourceId: string,
    targetId: string,
    actor: string,
    at: string,
  ): Promise<Incident> {
    const when = iso(at);
    if (sourceId === targetId) {
      throw new InputError(`Incident ${sourceId} cannot be merged into itself`);
    }
    return this.transition(targetId, {
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

        await tx('incident_alerts')
          .where('incident_id', sourceId)
          .whereNotIn(
            'alert_id',
            tx('incident_alerts')
              .where('incident_id', targetId)
              .select('alert_id'),
          )
          .update({ incident_id: targetId });
        // The target has the rest already. Left on the source, a restored state would track
        // those alerts in two incidents.
        await tx('incident_alerts').where('incident_id', sourceId).delete();

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
            // A source resolved before keeps the time it really was.
            resolved_at: optionalIso(source.resolved_at) ?? when,
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
            summary: `Merged into incident ${targetId} by ${actor}`,
            actor,
            evidence: [],
            identity: lifecycleIdentity(
              'merge',
              sourceId,
              when,
              actor,
              targetId,
            ),
            change: 'merged',
          },
        ]);
        return 1;
      },
      entry: {
        at: when,
        actor,
        action: 'merge',
        summary: `Incident ${sourceId} merged in by ${actor}`,
        subject: sourceId,
      },
    });
  }

  async entityHealth(
    entityRef: EntityRef,
    options: HealthWindow,
  ): Promise<EntityIncidentHealth> {
    const [open, windowed] = await Promise.all([
      whereIncidentMatches(
        this.db('incidents')
          .whereIn('id', affecting(this.db, entityRef))
          .whereNot('status', 'resolved')
          .orderBy([
            { column: 'opened_at', order: 'desc' },
            { column: 'id', order: 'desc' },
          ]),
        options.filter,
      ),
      openedWithin(this.db, options).whereIn(
        'id',
        affecting(this.db, entityRef),
      ),
    ]);
    // Severity order in JS rather than a CASE over SEVERITIES; the sort is stable, so newest
    // first still holds within one severity.
    open.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    return { open: await hydrate(this.db, open), ...responseTimes(windowed) };
  }

  async stats(options: HealthWindow): Promise<IncidentStats> {
    const [counts, windowed] = await Promise.all([
      whereIncidentMatches(
        this.db('incidents').whereIn('status', ['open', 'acknowledged']),
        options.filter,
      )
        .select('owner', 'system', 'status')
        .count({ n: '*' })
        .groupBy('owner', 'system', 'status') as Promise<CountRow[]>,
      openedWithin(this.db, options).select('owner', 'system'),
    ]);
    return {
      totals: summarize(counts, windowed),
      byOwner: groupStats(counts, windowed, 'owner'),
      bySystem: groupStats(counts, windowed, 'system'),
    };
  }

  async statuses(ids: string[]): Promise<Record<string, IncidentStatusRow>> {
    const result: Record<string, IncidentStatusRow> = {};
    for (const chunk of chunks(ids)) {
      const rows = await this.db('incidents')
        .whereIn('id', chunk)
        .select(
          'id',
          'status',
          'acknowledged_at',
          'resolved_at',
          'merged_into',
        );
      for (const row of rows) {
        result[row.id] = {
          status: row.status,
          ...(row.acknowledged_at && {
            acknowledgedAt: iso(row.acknowledged_at),
          }),
          ...(row.resolved_at && { resolvedAt: iso(row.resolved_at) }),
          ...(row.merged_into && { mergedInto: row.merged_into }),
        };
      }
    }
    return result;
  }

  /**
   * A guarded status change: `update` changes the row only from an allowed status (so
   * concurrent callers cannot both win); when it changed nothing the current row decides
   * between not found, conflict and no-op.
   */
  private async transition(
    id: string,
    options: {
      update: (tx: Knex.Transaction) => Promise<number>;
      unchanged?: (row: any) => void;
      entry: {
        at: string;
        actor: string;
        action: string;
        summary: string;
        /** See `lifecycleIdentity`. */
        subject?: string;
        change?: ChangeKind;
      };
    },
  ): Promise<Incident> {
    return this.db.transaction(async tx => {
      const updated = await options.update(tx);
      const row = await tx('incidents').where({ id }).first();
      if (!row) throw new NotFoundError(`Incident ${id} not found`);
      if (updated) {
        const { subject, ...entry } = options.entry;
        await insertTimeline(tx, [
          {
            incidentId: id,
            kind: 'status',
            evidence: [],
            ...entry,
            identity: lifecycleIdentity(
              entry.action,
              id,
              entry.at,
              entry.actor,
              subject,
            ),
          },
        ]);
      } else {
        options.unchanged?.(row);
      }
      const [incident] = await hydrate(tx, [row]);
      return incident;
    });
  }
}

type RoleColumns = {
  role: 'member' | 'suppressed';
  suppressed_reason: string | null;
  suppressed_by_alert_id: string | null;
  suppressed_by_silence_id: string | null;
  suppressed_rule: string | null;
};

const ROLE_KEYS = [
  'role',
  'suppressed_reason',
  'suppressed_by_alert_id',
  'suppressed_by_silence_id',
  'suppressed_rule',
] as const;

const INCIDENT_ALERT_COLUMNS: ColumnTypes = {
  incident_id: 'text',
  alert_id: 'text',
  role: 'text',
  joined_rule: 'text',
  joined_reason: 'text',
  suppressed_reason: 'text',
  suppressed_by_alert_id: 'text',
  suppressed_by_silence_id: 'text',
  suppressed_rule: 'text',
  attached_at: 'timestamptz',
};

const MEMBER_ROLE: RoleColumns = {
  role: 'member',
  suppressed_reason: null,
  suppressed_by_alert_id: null,
  suppressed_by_silence_id: null,
  suppressed_rule: null,
};

/**
 * What the steps of one batch share, and what they write only once at its end: timeline
 * entries (appended, never read back in the batch) and `updated_at` bumps. A storm's batch
 * then costs about one statement per attached alert instead of three.
 */
interface BatchWrites {
  /** Redirects of earlier steps, so their later decisions reach the stored incident. */
  redirected: Record<string, string>;
  /** Whether an incident exists, as far as this batch has looked. */
  exists: Map<string, boolean>;
  timeline: TimelineRow[];
  /** Incident id → the time of the latest step that changed it. */
  changedAt: Map<string, string>;
  /** Role changes (suppressed, member again), in decision order, stored together at the end. */
  roles: Array<{
    incidentId: string;
    alertId: string;
    columns: RoleColumns;
    entry: TimelineRow;
  }>;
  /** Alerts moving between incidents, stored after the joins (`membershipChanges.ts`). */
  moves: PendingMove[];
  /** Alerts joining incidents, stored together at the end (one statement per chunk). */
  attaches: Array<{
    incidentId: string;
    alertId: string;
    rule: string;
    reason: string;
    entry: TimelineRow;
  }>;
}

const alertKey = (incidentId: string, alertId: string) =>
  `${incidentId}\n${alertId}`;

/** Remembers that an incident changed at `at`, keeping the latest time. */
function noteChange(batch: BatchWrites, incidentId: string, at: string) {
  const latest = batch.changedAt.get(incidentId);
  if (!latest || latest < at) batch.changedAt.set(incidentId, at);
}

async function flushBatch(tx: Knex.Transaction, batch: BatchWrites) {
  const unchanged = new Set([
    ...(await storeRoles(tx, batch)),
    ...(await storeAttaches(tx, batch)),
  ]);
  await storeMoves(tx, batch.moves);
  await insertTimeline(
    tx,
    batch.timeline.filter(entry => !unchanged.has(entry)),
  );
  const byTime = new Map<string, string[]>();
  for (const [id, at] of batch.changedAt)
    byTime.set(at, [...(byTime.get(at) ?? []), id]);
  for (const [at, ids] of byTime) {
    for (const chunk of chunks(ids)) {
      await tx('incidents')
        .whereIn('id', chunk)
        .where('updated_at', '<', at)
        .update({ updated_at: at });
    }
  }
}

/**
 * Stores the batch's joining alerts. A row that exists already (stored with its incident's
 * opening, or as suppressed) only gets its join rule filled in. Returns the timeline entries
 * of joins that changed nothing (a replay), which are left out; the others keep their place.
 */
async function storeAttaches(
  tx: Knex.Transaction,
  batch: BatchWrites,
): Promise<Set<TimelineRow>> {
  const pending = new Map<string, BatchWrites['attaches'][number]>();
  for (const attach of batch.attaches) {
    const k = alertKey(attach.incidentId, attach.alertId);
    if (!pending.has(k)) pending.set(k, attach);
  }
  // A row that exists already only gets its join rule filled in, in the same statement; rows
  // that were inserted or filled come back, the others (a replay) changed nothing.
  const written: Array<{ incident_id: string; alert_id: string }> =
    await insertRows(
      tx,
      'incident_alerts',
      INCIDENT_ALERT_COLUMNS,
      [...pending.values()].map(a => ({
        incident_id: a.incidentId,
        alert_id: a.alertId,
        ...MEMBER_ROLE,
        joined_rule: a.rule,
        joined_reason: a.reason,
        attached_at: a.entry.at,
      })),
      `ON CONFLICT (incident_id, alert_id) DO UPDATE SET
         joined_rule = excluded.joined_rule, joined_reason = excluded.joined_reason
       WHERE incident_alerts.joined_rule IS NULL
       RETURNING incident_id, alert_id`,
    );
  const stored = new Set(
    written.map(row => alertKey(row.incident_id, row.alert_id)),
  );
  const unchanged = new Set(batch.attaches.map(a => a.entry));
  for (const [k, attach] of pending) {
    if (!stored.has(k)) continue;
    unchanged.delete(attach.entry);
    noteChange(batch, attach.incidentId, attach.entry.at);
  }
  return unchanged;
}

/** One correlation step inside the caller's transaction, as part of `batch`. */
async function applyStep(
  tx: Knex.Transaction,
  decisions: CorrelationDecision[],
  context: ApplyContext,
  batch: BatchWrites,
): Promise<AppliedDecisions> {
  const now = iso(context.now);
  const actor = context.actor ?? SYSTEM_ACTOR;
  const result: AppliedDecisions = {
    opened: [],
    redirected: {},
    skipped: 0,
  };
  const { redirected, exists } = batch;
  const target = (id: string) => redirected[id] ?? id;
  const known = async (id: string) => {
    if (!exists.has(id)) await lookUpExistence(tx, [id], exists);
    return exists.get(id)!;
  };

  const findingsBySnapshot = new Set(
    (context.snapshots ?? [])
      .filter(snapshot => snapshot.findingsByKey)
      .map(snapshot => target(snapshot.incident.id)),
  );
  const snapshotOf = new Map(
    (context.snapshots ?? []).map(snapshot => [
      target(snapshot.incident.id),
      snapshot.incident,
    ]),
  );
  /** Incidents whose ranking is stored with their snapshot (one update instead of two). */
  const rankedBySnapshot = new Set<string>();
  /** Suppressions change an alert's role; stored with the batch (`storeRoles`). */
  const roleChange = (
    alertId: string,
    columns: RoleColumns,
    entry: TimelineRow,
  ) => {
    batch.timeline.push(entry);
    batch.roles.push({ incidentId: entry.incidentId, alertId, columns, entry });
  };
  /** `incident\nalert` of alerts stored with their incident's opening in this step. */
  const attachedWithOpen = new Set<string>();
  const timeline = async (
    entry: Omit<TimelineRow, 'actor' | 'at'> & { at?: string },
  ) => {
    batch.timeline.push({ at: now, actor, ...entry });
  };

  for (const decision of decisions) {
    if (decision.type === 'open-incident') {
      const incident = decision.incident;
      const inserted = await tx('incidents')
        .insert(fromIncident(incident))
        .onConflict()
        .ignore()
        .returning('id');
      if (inserted.length > 0) {
        exists.set(incident.id, true);
        result.opened.push(incident.id);
        await insertEntities(tx, incident.id, entitiesOf(incident));
        // The step announces the alerts of a new incident with attach decisions: their rule and
        // reason go in with the rows, instead of one update per alert afterwards.
        const joined = new Map(
          decisions.flatMap(d =>
            d.type === 'attach-alert' && d.incidentId === incident.id
              ? [[d.alertId, d] as const]
              : [],
          ),
        );
        await insertRows(
          tx,
          'incident_alerts',
          INCIDENT_ALERT_COLUMNS,
          incident.alertIds.map(alertId => ({
            incident_id: incident.id,
            alert_id: alertId,
            ...MEMBER_ROLE,
            joined_rule: joined.get(alertId)?.rule ?? null,
            joined_reason: joined.get(alertId)?.reason ?? null,
            attached_at: iso(incident.openedAt),
          })),
          'ON CONFLICT DO NOTHING',
        );
        for (const alertId of joined.keys()) {
          if (incident.alertIds.includes(alertId)) {
            attachedWithOpen.add(alertKey(incident.id, alertId));
          }
        }
        await timeline({
          incidentId: incident.id,
          at: iso(incident.openedAt),
          kind: 'status',
          action: decision.type,
          summary: `Incident opened: ${incident.title}${
            decision.rule ? ` (${decision.rule})` : ''
          }`,
          evidence: incident.alertIds.map(id => ({ kind: 'alert', id })),
          identity: [decision.type, incident.id, incident.correlationKey],
          change: 'opened',
        });
        continue;
      }
      // Lost the race or a replay: the incident exists (same id or same open key).
      const existing = await tx('incidents')
        .where('open_correlation_key', incident.correlationKey)
        .orWhere('id', incident.id)
        .orderByRaw('CASE WHEN id = ? THEN 0 ELSE 1 END', [incident.id])
        .first('id');
      if (existing) {
        exists.set(existing.id, true);
        if (existing.id !== incident.id) {
          redirected[incident.id] = existing.id;
          result.redirected[incident.id] = existing.id;
        }
      }
      continue;
    }
    if (decision.type === 'hold' || decision.type === 'ignore') {
      result.skipped++;
      continue;
    }
    if (decision.type === 'move-alert') {
      // The incident it joins may open later in this batch: the move is stored at the end.
      const from = target(decision.fromIncidentId);
      const to = target(decision.incidentId);
      batch.moves.push({
        alertId: decision.alertId,
        from,
        to,
        rule: decision.rule,
        reason: decision.reason,
        at: now,
      });
      batch.timeline.push(...moveEntries(decision, from, to, now, actor));
      noteChange(batch, from, now);
      noteChange(batch, to, now);
      continue;
    }
    if (decision.type === 'merge-incident') {
      const source = target(decision.sourceId);
      if (await known(source)) {
        batch.timeline.push(
          ...(await storeMerge(
            tx,
            decision,
            source,
            target(decision.incidentId),
            actor,
          )),
        );
      }
      continue;
    }
    const incidentId = decision.incidentId && target(decision.incidentId);
    if (!incidentId || !(await known(incidentId))) {
      result.skipped++;
      continue;
    }
    // Findings (and rankings, `rankingEntry`) are identified by what they say, not when:
    // replicas that batched the same alerts differently then record each of them once.
    const identity =
      decision.type === 'add-finding'
        ? [incidentId, { ...decision, incidentId }]
        : [incidentId, now, { ...decision, incidentId }];

    switch (decision.type) {
      case 'attach-alert': {
        const entry: TimelineRow = {
          incidentId,
          at: now,
          actor,
          kind: 'alert',
          action: decision.type,
          summary: `Alert ${decision.alertId} joined: ${
            decision.reason || 'no reason given'
          }${decision.rule ? ` (${decision.rule})` : ''}`,
          evidence: [{ kind: 'alert', id: decision.alertId }],
          identity,
        };
        if (attachedWithOpen.delete(alertKey(incidentId, decision.alertId))) {
          noteChange(batch, incidentId, now);
          batch.timeline.push(entry);
        } else {
          // Its place on the timeline is kept; `storeAttaches` drops it if nothing changed.
          batch.timeline.push(entry);
          batch.attaches.push({
            incidentId,
            alertId: decision.alertId,
            rule: decision.rule,
            reason: decision.reason,
            entry,
          });
        }
        break;
      }
      case 'suppress-alert': {
        const { suppression } = decision;
        const columns: RoleColumns = {
          role: 'suppressed',
          suppressed_reason: suppression.reason,
          suppressed_by_alert_id:
            'alertId' in suppression.by ? suppression.by.alertId : null,
          suppressed_by_silence_id:
            'silenceId' in suppression.by ? suppression.by.silenceId : null,
          suppressed_rule: suppression.rule,
        };
        const by =
          'alertId' in suppression.by
            ? `alert ${suppression.by.alertId}`
            : `silence ${suppression.by.silenceId}`;
        roleChange(decision.alertId, columns, {
          incidentId,
          at: now,
          actor,
          kind: 'alert',
          action: decision.type,
          summary: `Alert ${decision.alertId} suppressed (${suppression.reason}) by ${by} (${suppression.rule})`,
          evidence: [
            { kind: 'alert', id: decision.alertId },
            ...('alertId' in suppression.by
              ? [{ kind: 'alert' as const, id: suppression.by.alertId }]
              : []),
          ],
          identity,
        });
        break;
      }
      case 'unsuppress-alert': {
        roleChange(decision.alertId, MEMBER_ROLE, {
          incidentId,
          at: now,
          actor,
          kind: 'alert',
          action: decision.type,
          summary: `Alert ${decision.alertId} is no longer suppressed`,
          evidence: [{ kind: 'alert', id: decision.alertId }],
          identity,
        });
        break;
      }
      case 'add-finding': {
        // The step's snapshot of the incident stores this finding (same timeline identity).
        if (findingsBySnapshot.has(incidentId)) break;
        const stored = await upsertFinding(
          tx,
          incidentId,
          decision.key,
          decision.finding,
          now,
        );
        if (stored.changed) noteChange(batch, incidentId, now);
        if (stored.news) {
          await timeline({
            incidentId,
            kind: 'finding',
            action: decision.type,
            summary: decision.finding.summary,
            evidence: decision.finding.evidence,
            identity,
          });
        }
        break;
      }
      case 'rank-root-causes': {
        if (
          sameValue(
            snapshotOf.get(incidentId)?.rootCauseCandidates,
            decision.candidates,
          )
        ) {
          rankedBySnapshot.add(incidentId);
          break;
        }
        const candidates = JSON.stringify(decision.candidates);
        const current = await tx('incidents')
          .where({ id: incidentId })
          .first('root_cause_candidates');
        if (!current || current.root_cause_candidates === candidates) break;
        await tx('incidents')
          .where({ id: incidentId })
          .update({ root_cause_candidates: candidates });
        noteChange(batch, incidentId, now);
        // New scores are stored; only a new order is news (`timelineNews`).
        if (
          rankingOrderChanged(
            parseCandidates(current.root_cause_candidates),
            decision.candidates,
          )
        ) {
          await timeline(rankingEntry(incidentId, decision.candidates));
        }
        break;
      }
      case 'resolve-incident': {
        const at = iso(decision.at);
        if (!(await resolveUnresolved(tx, incidentId, at))) break;
        await timeline({
          incidentId,
          at,
          kind: 'status',
          action: decision.type,
          summary: `Incident resolved automatically (${decision.rule})`,
          evidence: [],
          identity,
          change: 'resolved',
        });
        break;
      }
      case 'reopen-incident': {
        const at = iso(decision.at);
        // A stale replay never undoes a later resolve.
        const { updated } = await reopenResolved(tx, incidentId, at, {
          resolvedBy: at,
        });
        if (!updated) break;
        await timeline({
          incidentId,
          at,
          kind: 'status',
          action: decision.type,
          summary: `Incident reopened: alert ${decision.alertId} fired again (${decision.rule})`,
          evidence: [{ kind: 'alert', id: decision.alertId }],
          identity,
          change: 'reopened',
        });
        break;
      }
      default:
        result.skipped++;
    }
  }

  await storeSnapshots(tx, context.snapshots ?? [], {
    target,
    known,
    now,
    batch,
    timeline,
    rankedBySnapshot,
  });

  return result;
}

/** The timeline entry of a new ranking; identified by what it says, like findings. */
function rankingEntry(
  incidentId: string,
  candidates: RootCauseCandidate[],
): Omit<TimelineRow, 'actor' | 'at'> {
  return {
    incidentId,
    kind: 'finding',
    action: 'rank-root-causes',
    summary: candidates.length
      ? `Root causes ranked: ${candidates
          .map(c => `${c.entityRef} (${c.score})`)
          .join(', ')}`
      : 'No root cause candidates',
    evidence: candidates[0]?.evidence ?? [],
    identity: [
      incidentId,
      { type: 'rank-root-causes', incidentId, candidates },
    ],
  };
}

/** The stored `root_cause_candidates` column. */
function parseCandidates(column: string): RootCauseCandidate[] {
  return JSON.parse(column);
}

/** Records in `exists` whether each incident is stored. */
async function lookUpExistence(
  tx: Knex.Transaction,
  ids: string[],
  exists: Map<string, boolean>,
) {
  const unique = [...new Set(ids)];
  for (const chunk of chunks(unique)) {
    const rows = await tx('incidents').whereIn('id', chunk).select('id');
    const found = new Set(rows.map(row => row.id));
    for (const id of chunk) exists.set(id, found.has(id));
  }
}

/**
 * Stores the core's view of the step's incidents: describing columns that changed, a raised
 * severity, affected entities, and findings (changed ones replaced, dropped ones deleted). The
 * stored rows are read once for all of them, so a batch costs a few statements plus one per
 * incident whose description changed.
 */
async function storeSnapshots(
  tx: Knex.Transaction,
  snapshots: IncidentSnapshot[],
  step: {
    target: (id: string) => string;
    known: (id: string) => Promise<boolean>;
    now: string;
    batch: BatchWrites;
    timeline: (entry: Omit<TimelineRow, 'actor' | 'at'>) => Promise<void>;
    /** Incidents whose snapshot also stores their root-cause ranking. */
    rankedBySnapshot: Set<string>;
  },
) {
  const { now, batch, timeline } = step;
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
      await timeline(rankingEntry(id, snapshot.rootCauseCandidates));
    }
    if (raised) {
      await timeline({
        incidentId: id,
        kind: 'status',
        action: 'raise-severity',
        summary: `Severity raised from ${peak} to ${snapshot.severity}`,
        evidence: [],
        identity: ['raise-severity', id, snapshot.severity],
        change: 'severity-raised',
      });
    }
    for (const ref of entitiesOf(snapshot))
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
      await timeline({
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

/**
 * Stores a finding under its key: `changed` when it was new or different, `news` when the
 * change is worth a timeline entry (`findingIsNews`).
 */
async function upsertFinding(
  tx: Knex.Transaction,
  incidentId: string,
  key: string,
  finding: Finding,
  now: string,
): Promise<{ changed: boolean; news: boolean }> {
  const current = await tx('incident_findings')
    .where({ incident_id: incidentId, finding_key: key })
    .first();
  const before = current && toFinding(current);
  if (before && sameFinding(before, finding)) {
    return { changed: false, news: false };
  }
  await tx('incident_findings')
    .insert(fromFinding(incidentId, key, finding, now))
    .onConflict(['incident_id', 'finding_key'])
    .merge(['rule', 'summary', 'evidence', 'confidence', 'updated_at']);
  return { changed: true, news: findingIsNews(before, finding) };
}

/** Sets the role columns of an alert of an incident; true when that changed anything. */
/**
 * Stores the batch's role changes: the stored roles are read once, each change is compared
 * with the role before it (stored, or set earlier in the batch), and the final roles are
 * written together. Returns the timeline entries of changes that changed nothing.
 */
async function storeRoles(
  tx: Knex.Transaction,
  batch: BatchWrites,
): Promise<Set<TimelineRow>> {
  const unchanged = new Set<TimelineRow>();
  if (batch.roles.length === 0) return unchanged;
  const current = new Map<string, RoleColumns>();
  const alertIds = [...new Set(batch.roles.map(r => r.alertId))];
  for (const chunk of chunks(alertIds)) {
    const rows = await tx('incident_alerts')
      .whereIn('alert_id', chunk)
      .select('incident_id', 'alert_id', ...ROLE_KEYS);
    for (const row of rows) {
      current.set(alertKey(row.incident_id, row.alert_id), {
        role: row.role,
        suppressed_reason: row.suppressed_reason ?? null,
        suppressed_by_alert_id: row.suppressed_by_alert_id ?? null,
        suppressed_by_silence_id: row.suppressed_by_silence_id ?? null,
        suppressed_rule: row.suppressed_rule ?? null,
      });
    }
  }
  const final = new Map<
    string,
    { incidentId: string; alertId: string; at: string; columns: RoleColumns }
  >();
  for (const change of batch.roles) {
    const k = alertKey(change.incidentId, change.alertId);
    const before = current.get(k);
    if (before && ROLE_KEYS.every(c => before[c] === change.columns[c])) {
      unchanged.add(change.entry);
      continue;
    }
    current.set(k, change.columns);
    final.set(k, {
      incidentId: change.incidentId,
      alertId: change.alertId,
      at: final.get(k)?.at ?? change.entry.at,
      columns: change.columns,
    });
    noteChange(batch, change.incidentId, change.entry.at);
  }
  await insertRows(
    tx,
    'incident_alerts',
    INCIDENT_ALERT_COLUMNS,
    [...final.values()].map(f => ({
      incident_id: f.incidentId,
      alert_id: f.alertId,
      attached_at: f.at,
      ...f.columns,
    })),
    `ON CONFLICT (incident_id, alert_id) DO UPDATE SET ${ROLE_KEYS.map(
      key => `${key} = excluded.${key}`,
    ).join(', ')}`,
  );
  return unchanged;
}

/** Resolves an incident unless it is resolved; the number of rows changed. */
function resolveUnresolved(tx: Knex.Transaction, id: string, at: string) {
  return tx('incidents').where({ id }).whereNot('status', 'resolved').update({
    status: 'resolved',
    resolved_at: at,
    open_correlation_key: null,
    updated_at: at,
  });
}

/**
 * Reopens a resolved incident, taking its correlation key back, unless it was merged (its
 * alerts belong to the target) or another unresolved incident holds the key (the unique index
 * would refuse it); those say why nothing changed. `resolvedBy`: only if resolved by then.
 */
async function reopenResolved(
  tx: Knex.Transaction,
  id: string,
  at: string,
  options: { resolvedBy?: string } = {},
): Promise<{ updated: number; mergedInto?: string; keyHeldBy?: string }> {
  const row = await tx('incidents')
    .where({ id, status: 'resolved' })
    .first('correlation_key', 'merged_into');
  if (!row) return { updated: 0 };
  if (row.merged_into) return { updated: 0, mergedInto: row.merged_into };
  const holder = await tx('incidents')
    .where('open_correlation_key', row.correlation_key)
    .first('id');
  if (holder) return { updated: 0, keyHeldBy: holder.id };
  const updated = await tx('incidents')
    .where({ id, status: 'resolved' })
    .modify(query => {
      if (options.resolvedBy)
        query.where('resolved_at', '<=', options.resolvedBy);
    })
    .update({
      status: 'open',
      resolved_at: null,
      acknowledged_at: null,
      open_correlation_key: row.correlation_key,
      updated_at: at,
    });
  return { updated };
}

async function insertEntities(db: Db, incidentId: string, refs: string[]) {
  await insertIgnore(
    db,
    'incident_entities',
    refs.map(ref => ({ incident_id: incidentId, entity_ref: ref })),
  );
}

/**
 * The entry id inputs of a lifecycle action. `subject` tells apart entries of one action, actor
 * and time (the other incident of a merge); without it the ids stay those stored before.
 */
function lifecycleIdentity(
  action: string,
  incidentId: string,
  at: string,
  actor: string,
  subject?: string,
): unknown[] {
  const identity = [action, incidentId, at, actor];
  return subject === undefined ? identity : [...identity, subject];
}

/** The ids of the incidents affecting an entity (primary or not), as a subquery. */
function affecting(db: Db, entityRef: EntityRef) {
  return db('incident_entities')
    .where('entity_ref', entityRef)
    .select('incident_id');
}

/** Incidents opened within the window, with the columns of `responseTimes`. */
function openedWithin(db: Db, window: HealthWindow) {
  return whereIncidentMatches(
    db('incidents')
      .where('opened_at', '>=', iso(window.from))
      .where('opened_at', '<=', iso(window.to)),
    window.filter,
  ).select('opened_at', 'acknowledged_at', 'resolved_at', 'merged_into');
}

/**
 * Means over the selected timestamps, in JS: date arithmetic in SQL differs between SQLite
 * (text) and PostgreSQL (timestamptz), and a window holds few enough incidents.
 */
function responseTimes(rows: TimesRow[]): ResponseTimes {
  const toAck: number[] = [];
  const toResolve: number[] = [];
  for (const row of rows) {
    const opened = toDate(row.opened_at).getTime();
    if (row.acknowledged_at)
      toAck.push(toDate(row.acknowledged_at).getTime() - opened);
    // A merge resolves the source without anything having been fixed.
    if (row.resolved_at && !row.merged_into) {
      toResolve.push(toDate(row.resolved_at).getTime() - opened);
    }
  }
  const mttaMs = mean(toAck);
  const mttrMs = mean(toResolve);
  return {
    incidents: rows.length,
    ...(mttaMs === undefined ? {} : { mttaMs }),
    ...(mttrMs === undefined ? {} : { mttrMs }),
  };
}

function mean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round(
    values.reduce((sum, value) => sum + value, 0) / values.length,
  );
}

function summarize(counts: CountRow[], windowed: TimesRow[]) {
  const count = (status: string) =>
    counts
      .filter(row => row.status === status)
      .reduce((n, row) => n + Number(row.n), 0);
  return {
    open: count('open'),
    acknowledged: count('acknowledged'),
    ...responseTimes(windowed),
  };
}

/** Stats per owner or system, busiest first. */
function groupStats(
  counts: CountRow[],
  windowed: Array<TimesRow & Pick<CountRow, 'owner' | 'system'>>,
  column: 'owner' | 'system',
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

function entitiesOf(incident: Incident): string[] {
  return [
    ...new Set([
      ...(incident.primaryEntityRef ? [incident.primaryEntityRef] : []),
      ...incident.affectedEntityRefs,
    ]),
  ];
}

/** Adds alert ids and findings to incident rows, in two queries per chunk. */
async function hydrate(db: Db, rows: any[]): Promise<Incident[]> {
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

/** What correlation says about an incident beyond its lifecycle; a snapshot refreshes these. */
function describingColumns(
  incident: Incident,
): Record<(typeof DESCRIBING_COLUMNS)[number], string | null> {
  return {
    title: incident.title,
    severity: incident.severity,
    primary_entity_ref: incident.primaryEntityRef ?? null,
    affected_entity_refs: JSON.stringify(incident.affectedEntityRefs),
    owner: incident.owner ?? null,
    system: incident.system ?? null,
    rule_versions: JSON.stringify(incident.ruleVersions),
  };
}

function mostSevere(a: Severity, b: Severity): Severity {
  return severityRank(a) < severityRank(b) ? a : b;
}

function fromIncident(incident: Incident) {
  const resolved = incident.status === 'resolved';
  return {
    id: incident.id,
    ...describingColumns(incident),
    status: incident.status,
    peak_severity: incident.severity,
    correlation_key: incident.correlationKey,
    open_correlation_key: resolved ? null : incident.correlationKey,
    root_cause_candidates: JSON.stringify(incident.rootCauseCandidates),
    opened_at: iso(incident.openedAt),
    acknowledged_at: optionalIso(incident.acknowledgedAt) ?? null,
    resolved_at: optionalIso(incident.resolvedAt) ?? null,
    merged_into: incident.mergedInto ?? null,
    updated_at: iso(incident.updatedAt),
  };
}

function toIncident(
  row: any,
  alertIds: string[],
  findings: Finding[],
): Incident {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    severity: row.severity,
    primaryEntityRef: row.primary_entity_ref ?? undefined,
    affectedEntityRefs: JSON.parse(row.affected_entity_refs),
    owner: row.owner ?? undefined,
    system: row.system ?? undefined,
    correlationKey: row.correlation_key,
    ruleVersions: JSON.parse(row.rule_versions),
    alertIds,
    findings,
    rootCauseCandidates: JSON.parse(row.root_cause_candidates),
    openedAt: iso(row.opened_at),
    acknowledgedAt: optionalIso(row.acknowledged_at),
    resolvedAt: optionalIso(row.resolved_at),
    mergedInto: row.merged_into ?? undefined,
    updatedAt: iso(row.updated_at),
  };
}

function fromFinding(
  incidentId: string,
  key: string,
  finding: Finding,
  now: string,
) {
  return {
    incident_id: incidentId,
    finding_key: key,
    rule: finding.rule,
    summary: finding.summary,
    evidence: JSON.stringify(finding.evidence),
    confidence: finding.confidence,
    updated_at: now,
  };
}

function toFinding(row: any): Finding {
  return {
    rule: row.rule,
    summary: row.summary,
    evidence: JSON.parse(row.evidence),
    confidence: Number(row.confidence),
  };
}

function sameFinding(a: Finding, b: Finding) {
  return (
    a.rule === b.rule &&
    a.summary === b.summary &&
    a.confidence === b.confidence &&
    JSON.stringify(a.evidence) === JSON.stringify(b.evidence)
  );
}

function toIncidentAlert(row: any): IncidentAlert {
  return {
    alertId: row.alert_id,
    role: row.role,
    joinedBy: row.joined_rule
      ? { rule: row.joined_rule, reason: row.joined_reason ?? '' }
      : undefined,
    suppression: row.suppressed_reason
      ? {
          reason: row.suppressed_reason,
          by: row.suppressed_by_alert_id
            ? { alertId: row.suppressed_by_alert_id }
            : { silenceId: row.suppressed_by_silence_id ?? '' },
          rule: row.suppressed_rule ?? '',
        }
      : undefined,
    attachedAt: iso(row.attached_at),
  };
}

function toTimelineEntry(row: any): StoredTimelineEntry {
  return {
    id: row.entry_id,
    action: row.action,
    at: iso(row.at),
    kind: row.kind,
    summary: row.summary,
    actor: row.actor ?? undefined,
    evidence: JSON.parse(row.evidence),
  };
}
