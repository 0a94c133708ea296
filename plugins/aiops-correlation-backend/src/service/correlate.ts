import {
  EVENT_STAGES,
  HOUSEKEEPING_STAGES,
  refreshTouched,
  runStages,
  type Draft,
} from './pipeline';
import type {
  CorrelationContext,
  CorrelationDecision,
  CorrelationEvent,
  CorrelationResult,
  CorrelationState,
} from './types';
import { toMs } from './time';

export function emptyCorrelationState(): CorrelationState {
  return { alerts: {}, incidents: {}, deployments: [] };
}

/** One correlated event and the decisions it produced. */
export interface CorrelationStep {
  event: CorrelationEvent;
  decisions: CorrelationDecision[];
}

/**
 * Correlates one event: a pure function of the previous state, the event and the context
 * (topology, configuration, silences). The event's `at` is the only clock, so replaying the
 * same events gives the same incidents, keys and decisions. The input state is not changed.
 */
export function correlate(
  state: CorrelationState,
  event: CorrelationEvent,
  context: CorrelationContext,
): CorrelationResult {
  const { state: next, steps } = correlateSteps([event], context, state);
  return { state: next, decisions: steps[0].decisions };
}

/**
 * Correlates events in order, keeping each event's decisions apart (a store stamps them with
 * the event's time). The input state is copied once for the whole batch and left unchanged;
 * if an event throws, the partly updated copy is discarded with it. `inPlace` skips the copy:
 * the caller owns `initial`, it is updated and returned, and after a throw it must be thrown
 * away.
 *
 * `coalesce` re-derives the incidents the batch touched (root causes, inhibition, findings,
 * and the announcement of incidents that opened) once, at the end of the batch, with the
 * decisions of its last event, instead of after every event. Which alerts belong to which
 * incident is the same either way; what is skipped are the intermediate rankings and findings
 * a storm would otherwise re-derive for every alert. This is what lets a storm's throughput
 * stop falling with the size of its incidents.
 */
export function correlateSteps(
  events: CorrelationEvent[],
  context: CorrelationContext,
  initial: CorrelationState = emptyCorrelationState(),
  options: {
    inPlace?: boolean;
    coalesce?: boolean;
    /** With `coalesce`: re-derive an open incident at most this often (see `refreshTouched`). */
    refreshIntervalMs?: number;
  } = {},
): {
  state: CorrelationState;
  steps: CorrelationStep[];
  /** With `coalesce`: the incidents re-derived at the end of the batch. */
  refreshed: string[];
} {
  const state = options.inPlace ? initial : structuredClone(initial);
  const batch = {
    touched: new Set<string>(),
    opened: new Map<string, number>(),
  };
  const draftFor = (
    event: CorrelationEvent,
    decisions: CorrelationDecision[] = [],
  ): Draft => ({
    event,
    now: toMs(event.at),
    state,
    context,
    decisions,
    touched: options.coalesce ? batch.touched : new Set(),
    opened: options.coalesce ? batch.opened : new Map(),
    deferRefresh: options.coalesce,
  });
  const steps = events.map(event => {
    const draft = draftFor(event);
    runStages(draft, EVENT_STAGES);
    runStages(draft, HOUSEKEEPING_STAGES);
    return { event, decisions: draft.decisions };
  });
  const last = steps[steps.length - 1];
  let refreshed: string[] = [];
  if (options.coalesce && last) {
    refreshed = refreshTouched(
      { ...draftFor(last.event, last.decisions), deferRefresh: false },
      options.refreshIntervalMs,
    );
  }
  return { state, steps, refreshed };
}

/** Correlates events in order; convenient for replays, tests and the evaluation harness. */
export function correlateAll(
  events: CorrelationEvent[],
  context: CorrelationContext,
  initial: CorrelationState = emptyCorrelationState(),
): CorrelationResult {
  const { state, steps } = correlateSteps(events, context, initial);
  return { state, decisions: steps.flatMap(step => step.decisions) };
}
