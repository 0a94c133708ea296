import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';

/** The knex client the database service hands out (knex is not a direct dependency here). */
export type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

export const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-deploy-risk-backend',
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
