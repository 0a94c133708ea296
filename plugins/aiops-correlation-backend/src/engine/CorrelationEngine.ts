import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type {
  Alert,
  Deployment,
  Incident,
  Regression,
} from '@aiops/plugin-aiops-common';
import {
  AIOPS_TOPICS,
  type AiopsEventPayloads,
} from '@aiops/plugin-aiops-node';
import type {
  CheckpointStore,
  SerializedCheckpoint,
} from '../database/CheckpointStore';
import type {
  IncidentSnapshot,
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
  CorrelationDecision,
  CorrelationEvent,
  CorrelationState,
  CoreSilence as Silence,
} from '../service/types';
import type { TopologyGraph } from '../service/topology';
import { FeedHeads } from './FeedHeads';
import type { IngestClient } from './IngestClient';

type IncidentChange =
  AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged]['change'];

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

interface Cursors {
  alerts: string;
  deployments: string;
}

const HOUR = 3600_000;

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
  private cursors: Cursors = { alerts: '0', deployments: '0' };
  private readonly feedHeads = new FeedHeads();
  private announcedAlerts: Array<{ item: Alert; cursor: string }> = [];
  private announcedDeployments: Array<{ item: Deployment; cursor: string }> =
    [];
  private drainQueued = false;
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  private stopping = false;
  /** What a failed batch falls back to: the last saved state and the cursors it had reached. */
  private lastCheckpoint: SerializedCheckpoint = {
    alertCursor: '0',
    deploymentCursor: '0',
    state: JSON.stringify(emptyCorrelationState()),
  };
  private unsavedSince?: number;
  /** The checkpoint being written, if any (see `saveCheckpoint`). */
  private checkpointWrite?: Promise<void>;
  private lastSavedAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: CorrelationEngineOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resumes from the last checkpoint and catches up with everything ingest committed since. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      const checkpoint = await this.options.checkpoints.load().catch(error => {
        // Replaying ingest's feeds from the start rebuilds the same incidents (the store keeps
        // what it has); a damaged checkpoint must not stop correlation.
        this.options.logger.error(
          `Correlation checkpoint unreadable, replaying ingest's feeds from the start: ${error}`,
        );
        return undefined;
      });
      if (checkpoint) {
        this.lastCheckpoint = {
          alertCursor: checkpoint.alertCursor,
          deploymentCursor: checkpoint.deploymentCursor,
          state: JSON.stringify(checkpoint.state),
        };
        this.state = checkpoint.state;
        this.cursors = {
          alerts: checkpoint.alertCursor,
          deployments: checkpoint.deploymentCursor,
        };
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
    this.announcedAlerts.push(
      ...items.map(({ alert, cursor }) => ({ item: alert, cursor })),
    );
    this.scheduleDrain();
  }

  /** Deployments ingest announced (`aiops.deployment.received`). */
  acceptDeployments(items: Array<{ deployment: Deployment; cursor: string }>) {
    this.feedHeads.note('deployments', items);
    this.announcedDeployments.push(
      ...items.map(({ deployment, cursor }) => ({ item: deployment, cursor })),
    );
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
  feedLag(): Record<keyof Cursors, number> {
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
    const alerts = this.continuation(
      this.announcedAlerts.splice(0),
      this.cursors.alerts,
    );
    const deployments = this.continuation(
      this.announcedDeployments.splice(0),
      this.cursors.deployments,
    );
    if (!alerts || !deployments) {
      await this.catchUp();
      return;
    }
    // Bounded batches keep a transaction, and a shutdown waiting for it, short; the rest is
    // put back and drained next.
    this.announcedAlerts.unshift(...alerts.splice(limit));
    this.announcedDeployments.unshift(...deployments.splice(limit));
    await this.consume(alerts, deployments);
    if (
      this.announcedAlerts.length > 0 ||
      this.announcedDeployments.length > 0
    ) {
      this.scheduleDrain();
    }
  }

  /**
   * The announced items if they continue the feed exactly from `cursor` (repeats dropped);
   * `undefined` when something is missing in between, which only the feed can fill.
   */
  private continuation<T>(
    items: Array<{ item: T; cursor: string }>,
    cursor: string,
  ) {
    const fresh = items
      .filter(i => Number(i.cursor) > Number(cursor))
      .sort((a, b) => Number(a.cursor) - Number(b.cursor));
    let expected = Number(cursor) + 1;
    for (const { cursor: next } of fresh) {
      if (Number(next) !== expected) return undefined;
      expected++;
    }
    return fresh;
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
    alerts: Array<{ item: Alert; cursor: string }>,
    deployments: Array<{ item: Deployment; cursor: string }>,
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
    if (
      events.some(e => e.type !== 'tick') ||
      steps.some(s => s.decisions.length > 0)
    ) {
      this.unsavedSince ??= this.now();
    }
    await this.announce(changes);
  }

  private restoreCheckpoint() {
    this.state = JSON.parse(this.lastCheckpoint.state);
    this.cursors = {
      alerts: this.lastCheckpoint.alertCursor,
      deployments: this.lastCheckpoint.deploymentCursor,
    };
    this.announcedAlerts = [];
    this.announcedDeployments = [];
    this.unsavedSince = undefined;
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

  /**
   * Announces with the lifecycle the store holds: correlation does not follow acknowledgements,
   * so its own view could call an acknowledged incident open.
   */
  private async announce(changes: Map<string, IncidentChange>) {
    if (changes.size === 0) return;
    let stored: Record<string, IncidentStatusRow> = {};
    try {
      stored = await this.options.incidents.statuses([...changes.keys()]);
    } catch (error) {
      // The batch is stored; announcing correlation's own view beats announcing nothing.
      this.options.logger.warn(
        `Could not read incident lifecycles to announce: ${error}`,
      );
    }
    for (const [id, change] of changes) {
      const incident = this.state.incidents[id]?.incident;
      if (!incident) continue;
      const lifecycle = stored[id];
      if (!lifecycle) {
        await this.publish(incident, change);
        continue;
      }
      const {
        acknowledgedAt: _acknowledged,
        resolvedAt: _resolved,
        mergedInto: _merged,
        ...rest
      } = incident;
      await this.publish({ ...rest, ...lifecycle }, change);
    }
  }

  async publish(incident: Incident, change: IncidentChange) {
    let cursor: string | undefined;
    try {
      cursor = await this.options.changeCursor?.(incident.id);
    } catch (error) {
      // Announced without it: consumers then read the feed from their own cursor.
      this.options.logger.warn(
        `Could not read the change cursor of incident ${incident.id}: ${error}`,
      );
    }
    const payload: AiopsEventPayloads[typeof AIOPS_TOPICS.incidentChanged] = {
      incident,
      change,
      ...(cursor !== undefined && { cursor }),
    };
    try {
      await this.options.events.publish({
        topic: AIOPS_TOPICS.incidentChanged,
        eventPayload: payload,
      });
    } catch (error) {
      // The change is stored; subscribers that missed it read the incident API.
      this.options.logger.warn(
        `Could not announce incident ${incident.id} ${change}: ${error}`,
      );
    }
  }

  /**
   * People resolve, reopen and merge incidents on any replica; the store has the last word.
   * Every incident correlation still holds is checked against it.
   */
  private async reconcile() {
    const held = Object.values(this.state.incidents).filter(
      inc => inc.phase === 'open' && !inc.incident.mergedInto,
    );
    if (held.length === 0) return;
    const stored = await this.options.incidents.statuses(
      held.map(i => i.incident.id),
    );
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

  /**
   * Takes a checkpoint of the state and the cursors it reached. The database write runs outside
   * the correlation queue (one at a time): a storm's state is tens of megabytes, and alerts
   * should not wait while it is sent. A failed write is retried with the next checkpoint; a
   * failed batch falls back to the checkpoint taken, written or not.
   */
  private async saveCheckpoint(force: boolean) {
    if (this.checkpointWrite) {
      // At shutdown the write in progress must end before the database goes away; it may
      // also have failed and left the state unsaved.
      if (!force) return;
      await this.checkpointWrite;
    }
    if (this.unsavedSince === undefined) return;
    const interval = this.options.checkpointIntervalMs ?? 10_000;
    if (!force && this.now() - this.lastSavedAt < interval) return;
    const at = this.now();
    const checkpoint: SerializedCheckpoint = {
      alertCursor: this.cursors.alerts,
      deploymentCursor: this.cursors.deployments,
      state: JSON.stringify(this.state),
    };
    this.lastCheckpoint = checkpoint;
    this.lastSavedAt = at;
    this.unsavedSince = undefined;
    const write = this.options.checkpoints
      .save(checkpoint, new Date(at).toISOString())
      .catch(error => {
        this.options.logger.warn(
          `Could not save the correlation checkpoint, trying again later: ${error}`,
        );
        this.unsavedSince ??= at;
      })
      .finally(() => {
        this.checkpointWrite = undefined;
      });
    this.checkpointWrite = write;
    if (force) await write;
  }
}

function incidentIdsOf(decisions: CorrelationDecision[]): string[] {
  const ids = new Set<string>();
  for (const d of decisions) {
    if (d.type === 'open-incident') ids.add(d.incident.id);
    else if ('incidentId' in d && d.incidentId) ids.add(d.incidentId);
  }
  return [...ids];
}

/**
 * The core's view (after the whole batch) of every incident the batch touched or re-derived,
 * handed to the store with the batch's last step: the coalesced refresh that produced it runs
 * with that step, earlier steps would only write the same final values again, and the store
 * reads the stored rows of all of them at once.
 */
function batchSnapshots(
  steps: CorrelationStep[],
  state: CorrelationState,
  refreshed: string[],
): IncidentSnapshot[] {
  const ids = new Set(refreshed);
  for (const step of steps) {
    for (const id of incidentIdsOf(step.decisions)) ids.add(id);
  }
  return [...ids].flatMap(id => {
    const inc = state.incidents[id];
    return inc?.phase === 'open'
      ? [{ incident: inc.incident, findingsByKey: inc.findingsByKey }]
      : [];
  });
}

const CHANGE_WEIGHT: Partial<Record<IncidentChange, number>> = {
  opened: 3,
  resolved: 2,
  reopened: 2,
  updated: 1,
};

/** Of two changes of one incident in a batch, the one subscribers most need to hear (the later on a tie). */
function mostTelling(
  earlier: IncidentChange | undefined,
  later: IncidentChange,
) {
  if (!earlier) return later;
  return (CHANGE_WEIGHT[earlier] ?? 0) > (CHANGE_WEIGHT[later] ?? 0)
    ? earlier
    : later;
}

const STATUS_CHANGES: Partial<
  Record<CorrelationDecision['type'], IncidentChange>
> = {
  'resolve-incident': 'resolved',
  'reopen-incident': 'reopened',
};

function changesOf(decisions: CorrelationDecision[], opened: string[]) {
  const changes = new Map<string, IncidentChange>();
  const note = (id: string, change: IncidentChange) =>
    changes.set(id, mostTelling(changes.get(id), change));
  for (const d of decisions) {
    if (d.type === 'open-incident' || d.type === 'hold' || d.type === 'ignore')
      continue;
    if (!d.incidentId) continue;
    note(d.incidentId, STATUS_CHANGES[d.type] ?? 'updated');
  }
  for (const id of opened) note(id, 'opened');
  return changes;
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
