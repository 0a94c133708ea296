import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { Incident } from '@aiops/plugin-aiops-common';
import {
  AIOPS_TOPICS,
  type AiopsEventPayloads,
} from '@aiops/plugin-aiops-node';
import type {
  IncidentStatusRow,
  IncidentStore,
} from '../database/IncidentStore';
import type { CorrelationState } from '../service/types';
import type { IncidentChange } from './incidentChanges';

/*
 * Announcing incident changes on the events bus (`aiops.incident.changed`). The change is stored
 * before it is announced: an announcement that fails is logged, and subscribers that missed it
 * read the incident API or the change feed.
 */

export interface AnnounceOptions {
  incidents: Pick<IncidentStore, 'statuses'>;
  events: EventsService;
  logger: LoggerService;
  /** The change-feed cursor of an incident's newest recorded change. */
  changeCursor?: (incidentId: string) => Promise<string | undefined>;
}

/**
 * Announces with the lifecycle the store holds: correlation does not follow acknowledgements,
 * so its own view could call an acknowledged incident open.
 */
export async function announce(
  options: AnnounceOptions,
  state: CorrelationState,
  changes: Map<string, IncidentChange>,
) {
  if (changes.size === 0) return;
  let stored: Record<string, IncidentStatusRow> = {};
  try {
    stored = await options.incidents.statuses([...changes.keys()]);
  } catch (error) {
    // The batch is stored; announcing correlation's own view beats announcing nothing.
    options.logger.warn(
      `Could not read incident lifecycles to announce: ${error}`,
    );
  }
  for (const [id, change] of changes) {
    const incident = state.incidents[id]?.incident;
    if (!incident) continue;
    const lifecycle = stored[id];
    if (!lifecycle) {
      await publish(options, incident, change);
      continue;
    }
    const {
      acknowledgedAt: _acknowledged,
      resolvedAt: _resolved,
      mergedInto: _merged,
      ...rest
    } = incident;
    await publish(options, { ...rest, ...lifecycle }, change);
  }
}

export async function publish(
  options: AnnounceOptions,
  incident: Incident,
  change: IncidentChange,
) {
  let cursor: string | undefined;
  try {
    cursor = await options.changeCursor?.(incident.id);
  } catch (error) {
    // Announced without it: consumers then read the feed from their own cursor.
    options.logger.warn(
      `Could not read the change cursor of incident ${incident.id}: ${error}`,
    );
  }
  const payload: AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged] = {
    incident,
    change,
    ...(cursor !== undefined && { cursor }),
  };
  try {
    await options.events.publish({
      topic: AIOPS_TOPICS.incidentChanged,
      eventPayload: payload,
    });
  } catch (error) {
    // The change is stored; subscribers that missed it read the incident API.
    options.logger.warn(
      `Could not announce incident ${incident.id} ${change}: ${error}`,
    );
  }
}
