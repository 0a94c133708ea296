import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { generateTick, type TickPayloads } from './scenario';

export interface DemoTrafficSenderOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  seed: number;
  /** Epoch ms at which the storyline's first cycle starts. */
  origin: number;
  intervalMs: number;
  requestsPerMinute?: number;
  /** Per request; default 10 s. */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface TickReport {
  time: string;
  /** Requests the ingest API accepted. */
  sent: number;
  failed: Array<{ path: string; error: string }>;
}

const INGEST_PLUGIN_ID = 'aiops-ingest';

/**
 * Sends each tick of the scenario through the real ingest HTTP API, as the plugin's own
 * service identity. Never throws: failures are logged and reported, and the next tick tries
 * again.
 */
export class DemoTrafficSender {
  /** Storyline states already announced in the log, so each is logged once. */
  private announced = new Set<string>();

  constructor(private readonly options: DemoTrafficSenderOptions) {}

  async sendTick(time: Date = new Date()): Promise<TickReport> {
    const { logger } = this.options;
    const report: TickReport = {
      time: time.toISOString(),
      sent: 0,
      failed: [],
    };
    try {
      const payloads = generateTick(time.getTime(), {
        seed: this.options.seed,
        origin: this.options.origin,
        intervalMs: this.options.intervalMs,
        requestsPerMinute: this.options.requestsPerMinute,
      });
      this.announce(payloads);

      const baseUrl = await this.options.discovery.getBaseUrl(INGEST_PLUGIN_ID);
      const { token } = await this.options.auth.getPluginRequestToken({
        onBehalfOf: await this.options.auth.getOwnServiceCredentials(),
        targetPluginId: INGEST_PLUGIN_ID,
      });
      for (const [path, body] of requestsOf(payloads)) {
        const error = await this.post(`${baseUrl}${path}`, token, body);
        if (error) report.failed.push({ path, error });
        else report.sent += 1;
      }
    } catch (error) {
      report.failed.push({ path: '(tick)', error: String(error) });
    }

    if (report.failed.length > 0) {
      const details = report.failed
        .slice(0, 3)
        .map(f => `${f.path}: ${f.error}`)
        .join('; ');
      logger.warn(
        `Demo traffic: ${report.failed.length} of ${
          report.sent + report.failed.length
        } requests failed; will try again next tick. ${details}`,
      );
    } else {
      logger.debug(
        `Demo traffic: sent ${report.sent} requests for ${report.time}`,
      );
    }
    return report;
  }

  /** Returns the error, or undefined when the ingest API accepted the body. */
  private async post(
    url: string,
    token: string,
    body: unknown,
  ): Promise<string | undefined> {
    const fetchImpl = this.options.fetch ?? fetch;
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      if (response.ok) {
        await response.arrayBuffer();
        return undefined;
      }
      const text = await response.text().catch(() => '');
      return `HTTP ${response.status} ${text.slice(0, 300)}`;
    } catch (error) {
      return String(error);
    }
  }

  /** Logs each storyline step once, so whoever runs the demo can follow it in the backend log. */
  private announce(payloads: TickPayloads) {
    const steps = [
      ...(payloads.deployments?.deployments ?? []).map(
        d =>
          `deployment of ${d.service} ${d.version} (from ${d.previousVersion}) ${d.status}`,
      ),
      ...payloads.changeEvents.map(
        c =>
          `change event for ${c.payload.custom_details.service}: ${c.payload.summary}`,
      ),
      ...payloads.alertmanager.map(
        w => `alert ${w.groupLabels.alertname} ${w.status}`,
      ),
      ...(payloads.genericAlerts?.alerts ?? []).map(a =>
        a.event_action === 'trigger'
          ? `alert ${a.dedup_key} triggered`
          : `alert ${a.dedup_key} resolved`,
      ),
    ];
    const current = new Set(steps);
    for (const step of steps) {
      if (!this.announced.has(step)) {
        this.options.logger.info(`Demo traffic: ${step}`);
      }
    }
    this.announced = current;
  }
}

/** The tick's requests in the order a real installation would see them arrive. */
export function requestsOf(
  payloads: TickPayloads,
): Array<[path: string, body: unknown]> {
  const requests: Array<[string, unknown]> = [];
  if (payloads.deployments)
    requests.push(['/deployments', payloads.deployments]);
  for (const event of payloads.changeEvents)
    requests.push(['/changes/pagerduty', event]);
  for (const batch of payloads.traces)
    requests.push(['/otlp/v1/traces', batch]);
  requests.push(['/otlp/v1/metrics', payloads.metrics]);
  requests.push(['/otlp/v1/logs', payloads.logs]);
  for (const webhook of payloads.alertmanager)
    requests.push(['/alerts/alertmanager', webhook]);
  if (payloads.genericAlerts)
    requests.push(['/alerts', payloads.genericAlerts]);
  return requests;
}
