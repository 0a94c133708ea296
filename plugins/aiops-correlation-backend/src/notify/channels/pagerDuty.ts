import type { Severity } from '@aiops/plugin-aiops-common';
import { shortRef } from '../../service/routing/message';
import type { ChangeKind, IncidentMessage } from '../../service/routing/types';
import { postJson, sendResultOf } from './http';
import { truncate } from './text';
import type { ChannelSender, OutgoingDelivery, SendResult } from './types';

/** Events API v2 refuses a longer summary. */
const SUMMARY_LIMIT = 1024;

const EVENT_ACTIONS: Record<ChangeKind, PagerDutyEventAction> = {
  opened: 'trigger',
  reopened: 'trigger',
  'severity-raised': 'trigger',
  escalated: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
  // The surviving incident carries on in PagerDuty under its own dedup key.
  merged: 'resolve',
};

export type PagerDutyEventAction = 'trigger' | 'acknowledge' | 'resolve';

/** An Events API v2 event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). */
export type PagerDutyEvent =
  | {
      routing_key: string;
      event_action: 'trigger';
      dedup_key: string;
      payload: {
        summary: string;
        source: string;
        /** PagerDuty's severities happen to be ours. */
        severity: Severity;
        timestamp: string;
        component?: string;
        group?: string;
        class?: string;
        custom_details: {
          owner?: string;
          /** The template's summary, probable cause and impact (each bounded by routing). */
          narrative?: IncidentMessage['narrative'];
          root_cause?: IncidentMessage['rootCause'];
          findings: IncidentMessage['findings'];
          alert_count: number;
          incident_url: string;
          change: ChangeKind;
        };
      };
      links: Array<{ href: string; text: string }>;
      client: string;
      client_url: string;
    }
  | {
      routing_key: string;
      event_action: 'acknowledge' | 'resolve';
      dedup_key: string;
    };

export interface PagerDutyChannelOptions {
  /** Default `https://events.pagerduty.com/v2/enqueue`. */
  eventsUrl?: string;
  /** `aiops.routing.allowPrivateTargets`. */
  allowPrivateTargets?: boolean;
}

/** PagerDuty's error answers are small JSON objects naming what is wrong with the event. */
const ANSWER_BYTES = 4096;

/** Triggers, acknowledges and resolves one PagerDuty alert per incident; the target is the routing key. */
export class PagerDutyChannel implements ChannelSender {
  readonly kind = 'pagerduty' as const;

  constructor(private readonly options: PagerDutyChannelOptions = {}) {}

  async send(delivery: OutgoingDelivery): Promise<SendResult> {
    if (delivery.content.type !== 'incident') {
      return {
        outcome: 'failed',
        error: 'PagerDuty pages are never rate-limited into digests',
      };
    }
    const {
      eventsUrl = 'https://events.pagerduty.com/v2/enqueue',
      allowPrivateTargets = false,
    } = this.options;
    // 202 accepted; 400 names what is wrong with the event; 429 and 5xx are worth another try.
    return sendResultOf(
      await postJson(
        eventsUrl,
        JSON.stringify(
          pagerDutyEvent(delivery.content.message, delivery.target),
        ),
        { allowPrivateTargets, readBodyBytes: ANSWER_BYTES },
      ),
    );
  }
}

/**
 * The incident id is the dedup key, so every change of an incident lands on the same
 * PagerDuty alert: a trigger updates it, acknowledge and resolve need nothing else.
 */
export function pagerDutyEvent(
  message: IncidentMessage,
  routingKey: string,
): PagerDutyEvent {
  const action = EVENT_ACTIONS[message.change];
  if (action !== 'trigger') {
    return {
      routing_key: routingKey,
      event_action: action,
      dedup_key: message.incidentId,
    };
  }
  const { service, rootCause, links } = message;
  const serviceName = service && (service.title ?? shortRef(service.entityRef));
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: message.incidentId,
    payload: {
      summary: truncate(
        serviceName ? `${message.title} (${serviceName})` : message.title,
        SUMMARY_LIMIT,
      ),
      source: service?.entityRef ?? 'aiops',
      severity: message.severity,
      timestamp: message.changeAt,
      // PagerDuty's component is the part of the source responsible: our root-cause suspect.
      component: rootCause?.entityRef,
      group: message.system,
      class: message.findings[0]?.rule,
      custom_details: {
        owner: message.owner,
        narrative: message.narrative,
        root_cause: rootCause,
        findings: message.findings,
        alert_count: message.alertCount,
        incident_url: links.incident,
        change: message.change,
      },
    },
    links: [
      { href: links.incident, text: 'Incident in Backstage' },
      ...(links.service
        ? [{ href: links.service, text: 'Service in the catalog' }]
        : []),
      ...(links.runbook ? [{ href: links.runbook, text: 'Runbook' }] : []),
    ],
    client: 'Backstage AIOps',
    client_url: links.incident,
  };
}
