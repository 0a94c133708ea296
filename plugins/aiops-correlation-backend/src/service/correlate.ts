import type { Draft } from './pipeline';
import { runStages } from './pipeline';
import { EVENT_STAGES, HOUSEKEEPING_STAGES } from './stages';
import type {
  CorrelationContext,
  CorrelationEvent,
  CorrelationResult,
  CorrelationState,
} from './types';
import { toMs } from './time';

export function emptyCorrelationState(): CorrelationState {
  return { alerts: {}, incidents: {}, deployments: [] };
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
  const draft: Draft = {
    event,
    now: toMs(event.at),
    state: structuredClone(state),
    context,
    decisions: [],
    touched: new Set(),
    opened: new Set(),
  };
  runStages(draft, EVENT_STAGES);
  runStages(draft, HOUSEKEEPING_STAGES);
  return { state: draft.state, decisions: draft.decisions };
}

/** Correlates events in order; convenient for replays, tests and the evaluation harness. */
export function correlateAll(
  events: CorrelationEvent[],
  context: CorrelationContext,
  initial: CorrelationState = emptyCorrelationState(),
): CorrelationResult {
  let state = initial;
  const decisions: CorrelationResult['decisions'] = [];
  for (const event of events) {
    const result = correlate(state, event, context);
    state = result.state;
    decisions.push(...result.decisions);
  }
  return { state, decisions };
}
