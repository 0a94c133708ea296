import type { EntityResolution } from '@aiops/plugin-aiops-common';
import type { AlertInput } from '../inputs';
import { applyAlertDelivery, applyResolveByKey } from './alertLifecycle';

const resolution: EntityResolution = {
  status: 'resolved',
  entityRef: 'component:default/cart',
  matchedBy: 'label:service',
};

function input(overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    source: 'alertmanager',
    fingerprint: 'fp',
    status: 'firing',
    severity: 'critical',
    title: 'HighErrorRate',
    labels: { service: 'cart' },
    annotations: {},
    startsAt: '2026-11-25T08:00:00.000Z',
    ...overrides,
  };
}

const at = (now: string) => ({ id: 'alert-1', now });

describe('applyAlertDelivery', () => {
  const created = applyAlertDelivery(
    undefined,
    input(),
    resolution,
    at('2026-11-25T08:00:05.000Z'),
  );

  it('creates an alert on first sight', () => {
    expect(created.change).toBe('created');
    expect(created.alert).toMatchObject({
      id: 'alert-1',
      deliveryCount: 1,
      status: 'firing',
    });
  });

  it('counts repeats of a firing alert without changing its episode', () => {
    const repeat = applyAlertDelivery(
      created.alert,
      input({ annotations: { value: '13%' } }),
      resolution,
      at('2026-11-25T08:05:00.000Z'),
    );
    expect(repeat.change).toBe('refreshed');
    expect(repeat.alert).toMatchObject({
      deliveryCount: 2,
      startsAt: created.alert.startsAt,
      lastSeenAt: '2026-11-25T08:05:00.000Z',
      annotations: { value: '13%' },
    });
  });

  it('resolves with the sender’s end time', () => {
    const resolved = applyAlertDelivery(
      created.alert,
      input({ status: 'resolved', endsAt: '2026-11-25T08:20:00.000Z' }),
      resolution,
      at('2026-11-25T08:20:01.000Z'),
    );
    expect(resolved.change).toBe('resolved');
    expect(resolved.alert).toMatchObject({
      status: 'resolved',
      endsAt: '2026-11-25T08:20:00.000Z',
    });
  });

  it('ignores a late firing copy of an episode that already ended', () => {
    const resolved = applyAlertDelivery(
      created.alert,
      input({ status: 'resolved', endsAt: '2026-11-25T08:20:00.000Z' }),
      resolution,
      at('2026-11-25T08:20:01.000Z'),
    ).alert;
    const late = applyAlertDelivery(
      resolved,
      input(),
      resolution,
      at('2026-11-25T08:20:02.000Z'),
    );
    expect(late.change).toBe('stale');
    expect(late.alert).toMatchObject({ status: 'resolved', deliveryCount: 3 });
  });

  it('re-opens for a new episode that starts after the stored end', () => {
    const resolved = applyAlertDelivery(
      created.alert,
      input({ status: 'resolved', endsAt: '2026-11-25T08:20:00.000Z' }),
      resolution,
      at('2026-11-25T08:20:01.000Z'),
    ).alert;
    const again = applyAlertDelivery(
      resolved,
      input({ startsAt: '2026-11-25T09:00:00.000Z' }),
      resolution,
      at('2026-11-25T09:00:01.000Z'),
    );
    expect(again.change).toBe('fired');
    expect(again.alert).toMatchObject({
      status: 'firing',
      startsAt: '2026-11-25T09:00:00.000Z',
      endsAt: undefined,
    });
  });

  it('ignores a resolve that ends before the stored episode started', () => {
    const current = applyAlertDelivery(
      undefined,
      input({ startsAt: '2026-11-25T09:00:00.000Z' }),
      resolution,
      at('2026-11-25T09:00:01.000Z'),
    ).alert;
    const old = applyAlertDelivery(
      current,
      input({ status: 'resolved', endsAt: '2026-11-25T08:20:00.000Z' }),
      resolution,
      at('2026-11-25T09:00:02.000Z'),
    );
    expect(old.change).toBe('stale');
    expect(old.alert.status).toBe('firing');
  });

  it('stores an alert that arrives already resolved as resolved', () => {
    const applied = applyAlertDelivery(
      undefined,
      input({ status: 'resolved', endsAt: '2026-11-25T08:01:00.000Z' }),
      resolution,
      at('2026-11-25T08:02:00.000Z'),
    );
    expect(applied).toMatchObject({
      change: 'created',
      alert: { status: 'resolved' },
    });
  });

  it('resolves by key keeping what is known of the alert', () => {
    const applied = applyResolveByKey(
      created.alert,
      { fingerprint: 'fp', endsAt: '2026-11-25T08:30:00.000Z' },
      '2026-11-25T08:30:00.000Z',
    );
    expect(applied.change).toBe('resolved');
    expect(applied.alert).toMatchObject({
      title: 'HighErrorRate',
      labels: { service: 'cart' },
      resolution,
    });
  });
});
