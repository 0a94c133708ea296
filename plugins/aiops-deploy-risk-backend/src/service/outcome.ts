/** What happened around a deploy, as the outcome rule sees it. */
export interface OutcomeEvidence {
  /** When the deploy started (ISO 8601). */
  startedAt: string;
  /** When the entity's next deploy started, if it did. */
  nextDeployAt?: string;
  /** Incidents on the entity or a direct dependent, with when they opened. */
  incidents: Array<{ id: string; entityRef: string; openedAt: string }>;
  /** Regressions on the entity, with when their change began. */
  regressions: Array<{ id: string; metric: string; changeAt: string }>;
}

/**
 * When the outcome window of a deploy closes: `windowMs` after it started, or when the entity's
 * next deploy started if sooner (what happens after that is the next deploy's outcome).
 */
export function outcomeWindowEnd(
  evidence: Pick<OutcomeEvidence, 'startedAt' | 'nextDeployAt'>,
  windowMs: number,
): number {
  const end = Date.parse(evidence.startedAt) + windowMs;
  return evidence.nextDeployAt
    ? Math.min(end, Date.parse(evidence.nextDeployAt))
    : end;
}

/**
 * The outcome rule: `failed` when an incident opened on the entity or a direct dependent, or a
 * regression began on the entity, from the deploy's start until its window closed; otherwise
 * `succeeded`. Undefined while the window is still open at `now`.
 */
export function decideOutcome(
  evidence: OutcomeEvidence,
  windowMs: number,
  now: number,
): { outcome: 'succeeded' | 'failed'; at: string; reason: string } | undefined {
  const start = Date.parse(evidence.startedAt);
  const end = outcomeWindowEnd(evidence, windowMs);
  if (now < end) return undefined;
  const inWindow = (at: string) => {
    const t = Date.parse(at);
    return t >= start && t < end;
  };
  const incidents = evidence.incidents.filter(i => inWindow(i.openedAt));
  const regressions = evidence.regressions.filter(r => inWindow(r.changeAt));
  const at = new Date(end).toISOString();
  const why: string[] = [];
  if (incidents.length > 0) {
    const refs = [...new Set(incidents.map(i => i.entityRef))].sort();
    why.push(
      `${incidents.length} incident${
        incidents.length === 1 ? '' : 's'
      } opened on ${refs.join(', ')} (${incidents
        .map(i => i.id)
        .sort()
        .join(', ')})`,
    );
  }
  if (regressions.length > 0) {
    why.push(
      `a regression began on ${[...new Set(regressions.map(r => r.metric))]
        .sort()
        .join(', ')}`,
    );
  }
  const until =
    evidence.nextDeployAt && Date.parse(evidence.nextDeployAt) === end
      ? 'before the next deploy'
      : `within ${Math.round((end - start) / 3_600_000)} h`;
  if (why.length > 0)
    return { outcome: 'failed', at, reason: `${why.join('; ')} ${until}.` };
  return {
    outcome: 'succeeded',
    at,
    reason: `No incident on the entity or a direct dependent and no regression ${until}.`,
  };
}
