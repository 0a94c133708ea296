import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { EntityResolution } from '@aiops/plugin-aiops-common';
import type { AlertInput, DeploymentInput } from '../service/inputs';
import { DatabaseIngestStore } from './DatabaseIngestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const cart: EntityResolution = {
  status: 'resolved',
  entityRef: 'component:default/cart',
  owner: 'group:default/checkout-team',
  matchedBy: 'label:service',
};
const unowned: EntityResolution = { status: 'unowned', reason: 'no service label' };

function alert(fingerprint: string, overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    source: 'alertmanager',
    fingerprint,
    status: 'firing',
    severity: 'critical',
    title: `Alert ${fingerprint}`,
    labels: { alertname: fingerprint, service: 'cartservice' },
    annotations: { summary: 'something broke' },
    startsAt: '2026-11-25T08:00:00.000Z',
    ...overrides,
  };
}

function deployment(overrides: Partial<DeploymentInput> = {}): DeploymentInput {
  return {
    source: 'github',
    externalId: 'github:acme/cart#1',
    labels: { service: 'cart' },
    environment: 'production',
    version: 'v1.4.2',
    status: 'started',
    startedAt: '2026-11-25T07:55:00.000Z',
    ...overrides,
  };
}

const now = new Date('2026-11-25T08:00:05.000Z');

