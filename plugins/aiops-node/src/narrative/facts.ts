import type {
  Deployment,
  EntityRef,
  Evidence,
  IncidentDetails,
  IncidentStatus,
  Regression,
  Severity,
} from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '../keying/EntityIndex';
import {
  clip,
  dependentsOf,
  entitiesOf,
  FACT_LIMITS,
  labelOf,
  ownersOf,
  runbooksOf,
  shortName,
} from './entityFacts';
import {
  pastIncidentsOf,
  type FactPastIncident,
  type PastIncidentInput,
} from './pastIncidents';

export { FACT_LIMITS, labelOf, shortName } from './entityFacts';

/*
 * What a narrative may say about an incident, as plain data: every sentence of the template is
 * written from these facts, and the grounding check accepts an entity, version, number, time or
 * link only if it occurs here. Built by one pure function from what correlation serves
 * (`IncidentDetails`), the deployments and regressions ingest and the regression detector keep,
 * and the catalog. Each fact carries the evidence id a claim cites.
 */

/** Where an evidence id comes from; correlation's kinds plus the narrator's own. */
export type FactEvidenceKind =
  | Evidence['kind']
  | 'finding'
  | 'runbook'
  | 'incident'
  | 'past-incident';

export interface FactEvidence {
  id: string;
  kind: FactEvidenceKind;
}

export interface FactAlert {
  id: string;
  /** Absent when ingest did not say (the incident lists the alert by id only). */
  name?: string;
  entityRef?: EntityRef;
  severity?: Severity;
  status?: 'firing' | 'resolved';
  startsAt?: string;
  endsAt?: string;
  role: 'member' | 'suppressed';
}

export interface FactEntity {
  ref: EntityRef;
  name: string;
  /** What a person calls it: the catalog title when it says more than the name, else the name. */
  label: string;
  kind: string;
  title?: string;
  owner?: EntityRef;
  system?: EntityRef;
  /** Correlation counts it affected (it has alerts, or it is the inferred root cause). */
  affected: boolean;
  alertCount: number;
  firstAlertAt?: string;
  firstAlertId?: string;
  /** Distinct alert names on it, most frequent first, capped. */
  alertNames: string[];
}

export interface FactOwner {
  ref: EntityRef;
  label: string;
  /** The affected entities it owns. */
  entityRefs: EntityRef[];
}

export interface FactDeployment {
  id: string;
  entityRef: EntityRef;
  version: string;
  previousVersion?: string;
  status: Deployment['status'];
  source: Deployment['source'];
  startedAt: string;
  /** The sender's words for a change event; untrusted text. */
  summary?: string;
  url?: string;
  /** The first alert after it on the deployed entity, or the one correlation linked it to. */
  firstAlert?: {
    alertId: string;
    entityRef?: EntityRef;
    at: string;
    leadMs: number;
  };
}

export interface FactRegression {
  id: string;
  entityRef: EntityRef;
  metric: string;
  direction: Regression['direction'];
  /** |relative change| in percent, one decimal, as correlation's finding states it. */
  percent: number;
  before: number;
  after: number;
  changePointAt: string;
  deploymentId?: string;
}

export interface FactFinding {
  /** `finding:<key>`; the key is the finding's stable subject key in the incident. */
  id: string;
  rule: string;
  summary: string;
  confidence: number;
  evidenceIds: string[];
}

export interface FactRootCause {
  entityRef: EntityRef;
  score: number;
  reasons: string[];
  evidenceIds: string[];
  /** The root-cause finding, when correlation recorded one. */
  findingId?: string;
}

export interface FactRunbook {
  id: string;
  entityRef: EntityRef;
  url: string;
  title: string;
}

