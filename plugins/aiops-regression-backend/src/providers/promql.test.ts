import {
  DEFAULT_PROMETHEUS_QUERIES,
  renderQuery,
  serviceNameOf,
} from './promql';

describe('PromQL templates', () => {
  it('fills in the service, escaped for a PromQL string, and the step', () => {
    expect(
      renderQuery('rate(x{job="$service"}[$step])', {
        service: 'cart',
        stepMs: 60_000,
      }),
    ).toBe('rate(x{job="cart"}[60s])');
    expect(
      renderQuery('x{job="$service"}', {
        service: 'a"} or vector(1) #\\',
        stepMs: 60_000,
      }),
    ).toBe('x{job="a\\"} or vector(1) #\\\\"}');
    expect(() => renderQuery(' ', { service: 'a', stepMs: 60_000 })).toThrow(
      'empty',
    );
  });

  it('has a default for every known metric', () => {
    expect(Object.keys(DEFAULT_PROMETHEUS_QUERIES).sort()).toEqual([
      'cpu_utilization',
      'error_rate',
      'latency_p95_ms',
      'latency_p99_ms',
      'memory_bytes',
      'throughput_rps',
    ]);
  });

  it('takes the service from the configured annotation, then the suite’s, then the name', () => {
    const entity = (annotations: Record<string, string>) => ({
      name: 'cart',
      annotations,
    });
    const annotation = 'prometheus.io/service-name';
    expect(
      serviceNameOf(
        entity({
          'prometheus.io/service-name': 'cart-svc',
          'aiops/service-name': 'cartservice',
        }),
        annotation,
      ),
    ).toBe('cart-svc');
    expect(
      serviceNameOf(
        entity({ 'aiops/service-name': 'cartservice' }),
        annotation,
      ),
    ).toBe('cartservice');
    expect(serviceNameOf(entity({}), annotation)).toBe('cart');
  });
});
