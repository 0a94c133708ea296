import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { AiopsRetrievalApi } from '@aiops/plugin-aiops-common';
import { readOk, suiteClientOptions, withServiceToken } from './serviceCalls';

/** What plugins that explain incidents (narrator) read from retrieval. */
export interface RetrievalReader {
  /**
   * Past incidents most like this one, best first (`GET /incidents/:id/similar?k=`); none when
   * retrieval does not know the incident or is not installed in this backend.
   */
  similar(
    incidentId: string,
    k: number,
  ): Promise<AiopsRetrievalApi.SimilarIncidentHit[]>;
}

/** `RetrievalReader` over HTTP with the calling plugin's service credentials. */
export class HttpRetrievalReader implements RetrievalReader {
  private readonly client: AiopsRetrievalApi.DefaultApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {
    this.client = new AiopsRetrievalApi.DefaultApiClient(
      suiteClientOptions(options.discovery, AiopsRetrievalApi.pluginId),
    );
  }

  async similar(incidentId: string, k: number) {
    const response = await withServiceToken(
      this.options.auth,
      AiopsRetrievalApi.pluginId,
      options =>
        this.client.getSimilarIncidents(
          { path: { id: incidentId }, query: { k } },
          options,
        ),
    );
    // Retrieval is optional: a backend without it answers 404 like an unknown incident.
    if (response.status === 404) return [];
    return (await readOk(response)).hits;
  }
}