export interface NarrativeFacts {
  incident: {
    id: string;
    title: string;
    status: IncidentStatus;
    severity: Severity;
    primaryEntityRef?: EntityRef;
    owner?: EntityRef;
    system?: EntityRef;
    systemLabel?: string;
    openedAt: string;
    acknowledgedAt?: string;
    resolvedAt?: string;
  };
  /** The earliest alert start, else when the incident opened. */
  onsetAt: string;
  alertCount: number;
  firingCount: number;
  suppressedCount: number;
  /** Earliest first, capped at `FACT_LIMITS.alerts`; the counts above are complete. */
  alerts: FactAlert[];
  rootCause?: FactRootCause;
  /** The next candidates after the root cause, best first. */
  otherCandidates: Array<{ entityRef: EntityRef; score: number }>;
  findings: FactFinding[];
  /** Oldest first. */
  deployments: FactDeployment[];
  regressions: FactRegression[];
  /** Affected entities first (most alerts first), then the others the facts mention. */
  entities: FactEntity[];
  owners: FactOwner[];
  /** Entities that depend on an affected one (two hops at most) without being affected. */
  blastRadius: { refs: EntityRef[]; count: number };
  runbooks: FactRunbook[];
  /** Resolved incidents like this one with how they were fixed, best first (from retrieval). */
  pastIncidents: FactPastIncident[];
  /** Spans between the facts' moments that a narrative may state. */
  durations: Array<{ ms: number; what: string }>;
  evidence: FactEvidence[];
}

export interface FactsInput {
  details: IncidentDetails;
  /** Deployments ingest keeps for the incident's entities; the relevant ones are kept. */
  deployments?: Deployment[];
  regressions?: Regression[];
  /** The catalog as the suite summarises it (e.g. `EntityIndex.get`). */
  catalog: (ref: EntityRef) => CatalogEntitySummary | undefined;
  /** Entities' `metadata.links`, which the catalog summary does not carry. */
  links?: Record<EntityRef, Array<{ url: string; title?: string }>>;
  /** Incidents retrieval ranked like this one; the resolved ones with a fix are kept. */
  pastIncidents?: PastIncidentInput[];
  /** Deployments this long before the onset count as what changed. Default one hour. */
  deployWindowMs?: number;
}

/** Correlation's root-cause finding, whatever its version. */
export const ROOT_CAUSE_RULE = 'topology-root-cause@';
const HOUR = 3_600_000;

const ms = (iso: string) => Date.parse(iso);
const byTime = (a?: string, b?: string) =>
  (a ? ms(a) : Infinity) - (b ? ms(b) : Infinity);

function alertsOf(details: IncidentDetails): FactAlert[] {
  return details.alerts.map(link => ({
    id: link.alertId,
    role: link.role,
    ...(link.details && {
      name: clip(link.details.name),
      entityRef: link.details.entityRef,
      severity: link.details.severity,
      status: link.details.status,
      startsAt: link.details.startsAt,
      endsAt: link.details.endsAt,
    }),
  }));
}

function firstAlertAfter(
  alerts: FactAlert[],
  at: string,
  accept: (alert: FactAlert) => boolean,
): FactAlert | undefined {
  return alerts
    .filter(a => a.startsAt && ms(a.startsAt) >= ms(at) && accept(a))
    .sort(
      (a, b) => byTime(a.startsAt, b.startsAt) || a.id.localeCompare(b.id),
    )[0];
}

