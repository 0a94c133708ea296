import type { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogEntityResolver } from './EntityResolver';

function component(name: string, serviceName: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'aiops/service-name': serviceName },
    },
    spec: { type: 'service', owner: 'checkout-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/checkout-team' }],
  };
}

const user: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'cartservice', namespace: 'default' },
  spec: {},
};

function setup(
  entities: Entity[],
  opts: { now?: () => number; warmupMs?: number } = {},
) {
  const catalog = catalogServiceMock({ entities });
  const queryEntities = jest.spyOn(catalog, 'queryEntities');
  const resolver = new CatalogEntityResolver({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    minRefreshIntervalMs: 30_000,
    warmupMs: opts.warmupMs ?? 0,
    now: opts.now,
  });
  return { catalog, queryEntities, resolver };
}

describe('CatalogEntityResolver', () => {
  it('loads the catalog once for many signals', async () => {
    const { resolver, queryEntities } = setup([
      component('cart', 'cartservice'),
    ]);

    const resolutions = await Promise.all(
      Array.from({ length: 50 }, () =>
        resolver.resolve({ service: 'cartservice' }),
      ),
    );

    expect(resolutions.every(r => r.status === 'resolved')).toBe(true);
    expect(resolutions[0]).toMatchObject({
      entityRef: 'component:default/cart',
      owner: 'group:default/checkout-team',
    });
    expect(queryEntities).toHaveBeenCalledTimes(1);
  });

  it('asks the catalog only for the kinds that carry signals', async () => {
    const { resolver, queryEntities } = setup([user]);
    await resolver.resolve({ service: 'cartservice' });
    expect(queryEntities.mock.calls[0][0]).toMatchObject({
      filter: { kind: expect.not.arrayContaining(['User']) },
    });
  });

  it('picks up entities registered later on refresh', async () => {
    const cart = component('cart', 'cartservice');
    const { resolver, queryEntities } = setup([
      cart,
      component('email', 'emailservice'),
    ]);
    queryEntities.mockResolvedValueOnce({
      items: [cart],
      totalItems: 1,
      pageInfo: {},
    });
    expect(await resolver.resolve({ service: 'emailservice' })).toMatchObject({
      status: 'unowned',
    });

    await resolver.refresh();

    expect(await resolver.resolve({ service: 'emailservice' })).toMatchObject({
      status: 'resolved',
      entityRef: 'component:default/email',
    });
  });

  it('reloads before answering unowned, but at most once per interval', async () => {
    let now = 0;
    const { resolver, queryEntities } = setup(
      [component('cart', 'cartservice')],
      {
        now: () => now,
      },
    );
    await resolver.resolve({ service: 'cartservice' });
    expect(queryEntities).toHaveBeenCalledTimes(1);

    now = 10_000;
    await resolver.resolve({ service: 'unknown' });
    expect(queryEntities).toHaveBeenCalledTimes(1);

    now = 31_000;
    await Promise.all([
      resolver.resolve({ service: 'unknown' }),
      resolver.resolve({ service: 'unknown' }),
    ]);
    await resolver.resolve({ service: 'unknown' });
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('reloads a snapshot that lacks an expected entity, at most once per interval', async () => {
    let now = 0;
    const cart = component('cart', 'cartservice');
    const { resolver, queryEntities } = setup([cart], { now: () => now });
    // Taken while the catalog was still loading.
    queryEntities.mockResolvedValueOnce({
      items: [],
      totalItems: 0,
      pageInfo: {},
    });
    expect((await resolver.snapshot()).size).toBe(0);

    now = 10_000;
    expect((await resolver.snapshot(['component:default/cart'])).size).toBe(0);
    now = 30_000;
    const reloaded = await resolver.snapshot(['component:default/cart']);
    expect(reloaded.get('component:default/cart')).toBeDefined();
    // Known entities cost no reload.
    now = 90_000;
    expect(await resolver.snapshot(['component:default/cart'])).toBe(reloaded);
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('reloads snapshots while the catalog settles after the first load', async () => {
    let now = 0;
    const { resolver, queryEntities } = setup(
      [component('cart', 'cartservice')],
      {
        now: () => now,
        warmupMs: 120_000,
      },
    );
    const first = await resolver.snapshot();
    now = 10_000;
    expect(await resolver.snapshot()).toBe(first);
    now = 30_000;
    expect(await resolver.snapshot()).not.toBe(first);
    // Settled: the scheduled refresh takes over.
    now = 200_000;
    const settled = await resolver.snapshot();
    now = 260_000;
    expect(await resolver.snapshot()).toBe(settled);
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('keys a service registered after the snapshot in the same call', async () => {
    let now = 0;
    const cart = component('cart', 'cartservice');
    const { resolver, queryEntities } = setup(
      [cart, component('email', 'emailservice')],
      {
        now: () => now,
      },
    );
    // The first snapshot was taken while the catalog was still loading.
    queryEntities.mockResolvedValueOnce({
      items: [],
      totalItems: 0,
      pageInfo: {},
    });
    expect(await resolver.resolve({ service: 'cartservice' })).toMatchObject({
      status: 'unowned',
    });

    now = 30_000;
    expect(await resolver.resolve({ service: 'emailservice' })).toMatchObject({
      status: 'resolved',
      entityRef: 'component:default/email',
    });
  });

  it('keys signals as unowned with the reason while the catalog is unreachable', async () => {
    const { resolver, queryEntities } = setup([]);
    queryEntities.mockRejectedValue(new Error('connect ECONNREFUSED'));

    expect(await resolver.resolve({ service: 'cartservice' })).toEqual({
      status: 'unowned',
      reason: 'catalog unavailable: connect ECONNREFUSED',
    });
  });

  it('pages through large catalogs', async () => {
    const entities = Array.from({ length: 1203 }, (_, i) =>
      component(`svc-${i}`, `service-${i}`),
    );
    const { resolver, queryEntities } = setup(entities);
    expect(await resolver.resolve({ service: 'service-1202' })).toMatchObject({
      entityRef: 'component:default/svc-1202',
    });
    expect(queryEntities).toHaveBeenCalledTimes(3);
  });
});
