/* eslint-disable no-console */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FRESH_SEEDS, TUNING_SEEDS } from './candidates';
import { evaluateNarrator, formatEvaluation } from './evaluate';
import { scenarioIncidents } from './scenarioIncidents';
import { formatTokens, measureTokens } from './tokens';
import { meetsTargets } from './targets';

/*
 * `npm run eval:narrator`: prints the evaluation; with `--docs`, also writes it to
 * docs/narrator-evaluation.md (found above the working directory) with the date and load.
 */
function findDocs(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'docs', 'architecture.md')))
      return path.join(dir, 'docs');
    if (path.dirname(dir) === dir)
      throw new Error(`docs/ not found above ${from}`);
  }
}

const incidents = scenarioIncidents();
const tuning = evaluateNarrator(incidents, TUNING_SEEDS);
const fresh = evaluateNarrator(incidents, FRESH_SEEDS);
const load = (() => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown (uptime unavailable)';
  }
})();
/** `aiops.narrator.debounce`'s default. */
const DEBOUNCE_MS = 10_000;
const text = [
  formatEvaluation(
    { tuning, fresh },
    {
      date: new Date().toISOString().slice(0, 10),
      load,
    },
  ),
  ...formatTokens(measureTokens(DEBOUNCE_MS), DEBOUNCE_MS),
  '',
].join('\n');
console.log(text);
if (process.argv.includes('--docs')) {
  const file = path.join(findDocs(), 'narrator-evaluation.md');
  fs.writeFileSync(file, text);
  console.log(`Written to ${file}`);
}
const failures = [
  ...meetsTargets(tuning),
  ...meetsTargets(fresh).map(f => `fresh seeds: ${f}`),
];
if (failures.length > 0) {
  console.error(`Below target:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('All narrator targets met.');
}
