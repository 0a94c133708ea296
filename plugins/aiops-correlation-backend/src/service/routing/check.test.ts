import { demoIndex, routingConfig } from './__testUtils__/routingFixtures';
import { checkRoutingConfig } from './check';
import { defaultRoute } from './route';

describe('checkRoutingConfig', () => {
  const catalog = demoIndex();

  it('finds nothing wrong with groups and targets the catalog knows', () => {
    expect(checkRoutingConfig(routingConfig(), catalog)).toEqual([]);
  });

  it('names unknown groups, channels without transport and malformed keys', () => {
    const problems = checkRoutingConfig(
      routingConfig({
        fallbackGroup: 'group:default/nobody',
        slack: { botToken: false, webhook: false },
        groups: {
          'group:default/checkout-team': {
            ...defaultRoute('group:default/checkout-team'),
            slackChannel: '#checkout',
            pagerDutyIntegrationKey: 'short-secret-key',
          },
          'group:default/ghosts': defaultRoute('group:default/ghosts'),
        },
        escalationPolicies: {
          p: {
            name: 'p',
            steps: [
              {
                afterMs: 1,
                notify: [{ type: 'group', ref: 'group:default/x' }],
              },
            ],
          },
        },
      }),
      catalog,
    );
    expect(problems.map(p => p.key)).toEqual([
      'slack-transport',
      'pagerduty-key:group:default/checkout-team',
      'unknown-group:group:default/nobody',
      'unknown-group:group:default/ghosts',
      'unknown-group:group:default/x',
    ]);
    expect(JSON.stringify(problems)).not.toContain('short-secret-key');
  });
});
