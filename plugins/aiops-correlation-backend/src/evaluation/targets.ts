import type { EvaluationReport } from './evaluate';

/** The quality bar of issues [C] and [L], met on every topology. */
export const CORRELATION_TARGETS = {
  stormCompression: 0.9,
  purity: 0.95,
  pairwiseF1: 0.95,
  rootCauseTop1: 0.9,
};

/** What falls short, in words; empty when every target is met. */
export function meetsTargets(report: EvaluationReport): string[] {
  const shortfalls = (
    Object.keys(CORRELATION_TARGETS) as Array<keyof typeof CORRELATION_TARGETS>
  )
    .filter(key => report[key] < CORRELATION_TARGETS[key])
    .map(
      key =>
        `${report.topology}: ${key} ${(report[key] * 100).toFixed(1)}% < ${
          CORRELATION_TARGETS[key] * 100
        }%`,
    );
  const late = report.scenarios.flatMap(s =>
    s.openedLate.map(
      name => `${report.topology}: ${s.name} opened late (${name})`,
    ),
  );
  return [...shortfalls, ...late];
}
