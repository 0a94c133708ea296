import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Alert,
  DeliveryStatus,
  EntityHealth,
  Incident,
  IncidentDetails,
  IncidentQuery,
  IncidentStats,
  IncidentTimelineEntry,
  NotificationDelivery,
  NotificationStatus,
  Page,
  Silence,
  SilenceSpec,
} from '@aiops/plugin-aiops-common';
import type { AiopsApi } from './AiopsApi';

type Query = Record<string, string | number | boolean | string[] | undefined>;

/** Talks to aiops-correlation and aiops-ingest with the signed-in user's token. */
export class AiopsClient implements AiopsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getEntityHealth(entityRef: string) {
    return this.get<EntityHealth>(
      'aiops-correlation',
      `/entities/${encodeURIComponent(entityRef)}/health`,
    );
  }

  listIncidents(query: IncidentQuery) {
    return this.get<Page<Incident>>('aiops-correlation', '/incidents', {
      ...query,
    });
  }

  getIncident(id: string) {
    return this.get<IncidentDetails>(
      'aiops-correlation',
      `/incidents/${encodeURIComponent(id)}`,
    );
  }

  acknowledgeIncident(id: string) {
    return this.post<Incident>(
      `/incidents/${encodeURIComponent(id)}/acknowledge`,
    );
  }

  resolveIncident(id: string) {
    return this.post<Incident>(`/incidents/${encodeURIComponent(id)}/resolve`);
  }

  reopenIncident(id: string) {
    return this.post<Incident>(`/incidents/${encodeURIComponent(id)}/reopen`);
  }

  addNote(id: string, text: string) {
    return this.post<IncidentTimelineEntry>(
      `/incidents/${encodeURIComponent(id)}/notes`,
      { text },
    );
  }

  getStats(options: { from?: string; to?: string } = {}) {
    return this.get<IncidentStats>('aiops-correlation', '/stats', options);
  }

  listIncidentNotifications(id: string) {
    return this.get<Page<NotificationDelivery>>(
      'aiops-correlation',
      `/incidents/${encodeURIComponent(id)}/notifications`,
    );
  }

  listNotifications(options: { status?: DeliveryStatus; limit?: number }) {
    return this.get<Page<NotificationDelivery>>(
      'aiops-correlation',
      '/notifications',
      options,
    );
  }

  getNotificationStatus() {
    return this.get<NotificationStatus>(
      'aiops-correlation',
      '/notifications/status',
    );
  }

  retryNotification(id: string) {
    return this.post<NotificationDelivery>(
      `/notifications/${encodeURIComponent(id)}/retry`,
    );
  }

  listSilences(options: { includeExpired?: boolean } = {}) {
    return this.get<Page<Silence>>('aiops-correlation', '/silences', options);
  }

  createSilence(spec: SilenceSpec) {
    return this.post<Silence>('/silences', spec);
  }

  async expireSilence(id: string) {
    return this.request<Silence>(
      'aiops-correlation',
      `/silences/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
    );
  }

  listAlerts(options: {
    entityRef?: string;
    unowned?: boolean;
    status?: 'firing' | 'resolved';
    limit?: number;
  }) {
    return this.get<Page<Alert>>('aiops-ingest', '/alerts', options);
  }

  private get<T>(plugin: string, path: string, query: Query = {}) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const search = params.toString();
    return this.request<T>(plugin, search ? `${path}?${search}` : path);
  }

  private post<T>(path: string, body?: unknown) {
    return this.request<T>('aiops-correlation', path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  }

  private async request<T>(
    plugin: string,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(plugin);
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
