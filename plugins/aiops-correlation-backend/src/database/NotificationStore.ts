import type {
  DeliveryStatus,
  EntityRef,
  Feed,
  IncidentChangeFeedItem,
  Severity,
} from '@aiops/plugin-aiops-common';
import type {
  FeedConsumer,
  FeedConsumerOptions,
} from '@aiops/plugin-aiops-node';
import type {
  ChannelKind,
  EscalationStepRecord,
  IncidentChange,
  IncidentMessage,
  PlannedDelivery,
} from '../service/routing/types';
import type { Page } from './IncidentStore';

/**
 * `pending` waits to be sent (or retried), `delivered` was accepted by the channel, `dead` failed
 * for good, `held` waits in a digest because of the rate limit, `digested` went out in one,
 * `cancelled` was not sent because the incident was acknowledged before its escalation went out.
 */
export type { DeliveryStatus } from '@aiops/plugin-aiops-common';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'delivered',
  'dead',
  'held',
  'digested',
  'cancelled',
];

export interface StoredDelivery {
  id: string;
  /** A message about one incident change, or a digest of held messages. */
  kind: 'message' | 'digest';
  incidentId?: string;
  changeId?: string;
  /** ISO 8601: when the change happened; a digest's is when its window ends. */
  changeAt: string;
  channel: ChannelKind;
  target: string;
  group: EntityRef;
  message?: IncidentMessage;
  status: DeliveryStatus;
  digestId?: string;
  attempts: number;
  nextAttemptAt: string;
  /** ISO 8601: the lease of whoever claimed it last; marking it needs the same value. */
  claimedUntil?: string;
  lastError?: string;
  deliveredAt?: string;
  createdAt: string;
}

export interface Lease {
  /** ISO 8601 */
  now: string;
  limit: number;
  /** How long the claimer has before another replica may take the rows over. */
  leaseMs: number;
}

/** What a digest sends: the held messages it covers, and nothing that came after. */
export interface DigestContent {
  messageIds: string[];
  messages: IncidentMessage[];
  /** ISO 8601: when the first of them was held. */
  from?: string;
}

export interface RateLimit {
  maxPerWindow: number;
  windowMs: number;
}

export interface DeliveryQuery {
  incidentId?: string;
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}

/** Since when routing a change has failed, and how often. */
export interface RoutingFailure {
  /** ISO 8601 */
  since: string;
  failures: number;
}

/** An unacknowledged incident that escalation looks at. */
export interface EscalationCandidate {
  incidentId: string;
  owner?: EntityRef;
  primaryEntityRef?: EntityRef;
  severity: Severity;
  /** ISO 8601: when it last opened or reopened; escalation delays count from here. */
  since: string;
  /** Steps already recorded since then. */
  recordedSteps: Set<number>;
}

/**
 * The notification outbox: incident changes waiting for routing, the messages routing made of
 * them and their delivery, and escalation steps. Claims are leases (with `FOR UPDATE SKIP
 * LOCKED` on PostgreSQL), so replicas share the work without doing any of it twice.
 */
export interface NotificationStore {
  /**
   * The incident change feed: the changes after a cursor (`'0'`: from the beginning) in commit
   * order, each with its incident as it is now.
   */
  changeFeed(
    after: string,
    limit: number,
  ): Promise<Feed<IncidentChangeFeedItem>>;

  /** The feed cursor of the incident's newest change; `undefined` while it has none. */
  changeCursor(incidentId: string): Promise<string | undefined>;

  /** Just before the oldest change not routed yet; the newest change when all are routed. */
  firstUnroutedCursor(): Promise<string>;

  /** A feed consumer whose cursor is kept in this store's database. */
  consumer<T>(
    options: Omit<FeedConsumerOptions<T>, 'database'>,
  ): FeedConsumer<T>;

  /**
   * The change feed without what needs no routing (what routing follows): the changes after a
   * cursor not routed yet, in feed order, leaving out those waiting behind an unrouted change of
   * their incident at or before the cursor.
   */
  unroutedChanges(after: string, limit: number): Promise<Feed<IncidentChange>>;

  /**
   * Records that routing a change failed; since when it has failed and how often, `undefined`
   * when it was routed meanwhile.
   */
  recordRoutingFailure(
    changeId: string,
    options: { at: string; error: string },
  ): Promise<RoutingFailure | undefined>;

  /**
   * Gives up a change routing kept failing on: marked routed with no messages, noted on its
   * incident's timeline with the last error. False when it was routed meanwhile.
   */
  giveUpRouting(
    change: IncidentChange,
    options: { at: string },
  ): Promise<boolean>;

  /** Leases unrouted changes, oldest first; an incident's next change waits for the one before. */
  claimChanges(lease: Lease): Promise<IncidentChange[]>;

  /** Where this incident's messages went so far: `deliveryTarget(channel, target)` → group. */
  sentTargets(incidentId: string): Promise<Map<string, EntityRef>>;

  /**
   * Stores the deliveries routing made of a change and marks it routed, in one transaction; a
   * change routed already stores nothing. Rate-limited deliveries over the group's limit are
   * held for the digest of their window. Returns the stored deliveries.
   */
  recordRoute(
    change: IncidentChange,
    deliveries: PlannedDelivery[],
    options: { now: string; rateLimit: RateLimit },
  ): Promise<StoredDelivery[]>;

  /**
   * Leases deliveries that are due, oldest first; a message waits while an earlier one to the
   * same target about the same incident is still pending, so receivers see changes in order.
   */
  claimDeliveries(lease: Lease): Promise<StoredDelivery[]>;

  /** The messages a digest covers now, in the order they were held. */
  digestContent(digestId: string): Promise<DigestContent>;

  /**
   * The outcome of a claimed delivery. Each changes the row only while the caller's claim holds
   * (false when another replica took it over), and a digest settles only the messages it
   * `covered`. Delivered and dead rows are noted on their incidents' timelines.
   */
  markDelivered(
    delivery: StoredDelivery,
    options: { at: string; covered?: string[] },
  ): Promise<boolean>;
  markRetry(
    delivery: StoredDelivery,
    options: { error: string; nextAttemptAt: string },
  ): Promise<boolean>;
  markDead(
    delivery: StoredDelivery,
    options: { error: string; at: string; covered?: string[] },
  ): Promise<boolean>;
  /** Leaves a claimed message unsent for `reason`, noted on its incident's timeline. */
  markCancelled(
    delivery: StoredDelivery,
    options: { reason: string; at: string },
  ): Promise<boolean>;

  /** Newest first. */
  listDeliveries(query: DeliveryQuery): Promise<Page<StoredDelivery>>;
  /**
   * Sends a dead letter again, from its first attempt. `NotFoundError`; `ConflictError` unless it
   * is dead, or when a later message to the same target was delivered (it would undo that).
   */
  retry(id: string, at: string): Promise<StoredDelivery>;
  countByStatus(): Promise<Record<DeliveryStatus, number>>;

  escalationCandidates(): Promise<EscalationCandidate[]>;
  /**
   * Records an escalation step on the timeline (and as a change to route) unless the incident
   * was acknowledged or resolved meanwhile, or the step is recorded already. True when it was.
   */
  recordEscalation(
    candidate: EscalationCandidate,
    record: EscalationStepRecord,
    options: { at: string; summary: string },
  ): Promise<boolean>;
}
