import type {
  CatalogEntitySummary,
  MetricQuery,
  MetricSeries,
  MetricsProvider,
} from '@aiops/plugin-aiops-node';
import type { PrometheusConfig } from '../config';
import { renderQuery, serviceNameOf } from './promql';

interface QueryRangeAnswer {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: {
    resultType: string;
    result: Array<{
      metric: Record<string, string>;
      values: Array<[number, string]>;
    }>;
  };
}

/**
 * Metrics from Prometheus's HTTP API (`/api/v1/query_range`), one PromQL template per suite
 * metric with the entity's service name filled in. A query must aggregate to one series: two
 * would be two services' worth of data read as one, so that is an error, not a guess.
 */
export class PrometheusMetricsProvider implements MetricsProvider {
  readonly id = 'prometheus';

  constructor(
    private readonly options: {
      config: PrometheusConfig;
      /** The entity's catalog summary, for its service annotation. */
      entity(entityRef: string): Promise<CatalogEntitySummary | undefined>;
    },
  ) {}

  async supports(_entityRef: string, metric: string): Promise<boolean> {
    return metric in this.options.config.queries;
  }

  async query(query: MetricQuery): Promise<MetricSeries | undefined> {
    const { config } = this.options;
    const template = config.queries[query.metric];
    if (!template) return undefined;
    const entity = await this.options.entity(query.entityRef);
    const service = entity
      ? serviceNameOf(entity, config.serviceAnnotation)
      : // An entity the catalog no longer has: its name is the best guess at its label.
        query.entityRef.replace(/^.*\//, '');
    const params = new URLSearchParams({
      query: renderQuery(template, { service, stepMs: query.stepMs }),
      start: String(query.from / 1000),
      end: String(query.to / 1000),
      step: `${query.stepMs / 1000}s`,
    });
    const response = await fetch(`${config.baseUrl}/api/v1/query_range`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    let answer: QueryRangeAnswer;
    try {
      answer = (await response.json()) as QueryRangeAnswer;
    } catch {
      throw new Error(
        `Prometheus answered ${response.status} ${response.statusText} without JSON`,
      );
    }
    if (!response.ok || answer.status !== 'success') {
      throw new Error(
        `Prometheus refused the query for ${query.metric} (${response.status}${
          answer.errorType ? ` ${answer.errorType}` : ''
        }): ${answer.error ?? 'no error given'}`,
      );
    }
    const result = answer.data?.result ?? [];
    if (result.length > 1) {
      throw new Error(
        `the query for ${query.metric} returned ${result.length} series; its template must aggregate to one`,
      );
    }
    const values = result[0]?.values ?? [];
    return {
      metric: query.metric,
      entityRef: query.entityRef,
      // NaN (0/0: an error rate with no requests) and infinities are gaps, not values.
      points: values
        .map(([seconds, value]) => ({
          at: Math.round(seconds * 1000),
          value: Number(value),
        }))
        .filter(point => Number.isFinite(point.value)),
    };
  }
}
