import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  aiopsIncidentUpdatePermission,
  type AiopsRegressionApi,
} from '@aiops/plugin-aiops-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@aiops/plugin-aiops-node';
import {
  asService,
  asUser,
  sendSpans,
  startRegressionSuite,
  type RegressionSuite,
} from './__testUtils__/startRegressionSuite';

jest.setTimeout(120_000);

const API = '/api/aiops-regression';
const MINUTE = 60_000;
const CART = 'component:default/cart';

describe('aiops-regression', () => {
  let suite: RegressionSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  const get = (path: string, who = asUser()) =>
    request(suite!.server).get(path).set('authorization', who);
  const post = (path: string, body: object = {}, who = asUser()) =>
    request(suite!.server).post(path).set('authorization', who).send(body);

  /** Two hours of cart traffic: a deploy an hour ago halved requests and brought errors. */
  async function badCartDeploy() {
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const from = now - 121 * MINUTE;
    const deployAt = from + 60 * MINUTE;
    await sendSpans(suite!.server, {
      service: 'cartservice',
      from,
      minutes: 120,
      perMinute: i => (i < 60 ? 20 + (i % 5) : 10 + (i % 3)),
      errors: i => (i < 60 ? 0 : 1 + (i % 2)),
    });
    await post(
      '/api/aiops-ingest/deployments',
      {
        id: 'deploy-cart-9',
        service: 'cartservice',
        version: '2.1.0',
        startedAt: new Date(deployAt - 2 * MINUTE).toISOString(),
        finishedAt: new Date(deployAt).toISOString(),
      },
      asService,
    ).expect(200);
    return { now, from, deployAt };
  }

  it('detects the bad deploy on the embedded rollups, announces it once, and does not raise it again once dismissed', async () => {
    suite = await startRegressionSuite();
    const { deployAt } = await badCartDeploy();
    await suite.detect();

    const list = await get(`${API}/regressions?entityRef=${CART}`).expect(200);
    const items = list.body.items as AiopsRegressionApi.Regression[];
    expect(
      items.map(r => [r.metric, r.direction, r.deploymentId]).sort(),
    ).toEqual([
      ['error_rate', 'increase', expect.any(String)],
      ['throughput_rps', 'decrease', expect.any(String)],
    ]);
    const throughput = items.find(r => r.metric === 'throughput_rps')!;
    expect(throughput).toMatchObject({
      status: 'active',
      method: 'welch-mann-whitney-holm@1',
      changeAt: new Date(deployAt).toISOString(),
    });
    expect(throughput.relativeChange).toBeLessThan(-0.4);
    // An error rate that was 0 has no relative change.
    expect(
      items.find(r => r.metric === 'error_rate')!.relativeChange,
    ).toBeNull();
    expect(suite.announced.map(r => r.id).sort()).toEqual(
      items.map(r => r.id).sort(),
    );
    expect(
      suite.announced.find(r => r.metric === 'throughput_rps'),
    ).toMatchObject({
      changePointAt: throughput.changeAt,
      direction: 'decrease',
      before: throughput.before,
    });

    // Dismissed, it stays dismissed: the next run finds the same change and raises nothing.
    const dismissed = await post(
      `${API}/regressions/${throughput.id}/dismiss`,
    ).expect(200);
    expect(dismissed.body).toMatchObject({
      status: 'dismissed',
      statusBy: 'user:default/jo',
    });
    await suite.detect();
    expect(suite.announced).toHaveLength(2);
    expect(
      (
        await get(`${API}/regressions?status=active`).expect(200)
      ).body.items.map((r: AiopsRegressionApi.Regression) => r.metric),
    ).toEqual(['error_rate']);
    await post(`${API}/regressions/nope/acknowledge`).expect(404);

    // The chart's series: points, the change point and the deploy marker.
    const series = await get(
      `${API}/entities/${encodeURIComponent(
        CART,
      )}/series?metric=throughput_rps`,
    ).expect(200);
    expect(series.body).toMatchObject({
      entityRef: CART,
      metric: 'throughput_rps',
      provider: 'embedded',
      stepSeconds: 60,
      deployments: [{ at: new Date(deployAt).toISOString(), version: '2.1.0' }],
    });
    expect(series.body.points.length).toBeGreaterThanOrEqual(119);
    expect(series.body.changePoints).toEqual([
      expect.objectContaining({ at: new Date(deployAt).toISOString() }),
    ]);
    expect(series.body.regressions.map((r: { id: string }) => r.id)).toEqual([
      throughput.id,
    ]);
    for (const [query, field] of [
      ['metric=queue_depth', 'unknown metric queue_depth'],
      ['', 'metric is required'],
      ['metric=error_rate&from=2026-01-01T00:00:00Z', 'longer than 7 days'],
    ]) {
      const res = await get(
        `${API}/entities/${encodeURIComponent(CART)}/series?${query}`,
      ).expect(400);
      expect(res.body.error.message).toContain(field);
    }
  });

  it('records per entity what it could not read, and keeps going', async () => {
    suite = await startRegressionSuite();
    await badCartDeploy();
    await suite.detect();
    // ad sent nothing; the cart run still found the cart's regressions.
    expect(
      (await get(`${API}/regressions`).expect(200)).body.items.length,
    ).toBeGreaterThan(0);
    const runs = (await get(`${API}/runs`).expect(200)).body.items;
    expect(runs.map((r: { entityRef: string }) => r.entityRef)).toEqual([
      'component:default/ad',
      CART,
    ]);
    const [ad, cart] = runs;
    expect(ad).toMatchObject({ ok: false, regressionsRaised: 0 });
    expect(ad.failures).toContainEqual({
      metric: 'latency_p99_ms',
      reason: 'no data in the window',
    });
    // p95 is not in ingest's rollups: no provider has it on the default setup.
    expect(cart.failures).toEqual([
      {
        metric: 'latency_p95_ms',
        reason: 'no metrics provider has latency_p95_ms',
      },
      { metric: 'cpu_utilization', reason: 'no data in the window' },
      { metric: 'memory_bytes', reason: 'no data in the window' },
    ]);
    expect(cart.regressionsRaised).toBe(2);
  });

  it("lets only the entity's owners acknowledge or dismiss under a conditional policy", async () => {
    let claims = ['group:default/ads-team'];
    suite = await startRegressionSuite({
      extraFeatures: [
        mockServices.permissions.mock({
          authorizeConditional: async ([{ permission }]) => [
            permission.name === aiopsIncidentUpdatePermission.name
              ? createIncidentConditionalDecision(
                  aiopsIncidentUpdatePermission,
                  incidentConditions.isIncidentOwner({ claims }),
                )
              : { result: AuthorizeResult.ALLOW },
          ],
        }).factory,
      ],
    });
    await badCartDeploy();
    await suite.detect();
    const [regression] = (await get(`${API}/regressions`).expect(200)).body
      .items as AiopsRegressionApi.Regression[];
    const refused = await post(`${API}/regressions/${regression.id}/dismiss`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(CART);
    claims = ['group:default/cart-team'];
    await post(`${API}/regressions/${regression.id}/acknowledge`).expect(200);
    expect(
      (await get(`${API}/regressions?status=acknowledged`).expect(200)).body
        .items,
    ).toEqual([expect.objectContaining({ id: regression.id })]);
  });

  it('answers 400 naming the field, and refuses who may not update', async () => {
    suite = await startRegressionSuite({
      extraFeatures: [
        mockServices.permissions.mock({
          authorizeConditional: async () => [{ result: AuthorizeResult.DENY }],
          authorize: async () => [{ result: AuthorizeResult.DENY }],
        }).factory,
      ],
    });
    const bad = async (res: request.Response, field: string) => {
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
    };
    await bad(await post(`${API}/analyze`, { values: [1, 2] }), 'values');
    await bad(
      await post(`${API}/analyze`, { values: [...Array(30).fill(1), 'NaN'] }),
      'values',
    );
    await bad(
      await post(`${API}/analyze`, { values: Array(100_001).fill(1) }),
      'values',
    );
    await bad(
      await post(`${API}/analyze`, {
        values: Array(40).fill(1),
        options: { maxPValue: 3 },
      }),
      'maxPValue',
    );
    const analyzed = await post(`${API}/analyze`, {
      values: Array.from(
        { length: 100 },
        (_, i) => (i < 50 ? 10 : 20) + (i % 3),
      ),
    }).expect(200);
    expect(analyzed.body).toMatchObject({
      method: 'e-divisive-t@1',
      changePoints: [
        { index: 50, before: expect.any(Number), after: expect.any(Number) },
      ],
    });
    await get(`${API}/regressions?status=gone`).expect(403);
    await get(
      `${API}/entities/${encodeURIComponent(CART)}/series?metric=queue_depth`,
    ).expect(403);
    await post(`${API}/regressions/x/dismiss`).expect(403);
  });
});
