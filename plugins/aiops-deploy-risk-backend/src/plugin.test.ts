import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AiopsDeployRiskApi } from '@aiops/plugin-aiops-common';
import {
  asService,
  asUser,
  eventually,
  sendAlerts,
  startDeployRiskSuite,
  storm,
  type DeployRiskSuite,
} from './__testUtils__/startDeployRiskSuite';

jest.setTimeout(120_000);

const API = '/api/aiops-deploy-risk';
const CART = 'component:default/cart';

describe('aiops-deploy-risk', () => {
  let suite: DeployRiskSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  const get = (path: string, who = asUser()) =>
    request(suite!.server).get(path).set('authorization', who);
  const post = (path: string, body: object, who = asUser()) =>
    request(suite!.server).post(path).set('authorization', who).send(body);

  const factor = (a: AiopsDeployRiskApi.Assessment, id: string) =>
    a.factors.find(f => f.id === id)!;

  it('assesses cart from the real suite: its open incidents, its dependents, no regression detector; stored and listed', async () => {
    suite = await startDeployRiskSuite();
    await sendAlerts(suite.server, storm());
    await eventually('the storm incident', async () => {
      await suite!.tick();
      const res = await get(
        `/api/aiops-correlation/incidents?entityRef=${encodeURIComponent(
          CART,
        )}&status=open`,
      );
      return res.body.items?.length > 0;
    });

    const created = await post(`${API}/assessments`, {
      entityRef: 'cart',
      version: '2.1.0',
      environment: 'production',
      diffStats: {
        filesChanged: 3,
        linesAdded: 400,
        linesDeleted: 20,
        paths: ['db/migrations/0042.sql', 'src/cart.cs', 'Dockerfile'],
      },
    }).expect(201);
    const assessment = created.body as AiopsDeployRiskApi.Assessment;
    expect(assessment).toMatchObject({
      entityRef: CART,
      version: '2.1.0',
      environment: 'production',
    });
    // The storm's incident affects cart but is rooted on redis-cart, which cart depends on:
    // it raises the score and does not block (only the entity's own critical incident does).
    expect(factor(assessment, 'open-incidents').value).toBeGreaterThan(0);
    expect(factor(assessment, 'open-incidents').explanation).toMatch(
      /dependenc/,
    );
    expect(assessment.blockedBy).toEqual([]);
    // frontend and checkout depend on cart in the demo catalog.
    expect(factor(assessment, 'blast-radius').value).toBeGreaterThan(0);
    expect(factor(assessment, 'risky-paths').explanation).toMatch(
      /database migrations/,
    );
    expect(factor(assessment, 'active-regressions').value).toBe(0);
    expect(['medium', 'high']).toContain(assessment.level);

    const listed = await get(`${API}/assessments?entityRef=cart`).expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([
      assessment.id,
    ]);
    const one = await get(`${API}/assessments/${assessment.id}`).expect(200);
    expect(one.body).toEqual(assessment);
  });

  it('answers bad input with a 400 naming the field, an unknown entity or assessment with a 404', async () => {
    suite = await startDeployRiskSuite();
    const noVersion = await post(`${API}/assessments`, {
      entityRef: CART,
      environment: 'production',
    }).expect(400);
    expect(noVersion.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('version'),
    });
    const badPaths = await post(`${API}/assessments`, {
      entityRef: CART,
      version: '1',
      environment: 'production',
      diffStats: {
        filesChanged: 1,
        linesAdded: -1,
        linesDeleted: 0,
        paths: [],
      },
    }).expect(400);
    expect(badPaths.body.error.message).toMatch(/diffStats.linesAdded/);
    const unknown = await post(`${API}/assessments`, {
      entityRef: 'component:default/nope',
      version: '1',
      environment: 'production',
    }).expect(404);
    expect(unknown.body.error).toEqual({
      name: 'NotFoundError',
      message: 'entity component:default/nope is not in the catalog',
    });
    await get(`${API}/assessments/missing`).expect(404);
    await get(`${API}/assessments?limit=0`).expect(400);
  });

  it('blocks a deploy inside the owner’s configured freeze', async () => {
    const now = Date.now();
    suite = await startDeployRiskSuite({
      aiops: {
        deployRisk: {
          policies: [
            {
              owner: 'checkout-team',
              timezone: 'Europe/Paris',
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
    const res = await post(`${API}/assessments`, {
      entityRef: CART,
      version: '2.2.0',
      environment: 'production',
    }).expect(201);
    expect(res.body.level).toBe('blocked');
    expect(res.body.blockedBy.join(' ')).toMatch(/year-end/);
  });

  it('answers a service caller, as the CI gate calls with an external-access token', async () => {
    suite = await startDeployRiskSuite();
    const res = await post(
      `${API}/assessments`,
      {
        entityRef: CART,
        version: '2.3.0',
        environment: 'production',
        plannedAt: '2026-12-04T15:00:00Z',
      },
      asService,
    ).expect(201);
    expect(res.body).toMatchObject({
      entityRef: CART,
      plannedAt: '2026-12-04T15:00:00.000Z',
      level: expect.stringMatching(/^(low|medium|high|blocked)$/),
    });
  });

  it('refuses a caller without aiops.incident.read', async () => {
    suite = await startDeployRiskSuite({
      extraFeatures: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await post(`${API}/assessments`, {
      entityRef: CART,
      version: '1',
      environment: 'production',
    }).expect(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('links the deployment ingest records and records its outcome when the window closes at the next deploy: failed with an incident on the entity, succeeded without', async () => {
    suite = await startDeployRiskSuite();
    const assess = async (entityRef: string, version: string) =>
      (
        await post(`${API}/assessments`, {
          entityRef,
          version,
          environment: 'production',
        }).expect(201)
      ).body as AiopsDeployRiskApi.Assessment;
    const deploy = (id: string, service: string, version: string) =>
      post(
        '/api/aiops-ingest/deployments',
        { id, service, version, startedAt: new Date().toISOString() },
        asService,
      ).expect(200);

    const cart = await assess(CART, '3.0.0');
    const currency = await assess('component:default/currency', '1.2.0');
    // A deploy of another version links nothing.
    await deploy('deploy-cart-other', 'cartservice', '2.9.9');
    await deploy('deploy-cart-3', 'cartservice', '3.0.0');
    // currency's next deploy closes its window (default 24 h) before anything happens.
    await deploy('deploy-currency-1', 'currencyservice', '1.2.0');
    await deploy('deploy-currency-2', 'currencyservice', '1.2.1');
    await sendAlerts(suite.server, storm());
    await eventually('the storm incident', async () => {
      await suite!.tick();
      const res = await get(
        `/api/aiops-correlation/incidents?entityRef=${encodeURIComponent(
          CART,
        )}&status=open`,
      );
      return res.body.items?.length > 0;
    });
    // cart's next deploy closes its window, after the incident opened.
    await deploy('deploy-cart-4', 'cartservice', '3.0.1');

    await suite.recordOutcomes();
    const cartDone = (await get(`${API}/assessments/${cart.id}`).expect(200))
      .body as AiopsDeployRiskApi.Assessment;
    expect(cartDone).toMatchObject({
      outcome: 'failed',
      outcomeReason: expect.stringMatching(
        /incident opened on component:default\/cart.*before the next deploy/,
      ),
    });
    expect(cartDone.deploymentId).toEqual(expect.any(String));
    const currencyDone = (
      await get(`${API}/assessments/${currency.id}`).expect(200)
    ).body as AiopsDeployRiskApi.Assessment;
    // The storm reached frontend, a direct dependent of currency, after currency's next deploy:
    // that is the next deploy's outcome, not this one's.
    expect(currencyDone).toMatchObject({
      outcome: 'succeeded',
      outcomeReason: expect.stringContaining('before the next deploy'),
    });

    // The recorded failure is cart's history now.
    const next = await assess(CART, '3.0.2');
    expect(factor(next, 'change-failure-rate').explanation).toMatch(
      /^1 of 1 deploys in the last 90 days failed/,
    );
    // A second pass changes nothing.
    await suite.recordOutcomes();
    expect((await get(`${API}/assessments/${cart.id}`)).body).toEqual(cartDone);
  });
});
