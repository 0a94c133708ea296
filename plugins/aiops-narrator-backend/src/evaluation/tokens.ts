import { createHash } from 'node:crypto';
import {
  buildNarrativeFacts,
  estimateTokens,
  templateDraft,
  type NarrativeFacts,
} from '@aiops/plugin-aiops-node';
import { rewriteMessages } from '../service/llm/prompt';
import { markdownTable } from './evaluate';
import { evaluationTopologies, replayScenario } from './scenarioIncidents';

/*
 * What the model pass would cost on the evaluation scenarios: how often each incident would be
 * sent to the model, and how large the prompt and the answer are. Deterministic: the scenarios
 * are replayed through correlation's core event by event, and the narrator's rules are applied
 * on the events' own clock.
 */

/** One incident's model calls and their size, over its life in a scenario. */
export interface IncidentTokens {
  topology: string;
  scenario: string;
  incidentId: string;
  alerts: number;
  /** Narrations whose facts the model had not rewritten before (the cache answers the rest). */
  modelCalls: number;
  /** Mean prompt size of those calls (system and user message), in tokens. */
  promptTokens: number;
  /**
   * The answer's size, in tokens: the template's draft as JSON, which is the shape and about
   * the length the model is asked to write.
   */
  answerTokens: number;
}

const hashOf = (facts: NarrativeFacts) =>
  createHash('sha256').update(JSON.stringify(facts)).digest('hex');

/**
 * Which of an incident's successive facts the narrator sends to the model (their indices): the
 * first at once, later ones once the debounce has passed (one narration takes every change in
 * the window, and sends the facts as they stand when it runs), and only facts not rewritten
 * before (the cache keys on their hash).
 */
export function modelCalls(
  changes: Array<{ atMs: number; hash: string }>,
  debounceMs: number,
): number[] {
  const calls: number[] = [];
  const rewritten = new Set<string>();
  let dueAt: number | undefined;
  const narrate = (index: number) => {
    dueAt = undefined;
    if (rewritten.has(changes[index].hash)) return;
    rewritten.add(changes[index].hash);
    calls.push(index);
  };
  changes.forEach((change, i) => {
    if (dueAt !== undefined && dueAt <= change.atMs) narrate(i - 1);
    if (i > 0 && change.hash === changes[i - 1].hash) return;
    if (i === 0) narrate(0);
    else dueAt ??= change.atMs + debounceMs;
  });
  if (dueAt !== undefined) narrate(changes.length - 1);
  return calls;
}

/** Every incident of every evaluation scenario, with its model calls and token sizes. */
export function measureTokens(debounceMs: number): IncidentTokens[] {
  return evaluationTopologies().flatMap(topology => {
    const catalog = topology.catalog();
    const byRef = new Map(catalog.map(e => [e.entityRef, e]));
    return topology.scenarios.flatMap(scenario => {
      const history = new Map<
        string,
        Array<{ atMs: number; hash: string; prompt: number; answer: number }>
      >();
      const last = replayScenario(scenario, catalog, (at, open) => {
        for (const { details, deployments } of open) {
          const facts = buildNarrativeFacts({
            details,
            deployments,
            catalog: ref => byRef.get(ref),
          });
          const draft = templateDraft(facts);
          const entry = {
            atMs: Date.parse(at),
            hash: hashOf(facts),
            prompt: estimateTokens(
              rewriteMessages(facts, draft).map(m => m.content),
            ),
            answer: estimateTokens([JSON.stringify(draft)]),
          };
          const id = details.incident.id;
          history.set(id, [...(history.get(id) ?? []), entry]);
        }
      });
      return last.map(({ details }) => {
        const changes = history.get(details.incident.id) ?? [];
        const calls = modelCalls(changes, debounceMs);
        // The size of each call: the facts as they stood when it was made.
        const sized = calls.length
          ? calls.map(i => changes[i])
          : changes.slice(-1);
        const mean = (pick: (c: (typeof changes)[number]) => number) =>
          Math.round(
            sized.reduce((n, c) => n + pick(c), 0) / Math.max(1, sized.length),
          );
        return {
          topology: topology.name,
          scenario: scenario.name,
          incidentId: details.incident.id,
          alerts: details.alerts.length,
          modelCalls: calls.length,
          promptTokens: mean(c => c.prompt),
          answerTokens: mean(c => c.answer),
        };
      });
    });
  });
}

