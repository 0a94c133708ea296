import type { Deployment } from '@aiops/plugin-aiops-common';
import {
  CART_DEPLOYMENT,
  cartFactsInput,
  cartIncidentDetails,
} from '../testUtils/cartIncident';
import { buildNarrativeFacts, FACT_LIMITS, labelOf } from './facts';

describe('buildNarrativeFacts', () => {
  const facts = buildNarrativeFacts(cartFactsInput());

  it('states the incident, its onset and its alert counts', () => {
    expect(facts.incident).toMatchObject({
      id: 'inc-1',
      severity: 'critical',
      owner: 'group:default/platform-team',
      systemLabel: 'Online Boutique',
    });
    expect(facts.onsetAt).toBe('2026-11-20T07:04:05.000Z');
    expect([
      facts.alertCount,
      facts.firingCount,
      facts.suppressedCount,
    ]).toEqual([6, 6, 1]);
  });

  it('takes the root cause and the runners-up from the ranked candidates', () => {
    expect(facts.rootCause).toEqual({
      entityRef: 'resource:default/redis-cart',
      score: 0.87,
      reasons: expect.arrayContaining(['earliest onset']),
      evidenceIds: ['a-redis'],
      findingId: 'finding:root-cause',
    });
    expect(facts.otherCandidates).toEqual([
      { entityRef: 'component:default/cart', score: 0.41 },
    ]);
  });

  it('links a deployment to the alert correlation linked it to, with the lead', () => {
    expect(facts.deployments).toEqual([
      expect.objectContaining({
        id: 'dep-cart-2790',
        version: '2.790.23',
        previousVersion: '2.790.22',
        firstAlert: {
          alertId: 'a-cart-1',
          entityRef: 'component:default/cart',
          at: '2026-11-20T07:04:20.000Z',
          leadMs: 190_000,
        },
      }),
    ]);
  });

  it('keeps regressions of affected entities in the finding figures', () => {
    expect(facts.regressions).toEqual([
      expect.objectContaining({
        id: 'reg-cart-latency',
        percent: 300,
        before: 120,
        after: 480,
      }),
    ]);
  });

  it('lists affected entities with labels and owners, and the blast radius', () => {
    expect(
      facts.entities.filter(e => e.affected).map(e => [e.label, e.alertCount]),
    ).toEqual([
      ['cart', 2],
      ['frontend', 2],
      ['checkout', 1],
      ['Redis (cart)', 1],
    ]);
    expect(facts.owners.map(o => [o.label, o.entityRefs.length])).toEqual([
      ['Platform', 1],
      ['Checkout', 2],
      ['Storefront', 1],
    ]);
    expect(facts.blastRadius).toEqual({
      refs: ['component:default/email'],
      count: 1,
    });
  });

  it('finds runbooks in annotations and links', () => {
    const withLinks = buildNarrativeFacts(
      cartFactsInput({
        links: {
          'resource:default/redis-cart': [
            { url: 'https://wiki.acme.example/redis', title: 'Redis runbook' },
            { url: 'https://grafana.acme.example/d/redis', title: 'Dashboard' },
            // A planted link: only http(s) runbooks are kept.
            // eslint-disable-next-line no-script-url
            { url: 'javascript:alert(1)', title: 'Runbook' },
          ],
        },
      }),
    );
    expect(withLinks.runbooks.map(r => [r.id, r.url])).toEqual([
      [
        'runbook:resource:default/redis-cart',
        'https://wiki.acme.example/redis',
      ],
      ['runbook:component:default/cart', 'https://runbooks.acme.example/cart'],
    ]);
  });

  it('gives every fact an evidence id, once', () => {
    const ids = facts.evidence.map(e => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'inc-1',
        'a-redis',
        'dep-cart-2790',
        'reg-cart-latency',
        'finding:root-cause',
        'finding:deploy:dep-cart-2790',
        'component:default/cart',
        'group:default/platform-team',
        'runbook:component:default/cart',
      ]),
    );
  });

  it('states the spans a narrative may give', () => {
    expect(facts.durations).toEqual(
      expect.arrayContaining([
        { ms: 35_000, what: 'onset to opened' },
        { ms: 190_000, what: 'deployment dep-cart-2790 to its first alert' },
        { ms: 175_000, what: 'deployment dep-cart-2790 to onset' },
      ]),
    );
  });

  it('keeps only deployments that were cited or near the onset of an affected entity', () => {
    const dep = (
      id: string,
      entityRef: string,
      startedAt: string,
    ): Deployment => ({
      ...CART_DEPLOYMENT,
      id,
      resolution: { status: 'resolved', entityRef, matchedBy: 'test' },
      startedAt,
    });
    const kept = buildNarrativeFacts(
      cartFactsInput({
        deployments: [
          CART_DEPLOYMENT,
          dep('old', 'component:default/cart', '2026-11-20T04:00:00Z'),
          dep('elsewhere', 'component:default/payment', '2026-11-20T07:00:00Z'),
          dep('checkout', 'component:default/checkout', '2026-11-20T06:30:00Z'),
        ],
      }),
    ).deployments.map(d => d.id);
    expect(kept).toEqual(['checkout', 'dep-cart-2790']);
  });

  it('lists alerts by id when ingest did not answer, from the opening', () => {
    const details = cartIncidentDetails();
    const bare = buildNarrativeFacts(
      cartFactsInput({
        details: {
          ...details,
          alerts: details.alerts.map(({ details: _, ...link }) => link),
          alertDetails: 'unavailable',
        },
      }),
    );
    expect(bare.onsetAt).toBe(details.incident.openedAt);
    expect(bare.alerts[0]).toEqual({ id: 'a-cart-1', role: 'member' });
  });

  it('stays bounded for a large incident', () => {
    const details = cartIncidentDetails();
    const link = details.alerts[1];
    const many = buildNarrativeFacts(
      cartFactsInput({
        details: {
          ...details,
          alerts: Array.from({ length: 800 }, (_, i) => ({
            ...link,
            alertId: `a-${i}`,
            details: { ...link.details!, name: `Alert${i % 40}` },
          })),
        },
      }),
    );
    expect(many.alertCount).toBe(800);
    expect(many.alerts).toHaveLength(FACT_LIMITS.alerts);
    expect(many.entities[0].alertNames).toHaveLength(
      FACT_LIMITS.alertNamesPerEntity,
    );
  });
});

describe('labelOf', () => {
  it('prefers a title that says more than the name', () => {
    expect(labelOf('redis-cart', 'Redis (cart)')).toBe('Redis (cart)');
    expect(labelOf('cart', 'Cart')).toBe('cart');
    expect(labelOf('cart')).toBe('cart');
  });
});