describe.each(databases.eachSupportedId())('DatabaseIngestStore on %s', databaseId => {
  async function createStore() {
    const knex = await databases.init(databaseId);
    const store = await DatabaseIngestStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  it('keeps one alert for repeated deliveries of the same fingerprint', async () => {
    const { knex, store } = await createStore();
    const first = await store.recordAlerts([{ input: alert('a'), resolution: cart }], now);
    const second = await store.recordAlerts([{ input: alert('a'), resolution: cart }], now);

    expect(first[0]?.change).toBe('created');
    expect(second[0]?.change).toBe('refreshed');
    expect(second[0]?.alert.id).toBe(first[0]?.alert.id);
    expect(await knex('alerts').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    const rows = await knex('alerts').select('delivery_count', 'entity_ref', 'owner');
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].delivery_count)).toBe(2);
    expect(rows[0]).toMatchObject({ entity_ref: 'component:default/cart', owner: 'group:default/checkout-team' });
  });

  it('applies deliveries of one fingerprint within a batch in order', async () => {
    const { store } = await createStore();
    const recorded = await store.recordAlerts(
      [
        { input: alert('a'), resolution: cart },
        { input: alert('a', { status: 'resolved', endsAt: '2026-11-25T08:01:00.000Z' }), resolution: cart },
        { input: alert('b'), resolution: unowned },
      ],
      now,
    );
    expect(recorded.map(r => r?.change)).toEqual(['created', 'resolved', 'created']);
    const page = await store.listAlerts({ limit: 10 });
    expect(page.items.map(a => [a.fingerprint, a.status, a.deliveryCount])).toEqual([
      ['b', 'firing', 1],
      ['a', 'resolved', 2],
    ]);
    expect(page.items[0].resolution).toEqual(unowned);
  });

  it('resolves by dedup key only alerts it knows', async () => {
    const { store } = await createStore();
    await store.recordAlerts([{ input: alert('k', { source: 'generic' }), resolution: cart }], now);
    const recorded = await store.recordAlerts(
      [
        { resolveByKey: { fingerprint: 'k', endsAt: '2026-11-25T08:02:00.000Z' }, source: 'generic' },
        { resolveByKey: { fingerprint: 'unknown', endsAt: '2026-11-25T08:02:00.000Z' }, source: 'generic' },
      ],
      now,
    );
    expect(recorded[0]).toMatchObject({ change: 'resolved', alert: { status: 'resolved' } });
    expect(recorded[1]).toBeUndefined();
  });

  it('filters, pages and feeds alerts by cursor', async () => {
    const { store } = await createStore();
    for (let i = 0; i < 5; i++) {
      await store.recordAlerts(
        [{ input: alert(`a${i}`), resolution: i % 2 ? cart : unowned }],
        now,
      );
    }
    const firstPage = await store.listAlerts({ limit: 2 });
    expect(firstPage.items.map(a => a.fingerprint)).toEqual(['a4', 'a3']);
    const secondPage = await store.listAlerts({ limit: 2, cursor: firstPage.nextCursor });
    expect(secondPage.items.map(a => a.fingerprint)).toEqual(['a2', 'a1']);
    const lastPage = await store.listAlerts({ limit: 2, cursor: secondPage.nextCursor });
    expect(lastPage).toEqual({ items: [expect.objectContaining({ fingerprint: 'a0' })], nextCursor: undefined });

    expect((await store.listAlerts({ limit: 10, entityRef: 'component:default/cart' })).items).toHaveLength(2);
    expect((await store.listAlerts({ limit: 10, unowned: true })).items).toHaveLength(3);
    expect((await store.listAlerts({ limit: 10, to: '2026-11-25T07:00:00.000Z' })).items).toHaveLength(0);

    const feed = await store.alertFeed(undefined, 3);
    expect(feed.items.map(i => i.item.fingerprint)).toEqual(['a0', 'a1', 'a2']);
    // A change moves an alert to the end of the feed.
    await store.recordAlerts([{ input: alert('a0', { status: 'resolved' }), resolution: unowned }], now);
    const rest = await store.alertFeed(feed.cursor, 10);
    expect(rest.items.map(i => i.item.fingerprint)).toEqual(['a3', 'a4', 'a0']);
    expect(await store.alertFeed(rest.cursor, 10)).toEqual({ items: [], cursor: rest.cursor });
  });

  it('never creates two rows for one fingerprint under concurrent writers', async () => {
    const { knex, store } = await createStore();
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store.recordAlerts([{ input: alert('race'), resolution: cart }], now),
      ),
    );
    const rows = await knex('alerts').where({ fingerprint: 'race' });
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].delivery_count)).toBe(8);
  });

  it('merges deployment events of one deployment in any order', async () => {
    const { store } = await createStore();
    const finished = await store.recordDeployments(
      [{ input: deployment({ status: 'succeeded', finishedAt: '2026-11-25T08:00:00.000Z' }), resolution: cart }],
      now,
    );
    const lateStart = await store.recordDeployments([{ input: deployment(), resolution: cart }], now);
    expect(finished[0].change).toBe('created');
    expect(lateStart[0]).toMatchObject({
      change: 'unchanged',
      deployment: { status: 'succeeded', finishedAt: '2026-11-25T08:00:00.000Z' },
    });
    const page = await store.listDeployments({ limit: 10, entityRef: 'component:default/cart' });
    expect(page.items).toHaveLength(1);
    const feed = await store.deploymentFeed(undefined, 10);
    expect(feed.items).toHaveLength(1);
  });

  it('merges telemetry rollups, buckets and edges across requests', async () => {
    const { store } = await createStore();
    const minute = Date.parse('2026-11-25T08:00:00.000Z');
    const rollup = (count: number, sum: number, min: number, max: number, bucketCounts: number[]) => ({
      entityKey: 'component:default/cart',
      metric: 'span.duration_ms',
      minute,
      count,
      sum,
      min,
      max,
      buckets: [
        { upperBound: 100, count: bucketCounts[0] },
        { upperBound: Infinity, count: bucketCounts[1] },
      ],
    });
    const edge = { callerKey: 'component:default/frontend', calleeKey: 'component:default/cart', minute, count: 5, errorCount: 1 };
    await store.recordTelemetry({ rollups: [rollup(10, 500, 5, 90, [10, 0])], exemplars: [], edges: [edge] });
    await store.recordTelemetry({
      rollups: [rollup(10, 3000, 40, 900, [4, 6]), { ...rollup(1, 1, 1, 1, [1, 0]), minute: minute + 60_000 }],
      exemplars: [{ entityKey: 'component:default/cart', time: minute + 1000, kind: 'span', severity: 'ERROR', message: 'boom', traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) }],
      edges: [edge],
    });

    const series = await store.readSeries({
      entityKey: 'component:default/cart',
      metric: 'span.duration_ms',
      from: minute,
      to: minute + 120_000,
      stepMs: 60_000,
    });
    expect(series[0]).toEqual({
      time: minute,
      count: 20,
      sum: 3500,
      min: 5,
      max: 900,
      buckets: [
        { upperBound: 100, count: 14 },
        { upperBound: Infinity, count: 6 },
      ],
    });
    const coarse = await store.readSeries({
      entityKey: 'component:default/cart',
      metric: 'span.duration_ms',
      from: minute,
      to: minute + 120_000,
      stepMs: 120_000,
    });
    expect(coarse).toHaveLength(1);
    expect(coarse[0].count).toBe(21);

    expect(await store.listEdges({ from: minute, to: minute + 60_000 })).toEqual([
      { callerKey: 'component:default/frontend', calleeKey: 'component:default/cart', count: 10, errorCount: 2, firstSeen: minute, lastSeen: minute },
    ]);
    expect(
      await store.listExemplars({ entityKey: 'component:default/cart', from: minute, to: minute + 60_000, limit: 10 }),
    ).toEqual([expect.objectContaining({ message: 'boom', traceId: 'ab'.repeat(16) })]);
  });

  it('deletes only what retention allows', async () => {
    const { store } = await createStore();
    await store.recordAlerts(
      [
        { input: alert('old', { status: 'resolved', endsAt: '2026-10-01T00:00:00.000Z', startsAt: '2026-09-30T00:00:00.000Z' }), resolution: cart },
        { input: alert('firing', { startsAt: '2026-09-30T00:00:00.000Z' }), resolution: cart },
        { input: alert('recent', { status: 'resolved', endsAt: '2026-11-25T07:00:00.000Z' }), resolution: cart },
      ],
      now,
    );
    const deleted = await store.deleteExpired({
      resolvedAlertsBefore: new Date('2026-11-01T00:00:00.000Z'),
      telemetryBefore: new Date('2026-11-01T00:00:00.000Z'),
      deploymentsBefore: new Date('2026-11-01T00:00:00.000Z'),
    });
    expect(deleted.alerts).toBe(1);
    const left = await store.listAlerts({ limit: 10 });
    expect(left.items.map(a => a.fingerprint).sort()).toEqual(['firing', 'recent']);
  });
});
