/* eslint-disable @backstage/no-relative-monorepo-imports */
import request from 'supertest';
import type { AiopsDeployRiskApi } from '@aiops/plugin-aiops-common';
// The regression detector as it runs, when it is installed.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  aiopsRegressionPlugin,
  DETECTION_TASK_ID,
} from '../../aiops-regression-backend/src/plugin';
import { sendSpans } from '../../aiops-regression-backend/src/__testUtils__/startRegressionSuite';
import {
  asService,
  asUser,
  startDeployRiskSuite,
  type DeployRiskSuite,
} from './__testUtils__/startDeployRiskSuite';

jest.setTimeout(120_000);

const MINUTE = 60_000;

describe('aiops-deploy-risk with the regression detector installed', () => {
  let suite: DeployRiskSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  it('reads the active regressions the detector found on the entity', async () => {
    suite = await startDeployRiskSuite({
      extraFeatures: [aiopsRegressionPlugin],
      aiops: { regression: { window: 'PT3H' } },
    });
    // Two hours of cart traffic; a deploy an hour ago halved requests and brought errors.
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const from = now - 121 * MINUTE;
    const deployAt = from + 60 * MINUTE;
    await sendSpans(suite.server, {
      service: 'cartservice',
      from,
      minutes: 120,
      perMinute: i => (i < 60 ? 20 + (i % 5) : 10 + (i % 3)),
      errors: i => (i < 60 ? 0 : 1 + (i % 2)),
    });
    await request(suite.server)
      .post('/api/aiops-ingest/deployments')
      .set('authorization', asService)
      .send({
        id: 'deploy-cart-9',
        service: 'cartservice',
        version: '2.1.0',
        startedAt: new Date(deployAt - 2 * MINUTE).toISOString(),
        finishedAt: new Date(deployAt).toISOString(),
      })
      .expect(200);
    await suite.trigger(DETECTION_TASK_ID);

    const res = await request(suite.server)
      .post('/api/aiops-deploy-risk/assessments')
      .set('authorization', asUser())
      .send({
        entityRef: 'component:default/cart',
        version: '2.1.1',
        environment: 'production',
      })
      .expect(201);
    const factor = (res.body as AiopsDeployRiskApi.Assessment).factors.find(
      f => f.id === 'active-regressions',
    )!;
    expect(factor.value).toBeGreaterThan(0);
    expect(factor.explanation).toMatch(/throughput_rps/);
  });
});
