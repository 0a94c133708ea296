import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import {
  PAGERDUTY_KEY,
  cartIncident,
  change,
  demoIndex,
  routingConfig,
} from './__testUtils__/routingFixtures';
import { builtInRouting } from './builtInRouting';
import { routeChange, type RouteInput } from './route';
import type { ChannelRouting, PlannedDelivery, RoutingConfig } from './types';

const NOW = Date.parse('2026-11-25T10:00:00.000Z');
const CHECKOUT = 'group:default/checkout-team';

/** Channels as modules add them: each tells every recipient at a target named after it. */
const moduleChannel = (
  kind: string,
  style?: AiopsNotificationChannel['style'],
): ChannelRouting => ({
  kind,
  style,
  targetsFor: ({ group, user }) => [`${kind}:${user ?? group}`],
});

const config = (overrides: Partial<RoutingConfig> = {}) =>
  routingConfig({
    groups: {
      [CHECKOUT]: {
        group: CHECKOUT,
        minSeverity: 'warning',
        pageSeverity: 'critical',
        pagerDutyIntegrationKey: PAGERDUTY_KEY,
        webhooks: ['ops-bridge'],
      },
    },
    ...overrides,
  });

/** Routes through the built-ins and three module channels, one of each style. */
const route = (input: Pick<RouteInput, 'change' | 'incident'>) => {
  const routing = config();
  return routeChange({
    catalog: demoIndex(),
    config: routing,
    nowMs: NOW,
    alreadySent: new Map(),
    channels: [
      ...builtInRouting(routing),
      moduleChannel('msteams'),
      moduleChannel('opsgenie', 'paging'),
      moduleChannel('email', 'inbox'),
    ],
    ...input,
  });
};

const summary = (deliveries: PlannedDelivery[]) =>
  deliveries.map(
    d => `${d.channel} ${d.target}${d.rateLimited ? ' (rate limited)' : ''}`,
  );

describe('routing through registered channels', () => {
  it("asks the built-ins and modules' channels alike, by their style", () => {
    const targetsAt = (severity: 'critical' | 'error' | 'info') =>
      summary(
        route({
          change: change('opened'),
          incident: cartIncident({ severity }),
        }).deliveries,
      );
    expect(targetsAt('critical')).toEqual([
      `backstage ${CHECKOUT}`,
      'slack #cart-alerts (rate limited)',
      'webhook ops-bridge (rate limited)',
      `pagerduty ${PAGERDUTY_KEY}`,
      `msteams msteams:${CHECKOUT} (rate limited)`,
      `opsgenie opsgenie:${CHECKOUT}`,
      `email email:${CHECKOUT}`,
    ]);
    // Below the page severity: no paging channel; below minSeverity: inboxes only.
    expect(targetsAt('error')).toEqual([
      `backstage ${CHECKOUT}`,
      'slack #cart-alerts (rate limited)',
      'webhook ops-bridge (rate limited)',
      `msteams msteams:${CHECKOUT} (rate limited)`,
      `email email:${CHECKOUT}`,
    ]);
    expect(targetsAt('info')).toEqual([
      `backstage ${CHECKOUT}`,
      `email email:${CHECKOUT}`,
    ]);
  });

  it('tells a user an escalation step names through the inbox channels only', () => {
    const { deliveries } = route({
      change: change('escalated', {
        escalation: {
          policy: 'checkout-critical',
          step: 1,
          afterMs: 1_800_000,
          targets: [{ type: 'user', ref: 'user:default/ana.platform' }],
        },
      }),
      incident: cartIncident(),
    });
    expect(summary(deliveries)).toEqual([
      'backstage user:default/ana.platform',
      'email email:user:default/ana.platform',
    ]);
    expect(deliveries.every(d => d.group === CHECKOUT)).toBe(true);
  });

  it('sends follow-ups to the inbox channels of the owning group and wherever the incident went', () => {
    const { deliveries } = route({
      change: change('resolved'),
      incident: cartIncident({ status: 'resolved' }),
    });
    expect(summary(deliveries)).toEqual([
      `backstage ${CHECKOUT}`,
      `email email:${CHECKOUT}`,
    ]);
  });

  it("reports a channel's mistakes and throws as problems, and tells the others", () => {
    const failing: ChannelRouting = {
      kind: 'broken',
      targetsFor: (_recipient, report) => {
        report?.({ key: 'broken:config', message: 'no endpoint configured' });
        throw new Error('boom');
      },
    };
    const routing = config({ slack: { botToken: false, webhook: false } });
    const { deliveries, problems } = routeChange({
      catalog: demoIndex(),
      config: routing,
      nowMs: NOW,
      alreadySent: new Map(),
      change: change('opened'),
      incident: cartIncident(),
      channels: [...builtInRouting(routing), failing],
    });
    expect(problems).toEqual([
      expect.objectContaining({ key: 'slack-transport', incidentId: 'inc-1' }),
      {
        key: 'broken:config',
        message: 'no endpoint configured',
        incidentId: 'inc-1',
      },
      expect.objectContaining({
        key: 'channel:broken',
        message: `Channel broken could not say where ${CHECKOUT} is told: Error: boom`,
      }),
    ]);
    expect(summary(deliveries)).toEqual([
      `backstage ${CHECKOUT}`,
      'webhook ops-bridge (rate limited)',
      `pagerduty ${PAGERDUTY_KEY}`,
    ]);
  });
});
