import {
  severityRank,
  type Deployment,
  type EntityRef,
  type Evidence,
  type RootCauseCandidate,
} from '@aiops/plugin-aiops-common';
import { shortName, type TopologyGraph } from './topology';
import { toMs } from './time';
import {
  bounded,
  MAX_EVIDENCE,
  MAX_ROOT_CAUSE_CANDIDATES,
  nameList,
} from './bounds';
import type { CorrelatedAlert } from './types';
import {
  alertKind,
  DEFAULT_ALERT_KINDS,
  entityKind,
  type AlertKind,
  type AlertKindConfig,
} from './rules/alertKind';

/**
 * Version 3: the kind of each entity's alerts counts (an outage, a symptom or neither), and an
 * entity with only symptoms gets no credit for its place in the graph while another entity
 * reports an outage. Version 2: at most `MAX_ROOT_CAUSE_CANDIDATES` candidates, each with
 * bounded evidence.
 */
export const ROOT_CAUSE_RULE = 'topology-root-cause@3';

/** How much each factor counts; they add up to 1 so a score stays within 0..1. */
export const ROOT_CAUSE_WEIGHTS = {
  /** Nothing else affected is upstream of it: the cascade starts here. */
  upstreamMost: 0.25,
  /** Share of the other affected entities that depend on it. */
  coverage: 0.2,
  /** Its first alert is the incident's first; decays to 0 over `onsetDecayMs`. */
  onset: 0.15,
  /** It was deployed shortly before its first alert; decays over the deploy window. */
  deploy: 0.2,
  /** Its most urgent alert: critical 1, error 0.75, warning 0.5, info 0.25. */
  severity: 0.1,
  /** Its most outage-like alert (`alertKind`): outage 1, neutral (or none) 0.5, symptom 0. */
  kind: 0.1,
};

const KIND_FACTOR: Record<AlertKind, number> = {
  outage: 1,
  neutral: 0.5,
  symptom: 0,
};

