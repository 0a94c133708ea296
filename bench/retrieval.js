#!/usr/bin/env node
'use strict';

/**
 * `npm run bench:retrieval` (docs/retrieval.md#benchmark): the past-incident index at estate
 * scale, on the plugin's real store (SQLite FTS5 and PostgreSQL tsvector/GIN) with the offline
 * default embedder.
 *
 * 1. Indexing: N incident documents (default 100,000; the evaluation's generator run with many
 *    seeds, so words, entities and alert names repeat as they do in a real estate) written in
 *    pages of 500 through the Indexer (tokenize, embed, store in one transaction a page).
 * 2. Queries: "similar to this incident" for incidents of the index (as they were when they
 *    opened) and free-text searches, top 5, timed one at a time.
 *
 * Options: --documents=N (default 100000), --queries=N (default 300), --targets=sqlite,postgres,
 * --no-write, --out=DIR. Goals (issue [G]): top-5 p95 < 50 ms at 100k on both databases;
 * indexing >= 1,000 incidents/s with the offline default. RSS growth is reported.
 */

require('@backstage/cli/config/nodeTransform.cjs');

const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const knexFactory = require('knex');
const { flag, option, writeReport } = require('./lib/cli');
const {
  DatabaseRetrievalStore,
} = require('../plugins/aiops-retrieval-backend/src/database/DatabaseRetrievalStore');
const {
  Indexer,
} = require('../plugins/aiops-retrieval-backend/src/engine/Indexer');
const {
  Retriever,
} = require('../plugins/aiops-retrieval-backend/src/engine/Retriever');
const {
  hashedNgramsEmbedder,
} = require('../plugins/aiops-retrieval-backend/src/service/hashedNgrams');
const {
  DEFAULT_FUSION,
} = require('../plugins/aiops-retrieval-backend/src/service/types');
const {
  generateLabelledSet,
  asOpened,
} = require('../plugins/aiops-retrieval-backend/src/evaluation/labelledSet');

const DOCUMENTS = Number(option('documents', 100_000));
const QUERIES = Number(option('queries', 300));
const TARGETS = option('targets', 'sqlite,postgres').split(',');
const PAGE = 500;
const GOALS = { queryP95Ms: 50, indexingPerSecond: 1000 };

const logger = {
  info() {},
  debug() {},
  warn: m => process.stderr.write(`${m}\n`),
  error: m => process.stderr.write(`${m}\n`),
  child() {
    return logger;
  },
};

/** `count` documents with unique ids, from as many seeds of the labelled set as it takes. */
function* documents(count) {
  let made = 0;
  for (let seed = 0; made < count; seed++) {
    for (const { document } of generateLabelledSet(`bench-${seed}`).incidents) {
      if (made >= count) return;
      made++;
      yield {
        ...document,
        incidentId: `inc-bench-${String(made).padStart(7, '0')}`,
      };
    }
  }
}

async function database(target) {
  if (target === 'sqlite') {
    const dir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'aiops-retrieval-bench-'),
    );
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'retrieval.sqlite') },
      useNullAsDefault: true,
    });
    return {
      knex,
      describe: 'SQLite file (better-sqlite3)',
      drop: async () => {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `aiops_bench_retrieval_${process.pid}`;
  const admin = knexFactory({
    client: 'pg',
    connection: 'postgresql://postgres@127.0.0.1:5432/postgres',
  });
  await admin.raw(`CREATE DATABASE ${name}`);
  const knex = knexFactory({
    client: 'pg',
    connection: `postgresql://postgres@127.0.0.1:5432/${name}`,
    pool: { min: 1, max: 5 },
  });
  return {
    knex,
    describe: `PostgreSQL database "${name}" on 127.0.0.1:5432`,
    drop: async () => {
      await knex.destroy();
      await admin.raw(`DROP DATABASE ${name}`);
      await admin.destroy();
    },
  };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = n => Math.round(n * 10) / 10;

async function run(target) {
  const db = await database(target);
  try {
    const store = await DatabaseRetrievalStore.create({
      database: { getClient: async () => db.knex, migrations: { skip: false } },
    });
    const embedder = hashedNgramsEmbedder;
    const indexer = new Indexer({
      store,
      correlation: { incident: async () => undefined },
      embedder,
      logger,
    });
    const retriever = new Retriever({
      store,
      embedder,
      fusion: DEFAULT_FUSION,
      logger,
    });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const kept = [];
    let page = [];
    const startedIndexing = performance.now();
    for (const document of documents(DOCUMENTS)) {
      page.push(document);
      // Every n-th document is kept as a query, as it was when it opened.
      if (kept.length < QUERIES && page.length === 1)
        kept.push(asOpened(document));
      if (page.length === PAGE) {
        await indexer.indexDocuments(page);
        page = [];
      }
    }
    if (page.length) await indexer.indexDocuments(page);
    const indexingMs = performance.now() - startedIndexing;
    const rssAfterIndexing = process.memoryUsage().rss;

    const similar = [];
    const search = [];
    const texts = [
      'redis memory evictions cart',
      'disk full database',
      'certificate expired ingress',
      'checkout latency after deploy',
      'kafka consumer lag',
    ];
    // Warm up: the first queries read the indexes from disk.
    for (const q of kept.slice(0, 10)) await retriever.similar(q, 5);
    for (const [i, q] of kept.entries()) {
      let t = performance.now();
      await retriever.similar(q, 5);
      similar.push(performance.now() - t);
      t = performance.now();
      await retriever.search(texts[i % texts.length], {}, 5);
      search.push(performance.now() - t);
    }
    const stats = values => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1]),
      };
    };
    return {
      target,
      describeDb: db.describe,
      documents: await store.count(),
      embedder: embedder.model,
      indexing: {
        seconds: round(indexingMs / 1000),
        perSecond: Math.round((DOCUMENTS / indexingMs) * 1000),
      },
      similarTop5Ms: stats(similar),
      searchTop5Ms: stats(search),
      rssMb: {
        before: Math.round(rssBefore / 2 ** 20),
        afterIndexing: Math.round(rssAfterIndexing / 2 ** 20),
        afterQueries: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
      goalsMet: {
        queryP95:
          Math.max(stats(similar).p95, stats(search).p95) < GOALS.queryP95Ms,
        indexing: (DOCUMENTS / indexingMs) * 1000 >= GOALS.indexingPerSecond,
      },
    };
  } finally {
    await db.drop();
  }
}

(async () => {
  const startedAt = new Date();
  const results = [];
  for (const target of TARGETS) {
    process.stderr.write(
      `retrieval benchmark: ${target}, ${DOCUMENTS} documents…\n`,
    );
    results.push(await run(target));
    process.stderr.write(`${JSON.stringify(results.at(-1))}\n`);
  }
  const report = {
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map(l => Math.round(l * 100) / 100),
      node: process.version,
    },
    options: { documents: DOCUMENTS, queries: QUERIES, page: PAGE },
    goals: GOALS,
    results,
  };
  console.log(JSON.stringify(report, null, 2));
  if (!flag('no-write'))
    process.stderr.write(
      `written to ${writeReport('retrieval', startedAt, report)}\n`,
    );
})().catch(error => {
  console.error(error);
  process.exit(1);
});
