/*
 * The template narrative: facts built from what correlation knows, and the plain sentences the
 * template writes from them. Pure functions over plain data, shared by correlation (which puts
 * the template's summary into its first notification) and the narrator (which checks it,
 * rewrites it with a model and keeps its history). Grounding, redaction and the model stay in
 * the narrator.
 */
export * from './types';
export {
  buildNarrativeFacts,
  FACT_LIMITS,
  labelOf,
  shortName,
  ROOT_CAUSE_RULE,
  type FactAlert,
  type FactDeployment,
  type FactEntity,
  type FactEvidence,
  type FactEvidenceKind,
  type FactFinding,
  type FactOwner,
  type FactRegression,
  type FactRootCause,
  type FactRunbook,
  type FactsInput,
  type NarrativeFacts,
} from './facts';
/** How narratives write times, durations and lists (`narrativeFormat.clock`, …). */
export * as narrativeFormat from './format';
export {
  scanMentions,
  parseClock,
  parseDateTime,
  parseDuration,
  parseNumber,
  MAX_SCANNED,
  type Mention,
  type MentionKind,
} from './mentions';
export { instructionLike, instructionMatches } from './instructions';
export { templateDraft } from './template/draft';
export {
  pastIncidentsOf,
  MAX_PAST_INCIDENTS,
  type FactPastIncident,
  type PastIncidentInput,
} from './pastIncidents';
