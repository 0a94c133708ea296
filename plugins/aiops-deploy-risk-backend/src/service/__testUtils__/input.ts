import type { AssessmentRequest, RiskInput } from '../types';

/** A quiet Wednesday-morning deploy of a service with no history; override what a test needs. */
export function riskInput({
  request,
  ...overrides
}: Partial<Omit<RiskInput, 'request'>> & {
  request?: Partial<AssessmentRequest>;
} = {}): RiskInput {
  return {
    request: {
      entityRef: 'component:default/cart',
      version: '1.2.3',
      environment: 'production',
      ...request,
    },
    now: '2026-12-02T10:00:00.000Z',
    incidents: [],
    deployments: [],
    dependents: [],
    regressions: [],
    policy: {
      timezone: 'UTC',
      workingHours: { start: 9, end: 18 },
      fridayCutoffHour: 14,
      freezeWindows: [],
    },
    ...overrides,
  };
}

export function deploysDaysAgo(
  now: string,
  outcomes: Array<['succeeded' | 'failed' | 'pending', number]>,
) {
  return outcomes.map(([outcome, days], i) => ({
    id: `d${i}`,
    at: new Date(Date.parse(now) - days * 86_400_000).toISOString(),
    outcome,
  }));
}
