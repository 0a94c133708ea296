import type { Entity } from '@backstage/catalog-model';
import { EntityIndex, SERVICE_LABELS } from './EntityIndex';

function entity(
  kind: string,
  name: string,
  opts: {
    namespace?: string;
    owner?: string;
    system?: string;
    annotations?: Record<string, string>;
    dependsOn?: string[];
  } = {},
): Entity {
  const relations = [
    ...(opts.owner ? [{ type: 'ownedBy', targetRef: opts.owner }] : []),
    ...(opts.system ? [{ type: 'partOf', targetRef: opts.system }] : []),
    ...(opts.dependsOn ?? []).map(targetRef => ({
      type: 'dependsOn',
      targetRef,
    })),
  ];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: opts.namespace,
      annotations: opts.annotations,
    },
    relations,
  };
}

const catalog = [
  entity('Component', 'cart', {
    owner: 'group:default/checkout-team',
    system: 'system:default/online-boutique',
    annotations: { 'aiops/service-name': 'cartservice' },
    dependsOn: ['resource:default/redis-cart'],
  }),
  entity('Component', 'checkout', {
    owner: 'group:default/checkout-team',
    annotations: { 'prometheus.io/service-name': 'checkoutservice' },
  }),
  entity('Component', 'frontend', {
    owner: 'group:default/storefront-team',
    annotations: { 'backstage.io/kubernetes-id': 'frontend-web' },
  }),
  entity('Component', 'currency', {
    annotations: { 'datadoghq.com/service-name': 'currencyservice' },
  }),
  entity('Component', 'payment', {
    annotations: { 'sentry.io/project-slug': 'paymentservice' },
  }),
  entity('Resource', 'redis-cart', { owner: 'group:default/platform-team' }),
  entity('Component', 'ledger', { namespace: 'payments' }),
  entity('System', 'online-boutique'),
  // Two entities claiming one service name: the choice must be stable and explained.
  entity('Resource', 'shipping-queue', {
    annotations: { 'aiops/service-name': 'shipping' },
  }),
  entity('Component', 'shipping', { namespace: 'legacy' }),
  entity('Component', 'shipping-v2', {
    annotations: { 'aiops/service-name': 'shipping' },
  }),
  // An annotation earlier in the order wins over a later one naming another entity.
  entity('Component', 'email', {
    annotations: { 'prometheus.io/service-name': 'mailer' },
  }),
  entity('Component', 'mailer-legacy', {
    annotations: { 'aiops/service-name': 'mailer' },
  }),
];

const index = EntityIndex.fromEntities(catalog);

