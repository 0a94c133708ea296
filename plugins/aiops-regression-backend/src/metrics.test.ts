import { DEFAULT_METRIC_SET, KNOWN_METRICS, metricSetOf } from './metrics';

describe('metricSetOf', () => {
  const configured = KNOWN_METRICS.filter(m => m.name !== 'memory_bytes').map(
    m => ({ ...m, minRelativeChange: 0.2 }),
  );

  it('is the configured set without an annotation', () => {
    expect(metricSetOf({}, configured)).toEqual({
      metrics: configured,
      unknown: [],
    });
    expect(DEFAULT_METRIC_SET).toEqual([
      'latency_p95_ms',
      'latency_p99_ms',
      'error_rate',
      'throughput_rps',
      'cpu_utilization',
      'memory_bytes',
    ]);
  });

  it("is the annotation's list, with the configured options, and names the unknown ones", () => {
    const { metrics, unknown } = metricSetOf(
      {
        'aiops/regression-metrics':
          ' error_rate, memory_bytes,queue_depth,error_rate',
      },
      configured,
    );
    expect(metrics.map(m => [m.name, m.minRelativeChange])).toEqual([
      ['error_rate', 0.2],
      ['memory_bytes', 0.1],
    ]);
    expect(unknown).toEqual(['queue_depth']);
  });
});
