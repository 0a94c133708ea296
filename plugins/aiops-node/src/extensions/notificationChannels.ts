import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { EntityRef, Severity } from '@aiops/plugin-aiops-common';

/**
 * What a notification says about one incident change: the same message for every channel, so
 * each channel only decides how to show it. Built by correlation's routing.
 */
export interface IncidentNotification {
  incidentId: string;
  /** `opened`, `severity-raised`, `acknowledged`, `resolved`, `reopened`, `merged`, `escalated`. */
  change: string;
  /** ISO 8601 */
  changeAt: string;
  title: string;
  severity: Severity;
  status: string;
  /** One line: what changed, how bad, for whom. */
  headline: string;
  service?: { entityRef: EntityRef; title?: string };
  owner?: EntityRef;
  system?: EntityRef;
  rootCause?: { entityRef: EntityRef; score: number; reasons: string[] };
  /** The most confident findings first, at most three. */
  findings: Array<{ rule: string; summary: string; confidence: number }>;
  alertCount: number;
  escalation?: { step: number; policy: string; afterMs: number };
  mergedInto?: string;
  links: { incident: string; service?: string; runbook?: string };
  /**
   * The template narrative (`templateDraft`) in plain sentences, so that the first page reads
   * as a summary. Absent when it could not be written; never holds routing up.
   */
  narrative?: NotificationNarrative;
}

/**
 * What a notification carries of the template narrative, each text at most
 * `NOTIFICATION_NARRATIVE_LIMIT` characters.
 */
export interface NotificationNarrative {
  /** Always `template`: the model's rewrite comes later, on the incident page. */
  generatedBy: 'template';
  summary: string;
  /** Absent while no root cause is ranked (the summary names the first alerting entity). */
  probableCause?: string;
  /** Affected entities, their owners and what depends on them. */
  impact?: string;
}

/** Longest text of a notification's narrative, in UTF-16 units. */
export const NOTIFICATION_NARRATIVE_LIMIT = 1_000;

/** Messages held back by a group's rate limit, sent together when the window ends. */
export interface NotificationDigest {
  group: EntityRef;
  /** ISO 8601 bounds of the window. */
  from: string;
  to: string;
  messages: IncidentNotification[];
}

/** What one outbox row asks a channel to send. */
export interface OutgoingDelivery {
  /** The outbox row id: stable across retries, so receivers can drop duplicates. */
  id: string;
  /** The channel's `kind`. */
  channel: string;
  /** Where it goes, as the channel named it when it was routed. */
  target: string;
  content:
    | { type: 'incident'; message: IncidentNotification }
    | { type: 'digest'; digest: NotificationDigest };
  /** 1 for the first try. */
  attempt: number;
}

export type SendResult =
  | { outcome: 'delivered' }
  /** Worth trying again later; `retryAfterMs` is the receiver's own wish (429 `Retry-After`). */
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  /** Will never work as it is (bad request, unknown target, revoked key): dead-letter now. */
  | { outcome: 'failed'; error: string };

/** A group that hears of an incident change, as a channel sees it. */
export interface NotificationRecipient {
  /** The group told; its rate limit and quiet hours apply. */
  group: EntityRef;
  /** The group's catalog annotations. */
  groupAnnotations: Record<string, string>;
  /** The incident's service's annotations when the group owns it (empty for escalations). */
  serviceAnnotations: Record<string, string>;
  severity: Severity;
  /**
   * Set only for `inbox` channels, when an escalation step names a user: the user to tell
   * (`group` is then the owning group, or the user when there is none).
   */
  user?: EntityRef;
}

/** A configuration or catalog mistake a channel found while saying where a recipient is told. */
export interface NotificationRoutingProblem {
  /** Stable identity (e.g. `pagerduty-key:group:default/checkout`), so it is listed once. */
  key: string;
  /** For the platform team; never a secret (mask keys and tokens). */
  message: string;
}

/**
 * How routing treats a channel's messages.
 *
 * - `chat` (the default): changes at least as severe as the group's `minSeverity`; counted
 *   against the group's rate limit (the rest go out as a digest) and held in its quiet hours.
 *   Slack and webhooks are chat.
 * - `paging`: changes at least as severe as the group's `pageSeverity`; never digested or held,
 *   whoever is on call must hear at once. PagerDuty pages.
 * - `inbox`: every change; never digested or held; also the users an escalation step names and
 *   the owning group on every follow-up. Backstage notifications are an inbox.
 */
export type NotificationChannelStyle = 'chat' | 'paging' | 'inbox';

/**
 * A way to tell people of incident changes. `send` never throws: every failure is a
 * `SendResult`. The suite's own channels (Backstage notifications, Slack, PagerDuty, webhooks)
 * are registrations like any a module adds: each says itself which targets a recipient has
 * (`targetsFor`, e.g. from a `microsoft.com/teams-webhook` annotation) and how routing treats
 * it (`style`).
 */
export interface AiopsNotificationChannel {
  /** Unique among channels; stored with every outbox row. */
  kind: string;
  send(delivery: OutgoingDelivery): Promise<SendResult>;
  /**
   * The targets of a recipient on this channel; none when it has nothing configured. Mistakes
   * (a malformed key, a webhook that is not configured) go to `report`, shown among routing's
   * problems; a throw is reported too, and the recipient gets nothing on this channel.
   */
  targetsFor?(
    recipient: NotificationRecipient,
    report?: (problem: NotificationRoutingProblem) => void,
  ): string[];
  /** Default `chat`. */
  style?: NotificationChannelStyle;
}

export interface AiopsNotificationChannelsExtensionPoint {
  addChannel(...channels: AiopsNotificationChannel[]): void;
}

/**
 * Lets a backend module add notification channels (Microsoft Teams, Opsgenie, …) to
 * `aiops-correlation` without changing it. See the README of `@aiops/plugin-aiops-node`.
 */
export const aiopsNotificationChannelsExtensionPoint =
  createExtensionPoint<AiopsNotificationChannelsExtensionPoint>({
    id: 'aiops.notification-channels',
  });
