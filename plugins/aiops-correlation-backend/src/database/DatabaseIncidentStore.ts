import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  Evidence,
  Finding,
  Incident,
  TimelineEntryKind,
} from '@aiops/plugin-aiops-common';
import type { CorrelationDecision } from '../service/types';
import type {
  ApplyContext,
  AppliedDecisions,
  IncidentAlert,
  IncidentDetails,
  IncidentQuery,
  IncidentStore,
  Page,
  StoredFinding,
  StoredIncidentState,
  StoredTimelineEntry,
} from './IncidentStore';

const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-correlation-backend',
  'migrations',
);

/** Keeps each statement well under SQLite's bound-parameter limit. */
const CHUNK = 200;
const SYSTEM_ACTOR = 'system';

type Db = Knex | Knex.Transaction;

interface TimelineRow {
  incidentId: string;
  at: string;
  kind: TimelineEntryKind;
  action: string;
  summary: string;
  actor: string;
  evidence: Evidence[];
  /** Deterministic inputs of the entry id. */
  identity: unknown;
}

export class DatabaseIncidentStore implements IncidentStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseIncidentStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseIncidentStore(client);
  }

  constructor(private readonly db: Knex) {}

  async applyDecisions(
    decisions: CorrelationDecision[],
    context: ApplyContext,
  ): Promise<AppliedDecisions> {
    const now = iso(context.now);
    const actor = context.actor ?? SYSTEM_ACTOR;
    return this.db.transaction(async tx => {
      const result: AppliedDecisions = { opened: [], redirected: {}, skipped: 0 };
      const target = (id: string) => result.redirected[id] ?? id;
      const exists = new Map<string, boolean>();
      const known = async (id: string) => {
        if (!exists.has(id)) {
          exists.set(id, !!(await tx('incidents').where({ id }).first('id')));
        }
        return exists.get(id)!;
      };
      const changed = new Set<string>();
      const timeline = (entry: Omit<TimelineRow, 'actor' | 'at'> & { at?: string }) =>
        insertTimeline(tx, { at: now, actor, ...entry });

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
            await insertIgnore(
              tx,
              'incident_alerts',
              incident.alertIds.map(alertId => ({
                incident_id: incident.id,
                alert_id: alertId,
                role: 'member',
                attached_at: iso(incident.openedAt),
              })),
            );
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
            if (existing.id !== incident.id) result.redirected[incident.id] = existing.id;
          }
          continue;
        }
        if (decision.type === 'hold' || decision.type === 'ignore') {
          result.skipped++;
          continue;
        }
        const incidentId = decision.incidentId && target(decision.incidentId);
        if (!incidentId || !(await known(incidentId))) {
          result.skipped++;
          continue;
        }
        const identity = [incidentId, now, { ...decision, incidentId }];

        switch (decision.type) {
          case 'attach-alert': {
            const inserted = await tx('incident_alerts')
              .insert({
                incident_id: incidentId,
                alert_id: decision.alertId,
                role: 'member',
                joined_rule: decision.rule,
                joined_reason: decision.reason,
                attached_at: now,
              })
              .onConflict(['incident_id', 'alert_id'])
              .ignore()
              .returning('seq');
            // Alerts of the open snapshot are stored before their attach decision arrives.
            const filled =
              inserted.length > 0 ||
              (await tx('incident_alerts')
                .where({ incident_id: incidentId, alert_id: decision.alertId })
                .whereNull('joined_rule')
                .update({ joined_rule: decision.rule, joined_reason: decision.reason })) > 0;
            if (!filled) break;
            changed.add(incidentId);
            await timeline({
              incidentId,
              kind: 'alert',
              action: decision.type,
              summary: `Alert ${decision.alertId} joined: ${decision.reason || 'no reason given'}${
                decision.rule ? ` (${decision.rule})` : ''
              }`,
              evidence: [{ kind: 'alert', id: decision.alertId }],
              identity,
            });
            break;
          }
          case 'suppress-alert': {
            const { suppression } = decision;
            const columns = {
              role: 'suppressed',
              suppressed_reason: suppression.reason,
              suppressed_by_alert_id:
                'alertId' in suppression.by ? suppression.by.alertId : null,
              suppressed_by_silence_id:
                'silenceId' in suppression.by ? suppression.by.silenceId : null,
              suppressed_rule: suppression.rule,
            };
            const effective = await upsertAlertRole(tx, incidentId, decision.alertId, columns, now);
            if (!effective) break;
            changed.add(incidentId);
            const by =
              'alertId' in suppression.by
                ? `alert ${suppression.by.alertId}`
                : `silence ${suppression.by.silenceId}`;
            await timeline({
              incidentId,
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
            const effective = await upsertAlertRole(
              tx,
              incidentId,
              decision.alertId,
              {
                role: 'member',
                suppressed_reason: null,
                suppressed_by_alert_id: null,
                suppressed_by_silence_id: null,
                suppressed_rule: null,
              },
              now,
            );
            if (!effective) break;
            changed.add(incidentId);
            await timeline({
              incidentId,
              kind: 'alert',
              action: decision.type,
              summary: `Alert ${decision.alertId} is no longer suppressed`,
              evidence: [{ kind: 'alert', id: decision.alertId }],
              identity,
            });
            break;
          }
          case 'add-finding': {
            if (await upsertFinding(tx, incidentId, decision.key, decision.finding, now)) {
              changed.add(incidentId);
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
            const candidates = JSON.stringify(decision.candidates);
            const updated = await tx('incidents')
              .where({ id: incidentId })
              .whereNot('root_cause_candidates', candidates)
              .update({ root_cause_candidates: candidates });
            if (!updated) break;
            changed.add(incidentId);
            await timeline({
              incidentId,
              kind: 'finding',
              action: decision.type,
              summary: decision.candidates.length
                ? `Root causes ranked: ${decision.candidates
                    .map(c => `${c.entityRef} (${c.score})`)
                    .join(', ')}`
                : 'No root cause candidates',
              evidence: decision.candidates[0]?.evidence ?? [],
              identity,
            });
            break;
          }
          case 'resolve-incident': {
            const at = iso(decision.at);
            const updated = await tx('incidents')
              .where({ id: incidentId })
              .whereNot('status', 'resolved')
              .update({
                status: 'resolved',
                resolved_at: at,
                open_correlation_key: null,
                updated_at: at,
              });
            if (!updated) break;
            await timeline({
              incidentId,
              at,
              kind: 'status',
              action: decision.type,
              summary: `Incident resolved automatically (${decision.rule})`,
              evidence: [],
              identity,
            });
            break;
          }
          case 'reopen-incident': {
            const at = iso(decision.at);
            // Another unresolved incident holding the key would violate the unique index.
            const row = await tx('incidents').where({ id: incidentId }).first();
            const holder = await tx('incidents')
              .where('open_correlation_key', row.correlation_key)
              .first('id');
            if (holder) break;
            const updated = await tx('incidents')
              .where({ id: incidentId, status: 'resolved' })
              // A stale replay never undoes a later resolve.
              .where('resolved_at', '<=', at)
              .update({
                status: 'open',
                resolved_at: null,
                acknowledged_at: null,
                open_correlation_key: row.correlation_key,
                updated_at: at,
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
            });
            break;
          }
          default:
            result.skipped++;
        }
      }

      for (const { incident: snapshot, findingsByKey } of context.snapshots ?? []) {
        const id = target(snapshot.id);
        if (!(await known(id))) continue;
        const columns = {
          title: snapshot.title,
          severity: snapshot.severity,
          primary_entity_ref: snapshot.primaryEntityRef ?? null,
          affected_entity_refs: JSON.stringify(snapshot.affectedEntityRefs),
          owner: snapshot.owner ?? null,
          system: snapshot.system ?? null,
          rule_versions: JSON.stringify(snapshot.ruleVersions),
        };
        const current = await tx('incidents')
          .where({ id })
          .first(...Object.keys(columns));
        const differs = Object.entries(columns).some(
          ([key, value]) => (current[key] ?? null) !== value,
        );
        if (differs) {
          await tx('incidents').where({ id }).update(columns);
          changed.add(id);
        }
        await insertEntities(tx, id, entitiesOf(snapshot));
        if (!findingsByKey) continue;
        for (const [key, finding] of Object.entries(findingsByKey)) {
          if (!(await upsertFinding(tx, id, key, finding, now))) continue;
          changed.add(id);
          await timeline({
            incidentId: id,
            kind: 'finding',
            action: 'add-finding',
            summary: finding.summary,
            evidence: finding.evidence,
            identity: [id, now, { type: 'add-finding', incidentId: id, key, finding }],
          });
        }
        const keep = Object.keys(findingsByKey);
        const dropped = await tx('incident_findings')
          .where({ incident_id: id })
          .modify(b => {
            if (keep.length > 0) b.whereNotIn('finding_key', keep);
          })
          .delete();
        if (dropped) changed.add(id);
      }

      if (changed.size > 0) {
        await tx('incidents')
          .whereIn('id', [...changed])
          .where('updated_at', '<', now)
          .update({ updated_at: now });
      }
      return result;
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
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.db('incidents')
      .modify(builder => {
        if (query.entityRef) {
          builder.whereIn(
            'id',
            this.db('incident_entities')
              .where('entity_ref', query.entityRef)
              .select('incident_id'),
          );
        }
        if (query.owner) builder.where('owner', query.owner);
        if (query.system) builder.where('system', query.system);
        if (query.status) builder.whereIn('status', [query.status].flat());
        if (query.severity) builder.whereIn('severity', [query.severity].flat());
        if (query.to) builder.where('opened_at', '<', iso(query.to));
        if (query.from) {
          const from = iso(query.from);
          builder.where(b => b.whereNull('resolved_at').orWhere('resolved_at', '>=', from));
        }
        if (cursor) {
          builder.where(b =>
            b
              .where('opened_at', '<', cursor.openedAt)
              .orWhere(bb => bb.where('opened_at', cursor.openedAt).where('id', '<', cursor.id)),
          );
        }
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
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ openedAt: last.openedAt, id: last.id })
          : undefined,
    };
  }

  async acknowledge(id: string, actor: string, at: string): Promise<Incident> {
    const when = iso(at);
    return this.transition(id, {
      update: tx =>
        tx('incidents')
          .where({ id, status: 'open' })
          .update({ status: 'acknowledged', acknowledged_at: when, updated_at: when }),
      unchanged: row => {
        if (row.status === 'resolved') {
          throw new ConflictError(`Incident ${id} is resolved and cannot be acknowledged`);
        }
      },
      entry: { at: when, actor, action: 'acknowledge', summary: `Acknowledged by ${actor}` },
    });
  }

  async resolve(id: string, actor: string, at: string): Promise<Incident> {
    const when = iso(at);
    return this.transition(id, {
      update: tx =>
        tx('incidents').where({ id }).whereNot('status', 'resolved').update({
          status: 'resolved',
          resolved_at: when,
          open_correlation_key: null,
          updated_at: when,
        }),
      entry: { at: when, actor, action: 'resolve', summary: `Resolved by ${actor}` },
    });
  }

  async reopen(id: string, actor: string, at: string): Promise<Incident> {
    const when = iso(at);
    return this.transition(id, {
      update: async tx => {
        const row = await tx('incidents').where({ id, status: 'resolved' }).first('correlation_key');
        if (!row) return 0;
        const holder = await tx('incidents')
          .where('open_correlation_key', row.correlation_key)
          .first('id');
        if (holder) {
          throw new ConflictError(
            `Incident ${id} cannot be reopened: incident ${holder.id} is open with the same correlation key`,
          );
        }
        return tx('incidents').where({ id, status: 'resolved' }).update({
          status: 'open',
          resolved_at: null,
          acknowledged_at: null,
          open_correlation_key: row.correlation_key,
          updated_at: when,
        });
      },
      entry: { at: when, actor, action: 'reopen', summary: `Reopened by ${actor}` },
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
      await insertTimeline(tx, {
        incidentId: id,
        at: iso(at),
        kind: 'note',
        action: 'note',
        summary: text,
        actor,
        evidence: [],
        identity: entryId,
      });
      const row = await tx('incident_timeline').where({ entry_id: hashOf(entryId) }).first();
      return toTimelineEntry(row);
    });
  }

  async loadOpenState(options: { resolvedSince?: string } = {}): Promise<StoredIncidentState[]> {
    const rows = await this.db('incidents')
      .where(b => {
        b.whereNot('status', 'resolved');
        if (options.resolvedSince) {
          b.orWhere('resolved_at', '>=', iso(options.resolvedSince));
        }
      })
      .orderBy('id');
    const incidents = await hydrate(this.db, rows);
    const ids = incidents.map(i => i.id);
    const alerts = new Map<string, IncidentAlert[]>();
    const findings = new Map<string, Record<string, Finding>>();
    for (const chunk of chunks(ids)) {
      for (const row of await this.db('incident_alerts').whereIn('incident_id', chunk).orderBy('seq')) {
        const list = alerts.get(row.incident_id) ?? [];
        list.push(toIncidentAlert(row));
        alerts.set(row.incident_id, list);
      }
      for (const row of await this.db('incident_findings').whereIn('incident_id', chunk).orderBy('seq')) {
        const byKey = findings.get(row.incident_id) ?? {};
        byKey[row.finding_key] = toFinding(row);
        findings.set(row.incident_id, byKey);
      }
    }
    return incidents.map(incident => ({
      incident,
      alerts: alerts.get(incident.id) ?? [],
      findingsByKey: findings.get(incident.id) ?? {},
    }));
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
      entry: { at: string; actor: string; action: string; summary: string };
    },
  ): Promise<Incident> {
    return this.db.transaction(async tx => {
      const updated = await options.update(tx);
      const row = await tx('incidents').where({ id }).first();
      if (!row) throw new NotFoundError(`Incident ${id} not found`);
      if (updated) {
        await insertTimeline(tx, {
          incidentId: id,
          kind: 'status',
          evidence: [],
          ...options.entry,
          identity: [options.entry.action, id, options.entry.at, options.entry.actor],
        });
      } else {
        options.unchanged?.(row);
      }
      const [incident] = await hydrate(tx, [row]);
      return incident;
    });
  }
}

