import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type {
  Alert,
  Deployment,
  EntityResolution,
} from '@aiops/plugin-aiops-common';
import { iso, optionalIso, useWriteAheadLog } from '@aiops/plugin-aiops-node';
import {
  applyAlertDelivery,
  applyResolveByKey,
} from '../service/alerts/alertLifecycle';
import { applyDeploymentEvent } from '../service/deploymentLifecycle';
import type { DeploymentInput } from '../service/inputs';
import type { KeyedTelemetry } from '../service/telemetryKeys';
import type {
  AlertDelivery,
  AlertQuery,
  DeploymentQuery,
  Exemplar,
  Feed,
  IngestStore,
  ObservedEdge,
  Page,
  RecordedAlert,
  RecordedDeployment,
  SeriesPoint,
  SeriesQuery,
} from './IngestStore';
import {
  chunks,
  claimSequence,
  feedWritesFor,
  type FeedTable,
  type Feeds,
  type FeedWrites,
} from './statements';
import * as telemetryStore from './telemetry';

const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-ingest-backend',
  'migrations',
);

/** The change feeds' tables as written by `fromAlert` and `fromDeployment` (see `./statements`). */
const ALERTS: FeedTable<ReturnType<typeof fromAlert>> = {
  name: 'alerts',
  idColumn: 'fingerprint',
  columns: {
    id: 'text',
    source: 'text',
    fingerprint: 'text',
    status: 'text',
    severity: 'text',
    title: 'text',
    description: 'text',
    labels: 'text',
    annotations: 'text',
    entity_ref: 'text',
    owner: 'text',
    system: 'text',
    resolution: 'text',
    starts_at: 'timestamptz',
    ends_at: 'timestamptz',
    first_seen_at: 'timestamptz',
    last_seen_at: 'timestamptz',
    delivery_count: 'integer',
    generator_url: 'text',
    seq: 'bigint',
  },
};

const DEPLOYMENTS: FeedTable<ReturnType<typeof fromDeployment>> = {
  name: 'deployments',
  idColumn: 'external_id',
  columns: {
    id: 'text',
    source: 'text',
    external_id: 'text',
    entity_ref: 'text',
    owner: 'text',
    system: 'text',
    resolution: 'text',
    labels: 'text',
    environment: 'text',
    version: 'text',
    previous_version: 'text',
    status: 'text',
    started_at: 'timestamptz',
    finished_at: 'timestamptz',
    url: 'text',
    commit: 'text',
    actor: 'text',
    summary: 'text',
    received_at: 'timestamptz',
    seq: 'bigint',
  },
};

/** A batch applied to the stored rows, waiting for its sequence numbers (`firstSeq + index`). */
interface FeedChanges<R> {
  results(firstSeq: number): R[];
  rows(firstSeq: number): object[];
}

