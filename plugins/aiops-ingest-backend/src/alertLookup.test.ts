import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import firing from '../fixtures/alerts/alertmanager-v4-firing.json';
import { post, service, startIngest } from './__testUtils__/startIngest';

jest.setTimeout(60_000);

const ALERTS = '/api/aiops-ingest/alerts';

describe('GET /alerts?id=…', () => {
  async function storedAlerts() {
    const { server } = await startIngest();
    await post(server, '/alerts/alertmanager', firing);
    const list = await request(server)
      .get(ALERTS)
      .set('authorization', service);
    const ids: string[] = list.body.items.map((a: { id: string }) => a.id);
    expect(ids).toHaveLength(2);
    return { server, ids };
  }

  it('answers the alerts asked for, in that order, and the ids it does not hold', async () => {
    const { server, ids } = await storedAlerts();
    const [a, b] = ids;
    const res = await request(server)
      .get(`${ALERTS}?id=${b}&id=unknown-id&id=${a}&id=${b}`)
      .set('authorization', service);
    expect(res.status).toBe(200);
    expect(res.body.items.map((alert: { id: string }) => alert.id)).toEqual([
      b,
      a,
    ]);
    expect(res.body.items[0]).toMatchObject({
      id: b,
      title: expect.any(String),
      severity: expect.any(String),
      status: 'firing',
      startsAt: expect.any(String),
      lastSeenAt: expect.any(String),
    });
    expect(res.body.missing).toEqual(['unknown-id']);

    const one = await request(server)
      .get(`${ALERTS}?id=${a}`)
      .set('authorization', service);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      items: [expect.objectContaining({ id: a })],
      missing: [],
    });
  });

  it('reads with the credentials of the other read APIs', async () => {
    const { server, ids } = await storedAlerts();
    const user = await request(server)
      .get(`${ALERTS}?id=${ids[0]}`)
      .set('authorization', mockCredentials.user.header());
    expect(user.status).toBe(200);
    const none = await request(server)
      .get(`${ALERTS}?id=${ids[0]}`)
      .set('authorization', mockCredentials.none.header());
    expect(none.status).toBe(401);
  });

  it('accepts 200 ids and answers 400 naming the parameter beyond the bounds', async () => {
    const { server, ids } = await storedAlerts();
    const many = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `id=${i === 0 ? ids[0] : `x${i}`}`,
      ).join('&');
    const most = await request(server)
      .get(`${ALERTS}?${many(200)}`)
      .set('authorization', service);
    expect(most.status).toBe(200);
    expect(most.body.items).toHaveLength(1);
    expect(most.body.missing).toHaveLength(199);

    for (const query of [
      many(201),
      `id=${'x'.repeat(65)}`,
      'id=',
      `id=${ids[0]}&status=firing`,
    ]) {
      const res = await request(server)
        .get(`${ALERTS}?${query}`)
        .set('authorization', service);
      expect({ query: query.slice(0, 40), status: res.status }).toEqual({
        query: query.slice(0, 40),
        status: 400,
      });
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/\bid\b/),
      });
    }
  });
});