/** Stores a finding under its key; true when it was new or different. */
async function upsertFinding(
  tx: Knex.Transaction,
  incidentId: string,
  key: string,
  finding: Finding,
  now: string,
): Promise<boolean> {
  const current = await tx('incident_findings')
    .where({ incident_id: incidentId, finding_key: key })
    .first();
  if (current && sameFinding(toFinding(current), finding)) return false;
  await tx('incident_findings')
    .insert(fromFinding(incidentId, key, finding, now))
    .onConflict(['incident_id', 'finding_key'])
    .merge(['rule', 'summary', 'evidence', 'confidence', 'updated_at']);
  return true;
}

/** Sets the role columns of an alert of an incident; true when that changed anything. */
async function upsertAlertRole(
  tx: Knex.Transaction,
  incidentId: string,
  alertId: string,
  columns: Record<string, string | null>,
  now: string,
): Promise<boolean> {
  const current = await tx('incident_alerts')
    .where({ incident_id: incidentId, alert_id: alertId })
    .first(...Object.keys(columns));
  if (current && Object.entries(columns).every(([k, v]) => (current[k] ?? null) === v)) {
    return false;
  }
  await tx('incident_alerts')
    .insert({ incident_id: incidentId, alert_id: alertId, attached_at: now, ...columns })
    .onConflict(['incident_id', 'alert_id'])
    .merge(Object.keys(columns));
  return true;
}

