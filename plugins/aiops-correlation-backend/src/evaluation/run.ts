/* eslint-disable no-console */
import { evaluate, formatReport } from './evaluate';
import { CORRELATION_TARGETS, meetsTargets } from './targets';
import { TOPOLOGIES } from './topologies';

const failures: string[] = [];
for (const topology of TOPOLOGIES) {
  const report = evaluate(
    topology.scenarios,
    topology.catalog(),
    undefined,
    topology.name,
  );
  console.log(`${formatReport(report)}\n`);
  failures.push(...meetsTargets(report));
}
if (failures.length > 0) {
  console.error(`Below target:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log(
    `All targets met on every topology (${JSON.stringify(
      CORRELATION_TARGETS,
    )}).`,
  );
}
