import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { iso } from '@aiops/plugin-aiops-node';
import {
  lastEnd,
  validateSilenceSpec,
  type SilenceSpec,
  type StoredSilence,
} from '../service/silenceSchedule';
import type { Page } from './IncidentStore';
import type { SilenceQuery, SilenceStore } from './SilenceStore';
import { migratedClient } from './migrate';
import { newestFirstPage } from './rows';

export class DatabaseSilenceStore implements SilenceStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseSilenceStore> {
    return new DatabaseSilenceStore(await migratedClient(options));
  }

  constructor(private readonly db: Knex) {}

  async create(
    spec: SilenceSpec,
    actor: string,
    at: string,
  ): Promise<StoredSilence> {
    // Validated again so a caller that skipped it cannot store a rule too costly to expand.
    const valid = validateSilenceSpec(spec);
    const expiresAt = lastEnd(valid);
    const silence: StoredSilence = {
      id: randomUUID(),
      ...valid,
      createdBy: actor,
      createdAt: iso(at),
      ...(expiresAt ? { expiresAt } : {}),
    };
    await this.db('silences').insert({
      id: silence.id,
      matchers: JSON.stringify(silence.matchers),
      starts_at: silence.startsAt,
      ends_at: silence.endsAt,
      rrule: silence.rrule ?? null,
      comment: silence.comment,
      created_by: silence.createdBy,
      created_at: silence.createdAt,
      expires_at: silence.expiresAt ?? null,
    });
    return silence;
  }

  async get(id: string): Promise<StoredSilence | undefined> {
    const row = await this.db('silences').where({ id }).first();
    return row ? toSilence(row) : undefined;
  }

  async list(query: SilenceQuery): Promise<Page<StoredSilence>> {
    return newestFirstPage(this.db, {
      table: 'silences',
      column: 'created_at',
      query,
      where: builder => {
        if (!query.includeExpired) builder.whereNull('expired_at');
        if (query.at) {
          const at = iso(query.at);
          builder
            .where(b =>
              b.whereNull('expires_at').orWhere('expires_at', '>', at),
            )
            .where(b =>
              b.whereNull('expired_at').orWhere('expired_at', '>', at),
            );
        }
      },
      toItems: rows => rows.map(toSilence),
      keyOf: silence => ({ at: silence.createdAt, id: silence.id }),
    });
  }

  async expire(id: string, actor: string, at: string): Promise<StoredSilence> {
    // Only the first expiry counts, so a retried request keeps the original time and actor.
    await this.db('silences')
      .where({ id })
      .whereNull('expired_at')
      .update({ expired_at: iso(at), expired_by: actor });
    const silence = await this.get(id);
    if (!silence) throw new NotFoundError(`Silence ${id} not found`);
    return silence;
  }

  async listActive(from: string, to: string): Promise<StoredSilence[]> {
    const fromIso = iso(from);
    const rows = await this.db('silences')
      .where('starts_at', '<', iso(to))
      .where(b => b.whereNull('expires_at').orWhere('expires_at', '>', fromIso))
      .where(b => b.whereNull('expired_at').orWhere('expired_at', '>', fromIso))
      .orderBy('id');
    return rows.map(toSilence);
  }
}

function toSilence(row: any): StoredSilence {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers),
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    ...(row.rrule ? { rrule: row.rrule } : {}),
    comment: row.comment,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    ...(row.expires_at ? { expiresAt: iso(row.expires_at) } : {}),
    ...(row.expired_at
      ? { expiredAt: iso(row.expired_at), expiredBy: row.expired_by }
      : {}),
  };
}
