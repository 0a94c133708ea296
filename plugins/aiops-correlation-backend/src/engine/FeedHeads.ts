type Feed = 'alerts' | 'deployments';

/**
 * The newest cursor of each of ingest's change feeds that this instance has heard of, from
 * announcements and feed reads. Known without asking ingest, so the lag measured against it is
 * a lower bound: items no announcement told of count once a read finds them.
 */
export class FeedHeads {
  private readonly heads: Record<Feed, number> = { alerts: 0, deployments: 0 };

  note(feed: Feed, items: Array<{ cursor: string }>): void {
    for (const { cursor } of items) {
      this.heads[feed] = Math.max(this.heads[feed], Number(cursor));
    }
  }

  /** Items heard of beyond the consumed `cursors`, per feed. */
  lagBehind(cursors: Record<Feed, string>): Record<Feed, number> {
    return {
      alerts: Math.max(0, this.heads.alerts - Number(cursors.alerts)),
      deployments: Math.max(
        0,
        this.heads.deployments - Number(cursors.deployments),
      ),
    };
  }
}