export class DatabaseIngestStore implements IngestStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseIngestStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    await useWriteAheadLog(client);
    return new DatabaseIngestStore(client);
  }

  private readonly writes: FeedWrites;

  constructor(private readonly db: Knex) {
    this.writes = feedWritesFor(db);
  }

  async recordAlerts(
    deliveries: AlertDelivery[],
    now: Date,
  ): Promise<RecordedAlert[]> {
    const nowIso = now.toISOString();
    const keys = deliveries.map(d =>
      'input' in d
        ? [d.input.source, d.input.fingerprint]
        : [d.source, d.resolveByKey.fingerprint],
    );
    return this.writeFeed(ALERTS, keys, toAlert, current => {
      // Deliveries of one fingerprint within a batch apply in order, each to the previous result.
      const changed = new Map<string, { alert: Alert; index: number }>();
      const outcomes = deliveries.map((delivery, index) => {
        const key = keys[index].join('\n');
        const existing = current.get(key);
        const applied =
          'input' in delivery
            ? applyAlertDelivery(
                existing,
                delivery.input,
                delivery.resolution,
                {
                  id: existing?.id ?? randomUUID(),
                  now: nowIso,
                },
              )
            : existing &&
              applyResolveByKey(existing, delivery.resolveByKey, nowIso);
        if (!applied) return undefined;
        current.set(key, applied.alert);
        changed.set(key, { alert: applied.alert, index });
        return { applied, index };
      });
      return {
        results: firstSeq =>
          outcomes.map(
            o => o && { ...o.applied, cursor: String(firstSeq + o.index) },
          ),
        rows: firstSeq =>
          [...changed.values()].map(({ alert, index }) =>
            fromAlert(alert, firstSeq + index),
          ),
      };
    });
  }

  async listAlerts(query: AlertQuery): Promise<Page<Alert>> {
    return this.pageBySeq('alerts', query, toAlert, builder => {
      if (query.entityRef) builder.where('entity_ref', query.entityRef);
      if (query.unowned) builder.whereNull('entity_ref');
      if (query.status) builder.where('status', query.status);
      if (query.to) builder.where('starts_at', '<', query.to);
      if (query.from) {
        builder.where(b =>
          b.whereNull('ends_at').orWhere('ends_at', '>=', query.from!),
        );
      }
    });
  }

  async getAlerts(ids: string[]): Promise<Alert[]> {
    const unique = [...new Set(ids)];
    const byId = new Map<string, Alert>();
    for (const chunk of chunks(unique)) {
      for (const row of await this.db('alerts').whereIn('id', chunk)) {
        byId.set(row.id, toAlert(row));
      }
    }
    return unique.flatMap(id => byId.get(id) ?? []);
  }

  async alertFeed(
    after: string | undefined,
    limit: number,
  ): Promise<Feed<Alert>> {
    return this.feed('alerts', after, limit, toAlert);
  }

  async recordDeployments(
    deployments: Array<{
      input: DeploymentInput;
      resolution: EntityResolution;
    }>,
    now: Date,
  ): Promise<RecordedDeployment[]> {
    const receivedAt = now.toISOString();
    const keys = deployments.map(d => [d.input.source, d.input.externalId]);
    return this.writeFeed(DEPLOYMENTS, keys, toDeployment, current => {
      const labelsByKey = new Map<string, string>();
      const changed = new Map<
        string,
        { deployment: Deployment; index: number }
      >();
      const outcomes = deployments.map(({ input, resolution }, index) => {
        const key = keys[index].join('\n');
        const existing = current.get(key);
        const applied = applyDeploymentEvent(
          existing,
          input,
          resolution,
          existing?.id ?? randomUUID(),
        );
        current.set(key, applied.deployment);
        labelsByKey.set(key, JSON.stringify(input.labels));
        if (applied.change !== 'unchanged')
          changed.set(key, { deployment: applied.deployment, index });
        return { applied, cursorIndex: changed.get(key)?.index ?? index };
      });
      return {
        results: firstSeq =>
          outcomes.map(o => ({
            ...o.applied,
            cursor: String(firstSeq + o.cursorIndex),
          })),
        rows: firstSeq =>
          [...changed.entries()].map(([key, { deployment, index }]) =>
            fromDeployment(
              deployment,
              firstSeq + index,
              labelsByKey.get(key)!,
              receivedAt,
            ),
          ),
      };
    });
  }

  async listDeployments(query: DeploymentQuery): Promise<Page<Deployment>> {
    return this.pageBySeq('deployments', query, toDeployment, builder => {
      if (query.entityRef) builder.where('entity_ref', query.entityRef);
      if (query.entityRefs) builder.whereIn('entity_ref', query.entityRefs);
      if (query.environment) builder.where('environment', query.environment);
      if (query.from) builder.where('started_at', '>=', query.from);
      if (query.to) builder.where('started_at', '<', query.to);
    });
  }

  async deploymentFeed(
    after: string | undefined,
    limit: number,
  ): Promise<Feed<Deployment>> {
    return this.feed('deployments', after, limit, toDeployment);
  }

  async recordTelemetry(telemetry: KeyedTelemetry): Promise<void> {
    return telemetryStore.recordTelemetry(this.db, telemetry);
  }

  async readSeries(query: SeriesQuery): Promise<SeriesPoint[]> {
    return telemetryStore.readSeries(this.db, query);
  }

  async listExemplars(query: {
    entityKey: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<Exemplar[]> {
    return telemetryStore.listExemplars(this.db, query);
  }

  async listEdges(query: {
    from: number;
    to: number;
    entityKey?: string;
  }): Promise<ObservedEdge[]> {
    return telemetryStore.listEdges(this.db, query);
  }

  async deleteExpired(cutoffs: {
    resolvedAlertsBefore: Date;
    telemetryBefore: Date;
    deploymentsBefore: Date;
  }) {
    const telemetryBefore = cutoffs.telemetryBefore.getTime();
    const alerts = await this.db('alerts')
      .where('status', 'resolved')
      .where('ends_at', '<', cutoffs.resolvedAlertsBefore.toISOString())
      .delete();
    const deployments = await this.db('deployments')
      .where('started_at', '<', cutoffs.deploymentsBefore.toISOString())
      .delete();
    const rollups = await this.db('metric_rollups')
      .where('minute', '<', telemetryBefore)
      .delete();
    await this.db('metric_rollup_buckets')
      .where('minute', '<', telemetryBefore)
      .delete();
    await this.db('telemetry_exemplars')
      .where('time', '<', telemetryBefore)
      .delete();
    await this.db('call_edges').where('minute', '<', telemetryBefore).delete();
    return { alerts, rollups, deployments };
  }

  /**
   * One write to a change feed (`alerts` or `deployments`): read the stored rows for `keys`,
   * `apply` the batch to them, claim sequence numbers, write the changed rows.
   *
   * The feed counter's row lock is what makes the feed safe to follow: held from the claim to
   * the commit, it makes writers commit in sequence order, so a later number is never visible
   * before an earlier one. It also serializes writers (replicas; within one process
   * `GroupCommit` already runs one write at a time), so it is taken last and held as briefly
   * as possible. The rows are read and the batch applied with no lock and no transaction;
   * then the claim and the upsert are one transaction (one statement on PostgreSQL) that goes
   * ahead only if the counter still stands where the read found it. Every writer moves the
   * counter, so an unmoved counter means that no one committed since the read and the rows
   * read are current. If it moved, another writer did: then the counter is claimed first and
   * the rows are read again under its lock.
   */
  private async writeFeed<T, R>(
    table: FeedTable<object>,
    keys: string[][],
    toItem: (row: any) => T,
    apply: (current: Map<string, T>) => FeedChanges<R>,
  ): Promise<R[]> {
    if (keys.length === 0) return [];
    const keyed = (rows: any[]) =>
      new Map(
        rows.map(row => [`${row.source}\n${row[table.idColumn]}`, toItem(row)]),
      );

    const read = await this.writes.load(this.db, table, keys);
    const changes = apply(keyed(read.rows));
    const firstSeq = read.counter + 1;
    const rows = changes.rows(firstSeq);
    if (
      await this.writes.writeIfUnchanged(
        this.db,
        table,
        read.counter,
        keys.length,
        rows,
      )
    ) {
      return changes.results(firstSeq);
    }

    return this.db.transaction(async tx => {
      const claimed = await claimSequence(tx, table.name, keys.length);
      const locked = apply(
        keyed((await this.writes.load(tx, table, keys)).rows),
      );
      await this.writes.upsert(tx, table, locked.rows(claimed));
      return locked.results(claimed);
    });
  }

  /** Newest change first; the cursor is the last sequence number of the page. */
  private async pageBySeq<T>(
    table: Feeds,
    query: { limit: number; cursor?: string },
    map: (row: any) => T,
    filter: (builder: Knex.QueryBuilder) => void,
  ): Promise<Page<T>> {
    const rows = await this.db(table)
      .modify(builder => {
        filter(builder);
        if (query.cursor) builder.where('seq', '<', Number(query.cursor));
      })
      .orderBy('seq', 'desc')
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit);
    return {
      items: items.map(map),
      nextCursor:
        rows.length > query.limit
          ? String(Number(items[items.length - 1].seq))
          : undefined,
    };
  }

  private async feed<T>(
    table: Feeds,
    after: string | undefined,
    limit: number,
    map: (row: any) => T,
  ): Promise<Feed<T>> {
    const afterSeq = after ? Number(after) : 0;
    const rows = await this.db(table)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit);
    const items = rows.map(row => ({
      item: map(row),
      cursor: String(Number(row.seq)),
    }));
    return {
      items,
      cursor: items.length ? items[items.length - 1].cursor : String(afterSeq),
    };
  }
}

