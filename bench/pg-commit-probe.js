#!/usr/bin/env node
'use strict';

/**
 * How long one serialized counter transaction takes on this PostgreSQL (BEGIN, UPDATE of one
 * row, COMMIT), with synchronous_commit on and off, and one round trip. The ingest store holds
 * the feed counter's row lock from its UPDATE to its COMMIT, so this bounds how many alert
 * transactions per second can commit (see docs/benchmarks.md). Uses a scratch database that it
 * creates and drops on 127.0.0.1:5432.
 *
 *   node bench/pg-commit-probe.js
 */

const { Client } = require('pg');

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

(async () => {
  const admin = new Client({ ...PG, database: 'postgres' });
  await admin.connect();
  const db = `aiops_bench_commit_probe_${process.pid}`;
  await admin.query(`CREATE DATABASE ${db}`);
  const c = new Client({ ...PG, database: db });
  try {
    await c.connect();
    await c.query(
      'CREATE TABLE counters (feed text PRIMARY KEY, value bigint NOT NULL)',
    );
    await c.query(`INSERT INTO counters VALUES ('alerts', 0)`);
    for (const mode of ['on', 'off']) {
      await c.query(`SET synchronous_commit = ${mode}`);
      const n = 300;
      let t = performance.now();
      for (let i = 0; i < n; i++) {
        await c.query('BEGIN');
        await c.query(
          `UPDATE counters SET value = value + 1 WHERE feed = 'alerts'`,
        );
        await c.query('COMMIT');
      }
      const txn = (performance.now() - t) / n;
      t = performance.now();
      for (let i = 0; i < n; i++) await c.query('SELECT 1');
      const rt = (performance.now() - t) / n;
      console.log(
        `synchronous_commit=${mode}: ${txn.toFixed(
          2,
        )} ms per BEGIN/UPDATE/COMMIT (at most ${Math.round(
          1000 / txn,
        )}/s serialized), ${rt.toFixed(3)} ms per round trip`,
      );
    }
  } finally {
    await c.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
})().catch(error => {
  console.error(error);
  process.exit(1);
});
