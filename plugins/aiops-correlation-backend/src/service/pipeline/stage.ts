import type {
  CorrelationContext,
  CorrelationDecision,
  CorrelationEvent,
  CorrelationState,
  IncidentState,
} from '../types';

/** The working copy one event is correlated on; stages read and change it in order. */
export interface Draft {
  event: CorrelationEvent;
  /**
   * Id of a tracked alert that a stage sends through the grouping stages instead of the
   * event's alert (one released from an ended silence).
   */
  subject?: string;
  /** Epoch ms of `event.at`: the only clock correlation knows. */
  now: number;
  state: CorrelationState;
  context: CorrelationContext;
  decisions: CorrelationDecision[];
  /** Incidents changed by this event (or batch), to be re-ranked and re-checked. */
  touched: Set<string>;
  /**
   * Incidents that open with this event (or batch), with the time their gate opened; they are
   * announced whole, held alerts included, when refreshed.
   */
  opened: Map<string, number>;
  /** The incident this event's alert joined or started, if it was grouped. */
  grouped?: string;
  /** Refresh once at the end of the batch instead of after every event (see `correlateSteps`). */
  deferRefresh?: boolean;
}

/**
 * One named step of correlation, like a stage of Alertmanager's notify pipeline. `stop`
 * ends the event-specific part of the pipeline (the event has been fully handled); the
 * housekeeping stages still run.
 */
export interface CorrelationStage {
  name: string;
  /** The rule and its version, e.g. `topology-grouping@1`. */
  rule: string;
  run(draft: Draft): 'continue' | 'stop';
}

export function runStages(draft: Draft, stages: CorrelationStage[]): void {
  for (const stage of stages) {
    if (stage.run(draft) === 'stop') return;
  }
}

/**
 * Re-derives the incident with this event (or batch), never held back by the refresh interval:
 * for new evidence (a deployment, a regression) and for an incident that resolves while due.
 */
export function touchNow(draft: Draft, inc: IncidentState) {
  delete inc.refreshedAt;
  draft.touched.add(inc.incident.id);
}
