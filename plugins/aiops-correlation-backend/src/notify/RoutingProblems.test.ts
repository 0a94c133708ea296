import { mockServices } from '@backstage/backend-test-utils';
import { RoutingProblems } from './RoutingProblems';

const problem = (key: string) => ({ key, message: `problem ${key}` });

describe('RoutingProblems', () => {
  it('lists each problem once, logged when first seen, with how often it was seen', () => {
    const logger = mockServices.logger.mock();
    const problems = new RoutingProblems(logger);
    problems.report([problem('a')], '2026-11-25T10:00:00.000Z');
    problems.report(
      [{ ...problem('a'), incidentId: 'inc-2' }],
      '2026-11-25T10:05:00.000Z',
    );
    expect(problems.list()).toEqual([
      {
        key: 'a',
        message: 'problem a',
        incidentId: 'inc-2',
        firstSeen: '2026-11-25T10:00:00.000Z',
        lastSeen: '2026-11-25T10:05:00.000Z',
        count: 2,
      },
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('drops what a checked source no longer has, and keeps what routing saw', () => {
    const problems = new RoutingProblems(mockServices.logger.mock());
    problems.report([problem('seen-routing')], '2026-11-25T10:00:00.000Z');
    problems.track(
      'catalog',
      [problem('x'), problem('y')],
      '2026-11-25T10:00:00.000Z',
    );
    problems.track('catalog', [problem('y')], '2026-11-25T10:01:00.000Z');
    expect(problems.list().map(p => p.key)).toEqual(['seen-routing', 'y']);
  });
});
