import type { Mention } from '@aiops/plugin-aiops-node';
import { quote, type GroundingRule } from './rule';
import type { Vocabulary } from './vocabulary';

export const KNOWN_ENTITIES_RULE = 'known-entities@1';

/*
 * A narrative names only the incident's entities, owners and system. Entity refs are checked
 * outright. Catalog names that are not facts are a wrong entity when they cannot be anything
 * else: a multi-word title, a name with `-`, `_` or digits (`redis-cart`). A catalog name that
 * is also an English word (`rate`, `search`, `user` in DeathStarBench) is only taken for an
 * entity where the sentence uses it as one: next to another entity name ("checkout and rate"),
 * before a version ("rate 1.4.2"), as the subject of a clause ("rate is the most likely
 * cause"), as the object that ends one ("start with rate:"), or capitalised like its catalog
 * title mid-sentence ("owned by Platform"). Elsewhere "error rate" and "user requests" stay
 * English.
 */

const JOINERS = new Set(['and', 'or']);
const SUBJECT_VERBS =
  /^\s(?:is|was|has|had|depends|owns|raised|fired|ranks|reports|fails|failed|went|changed|started|returns|throws)\b/i;
/** "Start with rate:", "look at search.": a preposition, the name, then the clause ends. */
const PREPOSITION =
  /\b(?:with|at|on|of|in|from|by|to|for|around|behind)\s{1,3}$/i;
const CLAUSE_END = /^\s{0,3}(?:[:.,;)]|$)/;
const CLAUSE_START = /(?:^|[.;:!?(])\s{0,8}$/;
const LIST_GAP = /^(?:[\s,]|and|or){0,20}$/i;

const lower = (text: string) => text.toLocaleLowerCase('en-US');

/**
 * Whether a neighbouring mention is (part of) an entity name: a name itself, or the first or
 * last word of a multi-word one (`Transaction History`).
 */
function isEntityLike(
  text: string,
  m: Mention | undefined,
  vocab: Vocabulary,
): boolean {
  if (!m) return false;
  if (m.kind === 'ref') return true;
  const value = lower(m.text);
  if (vocab.names.has(value) || vocab.otherNames.has(value)) return true;
  const lowered = lower(text);
  const end = m.index + m.text.length;
  return vocab.phrases.some(
    phrase =>
      lowered.startsWith(phrase, m.index) ||
      lowered.slice(Math.max(0, end - phrase.length), end) === phrase,
  );
}

/** The nearest mention before or after `i` that is not "and"/"or". */
function neighbour(mentions: Mention[], i: number, step: 1 | -1) {
  let j = i + step;
  while (mentions[j] && JOINERS.has(lower(mentions[j].text))) j += step;
  return mentions[j];
}

function usedAsEntity(
  text: string,
  mentions: Mention[],
  i: number,
  vocab: Vocabulary,
): boolean {
  const m = mentions[i];
  const end = m.index + m.text.length;
  const before = neighbour(mentions, i, -1);
  const after = neighbour(mentions, i, 1);
  const gap = (a: Mention, b: Mention) =>
    text.slice(a.index + a.text.length, b.index);
  const listed =
    (before &&
      isEntityLike(text, before, vocab) &&
      LIST_GAP.test(gap(before, m))) ||
    (after && isEntityLike(text, after, vocab) && LIST_GAP.test(gap(m, after)));
  const versioned =
    mentions[i + 1]?.kind === 'version' &&
    /^\s{1,3}$/.test(gap(m, mentions[i + 1]));
  const clauseStart = CLAUSE_START.test(
    text.slice(Math.max(0, m.index - 10), m.index),
  );
  const subject = clauseStart && SUBJECT_VERBS.test(text.slice(end, end + 12));
  const object =
    PREPOSITION.test(text.slice(Math.max(0, m.index - 8), m.index)) &&
    CLAUSE_END.test(text.slice(end, end + 4));
  const titled = vocab.otherTitles.has(m.text) && !clauseStart;
  return Boolean(listed || versioned || subject || object || titled);
}

/** Where the facts' multi-word names stand in the text: their words are not names alone. */
function factPhraseSpans(
  lowered: string,
  vocab: Vocabulary,
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const phrase of vocab.phrases) {
    for (
      let at = lowered.indexOf(phrase);
      at >= 0 && spans.length < 1_000;
      at = lowered.indexOf(phrase, at + phrase.length)
    )
      spans.push([at, at + phrase.length]);
  }
  return spans;
}

const unknown = (name: string) =>
  `names ${quote(name)}, which is not one of the incident's entities`;

export const knownEntities: GroundingRule = {
  id: KNOWN_ENTITIES_RULE,
  check({ text, mentions }, vocab) {
    const problems: string[] = [];
    const lowered = lower(text);
    const spans = factPhraseSpans(lowered, vocab);
    const inFactPhrase = (m: Mention) =>
      spans.some(([from, to]) => m.index >= from && m.index < to);
    mentions.forEach((m, i) => {
      const value = lower(m.text);
      if (m.kind === 'ref') {
        if (!vocab.refs.has(value)) problems.push(unknown(m.text));
        return;
      }
      if (m.kind !== 'word' && m.kind !== 'identifier') return;
      if (inFactPhrase(m)) return;
      for (const phrase of vocab.otherPhrases.get(value) ?? []) {
        if (lowered.startsWith(phrase, m.index)) problems.push(unknown(phrase));
      }
      if (!vocab.otherNames.has(value) || vocab.names.has(value)) return;
      if (m.kind === 'identifier' || usedAsEntity(text, mentions, i, vocab))
        problems.push(unknown(m.text));
    });
    return [...new Set(problems)];
  },
};
