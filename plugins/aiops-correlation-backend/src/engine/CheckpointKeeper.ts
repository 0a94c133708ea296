import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  CheckpointStore,
  SerializedCheckpoint,
} from '../database/CheckpointStore';
import { emptyCorrelationState } from '../service/correlate';
import type { CorrelationState } from '../service/types';

/** The change-feed cursors correlation has consumed. */
export interface FeedCursors {
  alerts: string;
  deployments: string;
}

/** Where correlation is: its state and the cursors it reached. */
export interface Position {
  state: CorrelationState;
  cursors: FeedCursors;
}

/** Events a second, correlated since the last tick, above which correlation is in a storm. */
export const STORM_EVENTS_PER_SECOND = 100;
/** During a storm a checkpoint waits at most this many checkpoint intervals. */
export const STORM_DEFERRAL = 6;

/**
 * The engine's checkpoints: loading the last one at start, saving the state when due, and the
 * last one taken in memory, which a failed batch falls back to.
 */
export class CheckpointKeeper {
  /** What a failed batch falls back to: the last saved state and the cursors it had reached. */
  private last: SerializedCheckpoint = {
    alertCursor: '0',
    deploymentCursor: '0',
    state: JSON.stringify(emptyCorrelationState()),
  };
  private unsavedSince?: number;
  /** Events correlated since the last call to `save`, and when that was. */
  private recentEvents = 0;
  private lastCheckAt?: number;
  /** The checkpoint being written, if any (see `save`). */
  private write?: Promise<void>;
  private lastSavedAt = 0;

  constructor(
    private readonly options: {
      store: CheckpointStore;
      logger: LoggerService;
      now: () => number;
      /** Save the working state at most this often (ms). */
      intervalMs?: number;
    },
  ) {}

  /** The stored checkpoint to resume from; `undefined` when there is none or it is unreadable. */
  async load(): Promise<Position | undefined> {
    const checkpoint = await this.options.store.load().catch(error => {
      // Replaying ingest's feeds from the start rebuilds the same incidents (the store keeps
      // what it has); a damaged checkpoint must not stop correlation.
      this.options.logger.error(
        `Correlation checkpoint unreadable, replaying ingest's feeds from the start: ${error}`,
      );
      return undefined;
    });
    if (!checkpoint) return undefined;
    this.last = {
      alertCursor: checkpoint.alertCursor,
      deploymentCursor: checkpoint.deploymentCursor,
      state: JSON.stringify(checkpoint.state),
    };
    return {
      state: checkpoint.state,
      cursors: {
        alerts: checkpoint.alertCursor,
        deployments: checkpoint.deploymentCursor,
      },
    };
  }

  /** Correlation moved on from the last checkpoint (by `events` events): the next one due saves. */
  changed(events = 0) {
    this.unsavedSince ??= this.options.now();
    this.recentEvents += events;
  }

  /** A copy of the last checkpoint taken, written or not; what came after it is unsaved no more. */
  restore(): Position {
    const state = JSON.parse(this.last.state);
    const cursors = {
      alerts: this.last.alertCursor,
      deployments: this.last.deploymentCursor,
    };
    this.unsavedSince = undefined;
    return { state, cursors };
  }

  /** Resolves once the checkpoint being written, if any, is written (or failed). */
  async written(): Promise<void> {
    await this.write;
  }

  /**
   * Takes a checkpoint of the state and the cursors it reached. The database write runs outside
   * the correlation queue (one at a time): a storm's state is tens of megabytes, and alerts
   * should not wait while it is sent. A failed write is retried with the next checkpoint; a
   * failed batch falls back to the checkpoint taken, written or not.
   */
  async save(force: boolean, position: Position) {
    if (this.write) {
      // At shutdown the write in progress must end before the database goes away; it may
      // also have failed and left the state unsaved.
      if (!force) return;
      await this.write;
    }
    const at = this.options.now();
    // The event rate since the last call (each tick calls): a storm's, or a quiet one.
    const storm =
      this.lastCheckAt !== undefined &&
      this.recentEvents >=
        (STORM_EVENTS_PER_SECOND * Math.max(1, at - this.lastCheckAt)) / 1000;
    this.lastCheckAt = at;
    this.recentEvents = 0;
    if (this.unsavedSince === undefined) return;
    const interval = this.options.intervalMs ?? 10_000;
    if (!force && at - this.lastSavedAt < interval) return;
    // Serialising the state takes the event loop for a few hundred milliseconds when thousands
    // of incidents are open, and every alert waiting meanwhile waits that much longer: during a
    // storm a due checkpoint waits for a quieter tick, but no longer than a few intervals (a
    // restart replays the feeds from the checkpoint's cursors, so a later one costs only time).
    if (!force && storm && at - this.lastSavedAt < interval * STORM_DEFERRAL)
      return;
    const checkpoint: SerializedCheckpoint = {
      alertCursor: position.cursors.alerts,
      deploymentCursor: position.cursors.deployments,
      state: JSON.stringify(position.state),
    };
    this.last = checkpoint;
    this.lastSavedAt = at;
    this.unsavedSince = undefined;
    const write = this.options.store
      .save(checkpoint, new Date(at).toISOString())
      .catch(error => {
        this.options.logger.warn(
          `Could not save the correlation checkpoint, trying again later: ${error}`,
        );
        this.unsavedSince ??= at;
      })
      .finally(() => {
        this.write = undefined;
      });
    this.write = write;
    if (force) await write;
  }
}
