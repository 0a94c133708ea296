import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { InputError } from '@backstage/errors';
import type {
  Alert,
  IncidentAlertLink,
  Incident,
} from '@aiops/plugin-aiops-common';
import type {
  AlertInput,
  DeploymentInput,
} from '@aiops/plugin-aiops-ingest-backend';
import type { CorrelationPluginConfig } from '../../src/config';
import type { CheckpointStore } from '../../src/database/CheckpointStore';
import { DatabaseIncidentStore } from '../../src/database/DatabaseIncidentStore';
import { CorrelationEngine } from '../../src/engine/CorrelationEngine';
import { TopologyGraph } from '../../src/service/topology';
import type { AlertHistory } from './alertHistory';
import type { ReplayCatalog } from './catalog';
import type { DeploymentDelivery } from './deploymentHistory';
import { ReplayIngest } from './ReplayIngest';

export interface ReplayInput {
  catalog: ReplayCatalog;
  alerts: AlertHistory;
  deployments: DeploymentDelivery[];
  config: CorrelationPluginConfig;
  /** How often time passes between deliveries (the backend's tick interval). */
  tickMs: number;
  /** SQLite file to keep the incidents in; in memory when absent. */
  databaseFile?: string;
  logger: LoggerService;
}

export interface ReplayedIncident {
  incident: Incident;
  alerts: IncidentAlertLink[];
}

export interface ReplayResult {
  /** The SQLite file holding the incidents, or `:memory:`. */
  database: string;
  /** First and last delivery, ISO 8601. */
  from?: string;
  to?: string;
  /** Ticks the engine ran (time passing with nothing delivered included). */
  ticks: number;
  /** Every alert as ingest would have stored it, in order of first delivery. */
  alerts: Alert[];
  alertDeliveries: number;
  firingDeliveries: number;
  deployments: number;
  truncatedAlerts: number;
  /** Oldest first. */
  incidents: ReplayedIncident[];
}

/** A replay always starts empty and is not resumed. */
const NO_CHECKPOINTS: CheckpointStore = {
  load: async () => undefined,
  save: async () => {},
};

/** Nobody listens to a replay's announcements: the store holds the outcome. */
const DISCARDED_EVENTS: EventsService = {
  publish: async () => {},
  subscribe: async () => {},
};

const iso = (ms: number) => new Date(ms).toISOString();

type Delivery =
  | { at: number; alert: AlertInput }
  | { at: number; deployment: DeploymentInput };

/**
 * Runs a recorded history through the backend's own pipeline, in event time: ingest's parsing
 * (done by the readers), keying and alert lifecycle (`ReplayIngest`), then the correlation
 * engine the plugin runs — reading ingest's feeds, correlating, persisting every step through
 * the incident store into a scratch SQLite database. The engine's clock is the replay's: it
 * ticks at every delivery and every `tickMs` after, until nothing time-based can still change
 * (the longest configured window has passed since the last delivery).
 */
