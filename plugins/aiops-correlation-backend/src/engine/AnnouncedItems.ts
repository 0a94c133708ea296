import type { Alert, Deployment } from '@aiops/plugin-aiops-common';
import type { FeedCursors } from './CheckpointKeeper';

/** An item of one of ingest's change feeds with its cursor. */
export interface FeedItem<T> {
  item: T;
  cursor: string;
}

/**
 * Alerts and deployments ingest announced on the bus, waiting to be correlated. They make
 * correlation fast, never complete: only a batch that continues the feeds exactly from the
 * consumed cursors is taken from here, anything else is read from the feeds.
 */
export class AnnouncedItems {
  private alerts: Array<FeedItem<Alert>> = [];
  private deployments: Array<FeedItem<Deployment>> = [];

  addAlerts(items: Array<{ alert: Alert; cursor: string }>) {
    this.alerts.push(
      ...items.map(({ alert, cursor }) => ({ item: alert, cursor })),
    );
  }

  addDeployments(items: Array<{ deployment: Deployment; cursor: string }>) {
    this.deployments.push(
      ...items.map(({ deployment, cursor }) => ({ item: deployment, cursor })),
    );
  }

  /** Whether items are left to take. */
  waiting(): boolean {
    return this.alerts.length > 0 || this.deployments.length > 0;
  }

  clear() {
    this.alerts = [];
    this.deployments = [];
  }

  /**
   * The next batch: the announced items that continue both feeds exactly from `cursors`, at
   * most `limit` of each. `undefined` when either has a gap; all items are dropped then, and
   * reading the feeds gets them.
   */
  take(
    cursors: FeedCursors,
    limit: number,
  ):
    | {
        alerts: Array<FeedItem<Alert>>;
        deployments: Array<FeedItem<Deployment>>;
      }
    | undefined {
    const alerts = continuation(this.alerts.splice(0), cursors.alerts);
    const deployments = continuation(
      this.deployments.splice(0),
      cursors.deployments,
    );
    if (!alerts || !deployments) return undefined;
    // Bounded batches keep a transaction, and a shutdown waiting for it, short; the rest is
    // put back and drained next.
    this.alerts.unshift(...alerts.splice(limit));
    this.deployments.unshift(...deployments.splice(limit));
    return { alerts, deployments };
  }
}

/**
 * The announced items if they continue the feed exactly from `cursor` (repeats dropped);
 * `undefined` when something is missing in between, which only the feed can fill.
 */
export function continuation<T>(
  items: Array<FeedItem<T>>,
  cursor: string,
): Array<FeedItem<T>> | undefined {
  const fresh = items
    .filter(i => Number(i.cursor) > Number(cursor))
    .sort((a, b) => Number(a.cursor) - Number(b.cursor));
  let expected = Number(cursor) + 1;
  for (const { cursor: next } of fresh) {
    if (Number(next) !== expected) return undefined;
    expected++;
  }
  return fresh;
}
