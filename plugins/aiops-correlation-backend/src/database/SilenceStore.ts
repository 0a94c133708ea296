import type { SilenceSpec, StoredSilence } from '../service/silenceSchedule';
import type { Page } from './IncidentStore';

export interface SilenceQuery {
  /**
   * ISO 8601: only silences in effect or still to come at this time (not past their last
   * occurrence, not expired before it).
   */
  at?: string;
  /** Include silences someone expired; left out by default. */
  includeExpired?: boolean;
  limit: number;
  cursor?: string;
}

/** Persistence of silences (maintenance windows). Newest first when listed. */
export interface SilenceStore {
  /** Validates `spec` like `validateSilenceSpec` (`InputError`) and stores it with a new id. */
  create(spec: SilenceSpec, actor: string, at: string): Promise<StoredSilence>;

  get(id: string): Promise<StoredSilence | undefined>;

  list(query: SilenceQuery): Promise<Page<StoredSilence>>;

  /**
   * Ends a silence at `at`: none of its windows reach past it. `NotFoundError` for an
   * unknown id; an already expired silence is returned unchanged.
   */
  expire(id: string, actor: string, at: string): Promise<StoredSilence>;

  /**
   * Silences that may have a window overlapping `[from, to)` (ISO 8601): started before
   * `to`, neither over nor expired by `from`. Expand them with `toCoreSilence`.
   */
  listActive(from: string, to: string): Promise<StoredSilence[]>;
}
