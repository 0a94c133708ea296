import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import {
  at,
  bareIncident as incident,
} from '../service/__testUtils__/builders';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ann = 'user:default/ann';
const bob = 'user:default/bob';
const fix = {
  note: 'Rolled back cart to v41; the new Redis client leaked connections',
  postmortemUrl: 'https://wiki.example.com/postmortems/42',
};

describe.each(databases.eachSupportedId())(
  'resolutions of incidents, on %s',
  databaseId => {
    async function storeWith(ids: string[]) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      for (const id of ids) {
        await store.applyDecisions(
          [{ type: 'open-incident', incident: incident(id), rule: 'r@1' }],
          { now: at(0) },
        );
      }
      const changes = async (id: string) =>
        (
          await knex('incident_changes')
            .where('incident_id', id)
            .orderBy('seq')
            .select('kind')
        ).map(row => row.kind);
      const entries = async (id: string) =>
        (await store.getIncident(id))!.timeline
          .filter(e => e.kind === 'status' && e.action !== 'open-incident')
          .map(e => [e.action, e.summary]);
      return { knex, store, changes, entries };
    }

    it('records what fixed it, replaces it after the fact, and clears it on reopen', async () => {
      const { store, changes, entries } = await storeWith(['inc-1']);

      const resolved = await store.resolve('inc-1', ann, at(5), fix);
      const resolution = { ...fix, resolvedBy: ann, resolvedAt: at(5) };
      expect(resolved.resolution).toEqual(resolution);
      expect((await store.getIncident('inc-1'))!.incident.resolution).toEqual(
        resolution,
      );
      expect(
        (await store.listIncidents({ limit: 10 })).items[0].resolution,
      ).toEqual(resolution);

      // The same again, or no resolution at all, changes nothing.
      await store.resolve('inc-1', bob, at(6), fix);
      await store.resolve('inc-1', bob, at(7));
      expect((await store.getIncident('inc-1'))!.incident).toMatchObject({
        updatedAt: at(5),
        resolution,
      });

      // A different one replaces it; who resolved it and when stay, routing hears nothing.
      const updated = await store.resolve('inc-1', bob, at(8), {
        note: 'Rolled back cart to v41',
      });
      expect(updated).toMatchObject({ status: 'resolved', updatedAt: at(8) });
      expect(updated.resolution).toEqual({
        note: 'Rolled back cart to v41',
        resolvedBy: ann,
        resolvedAt: at(5),
      });
      expect(await changes('inc-1')).toEqual(['opened', 'resolved']);

      // An empty one clears the note.
      const cleared = await store.resolve('inc-1', bob, at(9), {});
      expect(cleared.resolution).toEqual({
        resolvedBy: ann,
        resolvedAt: at(5),
      });

      const reopened = await store.reopen('inc-1', ann, at(10));
      expect(reopened.status).toBe('open');
      expect(reopened.resolution).toBeUndefined();
      // The timeline keeps what was recorded.
      expect(await entries('inc-1')).toEqual([
        [
          'resolve',
          `Resolved by ${ann}: ${fix.note} (postmortem: ${fix.postmortemUrl})`,
        ],
        ['resolution', `Resolution updated by ${bob}: Rolled back cart to v41`],
        ['resolution', `Resolution cleared by ${bob}`],
        ['reopen', `Reopened by ${ann}`],
      ]);

      // Resolved again without a note: no note left over from the first time.
      expect((await store.resolve('inc-1', bob, at(11))).resolution).toEqual({
        resolvedBy: bob,
        resolvedAt: at(11),
      });
    });

    it('keeps a long note whole and its timeline entry short', async () => {
      const { store, entries } = await storeWith(['inc-1']);
      const note = `Restarted ${'the cart pods one by one, '.repeat(
        150,
      )}`.trim();
      const resolved = await store.resolve('inc-1', ann, at(5), { note });
      expect(resolved.resolution?.note).toBe(note);
      const [[, summary]] = await entries('inc-1');
      expect(summary.length).toBeLessThan(400);
      expect(summary).toMatch(/^Resolved by user:default\/ann: Restarted .*…$/);
    });

    it('says who resolved when correlation or a merge did, and takes no note on a merged incident', async () => {
      const { knex, store } = await storeWith([
        'auto',
        'source',
        'target',
        'old',
      ]);
      await store.applyDecisions(
        [
          {
            type: 'resolve-incident',
            incidentId: 'auto',
            at: at(20),
            rule: 'auto-resolve@1',
          },
        ],
        { now: at(20) },
      );
      expect((await store.getIncident('auto'))!.incident.resolution).toEqual({
        resolvedBy: 'system',
        resolvedAt: at(20),
      });
      // A note can be added afterwards.
      expect(
        (await store.resolve('auto', ann, at(21), fix)).resolution,
      ).toEqual({ ...fix, resolvedBy: 'system', resolvedAt: at(20) });

      await store.merge('source', 'target', ann, at(13));
      const source = (await store.getIncident('source'))!.incident;
      expect(source.resolution).toEqual({
        resolvedBy: ann,
        resolvedAt: at(13),
      });
      expect((await store.getIncident('target'))!.incident.resolution).toBe(
        undefined,
      );
      await expect(store.resolve('source', ann, at(14), fix)).rejects.toThrow(
        ConflictError,
      );
      // Without a resolution, resolving it stays a no-op.
      expect((await store.resolve('source', ann, at(15))).updatedAt).toBe(
        at(13),
      );
      expect((await store.getIncident('source'))!.incident.resolution).toEqual({
        resolvedBy: ann,
        resolvedAt: at(13),
      });

      // Without who resolved it (the migration fills it in for older incidents) there is none.
      await store.resolve('old', ann, at(30));
      await knex('incidents').where('id', 'old').update({ resolved_by: null });
      expect((await store.getIncident('old'))!.incident).toMatchObject({
        status: 'resolved',
        resolvedAt: at(30),
      });
      expect((await store.getIncident('old'))!.incident.resolution).toBe(
        undefined,
      );
    });
  },
);
