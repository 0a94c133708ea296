import { hashedNgramsEmbedder } from '../service/hashedNgrams';
import { DEFAULT_FUSION } from '../service/types';
import { EvaluationIndex, rememberingEmbedder } from './evaluationIndex';
import { asOpened, generateLabelledSet } from './labelledSet';
import { scoreRankings, type QueryRanking } from './scoreRankings';

// The whole labelled set through the real SQLite index: a few seconds.
jest.setTimeout(120_000);

/**
 * The evaluation's headline as a regression test: the default ranking on the committed set
 * keeps the target, and stays above the lexical signal alone.
 */
describe('the evaluation on the labelled set', () => {
  it('ranks the default hybrid at recall@5 0.9 or more, above lexical alone', async () => {
    const set = generateLabelledSet();
    const index = await EvaluationIndex.create(hashedNgramsEmbedder);
    await index.index(
      set.incidents.map(i => i.document),
      200,
    );
    const groupOf = new Map(
      set.incidents.map(i => [i.document.incidentId, i.group]),
    );
    const hybrid: QueryRanking[] = [];
    const lexical: QueryRanking[] = [];
    for (const { group, document } of set.incidents) {
      const query = asOpened(document);
      const queryId = query.incidentId;
      hybrid.push({
        queryId,
        group,
        ranked: await index.hybrid(query, DEFAULT_FUSION, 10),
      });
      lexical.push({ queryId, group, ranked: await index.lexical(query, 10) });
    }
    await index.close();
    const scores = scoreRankings('hybrid', hybrid, groupOf);
    expect(scores.queries).toBe(set.incidents.length);
    expect(scores.recallAt5).toBeGreaterThanOrEqual(0.9);
    expect(scores.ndcgAt10).toBeGreaterThan(
      scoreRankings('lexical', lexical, groupOf).ndcgAt10,
    );
  });

  it('embeds each distinct text once when remembering', async () => {
    const calls: string[][] = [];
    const embedder = rememberingEmbedder({
      ...hashedNgramsEmbedder,
      embed: async texts => {
        calls.push(texts);
        return hashedNgramsEmbedder.embed(texts);
      },
    });
    const [a, b, again] = await embedder.embed([
      'disk full',
      'oom',
      'disk full',
    ]);
    expect(Array.from(again)).toEqual(Array.from(a));
    expect(b).not.toEqual(a);
    await embedder.embed(['oom']);
    expect(calls).toEqual([['disk full', 'oom']]);
  });
});
