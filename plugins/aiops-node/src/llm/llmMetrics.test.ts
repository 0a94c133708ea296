import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { llmMetricsRecorder } from './llmMetrics';
import type { LlmCallRecord } from './status';

/** A metrics service that keeps what it is given, by instrument name. */
function recordingMetrics() {
  const seen: Record<string, Array<[number, object | undefined]>> = {};
  const instrument = (name: string) => {
    seen[name] = [];
    const keep = (value: number, attributes?: object) =>
      seen[name].push([value, attributes]);
    return { add: keep, record: keep };
  };
  const metrics = {
    createCounter: instrument,
    createHistogram: instrument,
  } as unknown as MetricsService;
  return { metrics, seen };
}

const record: LlmCallRecord = {
  at: '2026-12-03T14:00:00.000Z',
  plugin: 'aiops-narrator',
  purpose: 'narrative',
  kind: 'chat',
  model: 'mistral-small-2506',
  outcome: 'ok',
  tokensIn: 100,
  tokensOut: 50,
  cost: 0.0005,
  latencyMs: 420,
  attempts: 1,
};

describe('llmMetricsRecorder', () => {
  it('counts calls, tokens in and out and cost, and times the call', () => {
    const { metrics, seen } = recordingMetrics();
    llmMetricsRecorder(metrics)(record);
    const base = {
      kind: 'chat',
      model: 'mistral-small-2506',
      purpose: 'narrative',
    };
    expect(seen).toEqual({
      'aiops.llm.calls': [[1, { ...base, outcome: 'ok' }]],
      'aiops.llm.tokens': [
        [100, { ...base, direction: 'input' }],
        [50, { ...base, direction: 'output' }],
      ],
      'aiops.llm.cost': [[0.0005, base]],
      'aiops.llm.call.duration': [[420, { ...base, outcome: 'ok' }]],
    });
  });

  it('counts a refusal without tokens or cost', () => {
    const { metrics, seen } = recordingMetrics();
    llmMetricsRecorder(metrics)({
      ...record,
      outcome: 'budget-exhausted',
      tokensIn: 0,
      tokensOut: 0,
      cost: 0,
      attempts: 0,
    });
    expect(seen['aiops.llm.calls']).toEqual([
      [1, expect.objectContaining({ outcome: 'budget-exhausted' })],
    ]);
    expect(seen['aiops.llm.tokens']).toEqual([]);
    expect(seen['aiops.llm.cost']).toEqual([]);
  });
});
