/* eslint-disable no-console */
import fs from 'fs';
import path from 'path';
import { E_DIVISIVE_T } from '../service/changepoints';
import { ChangePointMethod } from '../service/changepoints/types';
import { evaluateMethod, formatReport, TcpdDataset } from './evaluate';

const ZERO: ChangePointMethod = { name: 'zero', detect: () => [] };

/**
 * `npm run eval:changepoints -- DIR`: every *.json in DIR but annotations.json is a
 * TCPDBench dataset (named by its file); annotations.json maps dataset → annotator →
 * indices. Prints per-dataset and mean F1 (margin 5) and covering for the default detector.
 */
const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run eval:changepoints -- DIR');
  process.exit(2);
}
const files = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.json') && f !== 'annotations.json')
  .sort();
const annotations = JSON.parse(
  fs.readFileSync(path.join(dir, 'annotations.json'), 'utf8'),
);
const datasets = files.map(f => ({
  name: f.replace(/\.json$/, ''),
  data: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as TcpdDataset,
}));
const started = process.hrtime.bigint();
const report = evaluateMethod(E_DIVISIVE_T, datasets, annotations);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(formatReport(report));
console.log(`detection and scoring took ${ms.toFixed(0)} ms`);
// TCPDBench's "zero" baseline: no change points at all, the score a method must beat
const zero = evaluateMethod(ZERO, datasets, annotations);
console.log(
  `baseline zero (no change points): F1 ${zero.f1.toFixed(
    3,
  )}, covering ${zero.cover.toFixed(3)}`,
);