export async function replayHistory(input: ReplayInput): Promise<ReplayResult> {
  const database = input.databaseFile ?? ':memory:';
  const client = scratchDatabase(database);
  try {
    const incidents = await DatabaseIncidentStore.create({
      database: serviceOf(client),
    });
    const ingest = new ReplayIngest(input.catalog.index);
    const graph = TopologyGraph.build(input.catalog.summaries);
    const deliveries: Delivery[] = [
      // Deployments first at equal times: a deploy and the alerts it caused share a second.
      ...input.deployments.map(d => ({ at: d.at, deployment: d.input })),
      ...input.alerts.deliveries.map(d => ({ at: d.at, alert: d.input })),
    ];
    const timeline = groupByTime(deliveries);
    let clock = timeline[0]?.at ?? 0;
    let ticks = 0;
    const engine = new CorrelationEngine({
      incidents,
      checkpoints: NO_CHECKPOINTS,
      ingest,
      topology: async () => graph,
      silences: async () => [],
      config: input.config.rules,
      events: DISCARDED_EVENTS,
      logger: input.logger,
      now: () => clock,
      refreshIntervalMs: input.config.refreshIntervalMs,
    });
    const tickAt = async (at: number) => {
      clock = at;
      ticks++;
      await engine.tick();
    };

    await engine.start();
    const settleMs = longestWindowMs(input.config.rules) + input.tickMs;
    let lastTick = clock;
    let activeUntil = Number.NEGATIVE_INFINITY;
    for (const { at, batch } of timeline) {
      const idleUntil = Math.min(at - 1, activeUntil);
      for (let t = lastTick + input.tickMs; t <= idleUntil; t += input.tickMs) {
        await tickAt(t);
      }
      const now = iso(at);
      for (const delivery of batch) {
        if ('alert' in delivery) ingest.receiveAlert(delivery.alert, now);
        else ingest.receiveDeployment(delivery.deployment);
      }
      await tickAt(at);
      lastTick = at;
      activeUntil = at + settleMs;
    }
    for (let t = lastTick + input.tickMs; t <= activeUntil; t += input.tickMs) {
      await tickAt(t);
    }
    await engine.stop();

    const alertDeliveries = input.alerts.deliveries;
    return {
      database,
      from: timeline.length ? iso(timeline[0].at) : undefined,
      to: timeline.length ? iso(timeline[timeline.length - 1].at) : undefined,
      ticks,
      alerts: ingest.storedAlerts(),
      alertDeliveries: alertDeliveries.length,
      firingDeliveries: alertDeliveries.filter(d => d.input.status === 'firing')
        .length,
      deployments: ingest.storedDeployments().length,
      truncatedAlerts: input.alerts.truncatedAlerts,
      incidents: await storedIncidents(incidents),
    };
  } finally {
    await client.destroy();
  }
}

/** Deliveries of equal time together, in time order; ties keep the order they were read in. */
function groupByTime(
  deliveries: Delivery[],
): Array<{ at: number; batch: Delivery[] }> {
  const sorted = deliveries
    .map((delivery, order) => ({ delivery, order }))
    .sort((a, b) => a.delivery.at - b.delivery.at || a.order - b.order);
  const groups: Array<{ at: number; batch: Delivery[] }> = [];
  for (const { delivery } of sorted) {
    const last = groups[groups.length - 1];
    if (last?.at === delivery.at) last.batch.push(delivery);
    else groups.push({ at: delivery.at, batch: [delivery] });
  }
  return groups;
}

/**
 * The longest duration in the rules (any `…Ms` setting, at any depth): after it has passed
 * without a delivery, no held group, quiet period or window can still change anything, so
 * the replay skips to the next delivery instead of ticking through idle hours.
 */
function longestWindowMs(rules: object): number {
  let longest = 0;
  for (const [key, value] of Object.entries(rules)) {
    if (typeof value === 'number' && key.endsWith('Ms')) {
      longest = Math.max(longest, value);
    } else if (typeof value === 'object' && value !== null) {
      longest = Math.max(longest, longestWindowMs(value));
    }
  }
  return longest;
}

async function storedIncidents(
  store: DatabaseIncidentStore,
): Promise<ReplayedIncident[]> {
  const incidents: Incident[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listIncidents({ limit: 500, cursor });
    incidents.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  incidents.sort(
    (a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id),
  );
  return Promise.all(
    incidents.map(async incident => {
      const details = await store.getIncident(incident.id);
      return {
        incident: details?.incident ?? incident,
        alerts: details?.alerts ?? [],
      };
    }),
  );
}

/** SQLite as Backstage configures it (`useNullAsDefault`, foreign keys on). */
function scratchDatabase(filename: string): Knex {
  if (filename !== ':memory:' && fs.existsSync(filename)) {
    throw new InputError(
      `--db ${filename} exists; the replay writes a new database, so remove it or name another file`,
    );
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      afterCreate: (
        connection: { pragma(sql: string): unknown },
        done: (error: Error | null, connection: unknown) => void,
      ) => {
        connection.pragma('foreign_keys = ON');
        done(null, connection);
      },
    },
  });
}

function serviceOf(client: Knex): DatabaseService {
  return { getClient: async () => client };
}
