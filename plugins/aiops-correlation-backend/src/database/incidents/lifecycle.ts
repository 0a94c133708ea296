import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Incident, ResolutionInput } from '@aiops/plugin-aiops-common';
import { iso } from '@aiops/plugin-aiops-node';
import type { ChangeKind } from '../../service/routing/types';
import {
  changedByPersonSummary,
  resolutionReplacedSummary,
  resolvedByPersonSummary,
} from '../../service/timelineWording';
import type { StoredTimelineEntry } from '../IncidentStore';
import { hashOf, insertTimeline } from '../rows';
import { hydrate } from './reads';
import { resolutionColumns, toTimelineEntry } from './rows';
import { reopenResolved, resolveUnresolved } from './writes';

/*
 * What people do to an incident: acknowledge, resolve (with what fixed it), reopen and write
 * notes (merging is in `merge.ts`). Each is one transaction, and the stored row has the last word.
 */

export const acknowledge = changedByPerson('acknowledge', 'acknowledged', {
  update: (tx, id, when) =>
    tx('incidents').where({ id, status: 'open' }).update({
      status: 'acknowledged',
      acknowledged_at: when,
      updated_at: when,
    }),
  unchanged: (row, id) => {
    if (row.status === 'resolved') {
      throw new ConflictError(
        `Incident ${id} is resolved and cannot be acknowledged`,
      );
    }
  },
});

/**
 * Resolves the incident with what the person recorded about the fix. On a resolved incident a
 * resolution different from the recorded one replaces it (people often write it after the
 * fact): `resolution` on the timeline, without a change for routing; who resolved it and when
 * stay. A merged incident takes none: its fix is recorded on the incident it was merged into.
 */
export async function resolve(
  db: Knex,
  id: string,
  actor: string,
  at: string,
  resolution?: ResolutionInput,
): Promise<Incident> {
  const when = iso(at);
  let resolvedNow = true;
  return transition(db, id, {
    update: async tx => {
      if (await resolveUnresolved(tx, id, when, actor, resolution)) return 1;
      resolvedNow = false;
      return resolution ? replaceResolution(tx, id, when, resolution) : 0;
    },
    entry: () =>
      resolvedNow
        ? {
            at: when,
            actor,
            action: 'resolve',
            summary: resolvedByPersonSummary(actor, resolution),
            change: 'resolved',
          }
        : {
            at: when,
            actor,
            action: 'resolution',
            summary: resolutionReplacedSummary(actor, resolution!),
          },
  });
}

/** The resolution of a resolved incident, replaced unless it is the same; the rows changed. */
async function replaceResolution(
  tx: Knex.Transaction,
  id: string,
  when: string,
  resolution: ResolutionInput,
): Promise<number> {
  const row = await tx('incidents')
    .where({ id, status: 'resolved' })
    .forUpdate()
    .first('merged_into', 'resolution_note', 'resolution_postmortem_url');
  if (!row) return 0;
  if (row.merged_into) {
    throw new ConflictError(
      `Incident ${id} was merged into incident ${row.merged_into}; record its resolution there`,
    );
  }
  const columns = resolutionColumns(resolution);
  if (
    (row.resolution_note ?? null) === columns.resolution_note &&
    (row.resolution_postmortem_url ?? null) ===
      columns.resolution_postmortem_url
  ) {
    return 0;
  }
  return tx('incidents')
    .where({ id, status: 'resolved' })
    .update({ ...columns, updated_at: when });
}

export const reopen = changedByPerson('reopen', 'reopened', {
  update: async (tx, id, when) => {
    const { updated, mergedInto, keyHeldBy } = await reopenResolved(
      tx,
      id,
      when,
    );
    if (mergedInto) {
      throw new ConflictError(
        `Incident ${id} was merged into incident ${mergedInto} and cannot be reopened`,
      );
    }
    if (keyHeldBy) {
      throw new ConflictError(
        `Incident ${id} cannot be reopened: incident ${keyHeldBy} is open with the same correlation key`,
      );
    }
    return updated;
  },
});

