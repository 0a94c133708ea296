import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  Feed,
  Incident,
  IncidentChangeFeedItem,
} from '@aiops/plugin-aiops-common';
import {
  asUser,
  eventually,
  sendAlerts,
  startSuite,
  storm,
  type Suite,
} from './__testUtils__/startSuite';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const API = '/api/aiops-correlation';

describe.each(databases.eachSupportedId())('GET /changes on %s', databaseId => {
  let suite: Suite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  const get = (path: string) =>
    request(suite!.server).get(`${API}${path}`).set('authorization', asUser());

  it('feeds the incident changes in commit order with the incident as it is now, and announces their cursor', async () => {
    suite = await startSuite({
      databases: {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      },
    });
    await sendAlerts(suite.server, storm());
    const incident = await eventually('the storm incident', async () => {
      await suite!.tick();
      const res = await get('/incidents');
      const [found] = res.body.items as Incident[];
      return found?.alertIds.length === 3 && found;
    });
    await request(suite.server)
      .post(`${API}/incidents/${incident.id}/acknowledge`)
      .set('authorization', asUser())
      .expect(200);

    const res = await get('/changes?after=0').expect(200);
    const feed = res.body as Feed<IncidentChangeFeedItem>;
    expect(
      feed.items.map(({ item, cursor }) => [
        cursor,
        item.change.kind,
        item.incident.id,
        item.incident.status,
      ]),
    ).toEqual([
      ['1', 'opened', incident.id, 'acknowledged'],
      ['2', 'acknowledged', incident.id, 'acknowledged'],
    ]);
    expect(feed.cursor).toBe('2');
    expect(feed.items[0].item.incident).toMatchObject({
      title: incident.title,
      severity: incident.severity,
      owner: incident.owner,
      primaryEntityRef: incident.primaryEntityRef,
    });
    expect(feed.items[0].item.incident).not.toHaveProperty('alertIds');

    // Without `after`, from the beginning; paged by `limit`; nothing after the newest.
    const first = await get('/changes?limit=1').expect(200);
    expect(first.body.items.map((i: { cursor: string }) => i.cursor)).toEqual([
      '1',
    ]);
    expect(first.body.cursor).toBe('1');
    expect((await get('/changes?after=2').expect(200)).body).toEqual({
      items: [],
      cursor: '2',
    });

    // Each announcement carries the cursor of the incident's newest change.
    const announcedCursors = suite.announced.map(
      event =>
        (event.eventPayload as { change: string; cursor?: string }).cursor,
    );
    expect(announcedCursors[announcedCursors.length - 1]).toBe('2');
    expect(announcedCursors.every(cursor => cursor !== undefined)).toBe(true);
  });

  it('answers bad input with 400 naming the parameter', async () => {
    suite = await startSuite({
      databases: {
        ingest: await databases.init(databaseId),
        correlation: await databases.init(databaseId),
      },
    });
    for (const [path, field] of [
      ['/changes?after=abc', 'after'],
      ['/changes?after=-1', 'after'],
      ['/changes?after=1&after=2', 'after'],
      ['/changes?limit=0', 'limit'],
      ['/changes?limit=1001', 'limit'],
      ['/changes?limit=ten', 'limit'],
    ]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toContain(field);
    }
  });
});
