import { alert, c, r, shopGraph, tracked } from '../__testUtils__/builders';
import { inhibitionsFor } from './inhibition';
import { DEFAULT_CORRELATION_CONFIG as config } from '../config';

const graph = shopGraph();

describe('inhibitionsFor', () => {
  it('mutes warnings on an entity with a firing critical alert', () => {
    const crit = tracked(alert('crit', c('cart'), { severity: 'critical' }));
    const warn = tracked(alert('warn', c('cart'), { severity: 'warning' }));
    const err = tracked(alert('err', c('cart'), { severity: 'error' }));
    const result = inhibitionsFor([crit, warn, err], graph, config);
    expect(result.get('warn')).toEqual({
      reason: 'inhibited-by-critical',
      by: { alertId: 'crit' },
      rule: 'inhibition@2',
    });
    expect(result.has('err')).toBe(false);
    expect(result.has('crit')).toBe(false);
  });

  it('mutes downstream symptoms of an upstream outage, pointing at the root alert', () => {
    const redis = tracked(
      alert('redis', r('redis'), { severity: 'critical', start: 2 }),
    );
    const cart = tracked(
      alert('cart', c('cart'), { severity: 'error', start: 1 }),
    );
    const front = tracked(
      alert('front', c('frontend'), { severity: 'critical', start: 3 }),
    );
    const result = inhibitionsFor([redis, cart, front], graph, config);
    expect(result.get('cart')?.by).toEqual({ alertId: 'redis' });
    expect(result.get('front')).toEqual({
      reason: 'symptom-of-root',
      by: { alertId: 'redis' },
      rule: 'inhibition@2',
    });
    expect(result.has('redis')).toBe(false);
  });

  it('lets resolved or warning-level upstream alerts mute nothing', () => {
    const redis = tracked(
      alert('redis', r('redis'), { severity: 'critical', end: 5 }),
    );
    const warn = tracked(alert('slow', r('redis'), { severity: 'warning' }));
    const cart = tracked(alert('cart', c('cart')));
    expect(inhibitionsFor([redis, warn, cart], graph, config).size).toBe(0);
  });

  it('can be switched off', () => {
    const redis = tracked(alert('redis', r('redis'), { severity: 'critical' }));
    const cart = tracked(alert('cart', c('cart'), { severity: 'warning' }));
    const crit = tracked(alert('crit', c('cart'), { severity: 'critical' }));
    const off = {
      ...config,
      inhibition: { upstreamOutage: false, criticalOverWarning: false },
    };
    expect(inhibitionsFor([redis, cart, crit], graph, off).size).toBe(0);
  });
});
