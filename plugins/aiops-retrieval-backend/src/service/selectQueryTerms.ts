/** Most terms (or structural keys) a query sends to the index. */
export const MAX_QUERY_TERMS = 16;
/**
 * A term in more than this share of the documents says little about which incident is meant
 * (BM25 gives it a small weight) but makes the index score most of the documents: it is left
 * out of the candidate query, unless nothing rarer is asked.
 */
export const COMMON_TERM_SHARE = 0.1;
/** Below this many documents every term counts: a small index has no "common" words yet. */
export const MIN_DOCUMENTS_FOR_COMMON = 200;
/** When only common terms are asked, the rarest few of them still find candidates. */
export const COMMON_FALLBACK_TERMS = 3;
/**
 * Most postings (documents per term, summed) a query's terms may reach by default: what the
 * index reads and scores is bounded by this, whatever the index's size (about 20 ms of FTS5
 * ranking, which reads postings only). A store whose ranking reads each matching row gives a
 * smaller budget. The rarest term is always asked.
 */
export const MAX_QUERY_POSTINGS = 20_000;

function byTerm(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The terms a candidate query is made of: the query's rarest, by how many documents hold each
 * (`documents`), the ones no document holds left out (they match nothing). Deterministic: ties
 * by the term. Candidates found this way are then ranked on every signal, so leaving a common
 * term out of the candidate query costs little and keeps a query's cost bounded by the rare
 * terms' postings instead of the whole index's.
 */
export function selectQueryTerms(
  terms: Iterable<string>,
  documents: ReadonlyMap<string, number>,
  total: number,
  maxPostings = MAX_QUERY_POSTINGS,
): string[] {
  const known = [...new Set(terms)]
    .filter(term => (documents.get(term) ?? 0) > 0)
    .sort((a, b) => documents.get(a)! - documents.get(b)! || byTerm(a, b));
  let chosen = known;
  if (total >= MIN_DOCUMENTS_FOR_COMMON) {
    const limit = COMMON_TERM_SHARE * total;
    const rare = known.filter(term => documents.get(term)! <= limit);
    chosen = rare.length ? rare : known.slice(0, COMMON_FALLBACK_TERMS);
  }
  return withinPostings(
    chosen.slice(0, MAX_QUERY_TERMS),
    documents,
    maxPostings,
  );
}

/** The terms, rarest first, while their postings add up to at most `maxPostings`. */
function withinPostings(
  terms: string[],
  documents: ReadonlyMap<string, number>,
  maxPostings: number,
): string[] {
  let postings = 0;
  return terms.filter((term, i) => {
    postings += documents.get(term)!;
    return i === 0 || postings <= maxPostings;
  });
}
