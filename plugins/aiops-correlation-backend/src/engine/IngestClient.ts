import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { Alert, Deployment, Feed } from '@aiops/plugin-aiops-common';

export type { Feed };

export interface ObservedCall {
  caller: string;
  callee: string;
  count: number;
  errorCount: number;
  lastSeen: string;
}

/**
 * What correlation reads from aiops-ingest. Feed cursors are ingest's commit-ordered sequence
 * numbers: a consumer that saw cursor `n` has seen every change up to `n`.
 */
export interface IngestClient {
  alertFeed(after: string, limit: number): Promise<Feed<Alert>>;
  deploymentFeed(after: string, limit: number): Promise<Feed<Deployment>>;
  listAlerts(query: {
    entityRef?: string;
    status?: Alert['status'];
    unowned?: boolean;
    limit: number;
  }): Promise<{ items: Alert[]; nextCursor?: string }>;
  listDeployments(query: {
    entityRef?: string;
    limit: number;
  }): Promise<{ items: Deployment[]; nextCursor?: string }>;
  /** Calls seen in traces over the last `sinceMs`. */
  observedCalls(sinceMs: number): Promise<ObservedCall[]>;
  /**
   * The alerts stored under these ids (at most `MAX_ALERT_LOOKUP` per call), in the order asked
   * for; `missing` lists the ids ingest holds no alert under.
   */
  getAlerts(ids: string[]): Promise<{ items: Alert[]; missing: string[] }>;
}

/** Ingest's bound on ids per lookup (`GET /alerts?id=…`). */
export const MAX_ALERT_LOOKUP = 200;

/** Talks to aiops-ingest over HTTP with this plugin's service credentials. */
export class HttpIngestClient implements IngestClient {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      pluginId?: string;
    },
  ) {}

  alertFeed(after: string, limit: number) {
    return this.get<Feed<Alert>>('/alerts', { after, limit });
  }

  deploymentFeed(after: string, limit: number) {
    return this.get<Feed<Deployment>>('/deployments', { after, limit });
  }

  listAlerts(query: Parameters<IngestClient['listAlerts']>[0]) {
    return this.get<{ items: Alert[]; nextCursor?: string }>('/alerts', query);
  }

  listDeployments(query: Parameters<IngestClient['listDeployments']>[0]) {
    return this.get<{ items: Deployment[]; nextCursor?: string }>(
      '/deployments',
      query,
    );
  }

  async observedCalls(sinceMs: number) {
    const now = Date.now();
    const body = await this.get<{ edges: ObservedCall[] }>('/topology', {
      from: new Date(now - sinceMs).toISOString(),
      to: new Date(now).toISOString(),
    });
    return body.edges;
  }

  getAlerts(ids: string[]) {
    return this.get<{ items: Alert[]; missing: string[] }>('/alerts', {
      id: ids,
    });
  }

  private async get<T>(
    path: string,
    query: Record<string, string | string[] | number | boolean | undefined>,
  ): Promise<T> {
    const pluginId = this.options.pluginId ?? 'aiops-ingest';
    const base = await this.options.discovery.getBaseUrl(pluginId);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      // An array is one repeated parameter (`id=a&id=b`).
      for (const item of value === undefined ? [] : [value].flat()) {
        params.append(key, String(item));
      }
    }
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: await this.options.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const response = await fetch(`${base}${path}?${params}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
