import { createHmac } from 'node:crypto';
import type {
  ChangeKind,
  DigestMessage,
  IncidentMessage,
} from '../../service/routing/types';
import { postJson, sendResultOf } from './http';
import type { ChannelSender, OutgoingDelivery, SendResult } from './types';

/** A configured receiver; with a secret, each body is signed so the receiver can trust it. */
export interface WebhookEndpoint {
  url: string;
  secret?: string;
}

export interface WebhookChannelOptions {
  /** By name, the delivery target. */
  webhooks: Record<string, WebhookEndpoint>;
  /** `aiops.routing.allowPrivateTargets`. */
  allowPrivateTargets?: boolean;
}

interface WebhookEnvelope {
  version: 1;
  /** The delivery id, the same on every attempt: receivers drop duplicates by it. */
  id: string;
  /** ISO 8601; signed with the rest, so receivers can refuse old bodies replayed. */
  sentAt: string;
}

export type WebhookBody =
  | (WebhookEnvelope & {
      type: `incident.${ChangeKind}`;
      incident: IncidentMessage;
    })
  | (WebhookEnvelope & { type: 'digest'; digest: DigestMessage });

/** Posts incident changes as JSON to the configured webhooks; the target is a webhook's name. */
export class WebhookChannel implements ChannelSender {
  readonly kind = 'webhook' as const;

  constructor(private readonly options: WebhookChannelOptions) {}

  async send(delivery: OutgoingDelivery): Promise<SendResult> {
    const { webhooks } = this.options;
    // `hasOwn`, so that a target like `constructor` is unknown rather than Object's.
    if (!Object.hasOwn(webhooks, delivery.target)) {
      return {
        outcome: 'failed',
        error: `No webhook named ${delivery.target} is configured`,
      };
    }
    const { url, secret } = webhooks[delivery.target];
    const body = webhookBody(delivery, new Date().toISOString());
    const json = JSON.stringify(body);
    // No body is read: what a receiver answers is only its status to us.
    return sendResultOf(
      await postJson(url, json, {
        headers: {
          'x-aiops-delivery': delivery.id,
          'x-aiops-event': body.type,
          ...(secret
            ? { 'x-aiops-signature-256': signature(json, secret) }
            : {}),
        },
        allowPrivateTargets: this.options.allowPrivateTargets ?? false,
      }),
    );
  }
}

export function webhookBody(
  delivery: OutgoingDelivery,
  sentAt: string,
): WebhookBody {
  const { id, content } = delivery;
  return content.type === 'incident'
    ? {
        version: 1,
        id,
        type: `incident.${content.message.change}`,
        sentAt,
        incident: content.message,
      }
    : { version: 1, id, type: 'digest', sentAt, digest: content.digest };
}

/**
 * GitHub's `X-Hub-Signature-256` scheme, which receivers already know how to check: an
 * HMAC-SHA256 of the raw body, so they verify before parsing anything.
 */
function signature(json: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret)
    .update(json, 'utf8')
    .digest('hex')}`;
}
