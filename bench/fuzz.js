#!/usr/bin/env node
'use strict';

/**
 * Runs every fuzz property (`*.fuzz.test.ts`) with FUZZ_RUNS cases each (default 10,000; CI
 * runs a few hundred) and writes the cases run and the failures per property to
 * bench/results/fuzz-<start time>.json and fuzz-latest.json.
 *
 *   npm run fuzz                     10,000 cases per property
 *   npm run fuzz -- --runs=2000      fewer, on a busy machine
 *
 * PostgreSQL properties run when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set
 * (default postgresql://postgres@127.0.0.1:5432, as `npm test`); otherwise SQLite only.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { option, writeReport } = require('./lib/cli');

const ROOT = path.resolve(__dirname, '..');
const runs = Number(option('runs', process.env.FUZZ_RUNS ?? '10000'));
if (!Number.isInteger(runs) || runs < 1) {
  throw new Error(`--runs must be a positive integer, got ${runs}`);
}

/** The fuzz test files under plugins/, relative to the repo root. */
function fuzzFiles(dir = path.join(ROOT, 'plugins')) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name === 'dist'
        ? []
        : fuzzFiles(full);
    }
    return entry.name.endsWith('.fuzz.test.ts')
      ? [path.relative(ROOT, full)]
      : [];
  });
}

/** What fast-check says about a failed property: cases run, seed and counterexample. */
function failureOf(messages) {
  const text = messages.join('\n');
  const after = /Property failed after (\d+) tests/.exec(text);
  const seed = /seed: (-?\d+)/.exec(text);
  const counterexample = /Counterexample: ([^\n]*)/.exec(text);
  const cause = /Cause:\n([^\n]*\n[^\n]*\n[^\n]*\n[^\n]*)/.exec(text);
  return {
    runs: after ? Number(after[1]) : null,
    seed: seed ? Number(seed[1]) : null,
    counterexample: counterexample ? counterexample[1].slice(0, 4000) : null,
    message: (cause ? cause[1] : text).trim().slice(0, 2000),
  };
}

function main() {
  const files = fuzzFiles();
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const outputFile = path.join(
    os.tmpdir(),
    `aiops-fuzz-${process.pid}-${Date.now()}.json`,
  );
  const postgres =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432';
  console.log(
    `Fuzzing ${
      files.length
    } files, ${runs} cases per property (load ${loadAtStart
      .map(l => l.toFixed(1))
      .join(' ')})`,
  );
  const run = spawnSync(
    'npx',
    [
      'backstage-cli',
      'repo',
      'test',
      '--no-watch',
      '--json',
      `--outputFile=${outputFile}`,
      ...files,
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        FUZZ_RUNS: String(runs),
        BACKSTAGE_TEST_DISABLE_DOCKER: '1',
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: postgres,
      },
    },
  );
  if (!fs.existsSync(outputFile)) {
    throw new Error(`jest wrote no results (exit ${run.status})`);
  }
  const results = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  fs.rmSync(outputFile);

  const properties = results.testResults.flatMap(file =>
    file.assertionResults.map(test => {
      const passed = test.status === 'passed';
      return {
        file: path.relative(ROOT, file.name),
        property: [...test.ancestorTitles, test.title].join(' › '),
        status: test.status,
        runs: passed ? runs : failureOf(test.failureMessages).runs,
        durationSeconds:
          test.duration === null || test.duration === undefined
            ? null
            : Math.round(test.duration / 100) / 10,
        ...(passed ? {} : { failure: failureOf(test.failureMessages) }),
      };
    }),
  );
  const failed = properties.filter(p => p.status !== 'passed');
  const finishedAt = new Date();
  const report = {
    name: 'fuzz',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt - startedAt) / 1000),
    runsPerProperty: runs,
    machine: {
      cpus: os.cpus().length,
      loadAverageAtStart: loadAtStart.map(l => Math.round(l * 100) / 100),
    },
    totals: {
      files: files.length,
      properties: properties.length,
      passed: properties.length - failed.length,
      failed: failed.length,
      cases: properties.reduce((sum, p) => sum + (p.runs ?? 0), 0),
    },
    properties,
  };
  const file = writeReport('fuzz', startedAt, report);
  console.log(
    `${report.totals.passed}/${report.totals.properties} properties held, ${
      report.totals.cases
    } cases; report: ${path.relative(ROOT, file)}`,
  );
  for (const p of failed) {
    console.log(
      `FAILED ${p.property} (${p.file}): ${
        p.failure.counterexample ?? p.failure.message
      }`,
    );
  }
  process.exitCode = failed.length > 0 || run.status !== 0 ? 1 : 0;
}

main();
