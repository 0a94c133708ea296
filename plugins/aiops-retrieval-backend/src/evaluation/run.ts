/* eslint-disable no-console */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_OFFLINE_EMBEDDER } from '../config';
import type { Embedder } from '../service/embedder';
import { hashedNgramsEmbedder } from '../service/hashedNgrams';
import {
  DEFAULT_FUSION,
  type FusionMethod,
  type IncidentDocument,
} from '../service/types';
import { UseLiteEmbedder } from '../service/useLiteEmbedder';
import { EvaluationIndex, rememberingEmbedder } from './evaluationIndex';
import { LABELLED_SET_FILE } from './generate';
import {
  asOpened,
  generateLabelledSet,
  LABELLED_SET_SEED,
  type LabelledSet,
} from './labelledSet';
import {
  recallByGroup,
  scoreRankings,
  type MethodScores,
  type QueryRanking,
} from './scoreRankings';

/*
 * `npm run eval:retrieval`: indexes the labelled set into the plugin's real index (SQLite in
 * memory) with each offline embedder, asks for every incident's similar incidents as it was
 * when it opened (no resolution yet; itself excluded), scores each method, prints the table
 * and writes it into docs/retrieval.md's "Evaluation" section (`--no-docs` to print only).
 */

const K = 10;
const TARGET_RECALL_AT_5 = 0.9;
/** Copies of the set indexed for the indexing rate of hashed-ngrams@1. */
const RATE_COPIES = 10;
/** Documents use-lite@1 indexes one by one for its rate (it is slow). */
const USE_LITE_ONE_BY_ONE = 50;
/** A reindex's page (`Indexer.reindex`). */
const PAGE = 200;
const START = '<!-- eval:retrieval:start -->';
const END = '<!-- eval:retrieval:end -->';

/** The repository's docs/, found above the working directory. */
function findDocs(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'docs', 'retrieval.md')))
      return path.join(dir, 'docs');
    if (path.dirname(dir) === dir)
      throw new Error(`docs/retrieval.md not found above ${from}`);
  }
}

const set: LabelledSet = JSON.parse(fs.readFileSync(LABELLED_SET_FILE, 'utf8'));
/** Every incident of a set as a query, as it was when it opened. */
function queriesOf(labelled: LabelledSet) {
  return {
    groupOf: new Map(
      labelled.incidents.map(i => [i.document.incidentId, i.group]),
    ),
    queries: labelled.incidents.map(i => ({
      group: i.group,
      query: asOpened(i.document),
    })),
  };
}

const { groupOf, queries } = queriesOf(set);

async function rank(
  method: string,
  answer: (query: IncidentDocument) => Promise<string[]>,
  on = { groupOf, queries },
): Promise<{ scores: MethodScores; rankings: QueryRanking[] }> {
  const rankings: QueryRanking[] = [];
  for (const { group, query } of on.queries)
    rankings.push({
      queryId: query.incidentId,
      group,
      ranked: await answer(query),
    });
  return { scores: scoreRankings(method, rankings, on.groupOf), rankings };
}

/**
 * The default embedder's methods on a set of another seed, not committed and never looked at
 * while building the ranker: the same generator's other draw, to see the numbers do not hang
 * on one.
 */
async function freshSeed(): Promise<MethodScores[]> {
  const fresh = generateLabelledSet(`${LABELLED_SET_SEED}-fresh`);
  const on = queriesOf(fresh);
  const index = await EvaluationIndex.create(hashedNgramsEmbedder);
  await index.index(
    fresh.incidents.map(i => i.document),
    PAGE,
  );
  const scores = [
    await rank('lexical (FTS5 BM25)', q => index.lexical(q, K), on),
    await rank(
      `vector ${hashedNgramsEmbedder.model}`,
      q => index.vector(q, K),
      on,
    ),
  ];
  for (const method of ['minmax', 'rrf'] as FusionMethod[])
    scores.push(
      await rank(
        `hybrid ${method}, ${hashedNgramsEmbedder.model}`,
        q => index.hybrid(q, { ...DEFAULT_FUSION, method }, K),
        on,
      ),
    );
  await index.close();
  return scores.map(({ scores: s }) => ({
    ...s,
    method: `${s.method} — fresh seed, ${fresh.incidents.length} incidents`,
  }));
}

interface EmbedderRun {
  model: string;
  loadMs: number;
  documents: number;
  oneByOne: number;
  paged: number;
}