export function buildNarrativeFacts(input: FactsInput): NarrativeFacts {
  const { details, catalog } = input;
  const { incident } = details;
  const allAlerts = alertsOf(details).sort(
    (a, b) => byTime(a.startsAt, b.startsAt) || a.id.localeCompare(b.id),
  );
  const members = allAlerts.filter(a => a.role === 'member');
  const onsetAt =
    members.find(a => a.startsAt)?.startsAt ??
    allAlerts.find(a => a.startsAt)?.startsAt ??
    incident.openedAt;
  const endAt =
    incident.resolvedAt ??
    allAlerts.reduce(
      (last, a) =>
        a.startsAt && ms(a.startsAt) > ms(last) ? a.startsAt : last,
      incident.openedAt,
    );

  const findings: FactFinding[] = details.findings
    .slice()
    .sort((a, b) => a.key.localeCompare(b.key))
    .slice(0, FACT_LIMITS.findings)
    .map(({ key, finding }) => ({
      id: `finding:${key}`,
      rule: finding.rule,
      summary: clip(finding.summary),
      confidence: finding.confidence,
      evidenceIds: finding.evidence.map(e => e.id),
    }));
  const cited = new Map<string, Evidence['kind']>();
  for (const { finding } of details.findings)
    for (const e of finding.evidence)
      if (!cited.has(e.id)) cited.set(e.id, e.kind);

  const [top, ...rest] = incident.rootCauseCandidates;
  const rootCauseFinding = findings.find(f =>
    f.rule.startsWith(ROOT_CAUSE_RULE),
  );
  const rootCause: FactRootCause | undefined = top && {
    entityRef: top.entityRef,
    score: top.score,
    reasons: top.reasons.map(clip),
    evidenceIds: top.evidence.map(e => e.id),
    ...(rootCauseFinding && { findingId: rootCauseFinding.id }),
  };
  for (const e of top?.evidence ?? [])
    if (!cited.has(e.id)) cited.set(e.id, e.kind);

  const affected = new Set<EntityRef>(incident.affectedEntityRefs);
  if (top) affected.add(top.entityRef);
  const window = input.deployWindowMs ?? HOUR;
  const deployments: FactDeployment[] = (input.deployments ?? [])
    .filter(d => d.resolution.status === 'resolved')
    .filter(
      d =>
        cited.has(d.id) ||
        (affected.has((d.resolution as { entityRef: EntityRef }).entityRef) &&
          ms(d.startedAt) >= ms(onsetAt) - window &&
          ms(d.startedAt) <= ms(endAt)),
    )
    .sort(
      (a, b) => byTime(a.startedAt, b.startedAt) || a.id.localeCompare(b.id),
    )
    .slice(-FACT_LIMITS.deployments)
    .map(d => {
      const entityRef = (d.resolution as { entityRef: EntityRef }).entityRef;
      // The alert correlation linked the deployment to, else the first one on its entity.
      const linked = findings
        .filter(f => f.evidenceIds.includes(d.id))
        .flatMap(f => f.evidenceIds)
        .map(id => allAlerts.find(a => a.id === id))
        .find(a => a?.startsAt && ms(a.startsAt) >= ms(d.startedAt));
      const first =
        linked ??
        firstAlertAfter(allAlerts, d.startedAt, a => a.entityRef === entityRef);
      return {
        id: d.id,
        entityRef,
        version: clip(d.version),
        ...(d.previousVersion && { previousVersion: clip(d.previousVersion) }),
        status: d.status,
        source: d.source,
        startedAt: d.startedAt,
        ...(d.summary && { summary: clip(d.summary) }),
        ...(d.url && { url: d.url }),
        ...(first?.startsAt && {
          firstAlert: {
            alertId: first.id,
            entityRef: first.entityRef,
            at: first.startsAt,
            leadMs: ms(first.startsAt) - ms(d.startedAt),
          },
        }),
      };
    });

  const regressions: FactRegression[] = (input.regressions ?? [])
    .filter(r => cited.has(r.id) || affected.has(r.entityRef))
    .sort((a, b) => a.id.localeCompare(b.id))
    .slice(0, FACT_LIMITS.regressions)
    .map(r => ({
      id: r.id,
      entityRef: r.entityRef,
      metric: clip(r.metric),
      direction: r.direction,
      percent: Math.round(Math.abs(r.relativeChange) * 1000) / 10,
      before: r.before.mean,
      after: r.after.mean,
      changePointAt: r.changePointAt,
      ...(r.deploymentId && { deploymentId: r.deploymentId }),
    }));

  const blast = dependentsOf(affected, catalog);
  const entities = entitiesOf({
    allAlerts,
    affected,
    mentioned: [
      ...deployments.map(d => d.entityRef),
      ...regressions.map(r => r.entityRef),
      ...blast.slice(0, FACT_LIMITS.blastRadius),
      ...(incident.primaryEntityRef ? [incident.primaryEntityRef] : []),
    ],
    catalog,
  });
  const owners = ownersOf(entities, incident.owner, catalog);
  const runbooks = runbooksOf(
    entities,
    rootCause?.entityRef,
    catalog,
    input.links,
  );
  const pastIncidents = pastIncidentsOf(incident.id, input.pastIncidents);
  const systemLabel = incident.system
    ? labelOf(shortName(incident.system), catalog(incident.system)?.title)
    : undefined;

  const evidence: FactEvidence[] = [
    { id: incident.id, kind: 'incident' },
    ...allAlerts.map(a => ({ id: a.id, kind: 'alert' as const })),
    ...deployments.map(d => ({ id: d.id, kind: 'deployment' as const })),
    ...regressions.map(r => ({ id: r.id, kind: 'regression' as const })),
    ...entities.map(e => ({ id: e.ref, kind: 'entity' as const })),
    ...owners.map(o => ({ id: o.ref, kind: 'entity' as const })),
    ...findings.map(f => ({ id: f.id, kind: 'finding' as const })),
    ...runbooks.map(r => ({ id: r.id, kind: 'runbook' as const })),
    ...pastIncidents.map(p => ({ id: p.id, kind: 'past-incident' as const })),
    ...[...cited].map(([id, kind]) => ({ id, kind })),
  ];
  const seen = new Set<string>();

  return {
    incident: {
      id: incident.id,
      title: clip(incident.title),
      status: incident.status,
      severity: incident.severity,
      ...(incident.primaryEntityRef && {
        primaryEntityRef: incident.primaryEntityRef,
      }),
      ...(incident.owner && { owner: incident.owner }),
      ...(incident.system && { system: incident.system, systemLabel }),
      openedAt: incident.openedAt,
      ...(incident.acknowledgedAt && {
        acknowledgedAt: incident.acknowledgedAt,
      }),
      ...(incident.resolvedAt && { resolvedAt: incident.resolvedAt }),
    },
    onsetAt,
    alertCount: allAlerts.length,
    firingCount: allAlerts.filter(a => a.status === 'firing').length,
    suppressedCount: allAlerts.filter(a => a.role === 'suppressed').length,
    alerts: allAlerts.slice(0, FACT_LIMITS.alerts),
    ...(rootCause && { rootCause }),
    otherCandidates: rest
      .slice(0, FACT_LIMITS.candidates)
      .map(c => ({ entityRef: c.entityRef, score: c.score })),
    findings,
    deployments,
    regressions,
    entities,
    owners,
    blastRadius: {
      refs: blast.slice(0, FACT_LIMITS.blastRadius),
      count: blast.length,
    },
    runbooks,
    pastIncidents,
    durations: durationsOf(incident, onsetAt, deployments, regressions),
    evidence: evidence.filter(e => !seen.has(e.id) && seen.add(e.id)),
  };
}

