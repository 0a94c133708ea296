import {
  PAGERDUTY_KEY,
  cartIncident,
  change,
  demoIndex,
  routingConfig,
} from './__testUtils__/routingFixtures';
import { deliveryTarget, routeChange, type RouteInput } from './route';
import type { GroupRoute, PlannedDelivery } from './types';

const catalog = demoIndex();
const NOW = Date.parse('2026-11-25T10:00:00.000Z');
const CHECKOUT = 'group:default/checkout-team';

/** Routes at NOW with the demo catalog, default config and nothing sent yet, unless told. */
const route = (
  input: Pick<RouteInput, 'change' | 'incident'> & Partial<RouteInput>,
) =>
  routeChange({
    catalog,
    config: routingConfig(),
    nowMs: NOW,
    alreadySent: new Map(),
    ...input,
  });

const targets = (deliveries: PlannedDelivery[]) =>
  deliveries.map(d => `${d.channel} ${d.target}`).sort();

const checkoutRoute = (settings: Partial<GroupRoute>): GroupRoute => ({
  group: CHECKOUT,
  minSeverity: 'info',
  pageSeverity: 'critical',
  webhooks: [],
  ...settings,
});

describe('routeChange', () => {
  it('tells the owner group through Backstage, the service channel and PagerDuty', () => {
    const { deliveries, problems } = route({
      change: change('opened'),
      incident: cartIncident(),
      config: routingConfig({
        groups: {
          [CHECKOUT]: checkoutRoute({
            pagerDutyIntegrationKey: PAGERDUTY_KEY,
            webhooks: ['ops-bridge'],
          }),
        },
      }),
    });
    expect(problems).toEqual([]);
    // cart's `aiops/slack-channel` overrides the team's `slack.com/bot-notify`.
    expect(targets(deliveries)).toEqual([
      `backstage ${CHECKOUT}`,
      `pagerduty ${PAGERDUTY_KEY}`,
      'slack #cart-alerts',
      'webhook ops-bridge',
    ]);
    const slack = deliveries.find(d => d.channel === 'slack')!;
    expect(slack).toMatchObject({ group: CHECKOUT, rateLimited: true });
    expect(slack.message).toMatchObject({
      headline:
        'Opened: [CRITICAL] redis-cart down, cart failing (checkout-team)',
      service: { entityRef: 'component:default/cart', title: 'Cart' },
      rootCause: { entityRef: 'resource:default/redis-cart' },
      links: {
        incident: 'http://backstage.example/aiops/incidents/inc-1',
        service: 'http://backstage.example/catalog/default/component/cart',
        runbook: 'https://runbooks.acme.example/cart',
      },
    });
    expect(slack.message.findings.map(f => f.rule)).toEqual([
      'topology-root-cause@1',
      'deploy-linked@1',
    ]);
    expect(deliveries.find(d => d.channel === 'pagerduty')?.rateLimited).toBe(
      false,
    );
  });

  it('keeps Slack and webhooks for incidents severe enough, and pages only at the page severity', () => {
    const config = routingConfig({
      groups: {
        [CHECKOUT]: checkoutRoute({
          minSeverity: 'error',
          pageSeverity: 'critical',
          pagerDutyIntegrationKey: PAGERDUTY_KEY,
        }),
      },
    });
    const targetsAt = (severity: 'critical' | 'error' | 'warning') =>
      targets(
        route({
          change: change('opened'),
          incident: cartIncident({ severity }),
          config,
        }).deliveries,
      );
    expect(targetsAt('warning')).toEqual([`backstage ${CHECKOUT}`]);
    expect(targetsAt('error')).toEqual([
      `backstage ${CHECKOUT}`,
      'slack #cart-alerts',
    ]);
    expect(targetsAt('critical')).toContain(`pagerduty ${PAGERDUTY_KEY}`);
  });

  it('sends follow-ups only where the incident was announced', () => {
    const { deliveries } = route({
      change: change('resolved'),
      incident: cartIncident({ status: 'resolved' }),
      alreadySent: new Map([
        [deliveryTarget('pagerduty', PAGERDUTY_KEY), CHECKOUT],
        [
          deliveryTarget('backstage', 'group:default/acme'),
          'group:default/acme',
        ],
      ]),
    });
    expect(targets(deliveries)).toEqual([
      'backstage group:default/acme',
      `backstage ${CHECKOUT}`,
      `pagerduty ${PAGERDUTY_KEY}`,
    ]);
  });

  it('routes an unowned incident to the fallback group and its channel', () => {
    const { deliveries, problems } = route({
      change: change('opened'),
      incident: cartIncident({ owner: undefined, primaryEntityRef: undefined }),
    });
    expect(problems).toEqual([]);
    expect(targets(deliveries)).toEqual([
      'backstage group:default/platform-team',
      'slack #platform-alerts',
    ]);
  });

  it('reports an owner that is not a group, and a missing fallback, without failing', () => {
    const notAGroup = route({
      change: change('opened'),
      incident: cartIncident({ owner: 'user:default/jo.checkout' }),
    });
    expect(notAGroup.problems.map(p => p.key)).toEqual([
      'owner:user:default/jo.checkout',
    ]);
    expect(targets(notAGroup.deliveries)).toContain(
      'backstage group:default/platform-team',
    );

    const nobody = route({
      change: change('opened'),
      incident: cartIncident({ owner: undefined }),
      config: routingConfig({ fallbackGroup: undefined }),
    });
    expect(nobody.deliveries).toEqual([]);
    expect(nobody.problems.map(p => p.key)).toEqual(['no-fallback-group']);
  });

  it('falls back to Backstage notifications when Slack, PagerDuty or a webhook is misconfigured', () => {
    const { deliveries, problems } = route({
      change: change('opened'),
      incident: cartIncident(),
      config: routingConfig({
        slack: { botToken: false, webhook: false },
        webhooks: [],
        groups: {
          [CHECKOUT]: checkoutRoute({
            pagerDutyIntegrationKey: 'not-a-key',
            webhooks: ['ops-bridge'],
          }),
        },
      }),
    });
    expect(targets(deliveries)).toEqual([`backstage ${CHECKOUT}`]);
    expect(problems.map(p => p.key).sort()).toEqual([
      `pagerduty-key:${CHECKOUT}`,
      'slack-transport',
      'webhook:ops-bridge',
    ]);
    expect(problems.map(p => p.message).join('\n')).not.toContain('not-a-key');
  });

  it('posts to the incoming webhook when Slack has no bot token', () => {
    const { deliveries } = route({
      change: change('opened'),
      incident: cartIncident(),
      config: routingConfig({ slack: { botToken: false, webhook: true } }),
    });
    expect(targets(deliveries)).toContain('slack webhook');
  });

  it('escalates to the parent group and to a user', () => {
    const { deliveries, problems } = route({
      change: change('escalated', {
        escalation: {
          policy: 'checkout-critical',
          step: 0,
          afterMs: 600_000,
          targets: [
            { type: 'parent' },
            { type: 'user', ref: 'user:default/ana.platform' },
          ],
        },
      }),
      incident: cartIncident(),
    });
    expect(problems).toEqual([]);
    expect(targets(deliveries)).toEqual([
      'backstage group:default/acme',
      'backstage user:default/ana.platform',
    ]);
    expect(deliveries[0].message.headline).toBe(
      'Escalated (step 1, unacknowledged for 10 min): [CRITICAL] redis-cart down, cart failing (checkout-team)',
    );
  });

  it('drops an escalation that the incident was acknowledged before it was routed', () => {
    const { deliveries } = route({
      change: change('escalated', {
        escalation: {
          policy: 'checkout-critical',
          step: 0,
          afterMs: 600_000,
          targets: [{ type: 'parent' }],
        },
      }),
      incident: cartIncident({ status: 'acknowledged' }),
    });
    expect(deliveries).toEqual([]);
  });

  it('holds chat messages below the quiet-hours severity until quiet hours end', () => {
    const config = routingConfig({
      groups: {
        [CHECKOUT]: checkoutRoute({
          pagerDutyIntegrationKey: PAGERDUTY_KEY,
          pageSeverity: 'error',
          quietHours: {
            startMinute: 22 * 60,
            endMinute: 7 * 60,
            timeZone: 'Europe/Berlin',
            minSeverity: 'critical',
          },
        }),
      },
    });
    // 23:30 in Berlin (UTC+1 in November).
    const night = Date.parse('2026-11-25T22:30:00.000Z');
    const { deliveries } = route({
      change: change('opened'),
      incident: cartIncident({ severity: 'error' }),
      config,
      nowMs: night,
    });
    const byChannel = Object.fromEntries(
      deliveries.map(d => [d.channel, d.notBefore]),
    );
    expect(byChannel).toEqual({
      backstage: undefined,
      slack: '2026-11-26T06:00:00.000Z',
      pagerduty: undefined,
    });
    const critical = route({
      change: change('opened'),
      incident: cartIncident({ severity: 'critical' }),
      config,
      nowMs: night,
    });
    expect(critical.deliveries.every(d => !d.notBefore)).toBe(true);
  });
});
