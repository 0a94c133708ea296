import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentChangeFeedItem } from '@aiops/plugin-aiops-common';
import {
  FeedConsumer,
  type CorrelationReader,
  type FeedConsumerDatabase,
} from '@aiops/plugin-aiops-node';

export const CONSUMER_NAME = 'aiops-retrieval-incident-changes';
/** Changes read per page; an incident changed several times in a page is indexed once. */
const PAGE_SIZE = 100;

/**
 * Follows correlation's change feed and re-indexes each changed incident as it is now, a
 * page's incidents in one write. The
 * cursor lives in the plugin's database, so a restart goes on where it stopped; indexing is
 * idempotent, so a page handled twice (a failure before the cursor was stored) does no harm.
 */
export class ChangeFollower {
  private readonly consumer: FeedConsumer<IncidentChangeFeedItem>;

  constructor(options: {
    database: FeedConsumerDatabase;
    correlation: Pick<CorrelationReader, 'changes'>;
    indexer: { indexIncidents(incidentIds: string[]): Promise<string[]> };
    logger: LoggerService;
  }) {
    this.consumer = new FeedConsumer<IncidentChangeFeedItem>({
      name: CONSUMER_NAME,
      database: options.database,
      pageSize: PAGE_SIZE,
      read: (after, limit) => options.correlation.changes(after, limit),
      handle: async items => {
        // A failure throws: the cursor stays and the page comes again on the next read.
        const ids = [...new Set(items.map(({ item }) => item.incident.id))];
        for (const id of await options.indexer.indexIncidents(ids))
          options.logger.debug(
            `Incident ${id} changed but correlation no longer knows it; not indexed`,
          );
      },
    });
  }

  /** Reads the feed from the stored cursor to its end. */
  async catchUp(): Promise<void> {
    await this.consumer.catchUp();
  }

  /** An `aiops.incident.changed` event: the feed is read unless its cursor is reached already. */
  async reached(cursor: string | undefined): Promise<void> {
    if (cursor) await this.consumer.reached(cursor);
    else await this.consumer.catchUp();
  }

  cursor(): Promise<string> {
    return this.consumer.cursor();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