/**
 * A person's status change as a store method: `update` makes the change from the statuses it
 * is allowed from (see `transition`), recorded on the timeline and for routing as `change`.
 */
function changedByPerson(
  action: string,
  change: 'acknowledged' | 'reopened',
  guard: {
    update: (tx: Knex.Transaction, id: string, when: string) => Promise<number>;
    unchanged?: (row: any, id: string) => void;
  },
) {
  return async (
    db: Knex,
    id: string,
    actor: string,
    at: string,
  ): Promise<Incident> => {
    const when = iso(at);
    const { unchanged } = guard;
    return transition(db, id, {
      update: tx => guard.update(tx, id, when),
      unchanged: unchanged && (row => unchanged(row, id)),
      entry: {
        at: when,
        actor,
        action,
        summary: changedByPersonSummary(change, actor),
        change,
      },
    });
  };
}

export async function addNote(
  db: Knex,
  id: string,
  actor: string,
  text: string,
  at: string,
): Promise<StoredTimelineEntry> {
  return db.transaction(async tx => {
    if (!(await tx('incidents').where({ id }).first('id'))) {
      throw new NotFoundError(`Incident ${id} not found`);
    }
    const entryId = randomUUID();
    await insertTimeline(tx, [
      {
        incidentId: id,
        at: iso(at),
        kind: 'note',
        action: 'note',
        summary: text,
        actor,
        evidence: [],
        identity: entryId,
      },
    ]);
    const row = await tx('incident_timeline')
      .where({ entry_id: hashOf(entryId) })
      .first();
    return toTimelineEntry(row);
  });
}

/**
 * A guarded status change: `update` changes the row only from an allowed status (so
 * concurrent callers cannot both win); when it changed nothing the current row decides
 * between not found, conflict and no-op.
 */
export async function transition(
  db: Knex,
  id: string,
  options: {
    update: (tx: Knex.Transaction) => Promise<number>;
    unchanged?: (row: any) => void;
    /** Other incidents the change changed too (a merge's source). */
    alsoChanged?: string[];
    /** The timeline entry of the change; a function when `update` decides what it says. */
    entry: TransitionEntry | (() => TransitionEntry);
  },
): Promise<Incident> {
  return db.transaction(async tx => {
    const updated = await options.update(tx);
    const row = await tx('incidents').where({ id }).first();
    if (!row) throw new NotFoundError(`Incident ${id} not found`);
    if (updated) {
      // What correlation's engine reconciles from (`changedByPeopleSince`): every replica
      // learns of people's changes by reading only the incidents they touched recently.
      const { subject, ...entry } =
        typeof options.entry === 'function' ? options.entry() : options.entry;
      await tx('incidents')
        .whereIn('id', [id, ...(options.alsoChanged ?? [])])
        .update({ changed_by_person_at: entry.at });
      await insertTimeline(tx, [
        {
          incidentId: id,
          kind: 'status',
          evidence: [],
          ...entry,
          identity: lifecycleIdentity(
            entry.action,
            id,
            entry.at,
            entry.actor,
            subject,
          ),
        },
      ]);
    } else {
      options.unchanged?.(row);
    }
    const [incident] = await hydrate(tx, [row]);
    return incident;
  });
}

interface TransitionEntry {
  at: string;
  actor: string;
  action: string;
  summary: string;
  /** See `lifecycleIdentity`. */
  subject?: string;
  change?: ChangeKind;
}

/**
 * The entry id inputs of a lifecycle action. `subject` tells apart entries of one action, actor
 * and time (the other incident of a merge); without it the ids stay those stored before.
 */
export function lifecycleIdentity(
  action: string,
  incidentId: string,
  at: string,
  actor: string,
  subject?: string,
): unknown[] {
  const identity = [action, incidentId, at, actor];
  return subject === undefined ? identity : [...identity, subject];
}
