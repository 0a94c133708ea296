import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

export const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-regression-backend',
  'migrations',
);

/** The plugin's database client with its schema up to date, unless migrations are skipped. */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
