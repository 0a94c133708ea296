import { severityRank, type Severity } from '@aiops/plugin-aiops-common';
import { isError } from '@backstage/errors';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { shortRef } from '../../service/routing/message';
import type {
  DigestMessage,
  IncidentMessage,
} from '../../service/routing/types';
import { digestTitle, truncate } from './text';
import type { ChannelSender, OutgoingDelivery, SendResult } from './types';

type NotificationPayload = NotificationSendOptions['payload'];
type NotificationSeverity = NonNullable<NotificationPayload['severity']>;

/** The notifications table keeps titles in a 255-character column. */
const TITLE_LIMIT = 255;
const DESCRIPTION_LIMIT = 1000;

const NOTIFICATION_SEVERITIES: Record<Severity, NotificationSeverity> = {
  critical: 'critical',
  error: 'high',
  warning: 'normal',
  info: 'low',
};

export interface BackstageNotificationsChannelOptions {
  notifications: NotificationService;
}

/** Notifies a group or user in Backstage; the target is their entity ref. */
export class BackstageNotificationsChannel implements ChannelSender {
  readonly kind = 'backstage' as const;

  constructor(private readonly options: BackstageNotificationsChannelOptions) {}

  async send(delivery: OutgoingDelivery): Promise<SendResult> {
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: delivery.target },
        payload: notificationPayload(delivery.content),
      });
      return { outcome: 'delivered' };
    } catch (error) {
      // The notifications backend is one of ours: when it refuses, it is down or restarting.
      return {
        outcome: 'retry',
        error: isError(error) ? error.message : String(error),
      };
    }
  }
}

/**
 * Links are relative: Backstage resolves them against its own base URL. Each incident's
 * notifications share a scope, so a later change updates the one notification (and marks it
 * unread again) instead of adding another.
 */
export function notificationPayload(
  content: OutgoingDelivery['content'],
): NotificationPayload {
  if (content.type === 'digest') return digestPayload(content.digest);
  const { message } = content;
  return {
    title: truncate(message.headline, TITLE_LIMIT),
    description: truncate(incidentDescription(message), DESCRIPTION_LIMIT),
    link: `/aiops/incidents/${encodeURIComponent(message.incidentId)}`,
    severity: NOTIFICATION_SEVERITIES[message.severity],
    topic: 'aiops-incident',
    scope: `aiops-incident:${message.incidentId}`,
  };
}

/** The template's summary first (the description is cut at its end), then the findings. */
function incidentDescription(message: IncidentMessage): string {
  const lines = message.narrative ? [message.narrative.summary] : [];
  lines.push(...message.findings.map(finding => `• ${finding.summary}`));
  if (message.rootCause) {
    const { entityRef, reasons } = message.rootCause;
    lines.push(
      `Root-cause candidate: ${shortRef(entityRef)}${
        reasons.length > 0 ? ` (${reasons.join('; ')})` : ''
      }`,
    );
  }
  const service = message.service
    ? message.service.title ?? shortRef(message.service.entityRef)
    : 'no service';
  const owner = message.owner ? shortRef(message.owner) : 'no owner';
  lines.push(`Service: ${service} · Owner: ${owner}`);
  return lines.join('\n');
}

function digestPayload(digest: DigestMessage): NotificationPayload {
  const worst = digest.messages
    .map(message => message.severity)
    .reduce<Severity>(
      (a, b) => (severityRank(b) < severityRank(a) ? b : a),
      'info',
    );
  return {
    title: truncate(digestTitle(digest), TITLE_LIMIT),
    description: truncate(
      digest.messages.map(message => `• ${message.headline}`).join('\n'),
      DESCRIPTION_LIMIT,
    ),
    link: '/aiops',
    severity: NOTIFICATION_SEVERITIES[worst],
    topic: 'aiops-incident',
    // One notification per digest window, so that sending it twice shows it once.
    scope: `aiops-digest:${digest.group}:${digest.from}`,
  };
}
