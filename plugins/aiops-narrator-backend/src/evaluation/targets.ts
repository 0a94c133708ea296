import type { NarratorEvaluation } from './evaluate';

/** The bar of issue [F]'s evaluation. */
export const NARRATOR_TARGETS = {
  templateFailingClaims: 0,
  /** Share of each kind of seeded error the grounding check rejects, at least. */
  detection: 0.95,
  /** Share of correct narratives it rejects, at most. */
  falseRejection: 0.02,
};

/** What falls short, in words; empty when every target is met. */
export function meetsTargets(evaluation: NarratorEvaluation): string[] {
  const shortfalls: string[] = [];
  for (const row of evaluation.template)
    if (row.failingClaims > NARRATOR_TARGETS.templateFailingClaims)
      shortfalls.push(
        `${row.topology}: ${row.failingClaims} template claims fail grounding`,
      );
  for (const label of evaluation.labels) {
    const rate = label.candidates === 0 ? 0 : label.rejected / label.candidates;
    if (label.label === 'correct' && rate > NARRATOR_TARGETS.falseRejection)
      shortfalls.push(`false rejection ${(rate * 100).toFixed(1)}% > 2%`);
    if (label.label !== 'correct' && rate < NARRATOR_TARGETS.detection)
      shortfalls.push(
        `${label.label}: ${(rate * 100).toFixed(1)}% caught < 95%`,
      );
  }
  return shortfalls;
}