async function insertTimeline(db: Db, entry: TimelineRow) {
  await db('incident_timeline')
    .insert({
      entry_id: hashOf(entry.identity),
      incident_id: entry.incidentId,
      at: entry.at,
      kind: entry.kind,
      action: entry.action,
      summary: entry.summary,
      actor: entry.actor,
      evidence: JSON.stringify(entry.evidence),
    })
    .onConflict(['entry_id'])
    .ignore();
}

async function insertEntities(db: Db, incidentId: string, refs: string[]) {
  await insertIgnore(
    db,
    'incident_entities',
    refs.map(ref => ({ incident_id: incidentId, entity_ref: ref })),
  );
}

async function insertIgnore(db: Db, table: string, rows: object[]) {
  for (const chunk of chunks(rows)) {
    await db(table).insert(chunk).onConflict().ignore();
  }
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
      alertIds.set(row.incident_id, [...(alertIds.get(row.incident_id) ?? []), row.alert_id]);
    }
    const findingRows = await db('incident_findings').whereIn('incident_id', chunk).orderBy('seq');
    for (const row of findingRows) {
      findings.set(row.incident_id, [...(findings.get(row.incident_id) ?? []), toFinding(row)]);
    }
  }
  return rows.map(row => toIncident(row, alertIds.get(row.id) ?? [], findings.get(row.id) ?? []));
}

