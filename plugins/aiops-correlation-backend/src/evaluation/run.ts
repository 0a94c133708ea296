/* eslint-disable no-console */
import { loadDemoCatalog } from './demoCatalog';
import { evaluate, formatReport } from './evaluate';
import { SCENARIOS } from './scenarios';
import { CORRELATION_TARGETS, meetsTargets } from './targets';

const report = evaluate(SCENARIOS, loadDemoCatalog());
console.log(formatReport(report));
const failures = meetsTargets(report);
if (failures.length > 0) {
  console.error(`\nBelow target: ${failures.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log(`\nAll targets met (${JSON.stringify(CORRELATION_TARGETS)}).`);
}
