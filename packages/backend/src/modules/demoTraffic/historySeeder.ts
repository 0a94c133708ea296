import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AiopsCorrelationApi,
  AiopsIngestApi,
  type TypedResponse,
} from '@aiops/plugin-aiops-common';
import type { EntityResolver } from '@aiops/plugin-aiops-node';
import {
  HISTORY,
  HISTORY_LABEL,
  type PastIncident,
  pastIncidentWebhooks,
} from './history';

export interface HistorySeederOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  /**
   * Ingest's resolver (the module's plugin's): nothing is played until it keys every past
   * incident's first alert to its entity, i.e. until the catalog has loaded the demo catalog.
   */
  resolver?: Pick<EntityResolver, 'resolve'>;
  history?: PastIncident[];
  /** How long to wait for correlation to open a past incident; default 30 s. */
  incidentTimeoutMs?: number;
  /** Between reads of correlation's open incidents; default 250 ms. */
  pollMs?: number;
  fetch?: typeof fetch;
}

export interface HistoryReport {
  /** Past incidents played now, with the incidents correlation opened for them. */
  played: Array<{ key: string; incidentIds: string[] }>;
  /** Past incidents played before (their alerts are in ingest, resolved). */
  skipped: string[];
  /** Past incidents left for the next try: out of time, the catalog not loaded, or a request failed. */
  left: string[];
}

/** How long a past incident's alerts had been firing when they reach ingest. */
const PAST_ONSET_MS = 4 * 60_000;

/**
 * Plays the demo's incident history (history.ts) through the real APIs, once: each past
 * incident's alerts fire through ingest, correlation opens the incident, the alerts resolve
 * and the incident is resolved with its note through correlation's resolve API, as the
 * plugin's own service. A past incident whose alerts ingest already holds resolved is not
 * played again, so restarts add nothing. Never throws: what failed is logged and left for the
 * next call.
 */
export class HistorySeeder {
  private readonly ingest: AiopsIngestApi.DefaultApiClient;
  private readonly correlation: AiopsCorrelationApi.DefaultApiClient;
  private done = false;

  constructor(private readonly options: HistorySeederOptions) {
    const clientOptions = {
      discoveryApi: options.discovery,
      fetchApi: { fetch: options.fetch ?? fetch },
    };
    this.ingest = new AiopsIngestApi.DefaultApiClient(clientOptions);
    this.correlation = new AiopsCorrelationApi.DefaultApiClient(clientOptions);
  }

  /** Whether every past incident has been played (by this process or an earlier one). */
  get seeded(): boolean {
    return this.done;
  }

  /**
   * Plays the past incidents not played yet, starting none after `until` (epoch ms): the
   * storyline's own alerts must not arrive while a past incident is open, or they would join it.
   */
  async seed(until = Infinity): Promise<HistoryReport> {
    const history = this.options.history ?? HISTORY;
    const report: HistoryReport = { played: [], skipped: [], left: [] };
    if (this.done) {
      report.skipped = history.map(past => past.key);
      return report;
    }
    const unkeyed = await this.unkeyed(history);
    if (unkeyed.length > 0) {
      // Played now, they would be unowned incidents, and played again once the catalog is in.
      report.left = history.map(past => past.key);
      this.options.logger.info(
        `Demo history: waiting for the catalog to key ${unkeyed.join(', ')}`,
      );
      return report;
    }
    for (const [index, past] of history.entries()) {
      if (Date.now() > until) {
        report.left.push(...history.slice(index).map(p => p.key));
        break;
      }
      try {
        if (await this.alreadyPlayed(past)) {
          report.skipped.push(past.key);
          continue;
        }
        report.played.push({
          key: past.key,
          incidentIds: await this.play(past),
        });
      } catch (error) {
        // What failed (correlation not up, say) would fail for the rest too, each leaving
        // firing alerts behind: stop here.
        report.left.push(...history.slice(index).map(p => p.key));
        this.options.logger.warn(
          `Demo history: could not play past incident ${past.key}; ${report.left.length} left for the next start or tick. ${error}`,
        );
        break;
      }
    }
    this.done = report.left.length === 0;
    if (report.played.length > 0) {
      this.options.logger.info(
        `Demo history: played ${
          report.played.length
        } past incidents with their resolutions (${report.played
          .map(p => p.key)
          .join(', ')})`,
      );
    }
    return report;
  }

