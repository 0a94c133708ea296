import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { AiopsIngestApi } from '@aiops/plugin-aiops-common';
import {
  readOk,
  suiteClientOptions,
  withServiceToken,
  type MetricQuery,
  type MetricSeries,
  type MetricsProvider,
} from '@aiops/plugin-aiops-node';

/** A step of ingest's `GET /series` answer. */
interface RollupPoint {
  time: string;
  count: number;
  sum: number;
  mean?: number;
  p50?: number;
  p90?: number;
  p99?: number;
}

type Field = 'mean' | 'p99' | 'count';

/**
 * How each suite metric is made of ingest's rollups (docs/ingest/otlp.md): request latency and
 * errors from server spans, CPU and memory from the OTel process metrics. p95 latency is not
 * here: ingest serves p50, p90 and p99 of its histograms, so this provider leaves p95 to
 * another (Prometheus) rather than pass p90 or p99 off as it.
 */
const ROLLUPS: Record<
  string,
  | { kind: 'field'; rollup: string; field: Field }
  | { kind: 'rate'; rollup: string }
  | { kind: 'ratio'; numerator: string; denominator: string }
> = {
  latency_p99_ms: { kind: 'field', rollup: 'span.duration_ms', field: 'p99' },
  error_rate: {
    kind: 'ratio',
    numerator: 'span.errors',
    denominator: 'span.requests',
  },
  throughput_rps: { kind: 'rate', rollup: 'span.requests' },
  cpu_utilization: {
    kind: 'field',
    rollup: 'process.cpu.utilization',
    field: 'mean',
  },
  memory_bytes: {
    kind: 'field',
    rollup: 'process.memory.usage',
    field: 'mean',
  },
};

export const EMBEDDED_METRICS = Object.keys(ROLLUPS);

/**
 * The embedded store: ingest's per-minute rollups, read over HTTP (`GET /api/aiops-ingest/
 * series`) with this plugin's service credentials, re-aggregated by ingest to the step asked.
 */
export class EmbeddedMetricsProvider implements MetricsProvider {
  readonly id = 'embedded';
  private readonly ingest: AiopsIngestApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    this.ingest = new AiopsIngestApi.DefaultApiClient(
      suiteClientOptions(options.discovery, AiopsIngestApi.pluginId),
    );
  }

  async supports(_entityRef: string, metric: string): Promise<boolean> {
    return metric in ROLLUPS;
  }

  async query(query: MetricQuery): Promise<MetricSeries | undefined> {
    const source = ROLLUPS[query.metric];
    if (!source) return undefined;
    const series = (points: Array<{ at: number; value: number }>) => ({
      metric: query.metric,
      entityRef: query.entityRef,
      points: points.filter(p => Number.isFinite(p.value)),
    });
    if (source.kind === 'field') {
      const points = await this.rollups(query, source.rollup);
      return series(
        points
          .filter(p => p[source.field] !== undefined)
          .map(p => ({ at: Date.parse(p.time), value: p[source.field]! })),
      );
    }
    if (source.kind === 'rate') {
      const seconds = query.stepMs / 1000;
      const points = await this.rollups(query, source.rollup);
      return series(
        points.map(p => ({ at: Date.parse(p.time), value: p.count / seconds })),
      );
    }
    const [numerator, denominator] = await Promise.all([
      this.rollups(query, source.numerator),
      this.rollups(query, source.denominator),
    ]);
    // A step with requests and no error rollup had no errors.
    const errors = new Map(numerator.map(p => [p.time, p.count]));
    return series(
      denominator
        .filter(p => p.count > 0)
        .map(p => ({
          at: Date.parse(p.time),
          value: (errors.get(p.time) ?? 0) / p.count,
        })),
    );
  }

  private async rollups(
    query: MetricQuery,
    rollup: string,
  ): Promise<RollupPoint[]> {
    const response = await withServiceToken(
      this.options.auth,
      AiopsIngestApi.pluginId,
      options =>
        this.ingest.getSeries(
          {
            query: {
              entityRef: query.entityRef,
              metric: rollup,
              from: new Date(query.from).toISOString(),
              to: new Date(query.to).toISOString(),
              step: String(Math.round(query.stepMs / 1000)),
            },
          },
          options,
        ),
    );
    const body = (await readOk(response)) as { points?: RollupPoint[] };
    return body.points ?? [];
  }
}