/** Example prices for the cost table, per million tokens; the configured ones are what count. */
export const EXAMPLE_PRICES = {
  model: 'mistral-small-latest',
  inputPerMillionTokens: 0.2,
  outputPerMillionTokens: 0.6,
  currency: 'USD',
};

/** Incidents per service per month in the cost table (a busy service; scale linearly). */
export const INCIDENTS_PER_SERVICE_MONTH = 10;

const percentileOf = (sorted: number[], q: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Per-incident figures over every incident: mean, 90th percentile and max. */
export function tokenSummary(rows: IncidentTokens[]) {
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      mean: Math.round(
        sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
      ),
      p90: percentileOf(sorted, 0.9),
      max: sorted[sorted.length - 1] ?? 0,
    };
  };
  const perIncident = rows.map(r => ({
    input: r.modelCalls * r.promptTokens,
    output: r.modelCalls * r.answerTokens,
  }));
  return {
    incidents: rows.length,
    modelCalls: stat(rows.map(r => r.modelCalls)),
    promptTokens: stat(rows.map(r => r.promptTokens)),
    answerTokens: stat(rows.map(r => r.answerTokens)),
    inputTokensPerIncident: stat(perIncident.map(t => t.input)),
    outputTokensPerIncident: stat(perIncident.map(t => t.output)),
  };
}

/** The monthly cost at `services` services, from the mean tokens per incident. */
export function monthlyCost(
  summary: ReturnType<typeof tokenSummary>,
  services: number,
  prices = EXAMPLE_PRICES,
) {
  const incidents = services * INCIDENTS_PER_SERVICE_MONTH;
  const input = incidents * summary.inputTokensPerIncident.mean;
  const output = incidents * summary.outputTokensPerIncident.mean;
  return {
    services,
    incidents,
    inputTokens: input,
    outputTokens: output,
    cost:
      (input / 1e6) * prices.inputPerMillionTokens +
      (output / 1e6) * prices.outputPerMillionTokens,
  };
}

/** Section 3 of the evaluation: the model pass's size on the scenarios, and what it would cost. */
export function formatTokens(rows: IncidentTokens[], debounceMs: number) {
  const summary = tokenSummary(rows);
  const n = (x: number) => x.toLocaleString('en-US');
  const row = (
    label: string,
    s: { mean: number; p90: number; max: number },
  ) => [label, n(s.mean), n(s.p90), n(s.max)];
  const prices = EXAMPLE_PRICES;
  return [
    '## 3. Tokens per incident (for the cost model)',
    '',
    `Each incident of the same scenarios, replayed event by event: it is narrated when it opens`,
    `and again once the debounce (${
      debounceMs / 1000
    } s, \`aiops.narrator.debounce\`) has passed after a change`,
    "of its facts; facts rewritten before are answered by the cache. A call's prompt is the",
    "narrator's real prompt (instructions and fenced facts, redacted); its answer is sized as the",
    "template's draft in JSON, the shape the model is asked for (its `maxTokens`, default 1,500,",
    'caps it). Tokens are estimated at four characters each, as the budget check does; the',
    "provider's counts, which the LLM service records per call, replace the estimate in use.",
    '',
    ...markdownTable(
      ['per incident', 'mean', 'p90', 'max'],
      [false, true, true, true],
      [
        row('model calls', summary.modelCalls),
        row('prompt tokens per call', summary.promptTokens),
        row('answer tokens per call', summary.answerTokens),
        row('input tokens', summary.inputTokensPerIncident),
        row('output tokens', summary.outputTokensPerIncident),
      ],
    ),
    '',
    `${summary.incidents} incidents. At example prices (${prices.model}: ${prices.inputPerMillionTokens} ${prices.currency} per million input tokens, ${prices.outputPerMillionTokens} per million output tokens) and ${INCIDENTS_PER_SERVICE_MONTH} incidents per service a month, from the mean tokens per incident:`,
    '',
    ...markdownTable(
      [
        'services',
        'incidents a month',
        'input tokens',
        'output tokens',
        'cost a month',
      ],
      [true, true, true, true, true],
      [10, 100, 1000].map(services => {
        const m = monthlyCost(summary, services, prices);
        return [
          n(m.services),
          n(m.incidents),
          n(m.inputTokens),
          n(m.outputTokens),
          `${m.cost.toFixed(2)} ${prices.currency}`,
        ];
      }),
    ),
  ];
}
