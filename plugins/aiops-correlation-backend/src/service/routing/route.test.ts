import {
  PAGERDUTY_KEY,
  cartIncident,
  change,
  demoIndex,
  routingConfig,
} from './__testUtils__/routingFixtures';
import { deliveryTarget, routeChange } from './route';
import type { GroupRoute, PlannedDelivery } from './types';

const catalog = demoIndex();
const NOW = Date.parse('2026-11-25T10:00:00.000Z');
const CHECKOUT = 'group:default/checkout-team';

const targets = (deliveries: PlannedDelivery[]) =>
  deliveries.map(d => `${d.channel} ${d.target}`).sort();

const checkoutRoute = (route: Partial<GroupRoute>): GroupRoute => ({
  group: CHECKOUT,
  minSeverity: 'info',
  pageSeverity: 'critical',
  webhooks: [],
  ...route,
});

describe('routeChange', () => {
  it('tells the owner group through Backstage, the service channel and PagerDuty', () => {
    const { deliveries, problems } = routeChange({
      change: change('opened'),
      incident: cartIncident(),
      catalog,
      config: routingConfig({
        groups: {
          [CHECKOUT]: checkoutRoute({
            pagerDutyIntegrationKey: PAGERDUTY_KEY,
            webhooks: ['ops-bridge'],
          }),
        },
      }),
      nowMs: NOW,
      alreadySent: new Map(),
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
    const route = (severity: 'critical' | 'error' | 'warning') =>
      targets(
        routeChange({
          change: change('opened'),
          incident: cartIncident({ severity }),
          catalog,
          config,
          nowMs: NOW,
          alreadySent: new Map(),
        }).deliveries,
      );
    expect(route('warning')).toEqual([`backstage ${CHECKOUT}`]);
    expect(route('error')).toEqual([
      `backstage ${CHECKOUT}`,
      'slack #cart-alerts',
    ]);
    expect(route('critical')).toContain(`pagerduty ${PAGERDUTY_KEY}`);
  });

  it('sends follow-ups only where the incident was announced', () => {
    const { deliveries } = routeChange({
      change: change('resolved'),
      incident: cartIncident({ status: 'resolved' }),
      catalog,
      config: routingConfig(),
      nowMs: NOW,
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
    const { deliveries, problems } = routeChange({
      change: change('opened'),
      incident: cartIncident({ owner: undefined, primaryEntityRef: undefined }),
      catalog,
      config: routingConfig(),
      nowMs: NOW,
      alreadySent: new Map(),
    });
    expect(problems).toEqual([]);
    expect(targets(deliveries)).toEqual([
      'backstage group:default/platform-team',
      'slack #platform-alerts',
    ]);
  });

  it('reports an owner that is not a group, and a missing fallback, without failing', () => {
    const notAGroup = routeChange({
      change: change('opened'),
      incident: cartIncident({ owner: 'user:default/jo.checkout' }),
      catalog,
      config: routingConfig(),
      nowMs: NOW,
      alreadySent: new Map(),
    });
    expect(notAGroup.problems.map(p => p.key)).toEqual([
      'owner:user:default/jo.checkout',
    ]);
    expect(targets(notAGroup.deliveries)).toContain(
      'backstage group:default/platform-team',
    );

    const nobody = routeChange({
      change: change('opened'),
      incident: cartIncident({ owner: undefined }),
      catalog,
      config: routingConfig({ fallbackGroup: undefined }),
      nowMs: NOW,
      alreadySent: new Map(),
    });
    expect(nobody.deliveries).toEqual([]);
    expect(nobody.problems.map(p => p.key)).toEqual(['no-fallback-group']);
  });

  it('falls back to Backstage notifications when Slack, PagerDuty or a webhook is misconfigured', () => {
    const { deliveries, problems } = routeChange({
      change: change('opened'),
      incident: cartIncident(),
      catalog,
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
      nowMs: NOW,
      alreadySent: new Map(),
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
    const { deliveries } = routeChange({
      change: change('opened'),
      incident: cartIncident(),
      catalog,
      config: routingConfig({ slack: { botToken: false, webhook: true } }),
      nowMs: NOW,
      alreadySent: new Map(),
    });
    expect(targets(deliveries)).toContain('slack webhook');
  });

  it('escalates to the parent group and to a user', () => {
    const { deliveries, problems } = routeChange({
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
      catalog,
      config: routingConfig(),
      nowMs: NOW,
      alreadySent: new Map(),
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
    const { deliveries } = routeChange({
      change: change('escalated', {
        escalation: {
          policy: 'checkout-critical',
          step: 0,
          afterMs: 600_000,
          targets: [{ type: 'parent' }],
        },
      }),
      incident: cartIncident({ status: 'acknowledged' }),
      catalog,
      config: routingConfig(),
      nowMs: NOW,
      alreadySent: new Map(),
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
    const { deliveries } = routeChange({
      change: change('opened'),
      incident: cartIncident({ severity: 'error' }),
      catalog,
      config,
      nowMs: night,
      alreadySent: new Map(),
    });
    const byChannel = Object.fromEntries(
      deliveries.map(d => [d.channel, d.notBefore]),
    );
    expect(byChannel).toEqual({
      backstage: undefined,
      slack: '2026-11-26T06:00:00.000Z',
      pagerduty: undefined,
    });
    const critical = routeChange({
      change: change('opened'),
      incident: cartIncident({ severity: 'critical' }),
      catalog,
      config,
      nowMs: night,
      alreadySent: new Map(),
    });
    expect(critical.deliveries.every(d => !d.notBefore)).toBe(true);
  });
});
