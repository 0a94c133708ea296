'use strict';

/**
 * Starts the aiops-ingest plugin in this process on a real Backstage backend
 * (`createBackend()` from @backstage/backend-defaults: httpAuth, database manager, scheduler and
 * events service, and packages/backend's root HTTP router), listening on 127.0.0.1.
 *
 * Only two things differ from packages/backend: the catalog is an in-memory catalog client
 * holding the bench catalog (no catalog plugin), and no other plugins are installed.
 * Senders authenticate with an external-access static token, as in app-config.production.yaml.
 *
 * The plugin's TypeScript sources are loaded through @backstage/cli's node transform, which
 * bench/run.js registers before requiring this file.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createBackend } = require('@backstage/backend-defaults');
const {
  coreServices,
  createServiceFactory,
} = require('@backstage/backend-plugin-api');
const { ConfigReader } = require('@backstage/config');
const {
  InMemoryCatalogClient,
} = require('@backstage/catalog-client/testUtils');
const { catalogServiceRef } = require('@backstage/plugin-catalog-node');
const { Client } = require('pg');
const { benchCatalog } = require('./alerts');

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const PLUGIN_ID = 'aiops-ingest';

async function pgAdmin(fn) {
  const client = new Client({ ...PG, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops every database whose name starts with `prefix`. */
function dropDatabases(prefix) {
  return pgAdmin(async client => {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${prefix.replace(/_/g, '\\_')}%`],
    );
    for (const { datname } of rows) {
      await client.query(
        `DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`,
      );
    }
  });
}

/**
 * @param {{
 *   database: 'sqlite' | 'postgres',
 *   port: number,
 *   logLevel: string,
 *   eventsBackend?: boolean,
 *   asyncCommit?: boolean,
 *   stockRouter?: boolean,
 *   catalog?: object[],
 *   features?: unknown[],
 * }} options
 *   eventsBackend: also install @backstage/plugin-events-backend, as packages/backend does, so
 *     every announced alert is also posted to the event bus;
 *   catalog: the entities the catalog holds (default: the ingest bench catalog);
 *   features: more plugins or modules to install (aiops-correlation, a probe module);
 *   aiops: more of the `aiops` configuration (e.g. `correlation` settings);
 *   asyncCommit: diagnostic only, PostgreSQL only: `synchronous_commit = off` on the plugin's
 *     database, so commits do not wait for the WAL flush (this breaks the plugin's promise
 *     that an accepted alert is durable; it only shows how much of the time the flush costs).
 *   stockRouter: Backstage's stock root HTTP router, where Express changes the prototype of every
 *     request and response, instead of packages/backend's (packages/backend/src/rootHttpRouter.ts),
 *     whose server constructs them with Express's prototypes: what the plugin gets in a Backstage
 *     that does not use it.
 *   prefix: PostgreSQL only: the prefix of the plugins' databases, for several backend processes
 *     sharing one database set (bench/chaos.js); such databases are left in place on stop, and
 *     whoever chose the prefix drops them (`dropDatabases`). Default: a new prefix, dropped on stop.
 *   token: the senders' static token (default: a random one);
 *   readerToken: another static token, for reading the aiops plugins' APIs as a service.
 */
async function startIngestBackend({
  database,
  port,
  logLevel,
  eventsBackend = false,
  asyncCommit = false,
  stockRouter = false,
  catalog = benchCatalog(),
  features = [],
  aiops = {},
  prefix: sharedPrefix,
  token = crypto.randomBytes(24).toString('base64url'),
  readerToken,
}) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let cleanup = async () => {};
  let databaseConfig;
  let describeDb;

  if (database === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-bench-sqlite-'));
    databaseConfig = {
      client: 'better-sqlite3',
      connection: { directory: dir },
    };
    describeDb = `SQLite file ${path.join(dir, `${PLUGIN_ID}.sqlite`)}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    // Backstage's default layout (pluginDivisionMode: database) with a prefix of our own, so the
    // plugin's database is new: the database manager creates it, and we drop it afterwards.
    const prefix = sharedPrefix ?? `aiops_bench_${runId}_`;
    databaseConfig = {
      client: 'pg',
      connection: { ...PG },
      prefix,
      pluginDivisionMode: 'database',
    };
    describeDb = `PostgreSQL database "${prefix}${PLUGIN_ID}" on ${PG.host}:${
      PG.port
    }${asyncCommit ? ' with synchronous_commit = off (diagnostic)' : ''}`;
    if (asyncCommit) {
      // Created here first (the database manager then finds it), with the setting every new
      // connection to it picks up.
      await pgAdmin(async client => {
        await client.query(`CREATE DATABASE "${prefix}${PLUGIN_ID}"`);
        await client.query(
          `ALTER DATABASE "${prefix}${PLUGIN_ID}" SET synchronous_commit = off`,
        );
      });
    }
    if (!sharedPrefix) cleanup = () => dropDatabases(prefix);
  }

  const config = new ConfigReader({
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: databaseConfig,
      logger: { level: logLevel },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token, subject: 'bench-sender' },
            accessRestrictions: [{ plugin: PLUGIN_ID }],
          },
          ...(readerToken
            ? [
                {
                  type: 'static',
                  options: { token: readerToken, subject: 'bench-reader' },
                  accessRestrictions: [
                    { plugin: PLUGIN_ID },
                    { plugin: 'aiops-correlation' },
                  ],
                },
              ]
            : []),
        ],
      },
    },
    // Without the events backend the bus is off, as 'auto' turns it off after its first 404.
    events: { useEventBus: eventsBackend ? 'auto' : 'never' },
    aiops: { ingest: {}, ...aiops },
  });

  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => config,
    }),
  );
  backend.add(
    createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => new InMemoryCatalogClient({ entities: catalog }),
    }),
  );
  if (stockRouter) describeDb += ", Backstage's stock root HTTP router";
  else
    backend.add(
      require('../../packages/backend/src/rootHttpRouter').rootHttpRouter,
    );
  backend.add(require('@aiops/plugin-aiops-ingest-backend'));
  for (const feature of features) backend.add(feature);
  if (eventsBackend) {
    backend.add(require('@backstage/plugin-events-backend'));
    describeDb += ', with @backstage/plugin-events-backend installed';
  }
  try {
    await backend.start();
  } catch (error) {
    await cleanup().catch(() => {});
    throw error;
  }

  const pluginDatabase =
    database === 'postgres'
      ? `${databaseConfig.prefix}${PLUGIN_ID}`
      : undefined;
  return {
    token,
    describeDb,
    /** PostgreSQL server processes serving the plugin's database (its connection pool). */
    async postgresBackendPids() {
      if (!pluginDatabase) return [];
      return pgAdmin(async client => {
        const { rows } = await client.query(
          'SELECT pid FROM pg_stat_activity WHERE datname = $1',
          [pluginDatabase],
        );
        return rows.map(r => r.pid);
      });
    },
    /** ANALYZE the plugin's database, as autovacuum eventually does on a long-lived one. */
    async analyze() {
      if (!pluginDatabase) return;
      const client = new Client({ ...PG, database: pluginDatabase });
      await client.connect();
      try {
        await client.query('ANALYZE');
      } finally {
        await client.end();
      }
    },
    async stop() {
      try {
        await backend.stop();
      } finally {
        await cleanup();
      }
    },
  };
}

module.exports = { startIngestBackend, dropDatabases, pgAdmin, PG };
