import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { CorrelationState } from '../service/types';
import { migratedClient } from './migrate';

/** Where correlation had got to: the feed cursors it has consumed and its state after them. */
export interface Checkpoint {
  alertCursor: string;
  deploymentCursor: string;
  state: CorrelationState;
}

/** A checkpoint with its state already serialized (the caller keeps the text as well). */
export interface SerializedCheckpoint {
  alertCursor: string;
  deploymentCursor: string;
  /** `JSON.stringify` of the `CorrelationState`. */
  state: string;
}

export interface CheckpointStore {
  load(): Promise<Checkpoint | undefined>;
  /**
   * Saves unless a checkpoint further along both feeds is stored already: replicas consume the
   * same feeds and save in turn, and the furthest one is the most useful after a restart.
   */
  save(checkpoint: SerializedCheckpoint, at: string): Promise<void>;
}

const ID = 'default';

export class DatabaseCheckpointStore implements CheckpointStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseCheckpointStore> {
    return new DatabaseCheckpointStore(await migratedClient(options));
  }

  constructor(private readonly db: Knex) {}

  async load(): Promise<Checkpoint | undefined> {
    const row = await this.db('correlation_checkpoints')
      .where({ id: ID })
      .first();
    if (!row) return undefined;
    return {
      alertCursor: String(row.alert_cursor),
      deploymentCursor: String(row.deployment_cursor),
      state: JSON.parse(row.state),
    };
  }

  async save(checkpoint: SerializedCheckpoint, at: string): Promise<void> {
    const row = {
      id: ID,
      alert_cursor: Number(checkpoint.alertCursor),
      deployment_cursor: Number(checkpoint.deploymentCursor),
      state: checkpoint.state,
      saved_at: new Date(at),
    };
    await this.db('correlation_checkpoints')
      .insert(row)
      .onConflict('id')
      .merge()
      .where('correlation_checkpoints.alert_cursor', '<=', row.alert_cursor)
      .where(
        'correlation_checkpoints.deployment_cursor',
        '<=',
        row.deployment_cursor,
      );
  }
}
