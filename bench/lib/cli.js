'use strict';

const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);

/** `--name` given on the command line. */
const flag = name => args.includes(`--${name}`);

/** The value of `--name=value`, or `fallback`. */
function option(name, fallback) {
  const arg = args.find(a => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

/**
 * Writes a benchmark's report as `<name>-<start time>.json` and `<name>-latest.json` in `dir`
 * (default bench/results, or `--out=DIR`); returns the first file's path.
 */
function writeReport(
  name,
  startedAt,
  report,
  dir = option('out', path.join(__dirname, '..', 'results')),
) {
  const outDir = path.resolve(dir);
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(outDir, `${name}-${stamp}.json`);
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(outDir, `${name}-latest.json`), text);
  return file;
}

module.exports = { flag, option, writeReport };