function durationsOf(
  incident: IncidentDetails['incident'],
  onsetAt: string,
  deployments: FactDeployment[],
  regressions: FactRegression[],
): NarrativeFacts['durations'] {
  const spans: NarrativeFacts['durations'] = [
    { ms: ms(incident.openedAt) - ms(onsetAt), what: 'onset to opened' },
  ];
  if (incident.acknowledgedAt)
    spans.push({
      ms: ms(incident.acknowledgedAt) - ms(incident.openedAt),
      what: 'opened to acknowledged',
    });
  if (incident.resolvedAt)
    spans.push(
      { ms: ms(incident.resolvedAt) - ms(onsetAt), what: 'onset to resolved' },
      {
        ms: ms(incident.resolvedAt) - ms(incident.openedAt),
        what: 'opened to resolved',
      },
    );
  for (const d of deployments) {
    if (d.firstAlert)
      spans.push({
        ms: d.firstAlert.leadMs,
        what: `deployment ${d.id} to its first alert`,
      });
    spans.push({
      ms: ms(onsetAt) - ms(d.startedAt),
      what: `deployment ${d.id} to onset`,
    });
  }
  for (const r of regressions)
    spans.push({
      ms: Math.abs(ms(onsetAt) - ms(r.changePointAt)),
      what: `regression ${r.id} to onset`,
    });
  return spans.filter(s => Number.isFinite(s.ms) && s.ms >= 0);
}
