import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type {
  Alert,
  Deployment,
  Incident,
  Regression,
} from '@aiops/plugin-aiops-common';
import type { CheckpointStore } from '../database/CheckpointStore';
import type {
  IncidentStatusRow,
  IncidentStore,
} from '../database/IncidentStore';
import {
  correlateSteps,
  emptyCorrelationState,
  type CorrelationStep,
} from '../service/correlate';
import { activeIncidents } from '../service/activeIncidents';
import type {
  CorrelationConfig,
  CorrelationContext,
  CorrelationEvent,
  CorrelationState,
  CoreSilence as Silence,
} from '../service/types';
import type { TopologyGraph } from '../service/topology';
import { AnnouncedItems, type FeedItem } from './AnnouncedItems';
import { announce, publish } from './announce';
import { CheckpointKeeper, type FeedCursors } from './CheckpointKeeper';
import { FeedHeads } from './FeedHeads';
import {
  batchSnapshots,
  changesOf,
  mostTelling,
  type IncidentChange,
} from './incidentChanges';
import type { IngestClient } from './IngestClient';

export interface CorrelationEngineOptions {
  incidents: IncidentStore;
  checkpoints: CheckpointStore;
  ingest: IngestClient;
  /** The current topology; called once per batch, so it should cache. */
  /** The topology, current for the given entities (see `cachedTopology`). */
  topology: (entityRefs?: string[]) => Promise<TopologyGraph>;
  /** Silences with their windows expanded over `[from, to)` (epoch ms). */
  silences: (from: number, to: number) => Promise<Silence[]>;
  config: CorrelationConfig;
  events: EventsService;
  logger: LoggerService;
  now?: () => number;
  /** Items per change-feed request. */
  feedPageSize?: number;
  /** Save the working state at most this often (ms). */
  checkpointIntervalMs?: number;
  /** Re-derive an open incident at most this often (ms, event time); 0: with every batch. */
  refreshIntervalMs?: number;
  /**
   * The change-feed cursor of an incident's newest recorded change (`GET /changes`), announced
   * with it: a consumer already at that cursor need not read the feed.
   */
  changeCursor?: (incidentId: string) => Promise<string | undefined>;
}

const HOUR = 3600_000;
/**
 * How far before the last reconciliation a tick looks for people's changes: more than the
 * clocks of two replicas differ and a transaction takes to commit.
 */
const PEOPLE_CHANGES_MARGIN_MS = 10 * 60_000;
/** Held incidents whose stored status each tick re-reads, in turn. */
const RECONCILE_SWEEP_SLICE = 500;

/**
 * Runs the pure correlation core against the live system: keeps its state in memory, feeds it
 * ingest's alerts and deployments in commit order, persists its decisions and announces the
 * incidents that changed.
 *
 * Ingest's change feeds are the source of truth. Events on the bus only make it fast: a batch
 * that continues exactly from the last consumed cursor is correlated straight from the event;
 * anything else (a gap, a restart, alerts another replica received) is read from the feed. All
 * work runs one batch at a time, in order. Every replica correlates everything; the store makes
 * that safe (incident ids and keys are deterministic, writes idempotent).
 */
export class CorrelationEngine {
  private state: CorrelationState = emptyCorrelationState();
  private cursors: FeedCursors = { alerts: '0', deployments: '0' };
  private readonly feedHeads = new FeedHeads();
  private readonly announced = new AnnouncedItems();
  private drainQueued = false;
  /** When the last reconciliation with the store began (this clock); unset until the first. */
  private reconciledAt?: number;
  /** Where the next tick's slice of held incidents begins. */
  private sweepOffset = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  private stopping = false;
  private readonly checkpoints: CheckpointKeeper;
  private readonly now: () => number;

  constructor(private readonly options: CorrelationEngineOptions) {
    this.now = options.now ?? Date.now;
    this.checkpoints = new CheckpointKeeper({
      store: options.checkpoints,
      logger: options.logger,
      now: this.now,
      intervalMs: options.checkpointIntervalMs,
    });
  }

