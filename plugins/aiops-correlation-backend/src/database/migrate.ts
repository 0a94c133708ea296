import type { Knex } from 'knex';
import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { useWriteAheadLog } from '@aiops/plugin-aiops-node';

const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-correlation-backend',
  'migrations',
);

const migrations = new WeakMap<Knex, Promise<void>>();

/**
 * Brings the plugin's schema up to date, once per client: every store of the plugin calls
 * this, and two concurrent `migrate.latest` calls on one database would fail on knex's
 * migration lock.
 */
function migrateOnce(client: Knex): Promise<void> {
  let done = migrations.get(client);
  if (!done) {
    done = client.migrate
      .latest({ directory: migrationsDir })
      .then(() => undefined)
      .catch(error => {
        // Let a later store retry instead of failing forever.
        migrations.delete(client);
        throw error;
      });
    migrations.set(client, done);
  }
  return done;
}

/** The plugin's database client with its schema migrated, unless migrations are skipped. */
export async function migratedClient(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
}): Promise<Knex> {
  const client = await options.database.getClient();
  if (!options.database.migrations?.skip && !options.skipMigrations) {
    await migrateOnce(client);
  }
  await useWriteAheadLog(client);
  return client;
}
