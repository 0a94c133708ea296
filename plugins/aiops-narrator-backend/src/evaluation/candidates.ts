import type { NarrativeDraft, NarrativeFacts } from '@aiops/plugin-aiops-node';
import type { KnownEntity, Vocabulary } from '../service/grounding';
import { ERROR_KINDS, seedError, type ErrorKind } from './errors';
import { reworded, terse, withRefs } from './paraphrases';
import { seededRandom } from './random';

export type CandidateLabel = 'correct' | ErrorKind;

export interface Candidate {
  label: CandidateLabel;
  /** Which base and variant, for reading a miss back. */
  name: string;
  draft: NarrativeDraft;
}

/** How the errors are drawn: how many per kind and incident, and a salt for the draws. */
export interface SeedOptions {
  perKind: number;
  salt: string;
}

/**
 * The set the rules were refined on (two errors of each kind per incident, alternately in the
 * template and a rewording), and draws the rules never saw before they were frozen.
 */
export const TUNING_SEEDS: SeedOptions = { perKind: 2, salt: '' };
export const FRESH_SEEDS: SeedOptions = { perKind: 4, salt: 'fresh' };

/**
 * The labelled candidates of one incident: four correct narratives (the template, reworded,
 * with full refs, terse with an ISO onset) and `seeds.perKind` of each error kind.
 */
export function candidatesOf(
  key: string,
  template: NarrativeDraft,
  facts: NarrativeFacts,
  vocabulary: Vocabulary,
  knownEntities: KnownEntity[],
  seeds: SeedOptions = TUNING_SEEDS,
): Candidate[] {
  const bases: Array<[string, NarrativeDraft]> = [
    ['template', template],
    ['reworded', reworded(template)],
  ];
  const correct: Candidate[] = [
    ...bases,
    ['refs', withRefs(template, facts)],
    ['terse', terse(template, facts)],
  ].map(([name, draft]) => ({
    label: 'correct' as const,
    name: name as string,
    draft: draft as NarrativeDraft,
  }));
  const seeded = ERROR_KINDS.flatMap(kind =>
    Array.from({ length: seeds.perKind }, (_, i) => {
      const [baseName, base] = bases[i % bases.length];
      const draft = seedError(kind, base, {
        facts,
        vocabulary,
        knownEntities,
        random: seededRandom(`${seeds.salt}${key}:${kind}:${i}`),
      });
      return draft
        ? [{ label: kind, name: `${baseName}+${kind}#${i}`, draft }]
        : [];
    }).flat(),
  );
  return [...correct, ...seeded];
}
