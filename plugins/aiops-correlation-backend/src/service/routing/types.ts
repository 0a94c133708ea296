import type {
  AiopsNotificationChannel,
  IncidentNotification,
  NotificationDigest,
} from '@aiops/plugin-aiops-node';
import type { EntityRef, Severity } from '@aiops/plugin-aiops-common';

/**
 * A change of an incident worth telling its owners about. Recorded in the same transaction as
 * the timeline entry it comes from, and identified by that entry: replicas that record the same
 * change record it once.
 */
export interface IncidentChange {
  /** The timeline entry id. */
  id: string;
  incidentId: string;
  kind: ChangeKind;
  /** ISO 8601, when it happened. */
  at: string;
  /** Set for `escalated`. */
  escalation?: EscalationStepRecord;
}

export type ChangeKind =
  | 'opened'
  | 'severity-raised'
  | 'acknowledged'
  | 'resolved'
  | 'reopened'
  | 'merged'
  | 'escalated';

export interface EscalationStepRecord {
  policy: string;
  /** 0-based index into the policy's steps. */
  step: number;
  /** How long the incident had gone unacknowledged, in milliseconds. */
  afterMs: number;
  targets: EscalationTarget[];
}

/**
 * The kind of a registered channel: the suite's own, or one a module added through
 * `aiopsNotificationChannelsExtensionPoint`.
 */
export type ChannelKind =
  | 'backstage'
  | 'slack'
  | 'pagerduty'
  | 'webhook'
  // Any other kind a module registers; `string & {}` keeps the names above suggested.
  | (string & {});

/** What routing needs of a registered channel: all of it but `send`. */
export type ChannelRouting = Pick<
  AiopsNotificationChannel,
  'kind' | 'style' | 'targetsFor'
>;

/** Who an escalation step notifies. `parent` is the owner group's parent group. */
export type EscalationTarget =
  | { type: 'group'; ref: EntityRef }
  | { type: 'user'; ref: EntityRef }
  | { type: 'parent' };

export interface EscalationPolicy {
  name: string;
  steps: Array<{ afterMs: number; notify: EscalationTarget[] }>;
}

/** A daily window in a time zone, e.g. 22:00–07:00 Europe/Berlin. */
export interface QuietHours {
  /** Minutes after midnight. */
  startMinute: number;
  endMinute: number;
  timeZone: string;
  /** Incidents at least this severe are sent during quiet hours too. */
  minSeverity: Severity;
}

/** How one group wants to be told, from `aiops.routing.groups`. */
export interface GroupRoute {
  group: EntityRef;
  /** Chat channels (Slack, webhooks, most channels modules add) only for incidents at least this severe. Default `info` (all). */
  minSeverity: Severity;
  /** Paging channels (PagerDuty) only for incidents at least this severe. Default `critical`. */
  pageSeverity: Severity;
  /** Overrides the group's `slack.com/bot-notify` annotation. */
  slackChannel?: string;
  /** Overrides the group's `pagerduty.com/integration-key` annotation. */
  pagerDutyIntegrationKey?: string;
  /** Names of `aiops.routing.webhooks` entries. */
  webhooks: string[];
  quietHours?: QuietHours;
  /** Overrides the group's `aiops/escalation-policy` annotation. */
  escalationPolicy?: string;
}

export interface RoutingConfig {
  /** Owner of incidents without one (unowned signals) and of owners missing from the catalog. */
  fallbackGroup?: EntityRef;
  groups: Record<EntityRef, GroupRoute>;
  escalationPolicies: Record<string, EscalationPolicy>;
  /** Which Slack transports are configured (their secrets stay with the channel). */
  slack: { botToken: boolean; webhook: boolean };
  /** Names of the configured generic webhooks. */
  webhooks: string[];
  /** Per group, channel and target: at most this many messages per window, then a digest. */
  rateLimit: { maxPerWindow: number; windowMs: number };
  /** The app's base URL, for links in messages. */
  appBaseUrl: string;
}

/** A configuration or catalog mistake that made routing fall back; shown to the platform team. */
export interface RoutingProblem {
  /** Stable identity, so the same problem is listed once. */
  key: string;
  message: string;
  /** The incident it was found routing, if any. */
  incidentId?: string;
}

/**
 * What a channel renders: the incident as its owners should read it, without opening anything.
 * The shape channels added by modules see (`IncidentNotification` in aiops-node), with the
 * change narrowed to the kinds routing records.
 */
export interface IncidentMessage extends IncidentNotification {
  change: ChangeKind;
}

/** Messages held back by the rate limit, sent together when the window ends. */
export interface DigestMessage extends NotificationDigest {
  messages: IncidentMessage[];
}

/** One message to send, decided by routing. */
export interface PlannedDelivery {
  channel: ChannelKind;
  /**
   * Where it goes: a group or user ref (`backstage`), a Slack channel (`#checkout-oncall`, or
   * `webhook` for the incoming webhook's own channel), a PagerDuty routing key, a webhook name.
   */
  target: string;
  /** The group whose rate limit it counts against. */
  group: EntityRef;
  message: IncidentMessage;
  /** ISO 8601: not before this (quiet hours); absent means now. */
  notBefore?: string;
  /** Counts against the rate limit (chat-like channels), else always sent. */
  rateLimited: boolean;
}
