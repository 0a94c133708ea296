import { FACT_LIMITS } from './entityFacts';
import {
  MAX_PAST_INCIDENTS,
  pastIncidentsOf,
  type PastIncidentInput,
} from './pastIncidents';

const hit = (
  id: string,
  score: number,
  extra: Partial<PastIncidentInput> = {},
): PastIncidentInput => ({
  incidentId: id,
  title: `past ${id}`,
  status: 'resolved',
  openedAt: '2026-11-02T14:10:00Z',
  resolution: { note: `fixed ${id}` },
  score,
  ...extra,
});

describe('pastIncidentsOf', () => {
  it('keeps resolved incidents that say how they were fixed, best first, never the incident itself', () => {
    const facts = pastIncidentsOf('inc-now', [
      hit('inc-a', 0.5),
      hit('inc-now', 1),
      hit('inc-open', 0.9, { status: 'open' }),
      hit('inc-no-note', 0.8, { resolution: { note: '   ' } }),
      hit('inc-no-resolution', 0.8, { resolution: undefined }),
      hit('inc-postmortem-only', 0.6, {
        resolution: { postmortemUrl: 'https://wiki.example/pm/1' },
      }),
      hit('inc-b', 0.7),
    ]);
    expect(facts.map(p => p.id)).toEqual([
      'inc-b',
      'inc-postmortem-only',
      'inc-a',
    ]);
    expect(facts[1]).toEqual({
      id: 'inc-postmortem-only',
      title: 'past inc-postmortem-only',
      openedAt: '2026-11-02T14:10:00Z',
      postmortemUrl: 'https://wiki.example/pm/1',
      score: 0.6,
    });
  });

  it('is the same whatever order the hits came in, and bounded', () => {
    const hits = Array.from({ length: 10 }, (_, i) => hit(`inc-${i}`, 0.5));
    const forward = pastIncidentsOf('inc-now', hits);
    expect(forward).toHaveLength(MAX_PAST_INCIDENTS);
    expect(pastIncidentsOf('inc-now', [...hits].reverse())).toEqual(forward);
  });

  it('cuts a long note like other people’s text', () => {
    const [fact] = pastIncidentsOf('inc-now', [
      hit('inc-a', 0.5, { resolution: { note: 'x'.repeat(5000) } }),
    ]);
    expect(fact.note).toHaveLength(FACT_LIMITS.textLength + 1);
  });

  it('is empty without hits', () => {
    expect(pastIncidentsOf('inc-now')).toEqual([]);
  });
});