function fromIncident(incident: Incident) {
  const resolved = incident.status === 'resolved';
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    primary_entity_ref: incident.primaryEntityRef ?? null,
    affected_entity_refs: JSON.stringify(incident.affectedEntityRefs),
    owner: incident.owner ?? null,
    system: incident.system ?? null,
    correlation_key: incident.correlationKey,
    open_correlation_key: resolved ? null : incident.correlationKey,
    rule_versions: JSON.stringify(incident.ruleVersions),
    root_cause_candidates: JSON.stringify(incident.rootCauseCandidates),
    opened_at: iso(incident.openedAt),
    acknowledged_at: optionalIso(incident.acknowledgedAt) ?? null,
    resolved_at: optionalIso(incident.resolvedAt) ?? null,
    updated_at: iso(incident.updatedAt),
  };
}

function toIncident(row: any, alertIds: string[], findings: Finding[]): Incident {
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
    updatedAt: iso(row.updated_at),
  };
}

function fromFinding(incidentId: string, key: string, finding: Finding, now: string) {
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
    joinedBy: row.joined_rule ? { rule: row.joined_rule, reason: row.joined_reason ?? '' } : undefined,
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

function hashOf(identity: unknown): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function encodeCursor(cursor: { openedAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.openedAt, cursor.id])).toString('base64url');
}

function decodeCursor(cursor: string): { openedAt: string; id: string } {
  try {
    const [openedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof openedAt !== 'string' || typeof id !== 'string') throw new Error('shape');
    return { openedAt: iso(openedAt), id };
  } catch {
    throw new InputError(`Invalid cursor "${cursor}"`);
  }
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK));
  return result;
}

function iso(value: unknown): string {
  const date = new Date(value as string | Date);
  if (Number.isNaN(date.getTime())) throw new InputError(`Invalid timestamp "${String(value)}"`);
  return date.toISOString();
}

function optionalIso(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : iso(value);
}