  /** The entities the past incidents key to that the catalog does not have (yet). */
  private async unkeyed(history: PastIncident[]): Promise<string[]> {
    const { resolver } = this.options;
    if (!resolver) return [];
    const missing: string[] = [];
    for (const past of history) {
      const resolution = await resolver.resolve(past.alerts[0].labels);
      if (
        resolution.status !== 'resolved' ||
        resolution.entityRef !== past.entityRef
      ) {
        missing.push(past.entityRef);
      }
    }
    return [...new Set(missing)];
  }

  private async tokenFor(targetPluginId: string) {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId,
    });
    return token;
  }

  /**
   * Whether ingest holds the past incident's first alert resolved: its alerts are resolved
   * after the incident was (see `play`). The first alert keys to `past.entityRef`.
   */
  private async alreadyPlayed(past: PastIncident): Promise<boolean> {
    const token = await this.tokenFor('aiops-ingest');
    const page = (await read(
      this.ingest.listAlerts(
        { query: { entityRef: past.entityRef, limit: '1000' } },
        { token },
      ),
    )) as AiopsIngestApi.AlertPage;
    const first = past.alerts[0].labels.alertname;
    return page.items.some(
      alert =>
        alert.labels[HISTORY_LABEL] === past.key &&
        alert.labels.alertname === first &&
        alert.status === 'resolved',
    );
  }

  /**
   * Fires, waits for the incidents, resolves them with the note, then resolves the alerts:
   * resolved alerts in ingest mean a played past incident, even after a crash half-way.
   */
  private async play(past: PastIncident): Promise<string[]> {
    const startsAt = Date.now() - PAST_ONSET_MS;
    const alertIds = await this.send(past, 'firing', startsAt);
    const incidentIds = await this.incidentsOf(alertIds);
    const token = await this.tokenFor('aiops-correlation');
    for (const id of incidentIds) {
      // Resolving a resolved incident with the same resolution changes nothing.
      await read(
        this.correlation.resolveIncident(
          { path: { id }, body: { resolution: past.resolution } },
          { token },
        ),
      );
    }
    await this.send(past, 'resolved', startsAt);
    return incidentIds;
  }

  /** Sends the past incident's alerts; answers the ids ingest stored them under. */
  private async send(
    past: PastIncident,
    status: 'firing' | 'resolved',
    startsAt: number,
  ): Promise<string[]> {
    const token = await this.tokenFor('aiops-ingest');
    const ids: string[] = [];
    for (const webhook of pastIncidentWebhooks(
      past,
      status,
      startsAt,
      Date.now(),
    )) {
      const receipt = (await read(
        this.ingest.receiveAlertmanager({ body: webhook }, { token }),
      )) as { alerts?: Array<{ id?: string; entityRef?: string }> };
      for (const alert of receipt.alerts ?? []) {
        if (alert.id) ids.push(alert.id);
        if (status === 'firing' && !alert.entityRef) {
          this.options.logger.warn(
            `Demo history: an alert of ${past.key} keyed to no catalog entity (catalog not loaded yet?)`,
          );
        }
      }
    }
    return ids;
  }

  /**
   * The incidents correlation put the alerts in, once every alert is in one; resolved ones
   * too, for a past incident whose play stopped after its resolve.
   */
  private async incidentsOf(alertIds: string[]): Promise<string[]> {
    const deadline = Date.now() + (this.options.incidentTimeoutMs ?? 30_000);
    const token = await this.tokenFor('aiops-correlation');
    for (;;) {
      const page = await read(
        this.correlation.listIncidents({ query: { limit: 100 } }, { token }),
      );
      const found = new Map<string, string>();
      for (const incident of page.items) {
        for (const alertId of incident.alertIds) {
          if (alertIds.includes(alertId)) found.set(alertId, incident.id);
        }
      }
      if (alertIds.every(id => found.has(id)))
        return [...new Set(found.values())];
      if (Date.now() > deadline) {
        throw new Error(
          `correlation opened no incident for ${
            alertIds.length - found.size
          } of its ${alertIds.length} alerts in time`,
        );
      }
      await new Promise(resolve =>
        setTimeout(resolve, this.options.pollMs ?? 250),
      );
    }
  }
}

/** The answer's body, or an error naming the status and the backend's message. */
async function read<T>(response: Promise<TypedResponse<T>>): Promise<T> {
  const answer = await response;
  if (!answer.ok) {
    const text = await answer.text().catch(() => '');
    throw new Error(`HTTP ${answer.status} ${text.slice(0, 300)}`);
  }
  return answer.json();
}
