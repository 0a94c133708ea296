/* eslint-disable no-console */
import fs from 'fs';
import path from 'path';
import { generateSeries, simulateAnnotators, toTcpd } from './generate';

/**
 * Writes the generated evaluation set (one TCPDBench dataset file per series plus
 * annotations.json) to the directory given, by default this package's evaluation/generated
 * (run from the repository root).
 */
const dir = path.resolve(
  process.argv[2] ?? 'plugins/aiops-regression-backend/evaluation/generated',
);
fs.mkdirSync(dir, { recursive: true });
const series = generateSeries();
for (const s of series) {
  fs.writeFileSync(
    path.join(dir, `${s.name}.json`),
    `${JSON.stringify(toTcpd(s))}\n`,
  );
}
fs.writeFileSync(
  path.join(dir, 'annotations.json'),
  `${JSON.stringify(simulateAnnotators(series), null, 1)}\n`,
);
console.log(`${series.length} series and annotations.json written to ${dir}`);