  /** Resumes from the last checkpoint and catches up with everything ingest committed since. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      const resumed = await this.checkpoints.load();
      if (resumed) {
        this.state = resumed.state;
        this.cursors = resumed.cursors;
      }
      this.started = true;
      try {
        // Feeds first: the store already holds what this replica (before a crash) or another
        // decided from these items since the checkpoint, and replaying them before taking over
        // the store's resolves and merges makes the same decisions again. Taking those over
        // first would apply them before the alerts that led to them, and the replay would
        // group what follows differently (an alert in two open incidents).
        await this.catchUp();
        await this.reconcile();
      } catch (error) {
        // Ticks keep trying; correlation must not keep the backend from starting.
        this.options.logger.warn(
          `Correlation could not catch up at start: ${error}`,
        );
      }
      this.scheduleDrain();
      this.options.logger.info(
        `Correlation resumed at alert cursor ${
          this.cursors.alerts
        }, deployment cursor ${this.cursors.deployments} with ${
          Object.keys(this.state.incidents).length
        } incidents in memory`,
      );
    });
  }

  /** Alerts ingest announced (`aiops.alert.received`). */
  acceptAlerts(items: Array<{ alert: Alert; cursor: string }>) {
    this.feedHeads.note('alerts', items);
    this.announced.addAlerts(items);
    this.scheduleDrain();
  }

  /** Deployments ingest announced (`aiops.deployment.received`). */
  acceptDeployments(items: Array<{ deployment: Deployment; cursor: string }>) {
    this.feedHeads.note('deployments', items);
    this.announced.addDeployments(items);
    this.scheduleDrain();
  }

