import { modelCalls, monthlyCost, tokenSummary } from './tokens';

const S = 1000;

describe('modelCalls', () => {
  it('sends a new incident at once and debounces later changes into one call with the facts as they stand then', () => {
    const changes = [
      { atMs: 0, hash: 'a' },
      { atMs: 2 * S, hash: 'b' },
      { atMs: 4 * S, hash: 'c' },
      // The debounce of the change at 2 s passes at 12 s: c is sent.
      { atMs: 15 * S, hash: 'd' },
    ];
    expect(modelCalls(changes, 10 * S)).toEqual([0, 2, 3]);
  });

  it('asks nothing for facts already rewritten (the cache answers) or unchanged', () => {
    const changes = [
      { atMs: 0, hash: 'a' },
      { atMs: 1 * S, hash: 'a' },
      { atMs: 20 * S, hash: 'b' },
      { atMs: 40 * S, hash: 'a' },
    ];
    expect(modelCalls(changes, 10 * S)).toEqual([0, 2]);
  });

  it('calls once per debounce window however many changes a storm brings', () => {
    const storm = Array.from({ length: 100 }, (_, i) => ({
      atMs: i * 500,
      hash: `h${i}`,
    }));
    // 50 s of changes every 0.5 s with a 10 s debounce: the first at once, then one call
    // every 10 s, and the last after the storm.
    expect(modelCalls(storm, 10 * S)).toHaveLength(6);
  });
});

describe('monthlyCost', () => {
  it('scales the mean tokens per incident by services and prices', () => {
    const summary = tokenSummary([
      {
        topology: 't',
        scenario: 's',
        incidentId: 'i',
        alerts: 3,
        modelCalls: 2,
        promptTokens: 1000,
        answerTokens: 250,
      },
    ]);
    expect(summary.inputTokensPerIncident.mean).toBe(2000);
    const month = monthlyCost(summary, 100, {
      model: 'm',
      inputPerMillionTokens: 1,
      outputPerMillionTokens: 2,
      currency: 'EUR',
    });
    // 100 services × 10 incidents × (2,000 in, 500 out).
    expect(month).toMatchObject({
      incidents: 1000,
      inputTokens: 2_000_000,
      outputTokens: 500_000,
      cost: 3,
    });
  });
});
