import { ConfigReader } from '@backstage/config';
import { policyFor, readDeployRiskPluginConfig } from './policyConfig';

const read = (deployRisk: object) =>
  readDeployRiskPluginConfig(new ConfigReader({ aiops: { deployRisk } }));

describe('readDeployRiskPluginConfig', () => {
  it('has defaults: UTC working hours, a 24-hour outcome window', () => {
    const config = read({});
    expect(config.outcomeWindowMs).toBe(86_400_000);
    expect(
      policyFor(
        config,
        'group:default/any',
        '2026-12-04T10:00:00Z',
        '2026-12-04T11:00:00Z',
      ),
    ).toEqual({
      timezone: 'UTC',
      workingHours: { start: 9, end: 18 },
      fridayCutoffHour: 14,
      freezeWindows: [],
    });
  });

  it('finds the owner’s policy by group ref and keeps the freezes overlapping the range', () => {
    const config = read({
      outcomeWindow: 'PT6H',
      policies: [
        {
          owner: 'Checkout-Team',
          timezone: 'Europe/Paris',
          freezes: [
            {
              name: 'year-end',
              startsAt: '2026-12-20T00:00:00Z',
              endsAt: '2027-01-02T00:00:00Z',
            },
            {
              startsAt: '2026-11-01T00:00:00+01:00',
              endsAt: '2026-11-02T00:00:00+01:00',
            },
          ],
        },
      ],
    });
    expect(config.outcomeWindowMs).toBe(6 * 3_600_000);
    const policy = policyFor(
      config,
      'group:default/checkout-team',
      '2026-12-24T10:00:00Z',
      '2026-12-24T10:00:00.001Z',
    );
    expect(policy.timezone).toBe('Europe/Paris');
    expect(policy.freezeWindows).toEqual([
      {
        name: 'year-end',
        startsAt: '2026-12-20T00:00:00.000Z',
        endsAt: '2027-01-02T00:00:00.000Z',
      },
    ]);
    expect(
      policyFor(
        config,
        'group:default/other',
        '2026-12-24T10:00:00Z',
        '2026-12-24T11:00:00Z',
      ).timezone,
    ).toBe('UTC');
  });

  it('names the key that is wrong', () => {
    expect(() =>
      read({
        policies: [
          {
            owner: 'a',
            freezes: [
              {
                startsAt: '2026-12-02T00:00:00Z',
                endsAt: '2026-12-01T00:00:00Z',
              },
            ],
          },
        ],
      }),
    ).toThrow(
      'aiops.deployRisk.policies[0].freezes[0] must have ISO 8601 startsAt before endsAt',
    );
    expect(() =>
      read({ policies: [{ owner: 'a' }, { owner: 'group:default/a' }] }),
    ).toThrow(
      'aiops.deployRisk.policies[1].owner group:default/a has a policy already',
    );
    expect(() =>
      read({ defaultPolicy: { workingHours: { start: 18, end: 9 } } }),
    ).toThrow(
      'aiops.deployRisk.defaultPolicy.workingHours.start must be before workingHours.end',
    );
    expect(() => read({ outcomeWindow: 'soon' })).toThrow(
      'aiops.deployRisk.outcomeWindow',
    );
  });
});