  /**
   * A regression the detector announced (`aiops.regression.detected`). There is no feed to
   * catch up from: one announced while this instance was down is not linked by it.
   */
  acceptRegression(regression: Regression): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started || this.stopping) return;
      await this.correlate([
        { type: 'regression', at: regression.detectedAt, regression },
      ]);
    });
  }

  /**
   * Lets time pass (held groups open, quiet incidents resolve, silences end), picks up what
   * other replicas received and what people changed, and saves a checkpoint when due.
   */
  tick(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.started || this.stopping) return;
      // Feeds before the store's lifecycle, as at start.
      await this.catchUp();
      await this.reconcile();
      await this.correlate([
        { type: 'tick', at: new Date(this.now()).toISOString() },
      ]);
      await this.saveCheckpoint(false);
    });
  }

  /** Correlation follows a change a person made through the API (already stored). */
  follow(
    event: Extract<
      CorrelationEvent,
      { type: 'incident-lifecycle' | 'incidents-merged' }
    >,
  ): Promise<void> {
    return this.enqueue(() => this.correlate([event]));
  }

  /**
   * Saves the working state once the batch in progress is done, leaving the rest of a backlog
   * to the feeds (at shutdown, when waiting for all of it could take long).
   */
  stop(): Promise<void> {
    this.stopping = true;
    return this.enqueue(() => this.saveCheckpoint(true));
  }

  /** Firing alerts of `entityRef` that a silence or an inhibition keeps quiet. */
  suppressedAlerts(entityRef: string) {
    return Object.values(this.state.alerts)
      .filter(
        a =>
          a.entityRef === entityRef && a.status === 'firing' && a.suppression,
      )
      .map(a => ({
        alertId: a.alert.id,
        title: a.alert.title,
        suppression: a.suppression!,
      }));
  }

  /** Items of each feed this instance has heard of but not correlated yet (see `FeedHeads`). */
  feedLag(): Record<keyof FeedCursors, number> {
    return this.feedHeads.lagBehind(this.cursors);
  }

  /**
   * Incidents open in this instance's memory; acknowledged ones count too (correlation does not
   * follow acknowledgements), merged ones and those still held at their gate do not.
   */
  openIncidentCount(): number {
    return activeIncidents(this.state).filter(
      inc => inc.phase === 'open' && !inc.incident.mergedInto,
    ).length;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    // A failed step must not stop the ones behind it; the caller still sees the error.
    this.queue = run.catch(error =>
      this.options.logger.error(`Correlation step failed: ${error}`),
    );
    return run;
  }

  private scheduleDrain() {
    // Before start, announced items wait: the checkpoint says where the feeds resume.
    if (this.drainQueued || !this.started || this.stopping) return;
    this.drainQueued = true;
    this.enqueue(async () => {
      this.drainQueued = false;
      await this.drainAnnounced();
    }).catch(() => {
      // Logged by enqueue; the next tick reads the feed from the last consumed cursor.
    });
  }

  private async drainAnnounced() {
    const limit = this.options.feedPageSize ?? 500;
    const batch = this.announced.take(this.cursors, limit);
    if (!batch) {
      await this.catchUp();
      return;
    }
    await this.consume(batch.alerts, batch.deployments);
    if (this.announced.waiting()) this.scheduleDrain();
  }

  /** Reads both change feeds from the consumed cursors until they are exhausted. */
  private async catchUp() {
    const limit = this.options.feedPageSize ?? 500;
    while (!this.stopping) {
      const [alerts, deployments] = await Promise.all([
        this.options.ingest.alertFeed(this.cursors.alerts, limit),
        this.options.ingest.deploymentFeed(this.cursors.deployments, limit),
      ]);
      this.feedHeads.note('alerts', alerts.items);
      this.feedHeads.note('deployments', deployments.items);
      if (alerts.items.length === 0 && deployments.items.length === 0) return;
      await this.consume(alerts.items, deployments.items);
      if (alerts.items.length < limit && deployments.items.length < limit)
        return;
    }
  }

  private async consume(
    alerts: Array<FeedItem<Alert>>,
    deployments: Array<FeedItem<Deployment>>,
  ) {
    const events: CorrelationEvent[] = [
      ...deployments.map(({ item }) => ({
        type: 'deployment' as const,
        at: item.finishedAt ?? item.startedAt,
        deployment: item,
      })),
      ...alerts.map(({ item }) => ({
        type: 'alert' as const,
        at: item.lastSeenAt,
        alert: item,
      })),
    ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    await this.correlate(events);
    // Feed pages and announcements alike come in cursor order.
    this.cursors = {
      alerts: alerts[alerts.length - 1]?.cursor ?? this.cursors.alerts,
      deployments:
        deployments[deployments.length - 1]?.cursor ?? this.cursors.deployments,
    };
  }

  /**
   * Correlates a batch and persists each event's decisions under that event's time, in one
   * transaction. The state
   * is updated in place (copying it per batch would cost more than correlating); if anything
   * fails, correlation falls back to the last checkpoint and its cursors, and the next tick
   * reads the feeds again from there (the store ignores what it already holds).
   */
  private async correlate(events: CorrelationEvent[]) {
    if (events.length === 0) return;
    const changes = new Map<string, IncidentChange>();
    let steps: CorrelationStep[];
    try {
      const context = await this.context(events);
      let refreshed: string[];
      ({ steps, refreshed } = correlateSteps(events, context, this.state, {
        inPlace: true,
        coalesce: true,
        refreshIntervalMs: this.options.refreshIntervalMs,
      }));
      const last = steps[steps.length - 1];
      // A refresh can change what describes an incident (title, severity) without a decision
      // naming it; the batch's last step then carries its snapshot.
      const deciding = steps.filter(
        step =>
          step.decisions.length > 0 || (step === last && refreshed.length > 0),
      );
      if (deciding.length > 0) {
        const snapshots = batchSnapshots(deciding, this.state, refreshed);
        const applied = await this.options.incidents.applySteps(
          deciding.map((step, i) => ({
            decisions: step.decisions,
            context: {
              now: step.event.at,
              snapshots: i === deciding.length - 1 ? snapshots : undefined,
            },
          })),
        );
        deciding.forEach((step, i) => {
          for (const [id, change] of changesOf(
            step.decisions,
            applied[i].opened,
          )) {
            changes.set(id, mostTelling(changes.get(id), change));
          }
        });
      }
    } catch (error) {
      this.restoreCheckpoint();
      throw error;
    }
    const correlated = events.filter(e => e.type !== 'tick').length;
    if (correlated > 0 || steps.some(s => s.decisions.length > 0)) {
      this.checkpoints.changed(correlated);
    }
    await announce(this.options, this.state, changes);
  }

  /** Falls back to the last checkpoint taken; announced items wait for the feeds again. */
  private restoreCheckpoint() {
    ({ state: this.state, cursors: this.cursors } = this.checkpoints.restore());
    this.announced.clear();
  }

  private async context(
    events: CorrelationEvent[],
  ): Promise<CorrelationContext> {
    const times = events.map(e => Date.parse(e.at));
    // Late alerts are matched against the silences of their own time.
    const from = Math.min(...times) - HOUR;
    const to = Math.max(...times, this.now()) + HOUR;
    const [graph, silences] = await Promise.all([
      this.options.topology(entitiesOf(events)),
      this.options.silences(from, to),
    ]);
    return { graph, config: this.options.config, silences };
  }

  /** Announces a change of an incident (stored already) on the events bus. */
  publish(incident: Incident, change: IncidentChange): Promise<void> {
    return publish(this.options, incident, change);
  }

  /**
   * People resolve, reopen and merge incidents on any replica; the store has the last word.
   * At start every incident correlation holds is checked against it. Then each tick reads only
   * the incidents people changed since the last check (less a margin), so that its cost does
   * not grow with the open incidents, and re-checks a slice of the held ones in turn, a safety
   * net for a change the margin missed (a replica's clock far behind).
   */
  private async reconcile() {
    const startedAt = this.now();
    const held = Object.values(this.state.incidents).filter(
      inc => inc.phase === 'open' && !inc.incident.mergedInto,
    );
    if (held.length === 0) {
      this.reconciledAt = startedAt;
      return;
    }
    const ids = held.map(i => i.incident.id);
    let stored: Record<string, IncidentStatusRow>;
    if (this.reconciledAt === undefined) {
      stored = await this.options.incidents.statuses(ids);
    } else {
      if (this.sweepOffset >= ids.length) this.sweepOffset = 0;
      const slice = ids.slice(
        this.sweepOffset,
        this.sweepOffset + RECONCILE_SWEEP_SLICE,
      );
      this.sweepOffset += RECONCILE_SWEEP_SLICE;
      const [swept, changed] = await Promise.all([
        this.options.incidents.statuses(slice),
        this.options.incidents.changedByPeopleSince(
          new Date(this.reconciledAt - PEOPLE_CHANGES_MARGIN_MS).toISOString(),
        ),
      ]);
      stored = { ...swept, ...changed };
    }
    this.reconciledAt = startedAt;
    const at = new Date(this.now()).toISOString();
    const events = held.flatMap((inc): CorrelationEvent[] => {
      const current = stored[inc.incident.id];
      if (!current) return [];
      const resolvedHere = inc.incident.status === 'resolved';
      if (current.mergedInto) {
        return [
          {
            type: 'incidents-merged',
            at,
            sourceId: inc.incident.id,
            targetId: current.mergedInto,
          },
        ];
      }
      if ((current.status === 'resolved') === resolvedHere) return [];
      return [
        {
          type: 'incident-lifecycle',
          at,
          incidentId: inc.incident.id,
          action: resolvedHere ? 'reopen' : 'resolve',
        },
      ];
    });
    await this.correlate(events);
  }

  /** Takes a checkpoint of the state and the cursors it reached (see `CheckpointKeeper.save`). */
  private saveCheckpoint(force: boolean) {
    return this.checkpoints.save(force, {
      state: this.state,
      cursors: this.cursors,
    });
  }
}

/** The catalog entities the events are about, as ingest keyed them. */
function entitiesOf(events: CorrelationEvent[]): string[] {
  const refs = new Set<string>();
  for (const event of events) {
    let resolution;
    if (event.type === 'alert') resolution = event.alert.resolution;
    else if (event.type === 'deployment') {
      resolution = event.deployment.resolution;
    }
    if (resolution?.status === 'resolved') refs.add(resolution.entityRef);
  }
  return [...refs];
}
