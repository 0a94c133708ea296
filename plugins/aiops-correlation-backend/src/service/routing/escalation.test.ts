import {
  cartIncident,
  demoIndex,
  routingConfig,
} from './__testUtils__/routingFixtures';
import { dueEscalationSteps, escalationPolicyFor } from './escalation';
import type { EscalationPolicy, RoutingProblem } from './types';

const MIN = 60_000;
const policy: EscalationPolicy = {
  name: 'p',
  steps: [
    { afterMs: 10 * MIN, notify: [{ type: 'parent' }] },
    { afterMs: 30 * MIN, notify: [{ type: 'parent' }] },
  ],
};
const since = Date.parse('2026-11-25T10:00:00.000Z');

describe('dueEscalationSteps', () => {
  it('is due only once the delay has passed, at the time it fell due', () => {
    expect(
      dueEscalationSteps(policy, since, since + 10 * MIN - 1, new Set()),
    ).toEqual([]);
    expect(
      dueEscalationSteps(policy, since, since + 10 * MIN, new Set()),
    ).toEqual([{ step: 0, afterMs: 10 * MIN, at: '2026-11-25T10:10:00.000Z' }]);
  });

  it('catches up on missed steps and skips recorded ones', () => {
    expect(
      dueEscalationSteps(policy, since, since + 45 * MIN, new Set([0])),
    ).toEqual([{ step: 1, afterMs: 30 * MIN, at: '2026-11-25T10:30:00.000Z' }]);
  });
});

describe('escalationPolicyFor', () => {
  const catalog = demoIndex();

  it("takes the service's annotation first", () => {
    const problems: RoutingProblem[] = [];
    expect(
      escalationPolicyFor(
        {
          id: 'i',
          owner: 'group:default/checkout-team',
          primaryEntityRef: 'component:default/checkout',
        },
        catalog,
        routingConfig(),
        problems,
      )?.name,
    ).toBe('checkout-critical');
    expect(problems).toEqual([]);
  });

  it("then the group's configuration, then the group's annotation", () => {
    const config = routingConfig({
      escalationPolicies: {
        ...routingConfig().escalationPolicies,
        configured: { name: 'configured', steps: [] },
      },
      groups: {
        'group:default/storefront-team': {
          group: 'group:default/storefront-team',
          minSeverity: 'info',
          pageSeverity: 'critical',
          webhooks: [],
          escalationPolicy: 'configured',
        },
      },
    });
    const policyOf = (owner: string) =>
      escalationPolicyFor({ id: 'i', owner }, catalog, config, [])?.name;
    expect(policyOf('group:default/storefront-team')).toBe('configured');
    expect(policyOf('group:default/checkout-team')).toBe('checkout-critical');
    expect(policyOf('group:default/payments-team')).toBeUndefined();
  });

  it('reports a policy name that is not configured', () => {
    const problems: RoutingProblem[] = [];
    // platform-team's annotation names platform-default, which this config lacks.
    expect(
      escalationPolicyFor(
        cartIncident({
          owner: 'group:default/platform-team',
          primaryEntityRef: undefined,
        }),
        catalog,
        routingConfig(),
        problems,
      ),
    ).toBeUndefined();
    expect(problems.map(p => p.key)).toEqual([
      'escalation-policy:platform-default',
    ]);
  });
});