export interface RootCauseOptions {
  maxHops: number;
  deployWindowMs: number;
  onsetDecayMs?: number;
  /** How alert names and labels are read as outages or symptoms. */
  alertKinds?: AlertKindConfig;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Ranks the entities that may have caused an incident. Every affected entity is a candidate;
 * so is an entity nobody alerted on when every upstream-most affected entity depends on it
 * (a shared Resource that has no alert of its own) — it is given the earliest onset, since
 * it must have failed first to cause them. Sorted by score, then entity ref; the first
 * `MAX_ROOT_CAUSE_CANDIDATES` are kept.
 */
export function rankRootCauses(
  alerts: CorrelatedAlert[],
  deployments: Deployment[],
  graph: TopologyGraph,
  options: RootCauseOptions,
): RootCauseCandidate[] {
  const onsetDecayMs = options.onsetDecayMs ?? 10 * 60_000;
  const byEntity = new Map<EntityRef, CorrelatedAlert[]>();
  for (const alert of alerts) {
    if (alert.resolution.status !== 'resolved') continue;
    const ref = alert.resolution.entityRef;
    const list = byEntity.get(ref);
    if (list) list.push(alert);
    else byEntity.set(ref, [alert]);
  }
  const affected = [...byEntity.keys()].sort();
  if (affected.length === 0) return [];
  const roots = graph.rootsOf(affected);
  const firstOnset = Math.min(...alerts.map(a => toMs(a.startsAt)));
  const kindConfig = options.alertKinds ?? DEFAULT_ALERT_KINDS;
  const kinds = new Map(
    [...byEntity].map(([ref, list]) => [
      ref,
      entityKind(list.map(a => alertKind(a, kindConfig))),
    ]),
  );
  const outages = affected.filter(ref => kinds.get(ref) === 'outage');

  const candidates: RootCauseCandidate[] = [];
  const score = (
    ref: EntityRef,
    entityAlerts: CorrelatedAlert[],
    onsetAt: number,
    inferred: boolean,
  ): RootCauseCandidate => {
    const reasons: string[] = [];
    // The entity itself (when inferred) and its deployment come first, then its earliest
    // alerts, so that bounding a copy of the list (a timeline entry) keeps what tells most.
    const evidence: Evidence[] = inferred ? [{ kind: 'entity', id: ref }] : [];
    let total = 0;

    const kind = inferred ? 'neutral' : kinds.get(ref)!;
    // A backlog or saturation where another entity is down is that outage seen from here:
    // its place upstream explains nothing.
    const consequence = kind === 'symptom' && outages.length > 0;
    if (consequence) {
      reasons.push(
        `only symptom alerts, while ${nameList(
          outages.map(shortName),
        )} reports an outage`,
      );
    } else if (kind === 'outage') {
      reasons.push('reports an outage');
    }
    total += ROOT_CAUSE_WEIGHTS.kind * KIND_FACTOR[kind];
    const upstreamMost = !consequence && (inferred || roots.includes(ref));
    if (upstreamMost) {
      total += ROOT_CAUSE_WEIGHTS.upstreamMost;
      reasons.push(
        inferred
          ? `not alerting, but every upstream-most affected entity (${nameList(
              roots.map(shortName),
            )}) depends on it`
          : 'no other affected entity is upstream of it',
      );
    }
    const dependents = affected.filter(
      other => other !== ref && graph.isUpstreamOf(ref, other),
    );
    const others = affected.filter(other => other !== ref).length;
    const coverage = others === 0 ? 1 : dependents.length / others;
    if (!consequence) total += ROOT_CAUSE_WEIGHTS.coverage * coverage;
    if (dependents.length > 0 && !consequence) {
      reasons.push(`upstream of ${nameList(dependents.map(shortName))}`);
    }

    const onsetFactor = Math.max(0, 1 - (onsetAt - firstOnset) / onsetDecayMs);
    total += ROOT_CAUSE_WEIGHTS.onset * onsetFactor;
    if (!inferred && onsetAt === firstOnset) reasons.push('earliest onset');

    const recent = deployments
      .filter(
        d =>
          d.resolution.status === 'resolved' && d.resolution.entityRef === ref,
      )
      .map(d => ({ d, lead: onsetAt - toMs(d.startedAt) }))
      .filter(x => x.lead >= 0 && x.lead <= options.deployWindowMs)
      .sort((a, b) => a.lead - b.lead || a.d.id.localeCompare(b.d.id))[0];
    if (recent) {
      total +=
        ROOT_CAUSE_WEIGHTS.deploy *
        (1 - (0.5 * recent.lead) / options.deployWindowMs);
      reasons.push(
        `deployed ${recent.d.version} ${Math.round(
          recent.lead / 60_000,
        )} min before its first alert`,
      );
      evidence.push({ kind: 'deployment', id: recent.d.id });
    }
    evidence.push(
      ...bounded(
        entityAlerts
          .slice()
          .sort(
            (a, b) =>
              toMs(a.startsAt) - toMs(b.startsAt) || a.id.localeCompare(b.id),
          ),
        MAX_EVIDENCE - evidence.length,
      ).map(a => ({ kind: 'alert' as const, id: a.id })),
    );

    if (entityAlerts.length > 0) {
      const mostUrgent = Math.min(
        ...entityAlerts.map(a => severityRank(a.severity)),
      );
      total += ROOT_CAUSE_WEIGHTS.severity * (1 - mostUrgent / 4);
    }
    return {
      entityRef: ref,
      score: round(Math.min(1, total)),
      reasons,
      evidence,
    };
  };

  for (const ref of affected) {
    const entityAlerts = byEntity.get(ref)!;
    candidates.push(
      score(
        ref,
        entityAlerts,
        Math.min(...entityAlerts.map(a => toMs(a.startsAt))),
        false,
      ),
    );
  }

  if (roots.length > 1) {
    const shared = sharedDependencies(roots, graph, options.maxHops).filter(
      ref => !byEntity.has(ref),
    );
    for (const ref of shared) candidates.push(score(ref, [], firstOnset, true));
  }

  return bounded(
    candidates.sort(
      (a, b) => b.score - a.score || a.entityRef.localeCompare(b.entityRef),
    ),
    MAX_ROOT_CAUSE_CANDIDATES,
  );
}

/** Entities every root depends on within `maxHops`, keeping only the closest ones. */
function sharedDependencies(
  roots: EntityRef[],
  graph: TopologyGraph,
  maxHops: number,
): EntityRef[] {
  const distances = roots.map(root => graph.upstreamDistances(root, maxHops));
  const totals = new Map<EntityRef, number>();
  for (const [ref] of distances[0]) {
    if (roots.includes(ref)) continue;
    if (distances.every(d => d.has(ref))) {
      totals.set(
        ref,
        distances.reduce((sum, d) => sum + d.get(ref)!, 0),
      );
    }
  }
  const min = Math.min(...totals.values());
  return [...totals]
    .filter(([, total]) => total === min)
    .map(([ref]) => ref)
    .sort();
}
