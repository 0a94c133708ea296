import type { EntityRef } from '@aiops/plugin-aiops-common';
import {
  parseDateTime,
  parseDuration,
  parseNumber,
  scanMentions,
  type NarrativeFacts,
} from '@aiops/plugin-aiops-node';

/*
 * What a narrative may mention, read once from the facts. Numbers, versions, times, durations and
 * identifiers written in the facts' own texts (finding summaries, root-cause reasons, alert
 * names) count as facts: the rules read them back with the same scanner that reads a narrative.
 * Links are the exception: only runbook and deployment URLs, never one from alert text.
 */

/** A catalog entity the grounding check may meet in a narrative without it being a fact. */
export interface KnownEntity {
  ref: EntityRef;
  name: string;
  title?: string;
}

export interface GroundingContext {
  /**
   * The catalog (or the part near the incident): names a narrative must not use unless they are
   * facts. Without it only refs and identifier-like names are checked.
   */
  knownEntities?: KnownEntity[];
}

export interface Vocabulary {
  evidenceIds: Set<string>;
  /** Entity refs of the facts, lower-case. */
  refs: Set<string>;
  /** Names, titles and labels of the facts' entities, owners and system, lower-case. */
  names: Set<string>;
  /** Of those, the ones of several words (`transaction history`). */
  phrases: string[];
  /** Catalog names and titles that are not facts, lower-case → their ref. */
  otherNames: Map<string, EntityRef>;
  /** Of those, the ones of several words, by their first word: `payments` → `payments platform`. */
  otherPhrases: Map<string, string[]>;
  /** One-word catalog titles that are not facts, as written (`Platform`, `Payment`). */
  otherTitles: Set<string>;
  versions: Set<string>;
  numbers: Set<number>;
  /** Sizes of the facts' lists, from which "and N more" may be derived. */
  counts: Set<number>;
  /** Epoch ms. */
  times: number[];
  /** Milliseconds. */
  durations: number[];
  urls: Set<string>;
  /** Identifier-like tokens (`redis-cart`, `latency_p99`), lower-case. */
  identifiers: Set<string>;
  /** Every word of the facts' texts, lower-case. */
  words: Set<string>;
}

/** At most this many catalog entities are considered, so the check stays bounded. */
export const MAX_KNOWN_ENTITIES = 20_000;

// Plain `toLowerCase`: the same mapping as the `en-US` locale (English has no tailoring), and
// several times faster; the check lower-cases every catalog name for every narration.
const lower = (text: string) => text.toLowerCase();

function factTexts(facts: NarrativeFacts): string[] {
  return [
    facts.incident.title,
    ...facts.alerts.flatMap(a => (a.name ? [a.name] : [])),
    ...facts.findings.map(f => f.summary),
    ...(facts.rootCause?.reasons ?? []),
    ...facts.deployments.flatMap(d => (d.summary ? [d.summary] : [])),
    ...facts.regressions.map(r => r.metric),
    ...facts.runbooks.map(r => r.title),
    ...facts.entities.flatMap(e => [e.label, ...e.alertNames]),
    ...facts.owners.map(o => o.label),
    // A past fix is quoted: what its note and title name may be said.
    ...facts.pastIncidents.flatMap(p => [p.title, ...(p.note ? [p.note] : [])]),
  ];
}

function factTimes(facts: NarrativeFacts): string[] {
  const { incident } = facts;
  return [
    facts.onsetAt,
    incident.openedAt,
    ...(incident.acknowledgedAt ? [incident.acknowledgedAt] : []),
    ...(incident.resolvedAt ? [incident.resolvedAt] : []),
    ...facts.alerts.flatMap(a => [a.startsAt, a.endsAt]),
    ...facts.deployments.flatMap(d => [d.startedAt, d.firstAlert?.at]),
    ...facts.regressions.map(r => r.changePointAt),
    ...facts.entities.map(e => e.firstAlertAt),
    ...facts.pastIncidents.flatMap(p => [p.openedAt, p.resolvedAt]),
  ].filter((t): t is string => !!t);
}

function factCounts(facts: NarrativeFacts): number[] {
  const withAlerts = facts.entities.filter(e => e.alertCount > 0).length;
  return [
    facts.alertCount,
    facts.firingCount,
    facts.suppressedCount,
    withAlerts,
    facts.entities.filter(e => e.affected).length,
    // The lists the template cuts with "and N more": affected but the root cause (or the
    // first entity), owners of affected entities, all the changes.
    facts.entities.filter(
      e => e.affected && e.ref !== facts.rootCause?.entityRef,
    ).length,
    facts.entities.filter(
      e => e.affected && e.ref !== facts.incident.primaryEntityRef,
    ).length,
    facts.owners.filter(o => o.entityRefs.length > 0).length,
    facts.owners.filter(
      o => o.entityRefs.length > 0 || o.ref === facts.incident.owner,
    ).length,
    facts.deployments.length + facts.regressions.length,
    ...facts.entities.map(e => e.alertNames.length),
    facts.blastRadius.count,
    facts.owners.length,
    facts.deployments.length,
    facts.regressions.length,
    facts.findings.length,
    facts.runbooks.length,
    facts.otherCandidates.length,
    ...facts.entities.map(e => e.alertCount),
    ...facts.owners.map(o => o.entityRefs.length),
  ];
}

