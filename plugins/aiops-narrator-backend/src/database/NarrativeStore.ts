import type { IncidentNarrative } from '../service/types';

/** One stored version of an incident's narrative. */
export interface StoredNarrative extends IncidentNarrative {
  /** Increasing with every version of any incident. */
  id: string;
  incidentId: string;
  /** Shown as the incident's narrative: the template always, a model's only when grounded. */
  accepted: boolean;
  /** Hash of the facts it was written from. */
  inputHash: string;
  createdAt: string;
}

export type NewNarrative = Omit<StoredNarrative, 'id' | 'createdAt'> & {
  createdAt?: string;
};

/** Narratives per incident with their history, and the incidents waiting to be narrated. */
export interface NarrativeStore {
  add(narrative: NewNarrative): Promise<StoredNarrative>;
  /** The newest accepted narrative. */
  current(incidentId: string): Promise<StoredNarrative | undefined>;
  /** Newest first, accepted or not, at most `limit`. */
  history(incidentId: string, limit: number): Promise<StoredNarrative[]>;
  /** The newest narrative written by `template` (or by any model) from these facts. */
  findByInput(
    incidentId: string,
    inputHash: string,
    by: 'template' | 'model',
  ): Promise<StoredNarrative | undefined>;

  /** Marks an incident for narration at `dueAt` (epoch ms) unless it is marked already. */
  schedule(incidentId: string, dueAt: number): Promise<void>;
  /** Incidents due at `now`, oldest due first. */
  due(now: number, limit: number): Promise<string[]>;
  /** Takes an incident off the schedule; false when another replica took it first. */
  claim(incidentId: string): Promise<boolean>;
}