describe('EntityIndex.resolve', () => {
  describe('rule 1: an explicit entity label', () => {
    it('resolves backstage.io/entity-ref with ownership and system', () => {
      expect(
        index.resolve({ 'backstage.io/entity-ref': 'component:default/cart' }),
      ).toEqual({
        status: 'resolved',
        entityRef: 'component:default/cart',
        owner: 'group:default/checkout-team',
        system: 'system:default/online-boutique',
        matchedBy: 'label:backstage.io/entity-ref',
      });
    });

    it('accepts the generic entity label, short refs and any case', () => {
      expect(index.resolve({ entity: 'Resource:Redis-Cart' })).toMatchObject({
        status: 'resolved',
        entityRef: 'resource:default/redis-cart',
        matchedBy: 'label:entity',
      });
      expect(index.resolve({ entity: 'cart' })).toMatchObject({
        entityRef: 'component:default/cart',
      });
    });

    it('may name any kind, not only services', () => {
      expect(index.resolve({ entity: 'system:online-boutique' })).toMatchObject(
        {
          entityRef: 'system:default/online-boutique',
        },
      );
    });

    it('takes precedence over service labels', () => {
      expect(
        index.resolve({ entity: 'component:checkout', service: 'cartservice' }),
      ).toMatchObject({ entityRef: 'component:default/checkout' });
    });

    it('falls through to service labels when it names no entity, keeping the reason', () => {
      expect(
        index.resolve({
          entity: 'component:default/nope',
          service: 'cartservice',
        }),
      ).toMatchObject({
        status: 'resolved',
        entityRef: 'component:default/cart',
      });
      expect(index.resolve({ entity: 'not a ref :: at all' })).toEqual({
        status: 'unowned',
        reason: 'label entity="not a ref :: at all" names no catalog entity',
      });
    });
  });

  describe('rule 2: service labels against annotations, then metadata.name', () => {
    it.each([
      [
        'aiops/service-name',
        { service: 'cartservice' },
        'component:default/cart',
      ],
      [
        'prometheus.io/service-name',
        { service: 'checkoutservice' },
        'component:default/checkout',
      ],
      [
        'backstage.io/kubernetes-id',
        { service: 'frontend-web' },
        'component:default/frontend',
      ],
      [
        'datadoghq.com/service-name',
        { service: 'currencyservice' },
        'component:default/currency',
      ],
      [
        'sentry.io/project-slug',
        { service: 'paymentservice' },
        'component:default/payment',
      ],
    ])('matches annotation %s', (annotation, labels, expected) => {
      expect(index.resolve(labels)).toMatchObject({
        status: 'resolved',
        entityRef: expected,
        matchedBy: `label:service="${labels.service}" via annotation:${annotation}`,
      });
    });

    it('matches metadata.name last, for components and resources', () => {
      expect(index.resolve({ service: 'redis-cart' })).toMatchObject({
        entityRef: 'resource:default/redis-cart',
        owner: 'group:default/platform-team',
        matchedBy: 'label:service="redis-cart" via metadata.name',
      });
    });

    it('does not key a service label to a system by name', () => {
      expect(index.resolve({ service: 'online-boutique' })).toMatchObject({
        status: 'unowned',
      });
    });

    it.each(SERVICE_LABELS.map(label => [label]))(
      'reads the %s label',
      label => {
        expect(index.resolve({ [label]: 'cartservice' })).toMatchObject({
          entityRef: 'component:default/cart',
          matchedBy: `label:${label}="cartservice" via annotation:aiops/service-name`,
        });
      },
    );

    it('tries service labels in order and skips the ones that match nothing', () => {
      expect(
        index.resolve({ job: 'checkoutservice', service: 'cartservice' }),
      ).toMatchObject({ entityRef: 'component:default/cart' });
      expect(
        index.resolve({ service: 'node-exporter', job: 'checkoutservice' }),
      ).toMatchObject({ entityRef: 'component:default/checkout' });
    });

    it('tries annotations in the documented order', () => {
      expect(index.resolve({ service: 'mailer' })).toMatchObject({
        entityRef: 'component:default/mailer-legacy',
      });
    });

    it('matches case-insensitively and ignores surrounding whitespace', () => {
      expect(index.resolve({ app: ' CartService ' })).toMatchObject({
        entityRef: 'component:default/cart',
      });
    });

    it('breaks ties stably: components first, then the default namespace, and says so', () => {
      expect(index.resolve({ service: 'shipping' })).toMatchObject({
        entityRef: 'component:default/shipping-v2',
        matchedBy:
          'label:service="shipping" via annotation:aiops/service-name (first of 2 matches)',
      });
    });

    it('finds entities outside the default namespace by name', () => {
      expect(index.resolve({ service: 'ledger' })).toMatchObject({
        entityRef: 'component:payments/ledger',
      });
    });

    it('leaves owner and system undefined for an entity without them', () => {
      const resolution = index.resolve({ service: 'currencyservice' });
      expect(resolution).toMatchObject({ status: 'resolved' });
      expect(resolution).not.toHaveProperty('owner', expect.anything());
    });
  });

  describe('rule 3: unowned, with the reason', () => {
    it('explains a signal without any keying label', () => {
      const resolution = index.resolve({
        alertname: 'DiskFull',
        instance: 'db-7',
      });
      expect(resolution.status).toBe('unowned');
      expect(resolution).toMatchObject({
        reason: expect.stringContaining('no entity label'),
      });
    });

    it('names every label that was tried', () => {
      expect(
        index.resolve({
          entity: 'component:ghost',
          service: 'ghost',
          job: 'node',
        }),
      ).toEqual({
        status: 'unowned',
        reason:
          'label entity="component:ghost" names no catalog entity; ' +
          'label service="ghost" matches no service-name annotation or entity name; ' +
          'label job="node" matches no service-name annotation or entity name',
      });
    });

    it('treats empty label values as absent', () => {
      expect(index.resolve({ service: '', entity: '' })).toMatchObject({
        status: 'unowned',
        reason: expect.stringContaining('no entity label'),
      });
    });
  });
});

describe('EntityIndex topology', () => {
  it('keeps ownership and dependency edges from relations', () => {
    expect(index.get('Component:default/Cart')).toMatchObject({
      owner: 'group:default/checkout-team',
      dependsOn: ['resource:default/redis-cart'],
    });
    expect(index.size).toBe(catalog.length);
  });
});
