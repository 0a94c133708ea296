import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { AIOPS_TOPICS, type AiopsEventPayloads } from '../topics';

/** The part of the events service (`eventsServiceRef`) the follower needs. */
export interface IncidentChangeEvents {
  subscribe(options: {
    id: string;
    topics: string[];
    onEvent(params: { eventPayload: unknown }): Promise<void>;
  }): Promise<void>;
}

/** What follows correlation's incident change feed (a `FeedConsumer` behind it). */
export interface IncidentChangeFollower {
  /** Reads the feed from the stored cursor to its end. */
  catchUp(): Promise<void>;
  /** An announced change: reads the feed unless its cursor (when given) is reached already. */
  reached(cursor: string | undefined): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires a plugin's follower of correlation's incident changes the way every consumer needs it:
 * `aiops.incident.changed` announcements as the fast path (not awaited: correlation's batch
 * waits for its subscribers), a scheduled catch-up as the source of truth after downtime and
 * for whatever the events missed, and a stop at shutdown. Replicas share the feed's cursor in
 * the plugin's database; its lease lets one read at a time.
 */
export async function followIncidentChanges(options: {
  /** The subscriber and the task are named after it (`<id>`, `<id>-catch-up`). */
  id: string;
  follower: IncidentChangeFollower;
  events: IncidentChangeEvents;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  logger: LoggerService;
  catchUpIntervalMs: number;
  /** What the follower does, for the warning when it fails (`index incident changes`). */
  doing: string;
}): Promise<void> {
  const { id, follower, logger } = options;
  await options.events.subscribe({
    id,
    topics: [AIOPS_TOPICS.incidentChanged],
    async onEvent({ eventPayload }) {
      const { cursor } =
        eventPayload as AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged];
      follower
        .reached(cursor)
        .catch(error => logger.warn(`Could not ${options.doing}: ${error}`));
    },
  });
  options.lifecycle.addShutdownHook(() => follower.stop());
  await options.scheduler.scheduleTask({
    id: `${id}-catch-up`,
    scope: 'local',
    frequency: { milliseconds: options.catchUpIntervalMs },
    timeout: { minutes: 5 },
    fn: () => follower.catchUp(),
  });
}
