import type {
  AiopsDeployRiskApi,
  Deployment,
  Incident,
} from '@aiops/plugin-aiops-common';

type Assessment = AiopsDeployRiskApi.Assessment;

/** How long before a deploy an unlinked assessment of it still counts (deploy-risk's linker: 7 days). */
const MATCH_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The assessment of a deployment: the one deploy-risk linked to it, else — before the linker
 * has run, or for a deploy ingest saw first — the newest unlinked assessment of the same
 * version and environment made at most 7 days before the deploy started, as the linker itself
 * would choose (docs/deploy-risk.md, "Outcome recording").
 */
export function matchAssessment(
  deployment: Deployment,
  assessments: Assessment[],
): Assessment | undefined {
  const linked = assessments.find(a => a.deploymentId === deployment.id);
  if (linked) return linked;
  const started = Date.parse(deployment.startedAt);
  return assessments
    .filter(
      a =>
        !a.deploymentId &&
        a.version === deployment.version &&
        a.environment === deployment.environment &&
        Date.parse(a.assessedAt) <= started &&
        started - Date.parse(a.assessedAt) <= MATCH_WINDOW_MS,
    )
    .sort((a, b) => Date.parse(b.assessedAt) - Date.parse(a.assessedAt))[0];
}

export type TimelineEntry =
  | {
      kind: 'deploy';
      at: string;
      deployment: Deployment;
      assessment?: Assessment;
    }
  | { kind: 'incident'; at: string; incident: Incident };

/** Deploys (each with its assessment) and incidents on one timeline, newest first. */
export function deployTimeline(
  deployments: Deployment[],
  assessments: Assessment[],
  incidents: Incident[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...deployments.map(deployment => ({
      kind: 'deploy' as const,
      at: deployment.startedAt,
      deployment,
      assessment: matchAssessment(deployment, assessments),
    })),
    ...incidents.map(incident => ({
      kind: 'incident' as const,
      at: incident.openedAt,
      incident,
    })),
  ];
  // Ties (a deploy and an incident in the same instant) put the deploy first, below the
  // incident it may have caused.
  const kindOrder = { incident: 0, deploy: 1 };
  return entries.sort(
    (a, b) =>
      Date.parse(b.at) - Date.parse(a.at) ||
      kindOrder[a.kind] - kindOrder[b.kind],
  );
}

/** `high, 42%`: an assessment in a few words. */
export function riskText(assessment: Assessment): string {
  return `${assessment.level}, ${Math.round(assessment.score)}%`;
}

/** The factors that pushed the risk up most, largest first (the backend orders them so). */
export function topFactors(assessment: Assessment, count = 3) {
  return assessment.factors.filter(f => f.contribution > 0).slice(0, count);
}