function resolvedColumns(resolution: EntityResolution) {
  return resolution.status === 'resolved'
    ? {
        entity_ref: resolution.entityRef,
        owner: resolution.owner ?? null,
        system: resolution.system ?? null,
      }
    : { entity_ref: null, owner: null, system: null };
}

function fromAlert(alert: Alert, seq: number) {
  return {
    id: alert.id,
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status,
    severity: alert.severity,
    title: alert.title,
    description: alert.description ?? null,
    labels: JSON.stringify(alert.labels),
    annotations: JSON.stringify(alert.annotations),
    ...resolvedColumns(alert.resolution),
    resolution: JSON.stringify(alert.resolution),
    starts_at: alert.startsAt,
    ends_at: alert.endsAt ?? null,
    first_seen_at: alert.firstSeenAt,
    last_seen_at: alert.lastSeenAt,
    delivery_count: alert.deliveryCount,
    generator_url: alert.generatorUrl ?? null,
    seq,
  };
}

function toAlert(row: any): Alert {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    source: row.source,
    status: row.status,
    severity: row.severity,
    title: row.title,
    description: row.description ?? undefined,
    labels: JSON.parse(row.labels),
    annotations: JSON.parse(row.annotations),
    resolution: JSON.parse(row.resolution),
    startsAt: iso(row.starts_at),
    endsAt: optionalIso(row.ends_at),
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    deliveryCount: Number(row.delivery_count),
    generatorUrl: row.generator_url ?? undefined,
  };
}

function fromDeployment(
  deployment: Deployment,
  seq: number,
  labels: string,
  receivedAt: string,
) {
  return {
    id: deployment.id,
    source: deployment.source,
    external_id: deployment.externalId,
    ...resolvedColumns(deployment.resolution),
    resolution: JSON.stringify(deployment.resolution),
    labels,
    environment: deployment.environment,
    version: deployment.version,
    previous_version: deployment.previousVersion ?? null,
    status: deployment.status,
    started_at: deployment.startedAt,
    finished_at: deployment.finishedAt ?? null,
    url: deployment.url ?? null,
    commit: deployment.commit ?? null,
    actor: deployment.actor ?? null,
    summary: deployment.summary ?? null,
    received_at: receivedAt,
    seq,
  };
}

function toDeployment(row: any): Deployment {
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    resolution: JSON.parse(row.resolution),
    environment: row.environment,
    version: row.version,
    previousVersion: row.previous_version ?? undefined,
    status: row.status,
    startedAt: iso(row.started_at),
    finishedAt: optionalIso(row.finished_at),
    url: row.url ?? undefined,
    commit: row.commit ?? undefined,
    actor: row.actor ?? undefined,
    summary: row.summary ?? undefined,
  };
}
