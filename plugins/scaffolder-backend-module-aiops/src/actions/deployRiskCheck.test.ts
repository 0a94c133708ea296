/* eslint-disable @backstage/no-relative-monorepo-imports */
import type { AddressInfo } from 'node:net';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// The action's peer is the suite's own deploy-risk plugin: it runs for real, on the real
// ingest and correlation, rather than behind a mock of its API.
import {
  startDeployRiskSuite,
  type DeployRiskSuite,
} from '../../../aiops-deploy-risk-backend/src/__testUtils__/startDeployRiskSuite';
import { createDeployRiskCheckAction, reaches } from './deployRiskCheck';

jest.setTimeout(120_000);

describe('aiops:deploy-risk:check', () => {
  let suite: DeployRiskSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  /** Discovery of the test backend, as the scaffolder's would find the plugin. */
  const discoveryOf = (s: DeployRiskSuite): DiscoveryService => {
    const { port } = s.server.address() as AddressInfo;
    const url = async (pluginId: string) =>
      `http://localhost:${port}/api/${pluginId}`;
    return { getBaseUrl: url, getExternalBaseUrl: url };
  };
  const action = (s: DeployRiskSuite) =>
    createDeployRiskCheckAction({
      discovery: discoveryOf(s),
      // The scaffolder's own service credentials, as the test backend accepts them.
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });

  it('outputs the assessment and passes below failOn', async () => {
    suite = await startDeployRiskSuite();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/cart',
        version: '2.1.0',
        environment: 'production',
        failOn: 'blocked' as const,
        diffStats: {
          filesChanged: 1,
          linesAdded: 10,
          linesDeleted: 2,
          paths: ['src/cart.cs'],
        },
      },
    });
    await action(suite).handler(ctx);
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    expect(outputs).toMatchObject({
      assessmentId: expect.any(String),
      score: expect.any(Number),
      level: expect.stringMatching(/^(low|medium|high)$/),
    });
    expect(outputs.factors.map((f: { id: string }) => f.id).sort()).toEqual([
      'active-regressions',
      'blast-radius',
      'change-failure-rate',
      'change-size',
      'deploy-frequency',
      'open-incidents',
      'risky-paths',
      'time-since-last-failure',
      'timing',
    ]);
    expect(outputs.assessmentUrl).toMatch(
      new RegExp(`/api/aiops-deploy-risk/assessments/${outputs.assessmentId}$`),
    );
  });

  it('fails the step at or above failOn, naming the level, the blocking policy and the top factors', async () => {
    const now = Date.now();
    suite = await startDeployRiskSuite({
      aiops: {
        deployRisk: {
          policies: [
            {
              owner: 'checkout-team',
              freezes: [
                {
                  name: 'year-end',
                  startsAt: new Date(now - 3_600_000).toISOString(),
                  endsAt: new Date(now + 3_600_000).toISOString(),
                },
              ],
            },
          ],
        },
      },
    });
    const ctx = createMockActionContext({
      input: {
        entityRef: 'cart',
        version: '2.2.0',
        environment: 'production',
        failOn: 'high' as const,
        diffStats: {
          filesChanged: 40,
          linesAdded: 3000,
          linesDeleted: 900,
          paths: ['db/migrations/0042.sql', 'package.json'],
        },
      },
    });
    const failure = action(suite).handler(ctx);
    await expect(failure).rejects.toThrow(
      /^Deploy risk of component:default\/cart 2\.2\.0 in production is blocked \(score [\d.]+\), at or above failOn high\.\nBlocked by: .*year-end.*\nTop factors: .*Change size: 3900 lines changed in 40 files\./,
    );
    await expect(failure).rejects.toThrow(
      /Assessment: http:\/\/localhost:\d+\/api\/aiops-deploy-risk\/assessments\//,
    );
  });

  it('fails the step with the API’s message when the entity is unknown', async () => {
    suite = await startDeployRiskSuite();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/nope',
        version: '1',
        environment: 'production',
        failOn: 'high' as const,
      },
    });
    await expect(action(suite).handler(ctx)).rejects.toThrow(
      'Deploy risk could not be assessed (404): entity component:default/nope is not in the catalog',
    );
  });
});

describe('reaches', () => {
  it('orders low < medium < high < blocked', () => {
    expect(reaches('medium', 'high')).toBe(false);
    expect(reaches('high', 'high')).toBe(true);
    expect(reaches('blocked', 'high')).toBe(true);
    expect(reaches('low', 'low')).toBe(true);
    expect(reaches('high', 'blocked')).toBe(false);
  });
});
