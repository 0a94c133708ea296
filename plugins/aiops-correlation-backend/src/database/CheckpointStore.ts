import { promisify } from 'node:util';
import { constants, gunzip, gzip } from 'node:zlib';
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

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const GZIP = 'gzip:';

/**
 * The state as stored: gzip, in base64. A storm's state is tens of megabytes of repetitive JSON
 * that shrinks about tenfold, and all of it would otherwise pass through the database's
 * write-ahead log every checkpoint; zlib works in Node's thread pool, off the event loop.
 */
async function pack(state: string): Promise<string> {
  const packed = await gzipAsync(state, { level: constants.Z_BEST_SPEED });
  return GZIP + packed.toString('base64');
}

/** Rows saved before compression hold the JSON itself. */
async function unpack(stored: string): Promise<string> {
  if (!stored.startsWith(GZIP)) return stored;
  const packed = Buffer.from(stored.slice(GZIP.length), 'base64');
  return (await gunzipAsync(packed)).toString('utf8');
}

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
      state: JSON.parse(await unpack(row.state)),
    };
  }

  async save(checkpoint: SerializedCheckpoint, at: string): Promise<void> {
    const row = {
      id: ID,
      alert_cursor: Number(checkpoint.alertCursor),
      deployment_cursor: Number(checkpoint.deploymentCursor),
      state: await pack(checkpoint.state),
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
