import type { Incident, ResolutionInput } from '@aiops/plugin-aiops-common';
import type {
  IncidentStore,
  StoredTimelineEntry,
} from '../database/IncidentStore';
import type { CorrelationEngine } from './CorrelationEngine';

/**
 * What people do to incidents: the store records it (and settles races between replicas),
 * correlation follows it, and the change is announced on `aiops.incident.changed`.
 */
export class IncidentActions {
  constructor(
    private readonly options: {
      incidents: IncidentStore;
      engine: CorrelationEngine;
      now?: () => Date;
    },
  ) {}

  async acknowledge(id: string, actor: string): Promise<Incident> {
    const at = this.at();
    const incident = await this.options.incidents.acknowledge(id, actor, at);
    // Acknowledging twice is a no-op; only the first one is news.
    if (incident.updatedAt === at) {
      await this.options.engine.publish(incident, 'acknowledged');
    }
    return incident;
  }

  /**
   * Resolves with what fixed it. A resolved incident whose resolution this replaced is only
   * announced as `updated`: correlation has nothing to follow.
   */
  async resolve(
    id: string,
    actor: string,
    resolution?: ResolutionInput,
  ): Promise<Incident> {
    const at = this.at();
    const incident = await this.options.incidents.resolve(
      id,
      actor,
      at,
      resolution,
    );
    if (incident.updatedAt !== at) return incident;
    if (incident.resolvedAt !== at) {
      await this.options.engine.publish(incident, 'updated');
      return incident;
    }
    return this.followed(incident, at, 'resolve');
  }

  async reopen(id: string, actor: string): Promise<Incident> {
    const at = this.at();
    const incident = await this.options.incidents.reopen(id, actor, at);
    if (incident.updatedAt !== at) return incident;
    return this.followed(incident, at, 'reopen');
  }

  async merge(
    sourceId: string,
    targetId: string,
    actor: string,
  ): Promise<Incident> {
    const at = this.at();
    const target = await this.options.incidents.merge(
      sourceId,
      targetId,
      actor,
      at,
    );
    await this.options.engine.follow({
      type: 'incidents-merged',
      at,
      sourceId,
      targetId,
    });
    const source = (await this.options.incidents.getIncident(sourceId))
      ?.incident;
    if (source) await this.options.engine.publish(source, 'merged');
    await this.options.engine.publish(target, 'updated');
    return target;
  }

  addNote(
    id: string,
    actor: string,
    text: string,
  ): Promise<StoredTimelineEntry> {
    return this.options.incidents.addNote(id, actor, text, this.at());
  }

  /** A resolve or reopen that changed the status is followed by correlation and announced. */
  private async followed(
    incident: Incident,
    at: string,
    action: 'resolve' | 'reopen',
  ): Promise<Incident> {
    const id = incident.id;
    await this.options.engine.follow({
      type: 'incident-lifecycle',
      at,
      incidentId: id,
      action,
    });
    await this.options.engine.publish(
      incident,
      action === 'resolve' ? 'resolved' : 'reopened',
    );
    return incident;
  }

  private at() {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}