function entityRefsOf(facts: NarrativeFacts): string[] {
  const { incident } = facts;
  return [
    ...facts.entities.map(e => e.ref),
    ...facts.entities.flatMap(e => [e.owner, e.system]),
    ...facts.owners.map(o => o.ref),
    ...facts.blastRadius.refs,
    ...facts.otherCandidates.map(c => c.entityRef),
    facts.rootCause?.entityRef,
    incident.primaryEntityRef,
    incident.owner,
    incident.system,
    ...facts.alerts.map(a => a.entityRef),
  ].filter((r): r is string => !!r);
}

const nameOf = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

export function buildVocabulary(
  facts: NarrativeFacts,
  context: GroundingContext = {},
): Vocabulary {
  const refs = new Set(entityRefsOf(facts).map(lower));
  const names = new Set<string>(
    [
      ...[...refs].map(nameOf),
      ...facts.entities.flatMap(e => [e.name, e.label, e.title ?? e.name]),
      ...facts.owners.map(o => o.label),
      ...(facts.incident.systemLabel ? [facts.incident.systemLabel] : []),
    ].map(lower),
  );
  const versions = new Set(
    facts.deployments
      .flatMap(d => [d.version, d.previousVersion])
      .filter((v): v is string => !!v)
      .map(lower),
  );
  const counts = new Set(factCounts(facts));
  const numbers = new Set<number>([
    ...counts,
    ...(facts.rootCause ? [facts.rootCause.score] : []),
    ...facts.otherCandidates.map(c => c.score),
    ...facts.findings.map(f => f.confidence),
    ...facts.regressions.flatMap(r => [r.percent, r.before, r.after]),
  ]);
  const times = factTimes(facts).map(t => Date.parse(t));
  const durations = facts.durations.map(d => d.ms);
  const identifiers = new Set<string>([
    ...names,
    ...versions,
    ...[...facts.evidence.map(e => e.id)].map(lower),
    ...facts.regressions.map(r => lower(r.metric)),
  ]);
  const words = new Set<string>();

  for (const text of factTexts(facts)) {
    for (const m of scanMentions(text)) {
      const value = lower(m.text);
      if (m.kind === 'version') versions.add(value);
      else if (m.kind === 'number' || m.kind === 'percent') {
        const n = parseNumber(m.text);
        if (n !== undefined) numbers.add(n);
      } else if (m.kind === 'duration') {
        const d = parseDuration(m.text);
        if (d) durations.push(d.value * d.unitMs);
      } else if (m.kind === 'datetime' || m.kind === 'date') {
        const t = parseDateTime(m.kind === 'date' ? `${m.text}T00:00` : m.text);
        if (t !== undefined) times.push(t);
      } else if (m.kind === 'identifier') identifiers.add(value);
      else if (m.kind === 'word') words.add(value);
    }
  }
  // A version like `2.1` reads as a number; a number in a version is one too.
  for (const v of versions) {
    const n = parseNumber(v);
    if (n !== undefined) numbers.add(n);
  }

  // A catalog name the facts' own texts use (a shared resource in a topology finding) is a fact.
  const mentioned = (lowered: string) =>
    names.has(lowered) || identifiers.has(lowered) || words.has(lowered);
  const otherNames = new Map<string, EntityRef>();
  const otherPhrases = new Map<string, string[]>();
  const otherTitles = new Set<string>();
  for (const known of (context.knownEntities ?? []).slice(
    0,
    MAX_KNOWN_ENTITIES,
  )) {
    if (refs.has(lower(known.ref))) continue;
    for (const n of [known.name, known.title]) {
      if (!n) continue;
      const lowered = lower(n);
      if (mentioned(lowered)) continue;
      otherNames.set(lowered, known.ref);
      const first = lowered.split(/[^a-z0-9_-]/)[0];
      if (first !== lowered && first) {
        otherPhrases.set(first, [...(otherPhrases.get(first) ?? []), lowered]);
      }
      if (n === known.title && /^[A-Z][a-z]{1,40}$/.test(n)) otherTitles.add(n);
    }
  }

  return {
    evidenceIds: new Set(facts.evidence.map(e => e.id)),
    refs,
    names,
    phrases: [...names].filter(n => /[^a-z0-9_-]/.test(n)),
    otherNames,
    otherPhrases,
    otherTitles,
    versions,
    numbers,
    counts,
    times,
    durations,
    urls: new Set(
      [
        ...facts.runbooks.map(r => r.url),
        ...facts.deployments.flatMap(d => (d.url ? [d.url] : [])),
        ...facts.pastIncidents.flatMap(p =>
          p.postmortemUrl ? [p.postmortemUrl] : [],
        ),
      ].map(lower),
    ),
    identifiers,
    words,
  };
}
