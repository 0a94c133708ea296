import { InputError } from '@backstage/errors';
import { SERVICE_NAME_ANNOTATIONS } from '@aiops/plugin-aiops-node';

export const DEFAULT_SERVICE_ANNOTATION = 'prometheus.io/service-name';

/**
 * PromQL per suite metric for services instrumented with the usual client libraries (a
 * request-duration histogram in seconds with a `code` label, process metrics), the service
 * in the `job` label. Each must aggregate to one series; config replaces any of them.
 */
export const DEFAULT_PROMETHEUS_QUERIES: Record<string, string> = {
  latency_p95_ms:
    '1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="$service"}[5m])))',
  latency_p99_ms:
    '1000 * histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="$service"}[5m])))',
  error_rate:
    'sum(rate(http_request_duration_seconds_count{job="$service",code=~"5.."}[5m])) / sum(rate(http_request_duration_seconds_count{job="$service"}[5m]))',
  throughput_rps:
    'sum(rate(http_request_duration_seconds_count{job="$service"}[5m]))',
  cpu_utilization: 'sum(rate(process_cpu_seconds_total{job="$service"}[5m]))',
  memory_bytes: 'sum(process_resident_memory_bytes{job="$service"})',
};

/**
 * The value of the entity's service label: the configured annotation, then the suite's other
 * service-name annotations (the ones ingest keys signals by), then the entity's name.
 */
export function serviceNameOf(
  entity: { name: string; annotations: Record<string, string> },
  annotation: string,
): string {
  for (const key of [annotation, ...SERVICE_NAME_ANNOTATIONS]) {
    const value = entity.annotations[key]?.trim();
    if (value) return value;
  }
  return entity.name;
}

/** A PromQL double-quoted string's content: backslashes, quotes and line breaks escaped. */
function promqlStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * The template with `$service` (escaped for a PromQL string, so a service name cannot end
 * the string and inject a selector) and `$step` (`60s`) filled in.
 */
export function renderQuery(
  template: string,
  values: { service: string; stepMs: number },
): string {
  if (!template.trim()) throw new InputError('the PromQL template is empty');
  return template
    .replace(/\$service\b/g, () => promqlStringContent(values.service))
    .replace(/\$step\b/g, () => `${Math.round(values.stepMs / 1000)}s`);
}
