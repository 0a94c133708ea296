import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@aiops/plugin-aiops-correlation-backend',
  'migrations',
);
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const TABLES = [
  'incidents',
  'incident_entities',
  'incident_alerts',
  'incident_findings',
  'incident_timeline',
];
const OUTBOX = '20261127000000_notification_outbox.js';

function incidentRow(id: string, openKey: string | null) {
  return {
    id,
    title: 'cart: HighErrorRate',
    status: openKey ? 'open' : 'resolved',
    severity: 'critical',
    primary_entity_ref: 'component:default/cart',
    affected_entity_refs: '["component:default/cart"]',
    correlation_key: 'group-key@1|cart|2026-11-26T08:00:00.000Z',
    open_correlation_key: openKey,
    rule_versions: '["group-key@1"]',
    root_cause_candidates: '[]',
    opened_at: '2026-11-26T08:00:00.000Z',
    updated_at: '2026-11-26T08:00:00.000Z',
  };
}

describe('aiops-correlation migrations', () => {
  it.each(databases.eachSupportedId())(
    'migrate up and down with data on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });

      const key = 'group-key@1|cart|2026-11-26T08:00:00.000Z';
      await knex('incidents').insert(incidentRow('inc-1', key));
      // Resolved incidents share the key freely (NULL open key) …
      await knex('incidents').insert(incidentRow('inc-0', null));
      await knex('incidents').insert(incidentRow('inc-00', null));
      // That only one incident may hold it open is tested through the store, on both databases
      // (a direct unique-violation check here was flaky under Jest's shared workers on SQLite).

      await knex('incident_entities').insert({
        incident_id: 'inc-1',
        entity_ref: 'component:default/cart',
      });
      await knex('incident_alerts').insert({
        incident_id: 'inc-1',
        alert_id: 'a1',
        role: 'member',
        attached_at: '2026-11-26T08:00:00.000Z',
      });
      await knex('incident_findings').insert({
        incident_id: 'inc-1',
        finding_key: 'root-cause',
        rule: 'root-cause@1',
        summary: 'cart',
        evidence: '[]',
        confidence: 0.5,
        updated_at: '2026-11-26T08:00:00.000Z',
      });
      await knex('incident_timeline').insert({
        entry_id: 'e1',
        incident_id: 'inc-1',
        at: '2026-11-26T08:00:00.000Z',
        kind: 'status',
        action: 'open-incident',
        summary: 'opened',
        evidence: '[]',
      });
      expect(await knex('incidents').orderBy('id').select('id')).toEqual([
        { id: 'inc-0' },
        { id: 'inc-00' },
        { id: 'inc-1' },
      ]);

      // Merges: down drops only the column, and no data of the other tables goes with it (a
      // table rebuild on SQLite would cascade into the child tables).
      await knex('incidents')
        .where({ id: 'inc-0' })
        .update({ merged_into: 'inc-1' });
      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261126000200_incident_merges.js',
      });
      expect(await knex.schema.hasColumn('incidents', 'merged_into')).toBe(
        false,
      );
      for (const table of TABLES) {
        expect(await knex(table)).not.toEqual([]);
      }
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261126000200_incident_merges.js',
      });
      expect(await knex('incidents').whereNotNull('merged_into')).toEqual([]);

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }

      await knex.migrate.latest({ directory: migrationsDir });
      for (const table of TABLES) {
        expect(await knex(table)).toEqual([]);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'migrates silences down and up on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex('incidents').insert(
        incidentRow('inc-1', 'group-key@1|cart|2026-11-26T08:00:00.000Z'),
      );
      await knex('silences').insert({
        id: 's1',
        matchers:
          '[{"name":"entity","op":"=","value":"component:default/cart"}]',
        starts_at: '2026-11-28T02:00:00.000Z',
        ends_at: '2026-11-28T04:00:00.000Z',
        rrule: 'FREQ=WEEKLY;BYDAY=SA',
        comment: 'weekly maintenance',
        created_by: 'user:default/ops',
        created_at: '2026-11-20T09:00:00.000Z',
      });

      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261126000100_silences.js',
      });
      expect(await knex.schema.hasTable('silences')).toBe(false);
      expect(await knex('incidents').select('id')).toEqual([{ id: 'inc-1' }]);

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261126000100_silences.js',
      });
      expect(await knex('silences')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'migrates the notification outbox down and up with data on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex.migrate.down({ directory: migrationsDir, name: OUTBOX });
      // An incident from before the outbox: its severity so far is its peak.
      await knex('incidents').insert(
        incidentRow('inc-1', 'group-key@1|cart|2026-11-26T08:00:00.000Z'),
      );
      await knex.migrate.up({ directory: migrationsDir, name: OUTBOX });
      expect(
        await knex('incidents').select('id', 'severity', 'peak_severity'),
      ).toEqual([
        { id: 'inc-1', severity: 'critical', peak_severity: 'critical' },
      ]);

      await knex('incident_changes').insert({
        change_id: 'c1',
        incident_id: 'inc-1',
        kind: 'opened',
        at: '2026-11-26T08:00:00.000Z',
      });
      await knex('notification_deliveries').insert({
        id: 'd1',
        kind: 'message',
        incident_id: 'inc-1',
        change_id: 'c1',
        change_at: '2026-11-26T08:00:00.000Z',
        channel: 'slack',
        target: '#cart-alerts',
        recipient_group: 'group:default/checkout-team',
        message: '{}',
        status: 'pending',
        next_attempt_at: '2026-11-26T08:00:00.000Z',
        created_at: '2026-11-26T08:00:00.000Z',
      });
      await knex.migrate.down({ directory: migrationsDir, name: OUTBOX });
      expect(await knex.schema.hasTable('notification_deliveries')).toBe(false);
      expect(await knex.schema.hasTable('incident_changes')).toBe(false);
      expect(await knex.schema.hasColumn('incidents', 'peak_severity')).toBe(
        false,
      );
      expect(await knex('incidents').select('id')).toEqual([{ id: 'inc-1' }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'migrates incident resolutions down and up with data on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const name = '20261206000000_incident_resolutions.js';
      await knex.migrate.latest({ directory: migrationsDir });
      await knex.migrate.down({ directory: migrationsDir, name });
      // Incidents from before: who resolved them comes from their timeline.
      await knex('incidents').insert([
        incidentRow('inc-0', null),
        incidentRow('inc-00', null),
        incidentRow('inc-1', 'group-key@1|cart|2026-11-26T08:00:00.000Z'),
      ]);
      const entry = (
        id: string,
        action: string,
        actor: string,
        at: string,
      ) => ({
        entry_id: `${id}-${action}-${at}`,
        incident_id: id,
        at,
        kind: 'status',
        action,
        summary: action,
        actor,
        evidence: '[]',
      });
      await knex('incident_timeline').insert([
        entry('inc-0', 'resolve-incident', 'system', '2026-11-26T08:10:00Z'),
        entry('inc-0', 'reopen', 'user:default/bob', '2026-11-26T08:20:00Z'),
        entry('inc-0', 'resolve', 'user:default/ann', '2026-11-26T08:30:00Z'),
        entry('inc-1', 'resolve', 'user:default/ann', '2026-11-26T08:30:00Z'),
      ]);
      await knex.migrate.up({ directory: migrationsDir, name });
      expect(
        await knex('incidents')
          .orderBy('id')
          .select(
            'id',
            'resolved_by',
            'resolution_note',
            'resolution_postmortem_url',
          ),
      ).toEqual([
        {
          id: 'inc-0',
          resolved_by: 'user:default/ann',
          resolution_note: null,
          resolution_postmortem_url: null,
        },
        // No entry: correlation's.
        {
          id: 'inc-00',
          resolved_by: 'system',
          resolution_note: null,
          resolution_postmortem_url: null,
        },
        // Not resolved.
        {
          id: 'inc-1',
          resolved_by: null,
          resolution_note: null,
          resolution_postmortem_url: null,
        },
      ]);

      await knex('incidents').where('id', 'inc-0').update({
        resolved_by: 'user:default/ann',
        resolution_note: 'Rolled back cart',
        resolution_postmortem_url: 'https://wiki.example.com/pm/1',
      });
      await knex.migrate.down({ directory: migrationsDir, name });
      expect(await knex.schema.hasColumn('incidents', 'resolution_note')).toBe(
        false,
      );
      expect(
        await knex('incidents').orderBy('id').select('id', 'status'),
      ).toEqual([
        { id: 'inc-0', status: 'resolved' },
        { id: 'inc-00', status: 'resolved' },
        { id: 'inc-1', status: 'open' },
      ]);
    },
  );
});
