import type { IncidentDocument } from '../service/types';
import type { CauseGroup } from './causeGroup';
import { paraphrase } from './paraphrase';
import { PLATFORM_GROUPS } from './platformGroups';
import { between, pick, sample, seededRandom, type Random } from './random';
import { SHOP_GROUPS } from './shopGroups';

export const LABELLED_SET_SEED = 'aiops-retrieval-labelled-set-v1';
export const CAUSE_GROUPS: CauseGroup[] = [...SHOP_GROUPS, ...PLATFORM_GROUPS];

/** One incident of the set: its index document and its group (the label). */
export interface LabelledIncident {
  group: string;
  document: IncidentDocument;
}

export interface LabelledSet {
  seed: string;
  groups: Array<Pick<CauseGroup, 'id' | 'cause'>>;
  incidents: LabelledIncident[];
}

/**
 * Findings any incident may carry besides its own: correlation's bookkeeping, and a
 * coincidental deployment (a deploy shortly before is common and often innocent).
 */
const NOISE_FINDINGS = [
  '{n} alerts grouped by the dependency graph',
  'Deployment {ver} of {svc} finished {min} minutes before the first alert',
  'No deployment to {svc} in the previous 2 hours',
  'Error budget of {svc} burning at {n}x',
  'Owner paged, acknowledged in {min} minutes',
  'Similar alerts fired {n} times in the last 30 days',
];

/** Alerts that fire beside many problems: they say little about which one. */
const NOISE_ALERTS = [
  'TargetDown',
  'SLOBurnRateFast',
  'KubePodNotReady',
  'HighLatency',
];

const SEVERITIES = ['critical', 'critical', 'warning', 'error'];
const YEAR_START = Date.parse('2025-12-01T00:00:00.000Z');
const YEAR_MS = 365 * 24 * 3600_000;

const expand = (short: string) => {
  const [kind, name] = short.split(':');
  return `${kind}:default/${name}`;
};
const nameOf = (short: string) => short.split(':')[1];
const pascal = (name: string) =>
  name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const hex = (random: Random, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** The slots of one incident: the same pod, node and version throughout its texts. */
function slots(random: Random, service: string): Record<string, string> {
  const minor = between(random, 10, 99);
  const patch = between(random, 1, 30);
  return {
    svc: service,
    Svc: pascal(service),
    pod: `${service}-${hex(random, 9)}-${hex(random, 5)}`,
    node: `ip-10-${between(random, 0, 9)}-${between(random, 0, 255)}-${between(
      random,
      1,
      254,
    )}`,
    ver: `${between(random, 1, 4)}.${minor}.${patch}`,
    prev: `${between(random, 1, 4)}.${minor}.${patch - 1}`,
    n: String(between(random, 2, 9)),
    pct: String(between(random, 20, 99)),
    ms: String(between(random, 3, 50) * 100),
    min: String(between(random, 2, 45)),
    count: String(between(random, 1, 50) * 100),
    ticket: `OPS-${between(random, 1000, 9999)}`,
  };
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (slot, key: string) => values[key] ?? slot);

/** Each item kept with probability `p`, at least one. */
function part<T>(random: Random, items: readonly T[], p: number): T[] {
  const kept = items.filter(() => random() < p);
  return kept.length ? kept : [pick(random, items)];
}

/**
 * One incident of a group, as an SRE team would have it in its history: one of the places
 * the problem shows, half of its alerts (sometimes with an unrelated one), part of the
 * affected entities, a root-cause guess that is sometimes wrong or missing, correlation's or a
 * person's title, none to three of the findings and maybe noise, a resolution note of any
 * quality or none; people's texts reworded (`paraphrase`).
 */
function generateIncident(random: Random, group: CauseGroup): IncidentDocument {
  const primary = pick(random, group.primary);
  const values = slots(random, nameOf(primary));
  const alertNames = part(random, group.alerts, 0.5).map(a => fill(a, values));
  if (random() < 0.35) alertNames.push(pick(random, NOISE_ALERTS));
  const entities = [
    primary,
    ...part(
      random,
      group.affected.filter(e => e !== primary),
      0.5,
    ),
  ].filter((e, i, all) => e && all.indexOf(e) === i);
  // Correlation's guess: right most of the time, sometimes the alerting entity, sometimes none.
  const guess = random();
  let rootCause: string | undefined;
  if (guess < 0.7) rootCause = group.rootCause;
  else if (guess < 0.9) rootCause = primary;
  // Some incidents are only their alerts: resolved before anyone or anything found more.
  const findings = sample(random, group.findings, between(random, 0, 3)).map(
    f => paraphrase(random, fill(f, values)),
  );
  if (random() < 0.4) findings.push(fill(pick(random, NOISE_FINDINGS), values));
  const title =
    random() < 0.5
      ? `${values.svc}: ${alertNames[0]}${
          alertNames.length > 1
            ? ` (+${alertNames.length - 1} related alerts)`
            : ''
        }`
      : paraphrase(random, fill(pick(random, group.titles), values));
  const openedMs = YEAR_START + Math.floor(random() * YEAR_MS);
  const resolvedMs = openedMs + between(random, 5, 300) * 60_000;
  const note =
    random() < 0.15
      ? undefined
      : paraphrase(random, fill(pick(random, group.resolutions), values));
  return {
    incidentId: `inc-${hex(random, 12)}`,
    title,
    status: 'resolved',
    severity: pick(random, SEVERITIES),
    system: random() < 0.85 ? `system:default/${group.system}` : undefined,
    owner: `group:default/${group.owner}`,
    entityRefs: entities.map(expand),
    rootCauseEntityRef: rootCause && expand(rootCause),
    alertNames: [...new Set(alertNames)].sort(),
    alertLabels: [],
    findings,
    resolutionNote: note,
    postmortemUrl:
      note && random() < 0.3
        ? `https://wiki.example/postmortems/${values.ticket}`
        : undefined,
    openedAt: new Date(openedMs).toISOString(),
    resolvedAt: new Date(resolvedMs).toISOString(),
    timeToResolveMs: resolvedMs - openedMs,
  };
}

/**
 * The labelled set: 5–9 incidents of each cause group, in order of opening (so that neither
 * the order nor the ids say which group an incident is of). Deterministic for a seed.
 */
export function generateLabelledSet(seed = LABELLED_SET_SEED): LabelledSet {
  const random = seededRandom(seed);
  const incidents = CAUSE_GROUPS.flatMap(group =>
    Array.from({ length: between(random, 5, 9) }, () => ({
      group: group.id,
      document: generateIncident(random, group),
    })),
  ).sort((a, b) => a.document.openedAt.localeCompare(b.document.openedAt));
  return {
    seed,
    groups: CAUSE_GROUPS.map(({ id, cause }) => ({ id, cause })),
    incidents,
  };
}

/** The incident as it is when it opens: what a query knows (no resolution yet). */
export function asOpened(document: IncidentDocument): IncidentDocument {
  const {
    resolutionNote: _note,
    postmortemUrl: _url,
    resolvedAt: _resolved,
    timeToResolveMs: _ttr,
    ...open
  } = document;
  return { ...open, status: 'open' };
}
