/**
 * One recurring problem of the labelled set: the incidents generated from it are "the same
 * incident again" for each other and for nobody else. Entities are written short
 * (`component:checkout`, namespace `default` implied). Texts may hold slots, filled per
 * incident: `{svc}` the primary entity's name, `{Svc}` it in PascalCase (for alert names),
 * `{pod}`, `{node}`, `{ver}`, `{prev}`, `{n}` (2–9), `{pct}` (20–99), `{ms}` (300–5,000),
 * `{min}` (2–45), `{count}` (100–5,000), `{ticket}`.
 */
export interface CauseGroup {
  id: string;
  /** What the incidents have in common, for a person reading the set. */
  cause: string;
  /** The catalog system, short (`shop`). */
  system: string;
  owner: string;
  /** Where it shows: each incident's primary entity is one of these (several: a cause seen on different services). */
  primary: string[];
  /** Entities that may be affected too; each incident has a random part of them. */
  affected: string[];
  /** The entity really at fault. */
  rootCause: string;
  /** The alerts the problem raises; each incident has a random, non-empty part of them. */
  alerts: string[];
  /** Titles people gave such incidents (besides correlation's own `svc: Alert (+n related alerts)`). */
  titles: string[];
  /** Findings' summaries as correlation's analysers and responders wrote them. */
  findings: string[];
  /** Resolution notes as responders wrote them, terse ones included. */
  resolutions: string[];
}
