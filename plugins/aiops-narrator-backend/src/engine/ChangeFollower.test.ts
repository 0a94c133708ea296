import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Feed, IncidentChangeFeedItem } from '@aiops/plugin-aiops-common';
import { DatabaseNarrativeStore } from '../database/DatabaseNarrativeStore';
import { ChangeFollower } from './ChangeFollower';
import type { SuiteClient } from './SuiteClient';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const DEBOUNCE = 10_000;

/** Correlation's change feed as data: one item per change, cursors 1, 2, … */
function changeFeed() {
  const items: Array<{ item: IncidentChangeFeedItem; cursor: string }> = [];
  const suite: SuiteClient = {
    async changes(after, limit): Promise<Feed<IncidentChangeFeedItem>> {
      const page = items
        .filter(i => Number(i.cursor) > Number(after))
        .slice(0, limit);
      return { items: page, cursor: page.at(-1)?.cursor ?? after };
    },
    incident: async () => undefined,
    deployments: async () => [],
    similar: async () => [],
  };
  const change = (incidentId: string) =>
    items.push({
      item: { incident: { id: incidentId } } as IncidentChangeFeedItem,
      cursor: String(items.length + 1),
    });
  return { suite, change };
}

describe.each(databases.eachSupportedId())('ChangeFollower on %s', id => {
  it('narrates a new incident at once, debounces later changes into one narration, and keeps both across a restart', async () => {
    const knex = await databases.init(id);
    const store = await DatabaseNarrativeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const { suite, change } = changeFeed();
    const narrated: string[] = [];
    // Writes what a narration writes, so the follower sees the incident has a narrative.
    const narrator = {
      async narrate(incidentId: string) {
        narrated.push(incidentId);
        await store.add({
          incidentId,
          summary: 's',
          impact: 'i',
          probableCause: 'p',
          evidence: [],
          whatChanged: [],
          suggestedActions: [],
          generatedBy: 'template',
          grounding: { passed: true, rejected: [], rules: [] },
          accepted: true,
          inputHash: String(narrated.length),
        });
      },
    };
    let now = 1_000_000;
    const follower = () =>
      new ChangeFollower({
        database: knex,
        store,
        suite,
        narrator,
        debounceMs: DEBOUNCE,
        logger: mockServices.logger.mock(),
        now: () => now,
      });

    const first = follower();
    change('inc-1');
    change('inc-2');
    await first.catchUp();
    expect(narrated).toEqual(['inc-1', 'inc-2']);

    // A storm on inc-1: three changes, waiting for the debounce.
    change('inc-1');
    change('inc-1');
    change('inc-1');
    await first.catchUp();
    expect(narrated).toEqual(['inc-1', 'inc-2']);
    expect(await first.cursor()).toBe('5');
    await first.stop();

    // After a restart, past the debounce: the feed is not read again, inc-1 is narrated once.
    now += DEBOUNCE;
    const second = follower();
    await second.catchUp();
    expect(narrated).toEqual(['inc-1', 'inc-2', 'inc-1']);
    await second.catchUp();
    expect(narrated).toHaveLength(3);
    await second.stop();
  });

  it('schedules an incident again when its narration fails', async () => {
    const knex = await databases.init(id);
    const store = await DatabaseNarrativeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const { suite, change } = changeFeed();
    let fail = true;
    const narrated: string[] = [];
    const narrator = {
      async narrate(incidentId: string) {
        if (fail) throw new Error('correlation is restarting');
        narrated.push(incidentId);
      },
    };
    let now = 1_000_000;
    const follower = new ChangeFollower({
      database: knex,
      store,
      suite,
      narrator,
      debounceMs: DEBOUNCE,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    change('inc-1');
    await follower.catchUp();
    expect(await store.due(now, 10)).toEqual([]);
    fail = false;
    now += DEBOUNCE;
    await follower.catchUp();
    expect(narrated).toEqual(['inc-1']);
    await follower.stop();
  });
});
