import type { LoggerService } from '@backstage/backend-plugin-api';
import type { IncidentChangeFeedItem } from '@aiops/plugin-aiops-common';
import {
  FeedConsumer,
  type FeedConsumerDatabase,
} from '@aiops/plugin-aiops-node';
import type { NarrativeStore } from '../database/NarrativeStore';
import type { SuiteClient } from './SuiteClient';

export const CONSUMER_NAME = 'aiops-narrator-incident-changes';
/** Incidents narrated per pass; the rest wait for the next one, which follows at once. */
const BATCH = 20;

/**
 * Follows correlation's change feed: each changed incident is put on the schedule in the
 * narrator's database (so the feed's cursor can move on and a restart loses nothing) for
 * narration, at once when it has no narrative yet, else once the debounce has passed; changes
 * meanwhile join the same narration.
 */
export class ChangeFollower {
  private readonly consumer: FeedConsumer<IncidentChangeFeedItem>;
  private timer?: ReturnType<typeof setTimeout>;
  private timerAt = Infinity;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly options: {
      database: FeedConsumerDatabase;
      store: NarrativeStore;
      suite: SuiteClient;
      narrator: { narrate(incidentId: string): Promise<unknown> };
      debounceMs: number;
      logger: LoggerService;
      now?: () => number;
    },
  ) {
    this.consumer = new FeedConsumer<IncidentChangeFeedItem>({
      name: CONSUMER_NAME,
      database: options.database,
      read: (after, limit) => options.suite.changes(after, limit),
      handle: async items => {
        const now = this.now();
        for (const id of new Set(items.map(({ item }) => item.incident.id))) {
          // An incident's first narrative is written at once; later ones wait the debounce.
          const due = (await options.store.current(id))
            ? now + options.debounceMs
            : now;
          await options.store.schedule(id, due);
          this.wakeAt(due);
        }
      },
    });
  }

  /** Reads the feed from the stored cursor, then narrates what is due. */
  async catchUp(): Promise<void> {
    await this.consumer.catchUp();
    await this.drain();
  }

  /** An `aiops.incident.changed` event: the feed is read unless its cursor is reached already. */
  async reached(cursor: string | undefined): Promise<void> {
    if (cursor) await this.consumer.reached(cursor);
    else await this.consumer.catchUp();
  }

  /** The feed's stored cursor (everything up to it is on the schedule or narrated). */
  cursor(): Promise<string> {
    return this.consumer.cursor();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.consumer.stop();
    await this.draining;
  }

  /** Narrates every incident whose debounce has passed; one pass at a time on this instance. */
  drain(): Promise<void> {
    if (this.draining) {
      // What was scheduled since the running pass looked is read in one more pass.
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await this.drainNow();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainNow(): Promise<void> {
    const { store, narrator, logger, debounceMs } = this.options;
    for (;;) {
      if (this.stopped) return;
      const due = await store.due(this.now(), BATCH);
      for (const id of due) {
        // Another replica may have taken it; changes after this claim schedule it again.
        if (this.stopped || !(await store.claim(id))) continue;
        try {
          await narrator.narrate(id);
        } catch (error) {
          logger.warn(
            `Narrative of incident ${id} failed, retrying in ${debounceMs} ms: ${error}`,
          );
          const retryAt = this.now() + Math.max(debounceMs, 1000);
          await store.schedule(id, retryAt);
          this.wakeAt(retryAt);
        }
      }
      if (due.length < BATCH) return;
    }
  }

  private wakeAt(at: number) {
    if (this.stopped || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.drain().catch(error =>
        this.options.logger.warn(`Narrator could not narrate: ${error}`),
      );
    }, Math.max(0, at - this.now()));
    this.timer.unref?.();
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}
