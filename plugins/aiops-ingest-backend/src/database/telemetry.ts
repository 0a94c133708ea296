import type { Knex } from 'knex';
import type { KeyedTelemetry } from '../service/telemetryKeys';
import type {
  Exemplar,
  ObservedEdge,
  SeriesPoint,
  SeriesQuery,
} from './IngestStore';
import { chunks, upsertInChunks } from './statements';

/*
 * Telemetry of the ingest store: per-minute metric rollups with their histogram buckets,
 * exemplars and observed call edges (OpenTelemetry's metrics, logs and traces, keyed to
 * entities), written and read apart from the alert and deployment feeds.
 */

/** +Inf does not survive every driver; the largest double stands in for it. */
export const INFINITE_BOUND = 1e308;

export async function recordTelemetry(
  db: Knex,
  telemetry: KeyedTelemetry,
): Promise<void> {
  const sum = (table: string, column: string) =>
    db.raw(`?? + excluded.??`, [`${table}.${column}`, column]);
  await db.transaction(async tx => {
    const rollupRows = telemetry.rollups.map(r => ({
      entity_key: r.entityKey,
      metric: r.metric,
      minute: r.minute,
      count: r.count,
      sum: r.sum,
      min: r.min,
      max: r.max,
    }));
    await upsertInChunks(
      tx,
      'metric_rollups',
      rollupRows,
      ['entity_key', 'metric', 'minute'],
      {
        count: sum('metric_rollups', 'count'),
        sum: sum('metric_rollups', 'sum'),
        min: db.raw(
          'CASE WHEN excluded.min < metric_rollups.min THEN excluded.min ELSE metric_rollups.min END',
        ),
        max: db.raw(
          'CASE WHEN excluded.max > metric_rollups.max THEN excluded.max ELSE metric_rollups.max END',
        ),
      },
    );
    const bucketRows = telemetry.rollups.flatMap(r =>
      (r.buckets ?? []).map(b => ({
        entity_key: r.entityKey,
        metric: r.metric,
        minute: r.minute,
        upper_bound: Number.isFinite(b.upperBound)
          ? b.upperBound
          : INFINITE_BOUND,
        count: b.count,
      })),
    );
    await upsertInChunks(
      tx,
      'metric_rollup_buckets',
      bucketRows,
      ['entity_key', 'metric', 'minute', 'upper_bound'],
      { count: sum('metric_rollup_buckets', 'count') },
    );
    const exemplarRows = telemetry.exemplars.map(e => ({
      entity_key: e.entityKey,
      time: e.time,
      kind: e.kind,
      severity: e.severity,
      message: e.message,
      trace_id: e.traceId ?? null,
      span_id: e.spanId ?? null,
    }));
    for (const chunk of chunks(exemplarRows)) {
      await tx('telemetry_exemplars').insert(chunk);
    }
    const edgeRows = telemetry.edges.map(e => ({
      caller_key: e.callerKey,
      callee_key: e.calleeKey,
      minute: e.minute,
      count: e.count,
      error_count: e.errorCount,
    }));
    await upsertInChunks(
      tx,
      'call_edges',
      edgeRows,
      ['caller_key', 'callee_key', 'minute'],
      {
        count: sum('call_edges', 'count'),
        error_count: sum('call_edges', 'error_count'),
      },
    );
  });
}

export async function readSeries(
  db: Knex,
  query: SeriesQuery,
): Promise<SeriesPoint[]> {
  const where = {
    entity_key: query.entityKey,
    metric: query.metric,
  };
  const [rows, buckets] = await Promise.all([
    db('metric_rollups')
      .where(where)
      .where('minute', '>=', query.from)
      .where('minute', '<', query.to)
      .orderBy('minute'),
    db('metric_rollup_buckets')
      .where(where)
      .where('minute', '>=', query.from)
      .where('minute', '<', query.to)
      .orderBy(['minute', 'upper_bound']),
  ]);
  const stepStart = (minute: number) =>
    query.from +
    Math.floor((minute - query.from) / query.stepMs) * query.stepMs;
  const points = new Map<number, SeriesPoint>();
  for (const row of rows) {
    const time = stepStart(Number(row.minute));
    const point = points.get(time);
    const value = {
      count: Number(row.count),
      sum: Number(row.sum),
      min: Number(row.min),
      max: Number(row.max),
    };
    if (!point) {
      points.set(time, { time, ...value });
    } else {
      point.count += value.count;
      point.sum += value.sum;
      point.min = Math.min(point.min, value.min);
      point.max = Math.max(point.max, value.max);
    }
  }
  for (const row of buckets) {
    const point = points.get(stepStart(Number(row.minute)));
    if (!point) continue;
    const upperBound =
      Number(row.upper_bound) >= INFINITE_BOUND
        ? Infinity
        : Number(row.upper_bound);
    const list = (point.buckets ??= []);
    const same = list.find(b => b.upperBound === upperBound);
    if (same) same.count += Number(row.count);
    else list.push({ upperBound, count: Number(row.count) });
  }
  for (const point of points.values())
    point.buckets?.sort((a, b) => a.upperBound - b.upperBound);
  return [...points.values()].sort((a, b) => a.time - b.time);
}

export async function listExemplars(
  db: Knex,
  query: {
    entityKey: string;
    from: number;
    to: number;
    limit: number;
  },
): Promise<Exemplar[]> {
  const rows = await db('telemetry_exemplars')
    .where('entity_key', query.entityKey)
    .where('time', '>=', query.from)
    .where('time', '<', query.to)
    .orderBy('time', 'desc')
    .limit(query.limit);
  return rows.map(row => ({
    entityKey: row.entity_key,
    time: Number(row.time),
    kind: row.kind,
    severity: row.severity,
    message: row.message,
    traceId: row.trace_id ?? undefined,
    spanId: row.span_id ?? undefined,
  }));
}

export async function listEdges(
  db: Knex,
  query: {
    from: number;
    to: number;
    entityKey?: string;
  },
): Promise<ObservedEdge[]> {
  const rows = await db('call_edges')
    .where('minute', '>=', query.from)
    .where('minute', '<', query.to)
    .modify(builder => {
      if (query.entityKey) {
        builder.where(b =>
          b
            .where('caller_key', query.entityKey!)
            .orWhere('callee_key', query.entityKey!),
        );
      }
    })
    .groupBy('caller_key', 'callee_key')
    .select(
      'caller_key',
      'callee_key',
      db.raw('SUM(count) as count'),
      db.raw('SUM(error_count) as error_count'),
      db.raw('MIN(minute) as first_seen'),
      db.raw('MAX(minute) as last_seen'),
    )
    .orderBy(['caller_key', 'callee_key']);
  return rows.map((row: any) => ({
    callerKey: row.caller_key,
    calleeKey: row.callee_key,
    count: Number(row.count),
    errorCount: Number(row.error_count),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
  }));
}
