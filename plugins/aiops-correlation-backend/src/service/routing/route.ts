import {
  severityRank,
  type EntityRef,
  type Incident,
  type Severity,
} from '@aiops/plugin-aiops-common';
import type {
  CatalogEntitySummary,
  NotificationChannelStyle,
  NotificationRecipient,
} from '@aiops/plugin-aiops-node';
import { builtInRouting } from './builtInRouting';
import { incidentMessage } from './message';
import type { IncidentRecord } from './narrative';
import { quietHoursEnd } from './quietHours';
import type {
  ChangeKind,
  ChannelKind,
  ChannelRouting,
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
  /** The store's alert links and findings of the incident, for the message's narrative. */
  record?: IncidentRecord;
  config: RoutingConfig;
  nowMs: number;
  /** `deliveryTarget(channel, target)` → group of what this incident was already sent to. */
  alreadySent: ReadonlyMap<string, EntityRef>;
  /**
   * The registered channels, in registration order: the plugin's own, then those modules
   * added. Each says which targets a recipient has on it. Default: the built-ins as `config`
   * configures them.
   */
  channels?: ChannelRouting[];
}

export interface Route {
  deliveries: PlannedDelivery[];
  problems: RoutingProblem[];
}

export const deliveryTarget = (channel: ChannelKind, target: string) =>
  `${channel}\n${target}`;

/**
 * Who hears of an incident change, through which channels and when. Every registered channel is
 * asked the same way which targets a recipient has (`targetsFor`), for the changes its style
 * hears of: inbox channels (Backstage notifications) always reach the owner group (or the
 * fallback group); chat (Slack, webhooks, modules' channels) and paging (PagerDuty) channels
 * follow the group's severity thresholds. Whatever is missing or wrong is reported as a problem
 * and leaves the other channels in place.
 */
export function routeChange(input: RouteInput): Route {
  const { change, incident, catalog, config } = input;
  const channels = input.channels ?? builtInRouting(config);
  const problems: RoutingProblem[] = [];
  const deliveries = new Map<string, PlannedDelivery>();
  const message = incidentMessage(
    incident,
    change,
    catalog,
    config.appBaseUrl,
    input.record,
  );
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
    // A channel no longer registered keeps being treated as chat, the default.
    const chat = styleOf(channels, channel) === 'chat';
    const quietUntil =
      chat &&
      route.quietHours &&
      !atLeast(incident.severity, route.quietHours.minSeverity)
        ? quietHoursEnd(route.quietHours, input.nowMs)
        : undefined;
    deliveries.set(key, {
      channel,
      target,
      group,
      message,
      rateLimited: chat,
      ...(quietUntil !== undefined && {
        notBefore: new Date(quietUntil).toISOString(),
      }),
    });
  };
  /** Tells a recipient through every channel that hears of this change. */
  const tell = (
    recipient: NotificationRecipient,
    route: GroupRoute,
    hears: (style: NotificationChannelStyle) => boolean,
  ) => {
    for (const channel of channels) {
      if (!hears(channel.style ?? 'chat')) continue;
      for (const target of targetsOf(channel, recipient, problems, incident)) {
        add(channel.kind, target, recipient.group, route);
      }
    }
  };
  const inboxOnly = (style: NotificationChannelStyle) => style === 'inbox';

  // Acknowledged (or resolved) before its escalation was routed: the escalation is moot.
  if (change.kind === 'escalated' && incident.status !== 'open') {
    return { deliveries: [], problems };
  }
  const service = incident.primaryEntityRef
    ? catalog.get(incident.primaryEntityRef)
    : undefined;
  const recipientOf = (
    group: EntityRef,
    owns: boolean,
  ): NotificationRecipient => ({
    group,
    groupAnnotations: catalog.get(group)?.annotations ?? {},
    serviceAnnotations: owns ? service?.annotations ?? {} : {},
    severity: incident.severity,
  });
  const owning = owningGroup(incident, catalog, config, problems);
  if (FOLLOW_UPS.has(change.kind)) {
    if (owning) tell(recipientOf(owning, true), routeOf(owning), inboxOnly);
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
        // Users are told through inbox channels only, as the owning group's messages.
        tell(
          { ...recipientOf(owning ?? target.ref, false), user: target.ref },
          routeOf(target.ref),
          inboxOnly,
        );
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

  for (const recipient of recipients) {
    const route = routeOf(recipient.group);
    tell(recipientOf(recipient.group, recipient.owning), route, style =>
      hearsAt(style, incident.severity, route),
    );
  }
  return { deliveries: [...deliveries.values()], problems };
}

/** Whether a channel of this style hears of an incident this severe, for a group so routed. */
function hearsAt(
  style: NotificationChannelStyle,
  severity: Severity,
  route: GroupRoute,
): boolean {
  if (style === 'inbox') return true;
  return atLeast(
    severity,
    style === 'paging' ? route.pageSeverity : route.minSeverity,
  );
}

function styleOf(
  channels: ChannelRouting[],
  kind: ChannelKind,
): NotificationChannelStyle {
  return channels.find(channel => channel.kind === kind)?.style ?? 'chat';
}

/** A channel's targets for a recipient; its mistakes, and a throw, become problems. */
function targetsOf(
  channel: ChannelRouting,
  recipient: NotificationRecipient,
  problems: RoutingProblem[],
  incident: Pick<Incident, 'id'>,
): string[] {
  try {
    return (
      channel.targetsFor?.(recipient, problem =>
        problems.push({ ...problem, incidentId: incident.id }),
      ) ?? []
    );
  } catch (error) {
    problems.push({
      key: `channel:${channel.kind}`,
      message: `Channel ${channel.kind} could not say where ${recipient.group} is told: ${error}`,
      incidentId: incident.id,
    });
    return [];
  }
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

/** Whether `severity` is at least as urgent as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}
