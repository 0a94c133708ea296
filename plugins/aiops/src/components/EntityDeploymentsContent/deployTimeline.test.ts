import {
  assessment,
  deployment,
  incident,
} from '../../__testUtils__/aiopsTestApp';
import {
  deployTimeline,
  matchAssessment,
  riskText,
  topFactors,
} from './deployTimeline';

const T = Date.parse('2026-01-10T12:00:00Z');
const at = (minutesFromT: number) =>
  new Date(T + minutesFromT * 60_000).toISOString();

describe('matchAssessment', () => {
  const deploy = deployment({ id: 'd-9', version: 'v3', startedAt: at(0) });

  it('takes the assessment deploy-risk linked to the deployment', () => {
    const linked = assessment({
      id: 'linked',
      deploymentId: 'd-9',
      version: 'other',
    });
    const lookalike = assessment({
      id: 'same',
      deploymentId: undefined,
      version: 'v3',
      assessedAt: at(-1),
    });
    expect(matchAssessment(deploy, [lookalike, linked])?.id).toBe('linked');
  });

  it('else the newest unlinked one of the same version and environment made before it', () => {
    const found = matchAssessment(deploy, [
      assessment({
        id: 'older',
        deploymentId: undefined,
        version: 'v3',
        assessedAt: at(-60),
      }),
      assessment({
        id: 'newer',
        deploymentId: undefined,
        version: 'v3',
        assessedAt: at(-10),
      }),
      assessment({
        id: 'after',
        deploymentId: undefined,
        version: 'v3',
        assessedAt: at(5),
      }),
      assessment({
        id: 'staging',
        deploymentId: undefined,
        version: 'v3',
        environment: 'staging',
        assessedAt: at(-5),
      }),
      assessment({
        id: 'other-deploy',
        deploymentId: 'd-8',
        version: 'v3',
        assessedAt: at(-2),
      }),
      assessment({
        id: 'other-version',
        deploymentId: undefined,
        version: 'v2',
        assessedAt: at(-1),
      }),
    ]);
    expect(found?.id).toBe('newer');
  });

  it('ignores assessments more than 7 days before the deploy', () => {
    expect(
      matchAssessment(deploy, [
        assessment({
          deploymentId: undefined,
          version: 'v3',
          assessedAt: at(-8 * 24 * 60),
        }),
      ]),
    ).toBeUndefined();
  });
});

describe('deployTimeline', () => {
  it('puts deploys and incidents on one timeline, newest first, a deploy below an incident of the same instant', () => {
    const entries = deployTimeline(
      [
        deployment({ id: 'd-1', startedAt: at(-60) }),
        deployment({ id: 'd-2', version: 'v2.1.0', startedAt: at(0) }),
      ],
      [assessment({ deploymentId: 'd-1' })],
      [
        incident({ id: 'inc-1', openedAt: at(0) }),
        incident({ id: 'inc-2', openedAt: at(-90) }),
      ],
    );
    expect(
      entries.map(e => (e.kind === 'deploy' ? e.deployment.id : e.incident.id)),
    ).toEqual(['inc-1', 'd-2', 'd-1', 'inc-2']);
    const d1 = entries[2];
    expect(d1.kind === 'deploy' && d1.assessment?.id).toBe('as-1');
    const d2 = entries[1];
    expect(d2.kind === 'deploy' && d2.assessment).toBeUndefined();
  });
});

describe('risk text', () => {
  it('names the level and the rounded score, and the factors that raised it', () => {
    const a = assessment({ score: 41.6 });
    expect(riskText(a)).toBe('high, 42%');
    expect(topFactors(a, 2).map(f => f.label)).toEqual([
      'Change size',
      'Blast radius',
    ]);
    expect(
      topFactors(
        assessment({
          factors: [{ ...a.factors[0], contribution: 0 }],
        }),
      ),
    ).toEqual([]);
  });
});
