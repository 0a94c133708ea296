import type { Alert, Deployment } from '@aiops/plugin-aiops-common';
import type { EntityIndex } from '@aiops/plugin-aiops-node';
import {
  applyAlertDelivery,
  applyDeploymentEvent,
  type AlertInput,
  type DeploymentInput,
} from '@aiops/plugin-aiops-ingest-backend';
import type { Feed, IngestClient } from '../../src/engine/IngestClient';

/**
 * Rows by key, and the order they changed in: a changed row moves to the end under the next
 * sequence number, as ingest's feed tables do. Reading after a cursor touches only what
 * changed since.
 */
class ChangeFeed<T> {
  private readonly rows = new Map<string, { item: T; seq: number }>();
  /** `changes[seq - 1]` is the key written with `seq`. */
  private readonly changes: string[] = [];

  get size() {
    return this.rows.size;
  }

  get(key: string): T | undefined {
    return this.rows.get(key)?.item;
  }

  set(key: string, item: T) {
    this.changes.push(key);
    this.rows.set(key, { item, seq: this.changes.length });
  }

  items(): T[] {
    return [...this.rows.values()].map(row => row.item);
  }

  read(after: string, limit: number): Feed<T> {
    const items: Feed<T>['items'] = [];
    for (
      let seq = Number(after) + 1;
      seq <= this.changes.length && items.length < limit;
      seq++
    ) {
      const row = this.rows.get(this.changes[seq - 1])!;
      // Written again later: it is read there.
      if (row.seq === seq) items.push({ item: row.item, cursor: String(seq) });
    }
    return { items, cursor: items[items.length - 1]?.cursor ?? after };
  }
}

/**
 * Ingest as correlation sees it, in memory: each delivery is keyed to the catalog and folded
 * into its stored alert (or deployment) by ingest's own functions, and the change feeds answer
 * like ingest's — a changed row moves to the end of its feed under a new cursor. Ids are
 * numbered in order of first delivery, so a replay of the same files gives the same ids.
 */
export class ReplayIngest implements IngestClient {
  private readonly alerts = new ChangeFeed<Alert>();
  private readonly deployments = new ChangeFeed<Deployment>();

  constructor(private readonly index: EntityIndex) {}

  /** Stores one delivery received at `now` (ISO 8601); answers what it did to the alert. */
  receiveAlert(input: AlertInput, now: string) {
    const key = `${input.source}\n${input.fingerprint}`;
    const existing = this.alerts.get(key);
    const applied = applyAlertDelivery(
      existing,
      input,
      this.index.resolve(input.labels),
      { id: existing?.id ?? `alert-${this.alerts.size + 1}`, now },
    );
    this.alerts.set(key, applied.alert);
    return applied;
  }

  receiveDeployment(input: DeploymentInput) {
    const key = `${input.source}\n${input.externalId}`;
    const existing = this.deployments.get(key);
    const applied = applyDeploymentEvent(
      existing,
      input,
      this.index.resolve(input.labels),
      existing?.id ?? `deployment-${this.deployments.size + 1}`,
    );
    if (applied.change !== 'unchanged') {
      this.deployments.set(key, applied.deployment);
    }
    return applied;
  }

  /** Every stored alert, in order of first delivery. */
  storedAlerts(): Alert[] {
    return this.alerts.items().sort((a, b) => idNumber(a.id) - idNumber(b.id));
  }

  storedDeployments(): Deployment[] {
    return this.deployments.items();
  }

  async alertFeed(after: string, limit: number) {
    return this.alerts.read(after, limit);
  }

  async deploymentFeed(after: string, limit: number) {
    return this.deployments.read(after, limit);
  }

  async listAlerts(query: Parameters<IngestClient['listAlerts']>[0]) {
    const items = this.storedAlerts().filter(
      a =>
        (!query.status || a.status === query.status) &&
        (!query.unowned || a.resolution.status === 'unowned') &&
        (!query.entityRef ||
          (a.resolution.status === 'resolved' &&
            a.resolution.entityRef === query.entityRef)),
    );
    return { items: items.slice(0, query.limit) };
  }

  async listDeployments(query: Parameters<IngestClient['listDeployments']>[0]) {
    const items = this.storedDeployments().filter(
      d =>
        !query.entityRef ||
        (d.resolution.status === 'resolved' &&
          d.resolution.entityRef === query.entityRef),
    );
    return { items: items.slice(0, query.limit) };
  }

  async getAlerts(ids: string[]) {
    const byId = new Map(this.alerts.items().map(a => [a.id, a]));
    return {
      items: ids.flatMap(id => byId.get(id) ?? []),
      missing: ids.filter(id => !byId.has(id)),
    };
  }

  /** A replay has no traces: the topology is the catalog's. */
  async observedCalls() {
    return [];
  }
}

function idNumber(id: string) {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}
