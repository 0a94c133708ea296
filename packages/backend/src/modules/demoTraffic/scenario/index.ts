import { type PagerDutyChangeEvent, changeEventsAt } from '../changeEvents';
import { createPrng, mixSeed } from '../prng';
import type { OtlpLogs, OtlpMetrics, OtlpTraces } from '../otlp';
import {
  type AlertmanagerWebhook,
  type GenericAlertEvent,
  type GenericDeployment,
  alertmanagerWebhooksAt,
  deploymentsAt,
  genericAlertsAt,
  ledgerDiskUtilization,
  positionAt,
  sendWindowMs,
} from '../storyline';
import { frontendRequest } from './frontend';
import { transactionHistoryRequest } from './payments';
import type { TraceRecorder } from './recorder';
import { chunk, logsRequest, metricsRequest, tracesRequest } from './requests';
import { Traffic } from './traffic';

/**
 * The demo's synthetic telemetry for one tick: a pure function of the tick's time and the
 * options. Traces follow Online Boutique's real call graph into the Payments Platform; metrics,
 * logs, deployments and alerts follow the storyline in `../storyline.ts`.
 */
export interface ScenarioOptions {
  /** Seeds the random generator; the same seed and time give the same payloads. */
  seed: number;
  /** Epoch ms at which storyline cycle 0 starts. */
  origin: number;
  /** Length of a tick: the tick at `time` covers (time - intervalMs, time]. */
  intervalMs: number;
  /** Frontend requests per minute at normal load (default 40). */
  requestsPerMinute?: number;
}

export interface TickPayloads {
  /** Epoch ms of the tick. */
  time: number;
  cycle: number;
  /** Milliseconds into the storyline cycle. */
  phase: number;
  /** `POST /deployments` body, when something deploys. */
  deployments?: { deployments: GenericDeployment[] };
  /** `POST /otlp/v1/traces` bodies; each holds whole traces, and stays well under 1 MiB. */
  traces: OtlpTraces[];
  /** `POST /otlp/v1/metrics` body. */
  metrics: OtlpMetrics;
  /** `POST /otlp/v1/logs` body. */
  logs: OtlpLogs;
  /** `POST /alerts/alertmanager` bodies, one per alert group. */
  alertmanager: AlertmanagerWebhook[];
  /** `POST /alerts` body (generic format), when an alert changes or repeats. */
  genericAlerts?: { alerts: GenericAlertEvent[] };
  /** `POST /changes/pagerduty` bodies, one event each (PagerDuty takes one per request). */
  changeEvents: PagerDutyChangeEvent[];
}

const DEFAULT_REQUESTS_PER_MINUTE = 40;
/** Transaction-history reads that come from outside the catalog (the bank's own app). */
const HISTORY_REQUESTS_PER_MINUTE = 6;
/** At most this many traces per tick, whatever the interval, and per traces request. */
const MAX_TRACES_PER_TICK = 400;
const TRACES_PER_REQUEST = 40;

export function generateTick(
  time: number,
  options: ScenarioOptions,
): TickPayloads {
  const rng = createPrng(mixSeed(options.seed, time));
  const { origin, intervalMs } = options;
  const windowStart = time - intervalMs;
  const { cycle, phase } = positionAt(time, origin);
  const traffic = new Traffic(rng, origin);

  const perMinute = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const minutes = intervalMs / 60_000;
  const count = (rate: number) =>
    Math.min(
      MAX_TRACES_PER_TICK,
      Math.round(rate * minutes * rng.between(0.85, 1.15)),
    );

  const traces: TraceRecorder[] = [];
  for (let i = count(perMinute); i > 0; i--) {
    traces.push(
      traffic.trace(rng.between(windowStart, time), time, frontendRequest),
    );
  }
  for (let i = count(HISTORY_REQUESTS_PER_MINUTE); i > 0; i--) {
    traces.push(
      traffic.trace(
        rng.between(windowStart, time),
        time,
        transactionHistoryRequest,
      ),
    );
  }
  traces.sort((a, b) => a.startUs - b.startUs);

  const window = sendWindowMs(intervalMs);
  const disk = ledgerDiskUtilization(time, origin) + rng.between(-0.002, 0.002);
  const deployments = deploymentsAt(time, origin, window);
  const genericAlerts = genericAlertsAt(time, origin, window, disk);

  return {
    time,
    cycle,
    phase,
    ...(deployments.length > 0 && { deployments: { deployments } }),
    changeEvents: changeEventsAt(time, origin, window),
    traces: chunk(traces, TRACES_PER_REQUEST).map(batch =>
      tracesRequest(batch, traffic),
    ),
    metrics: metricsRequest(time, origin, rng, traffic, disk),
    logs: logsRequest(time, windowStart, origin, rng, traffic, traces),
    alertmanager: alertmanagerWebhooksAt(time, origin, window),
    ...(genericAlerts.length > 0 && {
      genericAlerts: { alerts: genericAlerts },
    }),
  };
}
