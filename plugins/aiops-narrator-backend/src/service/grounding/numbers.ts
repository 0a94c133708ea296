import { narrativeFormat, parseNumber } from '@aiops/plugin-aiops-node';
import { quote, type GroundingRule } from './rule';
import type { Vocabulary } from './vocabulary';

export const KNOWN_NUMBERS_RULE = 'known-numbers@1';

const decimalsOf = (text: string) => /\.(\d+)/.exec(text)?.[1].length ?? 0;
const round = (x: number, decimals: number) =>
  Math.round(x * 10 ** decimals) / 10 ** decimals;

/** A fact rounded to the precision the text wrote it with: "45%" for 45.2 is the same fact. */
function isFact(value: number, decimals: number, vocab: Vocabulary): boolean {
  for (const n of vocab.numbers) if (round(n, decimals) === value) return true;
  return false;
}

/** "and 3 more": a list of a fact's size cut after 1 to `narrativeFormat.MAX_LISTED` items. */
function isRemainder(value: number, vocab: Vocabulary): boolean {
  for (const count of vocab.counts)
    if (count - value >= 1 && count - value <= narrativeFormat.MAX_LISTED)
      return true;
  return false;
}

/**
 * Every number and percentage in the text is a fact: a count, a score, a regression's figures,
 * or a number written in the facts' own texts. Versions, times, durations, refs and links are
 * read as such by the scanner and left to their rules.
 */
export const knownNumbers: GroundingRule = {
  id: KNOWN_NUMBERS_RULE,
  check({ text, mentions }, vocab) {
    const problems = new Set<string>();
    for (const m of mentions) {
      if (m.kind !== 'number' && m.kind !== 'percent') continue;
      const value = parseNumber(m.text);
      if (value === undefined) continue;
      if (isFact(value, decimalsOf(m.text), vocab)) continue;
      const after = text.slice(
        m.index + m.text.length,
        m.index + m.text.length + 6,
      );
      if (/^\s{1,2}more\b/i.test(after) && isRemainder(value, vocab)) continue;
      problems.add(
        `states ${quote(m.text)}, a number that is not in the facts`,
      );
    }
    return [...problems];
  },
};
