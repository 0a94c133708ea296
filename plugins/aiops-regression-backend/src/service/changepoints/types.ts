/** A change in a series' level found by a change-point method. */
export interface ChangePoint {
  /** Index of the first point of the new regime (so never 0). */
  index: number;
  /** Mean of the segment before, up to the previous change point. */
  before: number;
  /** Mean of the segment after, up to the next change point. */
  after: number;
  /** after / before − 1; null when the level before is 0. */
  relativeChange: number | null;
  /** Two-sided p-value of "the segments either side have the same mean". */
  pValue: number;
}

/** Options every change-point method understands; a method may add its own. */
export interface ChangePointOptions {
  /** A change point is kept when its p-value is at most this. */
  maxPValue?: number;
  /** Changes with a smaller magnitude (relative change, either direction) are dropped. */
  minRelativeChange?: number;
  /** Fewest points a regime may have. */
  minSegment?: number;
  /** Most change points returned; the weakest are dropped first. */
  maxChangePoints?: number;
}

/**
 * A change-point method: a pure, deterministic function from a series to its change points,
 * with a versioned name (stored with every regression, so a change of method or of its
 * defaults is visible in the data). E-Divisive is the first; BOCPD could be a second.
 */
export interface ChangePointMethod<
  O extends ChangePointOptions = ChangePointOptions,
> {
  readonly name: string;
  detect(values: ArrayLike<number>, options?: O): ChangePoint[];
}
