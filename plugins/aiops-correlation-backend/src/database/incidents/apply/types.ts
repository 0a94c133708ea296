import type { CorrelationDecision } from '../../../service/types';
import type { Step } from './step';

export type DecisionType = CorrelationDecision['type'];
export type Decision<T extends DecisionType> = Extract<
  CorrelationDecision,
  { type: T }
>;

/** Stores one decision of a step. */
export type Writer<T extends DecisionType> = (
  decision: Decision<T>,
  step: Step,
) => Promise<void>;

/** Stores one decision about an incident that is stored: `incidentId` is its stored id. */
export type IncidentWriter<T extends DecisionType> = (
  decision: Decision<T>,
  step: Step,
  incidentId: string,
) => Promise<void>;
