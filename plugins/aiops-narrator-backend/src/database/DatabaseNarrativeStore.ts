import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { NarrativeDraft } from '@aiops/plugin-aiops-node';
import type { GroundingResult } from '../service/types';
import { migratedClient } from './migrate';
import type {
  NarrativeStore,
  NewNarrative,
  StoredNarrative,
} from './NarrativeStore';

const NARRATIVES = 'narrator_narratives';
const PENDING = 'narrator_pending';

interface Row {
  id: number | string;
  incident_id: string;
  sections: string;
  generated_by: string;
  grounding: string;
  accepted: boolean | number;
  input_hash: string;
  created_at: Date | string;
}

function fromRow(row: Row): StoredNarrative {
  const sections = JSON.parse(row.sections) as NarrativeDraft;
  return {
    id: String(row.id),
    incidentId: row.incident_id,
    summary: sections.summary,
    impact: sections.impact,
    probableCause: sections.probableCause,
    evidence: sections.evidence,
    whatChanged: sections.whatChanged,
    suggestedActions: sections.suggestedActions,
    generatedBy: row.generated_by,
    grounding: JSON.parse(row.grounding) as GroundingResult,
    accepted: Boolean(row.accepted),
    inputHash: row.input_hash,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** `NarrativeStore` on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseNarrativeStore implements NarrativeStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseNarrativeStore> {
    return new DatabaseNarrativeStore(await migratedClient(options.database));
  }

  constructor(private readonly db: Knex) {}

  async add(narrative: NewNarrative): Promise<StoredNarrative> {
    const sections: NarrativeDraft = {
      summary: narrative.summary,
      impact: narrative.impact,
      probableCause: narrative.probableCause,
      evidence: narrative.evidence,
      whatChanged: narrative.whatChanged,
      suggestedActions: narrative.suggestedActions,
    };
    const [inserted] = await this.db(NARRATIVES)
      .insert({
        incident_id: narrative.incidentId,
        sections: JSON.stringify(sections),
        generated_by: narrative.generatedBy,
        grounding: JSON.stringify(narrative.grounding),
        accepted: narrative.accepted,
        input_hash: narrative.inputHash,
        created_at: new Date(narrative.createdAt ?? Date.now()),
      })
      .returning('id');
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    const row = await this.db<Row>(NARRATIVES).where('id', id).first();
    return fromRow(row!);
  }

  async current(incidentId: string) {
    const row = await this.db<Row>(NARRATIVES)
      .where({ incident_id: incidentId, accepted: true })
      .orderBy('id', 'desc')
      .first();
    return row && fromRow(row);
  }

  async history(incidentId: string, limit: number) {
    const rows = await this.db<Row>(NARRATIVES)
      .where('incident_id', incidentId)
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(fromRow);
  }

  async findByInput(
    incidentId: string,
    inputHash: string,
    by: 'template' | 'model',
  ) {
    const query = this.db<Row>(NARRATIVES).where({
      incident_id: incidentId,
      input_hash: inputHash,
    });
    if (by === 'template') query.where('generated_by', 'template');
    else query.whereNot('generated_by', 'template');
    const row = await query.orderBy('id', 'desc').first();
    return row && fromRow(row);
  }

  async schedule(incidentId: string, dueAt: number) {
    // The first change sets the time; later ones join it, so a storm narrates once per debounce.
    await this.db(PENDING)
      .insert({ incident_id: incidentId, due_at: dueAt })
      .onConflict('incident_id')
      .ignore();
  }

  async due(now: number, limit: number) {
    const rows = await this.db(PENDING)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .select('incident_id');
    return rows.map(row => row.incident_id as string);
  }

  async claim(incidentId: string) {
    return (
      (await this.db(PENDING).where('incident_id', incidentId).delete()) > 0
    );
  }
}
