import type { Incident } from '@aiops/plugin-aiops-common';
import { EntityIndex } from '@aiops/plugin-aiops-node';
import { loadDemoEntities } from '../../../evaluation/demoCatalog';
import type { IncidentChange, RoutingConfig } from '../types';

/** The demo organisation: groups, their parents and the services' routing annotations. */
export const demoIndex = () => EntityIndex.fromEntities(loadDemoEntities());

export const PAGERDUTY_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** A redis-cart outage seen on cart, owned by the checkout team. */
export function cartIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    title: 'redis-cart down, cart failing',
    status: 'open',
    severity: 'critical',
    primaryEntityRef: 'component:default/cart',
    affectedEntityRefs: [
      'component:default/cart',
      'resource:default/redis-cart',
    ],
    owner: 'group:default/checkout-team',
    system: 'system:default/online-boutique',
    correlationKey: 'entity:component:default/cart',
    ruleVersions: ['topology-root-cause@1'],
    alertIds: ['a1', 'a2'],
    findings: [
      {
        rule: 'deploy-linked@1',
        summary: 'cart 1.4.2 was deployed 4 minutes before onset',
        evidence: [{ kind: 'deployment', id: 'd1' }],
        confidence: 0.6,
      },
      {
        rule: 'topology-root-cause@1',
        summary: 'redis-cart is upstream of every affected service',
        evidence: [{ kind: 'alert', id: 'a1' }],
        confidence: 0.9,
      },
    ],
    rootCauseCandidates: [
      {
        entityRef: 'resource:default/redis-cart',
        score: 0.9,
        reasons: ['upstream-most affected entity', 'earliest onset'],
        evidence: [{ kind: 'alert', id: 'a1' }],
      },
    ],
    openedAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

export function change(
  kind: IncidentChange['kind'],
  overrides: Partial<IncidentChange> = {},
): IncidentChange {
  return {
    id: `change-${kind}`,
    incidentId: 'inc-1',
    kind,
    at: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

export function routingConfig(
  overrides: Partial<RoutingConfig> = {},
): RoutingConfig {
  return {
    fallbackGroup: 'group:default/platform-team',
    groups: {},
    escalationPolicies: {
      'checkout-critical': {
        name: 'checkout-critical',
        steps: [
          { afterMs: 10 * 60_000, notify: [{ type: 'parent' }] },
          {
            afterMs: 30 * 60_000,
            notify: [{ type: 'user', ref: 'user:default/ana.platform' }],
          },
        ],
      },
    },
    slack: { botToken: true, webhook: false },
    webhooks: ['ops-bridge'],
    rateLimit: { maxPerWindow: 20, windowMs: 10 * 60_000 },
    appBaseUrl: 'http://backstage.example',
    ...overrides,
  };
}
