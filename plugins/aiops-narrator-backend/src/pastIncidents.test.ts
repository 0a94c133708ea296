import request from 'supertest';
import type { Incident } from '@aiops/plugin-aiops-common';
// The real retrieval plugin beside the narrator, as an adopter installs both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiopsRetrievalPlugin from '@aiops/plugin-aiops-retrieval-backend';
import type { StoredNarrative } from './database/NarrativeStore';
import {
  alertmanagerGroup,
  asUser,
  eventually,
  minutesAgo,
  sendAlerts,
  startNarratorSuite,
  storm,
  type NarratorSuite,
} from './__testUtils__/startNarratorSuite';

jest.setTimeout(120_000);

const NARRATOR = '/api/aiops-narrator';
const CORRELATION = '/api/aiops-correlation';
const FIX =
  'Raised the memory limit of redis-cart to 2 GiB and restarted it; evictions stopped';
const POSTMORTEM = 'https://wiki.example.com/postmortems/redis-cart-oom';

describe('the narrator with retrieval installed', () => {
  let suite: NarratorSuite | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });

  const get = (path: string) =>
    request(suite!.server).get(path).set('authorization', asUser());
  const incidents = async () =>
    (
      await get(
        `${CORRELATION}/incidents?status=open,acknowledged,resolved`,
      ).expect(200)
    ).body.items as Incident[];

  it('suggests how the most similar resolved incident was fixed, quoted with its postmortem, and the check accepts it', async () => {
    suite = await startNarratorSuite({ extraFeatures: [aiopsRetrievalPlugin] });

    // Last week's outage of the same Redis, resolved with a note saying what fixed it.
    await sendAlerts(
      suite.server,
      alertmanagerGroup([
        {
          alertname: 'RedisMemoryHigh',
          service: 'redis-cart',
          severity: 'critical',
          startsAt: minutesAgo(90),
        },
      ]),
    );
    const past = await eventually('the past incident', async () => {
      await suite!.tick();
      return (await incidents())[0];
    });
    await request(suite.server)
      .post(`${CORRELATION}/incidents/${past.id}/resolve`)
      .set('authorization', asUser())
      .send({ resolution: { note: FIX, postmortemUrl: POSTMORTEM } })
      .expect(200);
    await suite.trigger('aiops-retrieval-catch-up');

    // Today's storm on the same Redis.
    await sendAlerts(suite.server, storm());
    const now = await eventually('the storm incident', async () => {
      await suite!.tick();
      return (await incidents()).find(
        i => i.id !== past.id && i.alertIds.length === 3,
      );
    });
    const narrative = await eventually('its narrative', async () => {
      await suite!.catchUp();
      const { current } = (
        await get(`${NARRATOR}/incidents/${now.id}/narrative`).expect(200)
      ).body as { current: StoredNarrative | null };
      return current?.suggestedActions.some(a => a.includes(FIX)) && current;
    });

    const action = narrative.suggestedActions.find(a => a.includes(FIX))!;
    expect(action).toContain(POSTMORTEM);
    expect(action).toContain(past.title);
    expect(narrative).toMatchObject({
      generatedBy: 'template',
      accepted: true,
    });
    // The template's own words pass the grounding check with the quoted fix in them.
    expect(narrative.grounding.passed).toBe(true);
  });

  it('narrates without past incidents when retrieval is not installed', async () => {
    suite = await startNarratorSuite();
    await sendAlerts(suite.server, storm());
    const incident = await eventually('the storm incident', async () => {
      await suite!.tick();
      return (await incidents()).find(i => i.alertIds.length === 3);
    });
    const narrative = await eventually('its narrative', async () => {
      await suite!.catchUp();
      return (
        (await get(`${NARRATOR}/incidents/${incident.id}/narrative`)).body as {
          current: StoredNarrative | null;
        }
      ).current;
    });
    expect(narrative!.suggestedActions.join(' ')).not.toMatch(/past incident/);
    expect(narrative!.grounding.passed).toBe(true);
  });
});
