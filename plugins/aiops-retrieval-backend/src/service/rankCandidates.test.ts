import { cartIncidentDetails } from '@aiops/plugin-aiops-node/testUtils';
import { documentText } from './documentText';
import { embedHashedNgrams } from './hashedNgrams';
import { buildIncidentDocument } from './incidentDocument';
import {
  explainRanked,
  rankCandidates,
  type Candidate,
} from './rankCandidates';
import { tokenize } from './tokenize';
import { DEFAULT_FUSION, type IncidentDocument } from './types';

const query = buildIncidentDocument(cartIncidentDetails());

function past(
  id: string,
  overrides: Partial<IncidentDocument>,
): IncidentDocument {
  return {
    ...query,
    incidentId: id,
    status: 'resolved',
    findings: [],
    ...overrides,
  };
}

const sameCause = past('inc-past-redis', {
  title: 'redis-cart: RedisDown (+2 related alerts)',
  entityRefs: ['resource:default/redis-cart', 'component:default/cart'],
  alertNames: ['CartServiceErrorRate', 'RedisDown'],
  resolutionNote: 'Restarted redis-cart with more memory',
});
const sameSystemOnly = past('inc-past-disk', {
  title: 'ledger-db: DiskFull',
  entityRefs: ['resource:default/ledger-db'],
  rootCauseEntityRef: 'resource:default/ledger-db',
  alertNames: ['DiskFull'],
});
const wordsOnly = past('inc-past-words', {
  title: 'cart latency after deploy',
  entityRefs: ['component:default/ad'],
  rootCauseEntityRef: 'component:default/ad',
  alertNames: ['AdLatency'],
  system: 'system:default/ads',
});

const candidate = (
  document: IncidentDocument,
  lexical?: number,
): Candidate => ({
  document,
  lexical,
  vector: embedHashedNgrams(documentText(document)),
});

const similarQuery = (vector = true) => ({
  structure: query,
  tokens: tokenize(documentText(query)),
  vector: vector ? embedHashedNgrams(documentText(query)) : undefined,
  excludeIncidentId: query.incidentId,
});

describe('rankCandidates', () => {
  it('puts the past incident with the same root cause, entities and alerts first, and says why', () => {
    const hits = rankCandidates(
      similarQuery(),
      [
        candidate(wordsOnly, 9),
        candidate(sameSystemOnly),
        candidate(sameCause, 7),
      ],
      { fusion: DEFAULT_FUSION, k: 5 },
    );
    expect(hits.map(h => h.document.incidentId)).toEqual([
      'inc-past-redis',
      'inc-past-words',
      'inc-past-disk',
    ]);
    expect(hits[0].why).toMatchObject({
      sharedEntities: ['resource:default/redis-cart', 'component:default/cart'],
      sharedAlertNames: ['CartServiceErrorRate', 'RedisDown'],
      sameRootCause: true,
      sameSystem: true,
    });
    expect(hits[0].why.sharedTerms).toContain('redisdown');
    expect(hits[0].why.signals.vector).toBeGreaterThan(
      hits[2].why.signals.vector!,
    );
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
  });

  it('never answers the incident itself, nor a candidate twice, and keeps k', () => {
    const hits = rankCandidates(
      similarQuery(),
      [
        candidate(query, 20),
        candidate(sameCause, 7),
        candidate(sameCause),
        candidate(wordsOnly, 9),
      ],
      { fusion: DEFAULT_FUSION, k: 1 },
    );
    expect(hits.map(h => h.document.incidentId)).toEqual(['inc-past-redis']);
  });

  it('ranks on lexical and structural scores alone when there is no query vector', () => {
    const hits = rankCandidates(
      similarQuery(false),
      [candidate(wordsOnly, 9), candidate(sameCause, 7)],
      { fusion: { ...DEFAULT_FUSION, method: 'rrf' }, k: 5 },
    );
    expect(hits[0].document.incidentId).toBe('inc-past-redis');
    for (const hit of hits) expect(hit.why.signals.vector).toBeUndefined();
  });

  it('ranks free text by words and meaning, with no structure', () => {
    const text = 'redis down, cart errors';
    const hits = rankCandidates(
      { tokens: tokenize(text), vector: embedHashedNgrams(text) },
      [candidate(sameSystemOnly), candidate(sameCause, 3)],
      { fusion: DEFAULT_FUSION, k: 5 },
    );
    expect(hits[0].document.incidentId).toBe('inc-past-redis');
    expect(hits[0].why.sharedEntities).toEqual([]);
    expect(hits[0].why.sharedTerms).toEqual(
      expect.arrayContaining(['redis', 'cart', 'down']),
    );
  });
});

describe('merged incidents', () => {
  it('are never hits: their alerts live on in the incident they were merged into', () => {
    const merged = past('inc-merged', { mergedInto: 'inc-past-redis' });
    const hits = rankCandidates(
      similarQuery(),
      [candidate(merged, 3), candidate(sameCause, 1)],
      { fusion: DEFAULT_FUSION, k: 5 },
    );
    expect(hits.map(h => h.document.incidentId)).toEqual(['inc-past-redis']);
  });
});

describe('explainRanked', () => {
  it('keeps the order and scores a store fused, leaves out the query and repeats, and explains each hit as rankCandidates does', () => {
    const fused = [
      { ...candidate(wordsOnly, 2), score: 0.9 },
      { ...candidate(query), score: 0.8 },
      { ...candidate(sameCause, 1), score: 0.7 },
      { ...candidate(wordsOnly, 2), score: 0.6 },
      { ...candidate(sameSystemOnly), score: 0.5 },
    ];
    const hits = explainRanked(similarQuery(), fused, 2);
    expect(hits.map(h => [h.document.incidentId, h.score])).toEqual([
      ['inc-past-words', 0.9],
      ['inc-past-redis', 0.7],
    ]);
    const ranked = rankCandidates(similarQuery(), [candidate(sameCause, 1)], {
      fusion: DEFAULT_FUSION,
      k: 1,
    });
    expect(hits[1].why).toEqual(ranked[0].why);
  });
});
