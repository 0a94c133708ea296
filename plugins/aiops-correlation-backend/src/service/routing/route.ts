import type { AiopsNotificationChannel } from '@aiops/plugin-aiops-node';
import {
  severityRank,
  type EntityRef,
  type Incident,
  type Severity,
} from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '@aiops/plugin-aiops-node';
import { incidentMessage } from './message';
import { quietHoursEnd } from './quietHours';
import { maskKey } from './targets';
import type {
  ChangeKind,
  ChannelKind,
  GroupRoute,
  IncidentChange,
  PlannedDelivery,
  RoutingConfig,
  RoutingProblem,
} from './types';

/** The catalog as routing reads it (`EntityIndex` fits). */
export interface RoutingCatalog {
  get(entityRef: string): CatalogEntitySummary | undefined;
  /** How many entities it holds; 0 before the catalog was first loaded. */
  readonly size: number;
}

export const ANNOTATIONS = {
  slackChannel: 'aiops/slack-channel',
  slackBotNotify: 'slack.com/bot-notify',
  pagerDutyKey: 'pagerduty.com/integration-key',
  escalationPolicy: 'aiops/escalation-policy',
} as const;

/** PagerDuty Events v2 integration (routing) keys are 32 characters. */
const PAGERDUTY_KEY = /^[a-z0-9]{32}$/i;

/** Follow-ups go where the incident was already announced, and nowhere new. */
const FOLLOW_UPS: ReadonlySet<ChangeKind> = new Set([
  'acknowledged',
  'resolved',
  'merged',
]);

export interface RouteInput {
  change: IncidentChange;
  incident: Incident;
  catalog: RoutingCatalog;
  config: RoutingConfig;
  nowMs: number;
  /** `deliveryTarget(channel, target)` → group of what this incident was already sent to. */
  alreadySent: ReadonlyMap<string, EntityRef>;
  /** Channels modules added; each says which targets a recipient has on it. */
  addedChannels?: AiopsNotificationChannel[];
}

const BUILT_IN_CHANNELS = new Set([
  'backstage',
  'slack',
  'pagerduty',
  'webhook',
]);

export interface Route {
  deliveries: PlannedDelivery[];
  problems: RoutingProblem[];
}

export const deliveryTarget = (channel: ChannelKind, target: string) =>
  `${channel}\n${target}`;

/**
 * Who hears of an incident change, through which channels and when. Backstage notifications
 * always reach the owner group (or the fallback group); Slack, PagerDuty and webhooks follow the
 * group's configuration and the catalog's annotations; whatever is missing or wrong is reported
 * as a problem and leaves the Backstage notification in place.
 */