async function main() {
  const results: Array<{ scores: MethodScores; rankings: QueryRanking[] }> = [];
  const embedderRuns: EmbedderRun[] = [];
  const documents = set.incidents.map(i => i.document);

  const useLite = new UseLiteEmbedder();
  const loadStarted = Date.now();
  await useLite.embed(['load the model']);
  const useLiteLoadMs = Date.now() - loadStarted;

  const embedders: Array<{ embedder: Embedder; loadMs: number }> = [
    { embedder: hashedNgramsEmbedder, loadMs: 0 },
    { embedder: rememberingEmbedder(useLite), loadMs: useLiteLoadMs },
  ];
  for (const { embedder, loadMs } of embedders) {
    const index = await EvaluationIndex.create(embedder);
    const paged = await index.index(documents, PAGE);
    embedderRuns.push({
      model: embedder.model,
      loadMs,
      documents: documents.length,
      paged,
      oneByOne: 0,
    });
    if (embedder === hashedNgramsEmbedder) {
      results.push(await rank('lexical (FTS5 BM25)', q => index.lexical(q, K)));
      results.push(await rank('structural', q => index.structural(q, K)));
    }
    results.push(
      await rank(`vector ${embedder.model}`, q => index.vector(q, K)),
    );
    for (const method of ['minmax', 'rrf'] as FusionMethod[])
      results.push(
        await rank(`hybrid ${method}, ${embedder.model}`, q =>
          index.hybrid(q, { ...DEFAULT_FUSION, method }, K),
        ),
      );
    await index.close();
    console.error(`evaluated ${embedder.model}`);
  }
  const fresh = await freshSeed();

  // Indexing rates on fresh indexes: hashed-ngrams on ten copies of the set (a steadier
  // number), use-lite one by one on a sample (not remembered: each text is embedded).
  const copies = Array.from({ length: RATE_COPIES }, (_, copy) =>
    documents.map(d => ({ ...d, incidentId: `${d.incidentId}-${copy}` })),
  ).flat();
  const rate = async (
    embedder: Embedder,
    docs: typeof documents,
    page: number,
  ) => {
    const index = await EvaluationIndex.create(embedder);
    const perSecond = await index.index(docs, page);
    await index.close();
    return perSecond;
  };
  embedderRuns.push({
    model: hashedNgramsEmbedder.model,
    loadMs: 0,
    documents: copies.length,
    oneByOne: await rate(hashedNgramsEmbedder, copies, 1),
    paged: await rate(hashedNgramsEmbedder, copies, PAGE),
  });
  embedderRuns[1].oneByOne = await rate(
    useLite,
    documents.slice(0, USE_LITE_ONE_BY_ONE),
    1,
  );

  const load = (() => {
    try {
      return execFileSync('uptime', { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown (uptime unavailable)';
    }
  })();
  const defaultMethod = `hybrid ${DEFAULT_FUSION.method}, ${
    DEFAULT_OFFLINE_EMBEDDER === 'use-lite' ? 'use-lite@1' : 'hashed-ngrams@1'
  }`;
  const best = results.find(r => r.scores.method === defaultMethod)!;
  const f = (x: number) => x.toFixed(3);
  const lines = [
    `Measured by \`npm run eval:retrieval\` on ${new Date()
      .toISOString()
      .slice(0, 10)}; machine load: \`${load}\`.`,
    '',
    `${set.incidents.length} incidents in ${set.groups.length} groups (seed \`${set.seed}\`); each incident is asked for as it was when it opened (no resolution note), itself excluded; relevant = the other incidents of its group. recall@5 is capped recall (relevant in the first 5 over min(5, relevant)); hit@5 = any relevant in the first 5.`,
    '',
    '| method | recall@5 | hit@5 | MRR | nDCG@10 |',
    '| --- | --: | --: | --: | --: |',
    ...[...results.map(r => r.scores), ...fresh].map(
      s =>
        `| ${
          s.method === defaultMethod ? `**${s.method}** (default)` : s.method
        } | ${f(s.recallAt5)} | ${f(s.hitAt5)} | ${f(s.mrr)} | ${f(
          s.ndcgAt10,
        )} |`,
    ),
    '',
    `| embedder | load | incidents | one per transaction | in pages of ${PAGE} (reindex; the feed writes its pages so) |`,
    '| --- | --: | --: | --: | --: |',
    ...embedderRuns.map(
      r =>
        `| ${r.model} | ${r.loadMs} ms | ${r.documents} | ${
          r.oneByOne
            ? `${Math.round(r.oneByOne)}/s (${(1000 / r.oneByOne).toFixed(
                2,
              )} ms each${
                r.model === 'use-lite@1' ? `, first ${USE_LITE_ONE_BY_ONE}` : ''
              })`
            : ''
        } | ${Math.round(r.paged)}/s (${(1000 / r.paged).toFixed(
          2,
        )} ms each) |`,
    ),
    '',
    `Default (${defaultMethod}): recall@5 ${f(
      best.scores.recallAt5,
    )} — target ${TARGET_RECALL_AT_5} ${
      best.scores.recallAt5 >= TARGET_RECALL_AT_5 ? 'met' : '**not met**'
    }. Its worst groups (recall@5): ${recallByGroup(best.rankings, groupOf)
      .slice(0, 8)
      .map(g => `${g.group} ${f(g.recallAt5)}`)
      .join(', ')}.`,
  ];
  const text = lines.join('\n');
  console.log(text);
  if (!process.argv.includes('--no-docs')) {
    const file = path.join(findDocs(), 'retrieval.md');
    const docs = fs.readFileSync(file, 'utf8');
    const start = docs.indexOf(START);
    const end = docs.indexOf(END);
    if (start < 0 || end < start)
      throw new Error(`${file} has no ${START} … ${END} section`);
    fs.writeFileSync(
      file,
      `${docs.slice(0, start + START.length)}\n${text}\n${docs.slice(end)}`,
    );
    // The repository checks docs with prettier (`npm run prettier:check`): align the tables.
    execFileSync('npx', ['prettier', '--write', file], { stdio: 'ignore' });
    console.log(`Written to ${file}`);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
