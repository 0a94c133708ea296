import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AiopsIngestApi,
  AiopsNarratorApi,
  type Labels,
} from '@aiops/plugin-aiops-common';
import { readOk, suiteClientOptions, withServiceToken } from './serviceCalls';

/** Alerts whose labels are read for one incident: the kinds of problem, not every instance. */
export const MAX_LABELLED_ALERTS = 20;

/** What plugins that describe incidents (retrieval) read of them besides correlation's view. */
export interface IncidentContextReader {
  /** The narrator's current summary; undefined when there is none or no narrator. */
  narrativeSummary(incidentId: string): Promise<string | undefined>;
  /** The labels of these alerts as ingest keeps them (at most `MAX_LABELLED_ALERTS`). */
  alertLabels(alertIds: string[]): Promise<Labels[]>;
}

/** `IncidentContextReader` over HTTP (narrator and ingest) with the caller's service credentials. */
export class HttpIncidentContextReader implements IncidentContextReader {
  private readonly narrator: AiopsNarratorApi.DefaultApiClient;
  private readonly ingest: AiopsIngestApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    this.narrator = new AiopsNarratorApi.DefaultApiClient(
      suiteClientOptions(options.discovery, AiopsNarratorApi.pluginId),
    );
    this.ingest = new AiopsIngestApi.DefaultApiClient(
      suiteClientOptions(options.discovery, AiopsIngestApi.pluginId),
    );
  }

  async narrativeSummary(incidentId: string) {
    const response = await withServiceToken(
      this.options.auth,
      AiopsNarratorApi.pluginId,
      options =>
        this.narrator.getIncidentNarrative(
          { path: { id: incidentId } },
          options,
        ),
    );
    // No narrator in this backend, or it does not know the incident (yet).
    if (response.status === 404) return undefined;
    return (await readOk(response)).current?.summary;
  }

  async alertLabels(alertIds: string[]) {
    const ids = alertIds.slice(0, MAX_LABELLED_ALERTS);
    if (!ids.length) return [];
    const response = await withServiceToken(
      this.options.auth,
      AiopsIngestApi.pluginId,
      options => this.ingest.listAlerts({ query: { id: ids } }, options),
    );
    const lookup = (await readOk(response)) as AiopsIngestApi.AlertLookup;
    return lookup.items.map(alert => alert.labels as Labels);
  }
}