export function routeChange(input: RouteInput): Route {
  const { change, incident, catalog, config } = input;
  const problems: RoutingProblem[] = [];
  const deliveries = new Map<string, PlannedDelivery>();
  const message = incidentMessage(incident, change, catalog, config.appBaseUrl);
  const routeOf = (group: EntityRef) =>
    config.groups[group] ?? defaultRoute(group);
  const add = (
    channel: ChannelKind,
    target: string,
    group: EntityRef,
    route: GroupRoute,
  ) => {
    const key = deliveryTarget(channel, target);
    if (deliveries.has(key)) return;
    // Channels modules add are treated like chat: rate limited and held in quiet hours.
    const chatLike =
      channel === 'slack' ||
      channel === 'webhook' ||
      !BUILT_IN_CHANNELS.has(channel);
    const quietUntil =
      chatLike &&
      route.quietHours &&
      !atLeast(incident.severity, route.quietHours.minSeverity)
        ? quietHoursEnd(route.quietHours, input.nowMs)
        : undefined;
    deliveries.set(key, {
      channel,
      target,
      group,
      message,
      rateLimited: chatLike,
      ...(quietUntil !== undefined && {
        notBefore: new Date(quietUntil).toISOString(),
      }),
    });
  };

  // Acknowledged (or resolved) before its escalation was routed: the escalation is moot.
  if (change.kind === 'escalated' && incident.status !== 'open') {
    return { deliveries: [], problems };
  }
  const owning = owningGroup(incident, catalog, config, problems);
  if (FOLLOW_UPS.has(change.kind)) {
    if (owning) add('backstage', owning, owning, routeOf(owning));
    for (const [key, group] of input.alreadySent) {
      const [channel, target] = key.split('\n') as [ChannelKind, string];
      add(channel, target, group, routeOf(group));
    }
    return { deliveries: [...deliveries.values()], problems };
  }

  const recipients: Array<{ group: EntityRef; owning: boolean }> = [];
  if (change.kind === 'escalated' && change.escalation) {
    for (const target of change.escalation.targets) {
      if (target.type === 'user') {
        add('backstage', target.ref, owning ?? target.ref, routeOf(target.ref));
      } else if (target.type === 'group') {
        if (catalog.get(target.ref)?.kind !== 'group') {
          problems.push({
            key: `escalation-group:${target.ref}`,
            message: `Escalation policy "${change.escalation.policy}" names ${target.ref}, which is not a Group in the catalog`,
            incidentId: incident.id,
          });
        }
        recipients.push({ group: target.ref, owning: false });
      } else {
        const parent = owning ? catalog.get(owning)?.parent : undefined;
        if (parent) recipients.push({ group: parent, owning: false });
        else {
          problems.push({
            key: `escalation-parent:${owning ?? 'none'}`,
            message: `Escalation policy "${
              change.escalation.policy
            }" escalates to the parent group, but ${
              owning ?? 'the incident'
            } has no parent group in the catalog`,
            incidentId: incident.id,
          });
        }
      }
    }
  } else if (owning) {
    recipients.push({ group: owning, owning: true });
  }

  const service = incident.primaryEntityRef
    ? catalog.get(incident.primaryEntityRef)
    : undefined;
  for (const recipient of recipients) {
    const { group } = recipient;
    const route = routeOf(group);
    const groupAnnotations = catalog.get(group)?.annotations ?? {};
    const serviceAnnotations = recipient.owning
      ? service?.annotations ?? {}
      : {};
    add('backstage', group, group, route);

    if (atLeast(incident.severity, route.minSeverity)) {
      const channels =
        serviceAnnotations[ANNOTATIONS.slackChannel] ??
        serviceAnnotations[ANNOTATIONS.slackBotNotify] ??
        route.slackChannel ??
        groupAnnotations[ANNOTATIONS.slackBotNotify];
      for (const channel of splitList(channels)) {
        if (config.slack.botToken) add('slack', channel, group, route);
        else if (config.slack.webhook) add('slack', 'webhook', group, route);
        else {
          problems.push({
            key: 'slack-transport',
            message: `Slack channel ${channel} is configured for ${group}, but aiops.routing.slack has neither botToken nor webhookUrl`,
            incidentId: incident.id,
          });
        }
      }
      for (const added of input.addedChannels ?? []) {
        let targets: string[] = [];
        try {
          targets =
            added.targetsFor?.({
              group,
              groupAnnotations,
              serviceAnnotations,
              severity: incident.severity,
            }) ?? [];
        } catch (error) {
          problems.push({
            key: `channel:${added.kind}`,
            message: `Channel ${added.kind} could not say where ${group} is told: ${error}`,
            incidentId: incident.id,
          });
        }
        for (const target of targets) add(added.kind, target, group, route);
      }
      for (const name of route.webhooks) {
        if (config.webhooks.includes(name)) add('webhook', name, group, route);
        else {
          problems.push({
            key: `webhook:${name}`,
            message: `Webhook "${name}" of ${group} is not configured (or its URL is invalid) under aiops.routing.webhooks`,
            incidentId: incident.id,
          });
        }
      }
    }

    if (atLeast(incident.severity, route.pageSeverity)) {
      const key =
        serviceAnnotations[ANNOTATIONS.pagerDutyKey] ??
        route.pagerDutyIntegrationKey ??
        groupAnnotations[ANNOTATIONS.pagerDutyKey];
      if (key !== undefined) {
        if (isPagerDutyKey(key)) {
          add('pagerduty', key.trim(), group, route);
        } else {
          problems.push({
            key: `pagerduty-key:${group}`,
            message: `The PagerDuty integration key for ${group} (${maskKey(
              key,
            )}) is not a 32-character Events v2 key`,
            incidentId: incident.id,
          });
        }
      }
    }
  }
  return { deliveries: [...deliveries.values()], problems };
}

/**
 * The group an incident belongs to: its owner when that is a Group in the catalog, else the
 * fallback group. Either way it is reported when the owner is missing or not a group.
 */
export function owningGroup(
  incident: Pick<Incident, 'id' | 'owner' | 'primaryEntityRef'>,
  catalog: RoutingCatalog,
  config: RoutingConfig,
  problems: RoutingProblem[],
): EntityRef | undefined {
  const { owner } = incident;
  if (owner && catalog.get(owner)?.kind === 'group') return owner;
  if (owner) {
    problems.push({
      key: `owner:${owner}`,
      message: `Owner ${owner} of ${
        incident.primaryEntityRef ?? 'an incident'
      } is not a Group in the catalog; routed to ${
        config.fallbackGroup ?? 'nobody (no aiops.routing.fallbackGroup)'
      }`,
      incidentId: incident.id,
    });
  } else if (!config.fallbackGroup) {
    problems.push({
      key: 'no-fallback-group',
      message:
        'An incident without an owner was not routed: set aiops.routing.fallbackGroup',
      incidentId: incident.id,
    });
  }
  return config.fallbackGroup;
}

export function defaultRoute(group: EntityRef): GroupRoute {
  return { group, minSeverity: 'info', pageSeverity: 'critical', webhooks: [] };
}

export function isPagerDutyKey(key: string): boolean {
  return PAGERDUTY_KEY.test(key.trim());
}

/** Whether `severity` is at least as urgent as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
}
