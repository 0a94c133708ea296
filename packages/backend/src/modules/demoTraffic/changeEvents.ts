import {
  CYCLE_MS,
  TIMELINE,
  fakeCommit,
  recentCycles,
  releaseVersion,
} from './storyline';

// --- change events, PagerDuty Events API v2 format (POST /changes/pagerduty) ---

/** A PagerDuty change event as CI tools send it to `/v2/change/enqueue`: no `event_action`. */
export interface PagerDutyChangeEvent {
  routing_key: string;
  payload: {
    summary: string;
    timestamp: string;
    source: string;
    custom_details: Record<string, string>;
  };
  links: Array<{ href: string; text: string }>;
}

/**
 * The payments team's CI integration key: part of the change's identity at the receiver. It is
 * not a credential here (not listed in aiops.ingest.pagerduty.routingKeys): the sender sends
 * the backend's service token.
 */
export const PAYMENTS_CI_ROUTING_KEY = 'demo-payments-ci-integration-key';
const LEDGER_CONFIG_PIPELINE = 'ledger-db-config';
/** Where the change was made from, the CI system: it names no catalog entity. */
const CI_SOURCE = 'ci.acme.example/payments-platform';
const LEDGER_CONFIG_MAJOR = 2026;

/**
 * The ledger-db configuration deploy that precedes the WAL archiving failure: each cycle, at
 * 9:40, a new archive_command goes out. Keyed by `custom_details.service`, which the receiver
 * reads before `payload.source` (here the CI system, which keys to nothing). Re-sent for the send
 * window with the cycle's own timestamp, so the receiver's id for it (routing key, timestamp,
 * source, summary) is the same on every delivery and it is stored once.
 */
export function changeEventsAt(
  time: number,
  origin: number,
  windowMs: number,
): PagerDutyChangeEvent[] {
  const events: PagerDutyChangeEvent[] = [];
  for (const { cycleStart, phase } of recentCycles(time, origin)) {
    const since = phase - TIMELINE.ledgerConfigChanged;
    if (since < 0 || since >= windowMs) continue;
    const version = releaseVersion(LEDGER_CONFIG_MAJOR, cycleStart);
    const run = Math.floor(cycleStart / CYCLE_MS) % 100_000;
    events.push({
      routing_key: PAYMENTS_CI_ROUTING_KEY,
      payload: {
        summary: `Deploy succeeded: ledger-db archive_command changed (config ${version})`,
        timestamp: new Date(
          cycleStart + TIMELINE.ledgerConfigChanged,
        ).toISOString(),
        source: CI_SOURCE,
        custom_details: {
          service: 'ledger-db',
          version,
          commit: fakeCommit(LEDGER_CONFIG_PIPELINE, version),
          actor: 'carol',
          environment: 'production',
          build_state: 'passed',
          changed: 'postgresql.conf: archive_command',
        },
      },
      links: [
        {
          href: `https://ci.acme.example/pipelines/${LEDGER_CONFIG_PIPELINE}/${run}`,
          text: 'View the pipeline run',
        },
      ],
    });
  }
  return events;
}
