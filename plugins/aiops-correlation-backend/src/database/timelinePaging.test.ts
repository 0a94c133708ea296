import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { Incident } from '@aiops/plugin-aiops-common';
import { at, c } from '../service/__testUtils__/builders';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DETAIL_TIMELINE_ENTRIES } from './incidents/reads';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const opened: Incident = {
  id: 'inc-1',
  title: 'cart: CartErrors',
  status: 'open',
  severity: 'error',
  primaryEntityRef: c('cart'),
  affectedEntityRefs: [c('cart')],
  correlationKey: `group-key@1|inc-1|${at(0)}`,
  ruleVersions: ['group-key@1'],
  alertIds: ['a1'],
  findings: [],
  rootCauseCandidates: [],
  openedAt: at(0),
  updatedAt: at(0),
};

const NOTES = 450;

describe.each(databases.eachSupportedId())(
  'Timeline paging in DatabaseIncidentStore on %s',
  databaseId => {
    /** An incident with more timeline entries than its detail carries: notes 1 to NOTES. */
    async function longTimeline() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.applyDecisions(
        [{ type: 'open-incident', incident: opened, rule: 'group-key@1' }],
        { now: at(0) },
      );
      for (let n = 1; n <= NOTES; n++) {
        await store.addNote('inc-1', 'user:default/ann', `note ${n}`, at(1));
      }
      return store;
    }

    it('answers the newest entries in the detail and pages back to the first exactly once', async () => {
      const store = await longTimeline();
      const details = (await store.getIncident('inc-1'))!;
      expect(details.timeline).toHaveLength(DETAIL_TIMELINE_ENTRIES);
      // Oldest first, ending with the newest entry.
      expect(details.timeline.at(-1)?.summary).toContain(`note ${NOTES}`);
      expect(details.timeline[0].summary).toContain(
        `note ${NOTES - DETAIL_TIMELINE_ENTRIES + 1}`,
      );
      expect(details.olderTimelineCursor).toEqual(expect.any(String));

      // Each page is oldest first and ends right before the one read after it.
      let all = details.timeline;
      let before = details.olderTimelineCursor;
      const sizes: number[] = [];
      while (before) {
        const page = await store.timelinePage('inc-1', { before, limit: 100 });
        sizes.push(page.items.length);
        all = [...page.items, ...all];
        before = page.nextCursor;
      }
      const { timeline: stored } = await storedTimeline(store);
      expect(all.map(e => e.id)).toEqual(stored);
      expect(new Set(all.map(e => e.id)).size).toBe(all.length);
      expect(all[0].action).not.toBe('note');
      expect(all.filter(e => e.action === 'note').map(e => e.summary)).toEqual(
        Array.from({ length: NOTES }, (_, i) =>
          expect.stringContaining(`note ${i + 1}`),
        ),
      );
      // The last page holds the rest and announces no further one.
      expect(sizes.slice(0, -1).every(size => size === 100)).toBe(true);
      expect(sizes.at(-1)).toBeLessThanOrEqual(100);
    });

    it('has no cursor when the detail holds the whole timeline, and refuses a bad cursor', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.applyDecisions(
        [{ type: 'open-incident', incident: opened, rule: 'group-key@1' }],
        { now: at(0) },
      );
      await store.addNote('inc-1', 'user:default/ann', 'one note', at(1));
      const details = (await store.getIncident('inc-1'))!;
      expect(details.timeline.at(-1)?.summary).toContain('one note');
      expect(details.olderTimelineCursor).toBeUndefined();

      await expect(
        store.timelinePage('inc-1', { before: 'nonsense', limit: 10 }),
      ).rejects.toThrow(InputError);
      expect(
        await store.timelinePage('unknown', { before: undefined, limit: 10 }),
      ).toEqual({ items: [] });
    });
  },
);

/** Every entry id of inc-1 in insertion order, read in pages of the largest size. */
async function storedTimeline(store: DatabaseIncidentStore) {
  const page = await store.timelinePage('inc-1', { limit: 10_000 });
  expect(page.nextCursor).toBeUndefined();
  return { timeline: page.items.map(e => e.id) };
}
