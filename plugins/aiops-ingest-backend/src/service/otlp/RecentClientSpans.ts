import type { OtlpResource } from './envelope';
import { ExpiringLruMap } from './ExpiringLruMap';

/** The caller's half of a call: a CLIENT or PRODUCER span. */
export interface ClientSpanRecord {
  resource: OtlpResource;
  /** Start of the minute the client span ended in; the call edge is counted there. */
  minute: number;
  error: boolean;
}

/** The callee's half of a call: a SERVER or CONSUMER span. */
export interface ServerSpanRecord {
  resource: OtlpResource;
  error: boolean;
}

/** A client span that no server span matched in time, and the host it called. */
export interface UnmatchedHostCall {
  client: ClientSpanRecord;
  /** The client span's `server.address` or `net.peer.name`. */
  host: string;
}

export interface RecentClientSpansOptions {
  /** Most spans remembered on each side. Default: 10,000. */
  maxEntries?: number;
  /** How long a span waits for its other half. Default: 5 minutes. */
  ttlMs?: number;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
}

interface WaitingClient {
  client: ClientSpanRecord;
  host?: string;
  /** Whether a server span has been matched to it; a matched client span is no fallback. */
  matched: boolean;
}

/**
 * A client span and its server span usually come from different services, so they arrive in
 * different requests, in either order. This remembers, briefly and in bounded memory, client
 * spans still waiting for their server span and server spans still waiting for their parent.
 * Keys are `traceId/spanId` of the client span (for a server span: `traceId/parentSpanId`).
 *
 * A waiting client span may name the host it called. If it leaves without ever being matched,
 * because its TTL passed or because it was the least recently written one beyond `maxEntries`,
 * it is kept as an {@link UnmatchedHostCall} until {@link RecentClientSpans.takeUnmatchedHostCalls}.
 */
export class RecentClientSpans {
  /** A producer's message may have many consumers; more than this many are not remembered. */
  static readonly MAX_WAITING_SERVERS_PER_CLIENT = 100;

  private readonly clients: ExpiringLruMap<WaitingClient>;
  private readonly serversByClient: ExpiringLruMap<ServerSpanRecord[]>;
  private unmatchedHostCalls: UnmatchedHostCall[] = [];

  constructor(options: RecentClientSpansOptions = {}) {
    const mapOptions = {
      maxEntries: options.maxEntries ?? 10_000,
      ttlMs: options.ttlMs ?? 5 * 60_000,
      now: options.now ?? Date.now,
    };
    this.clients = new ExpiringLruMap<WaitingClient>({
      ...mapOptions,
      onEvict: (_key, { client, host, matched }) => {
        if (!matched && host !== undefined)
          this.unmatchedHostCalls.push({ client, host });
      },
    });
    this.serversByClient = new ExpiringLruMap(mapOptions);
  }

  /**
   * Remembers a client span that waits for its server span. `host` is what it named as its
   * callee's host; it is used only if no server span is matched to it before it is forgotten.
   * Remembering the same span again (a retried export) keeps it matched if it was.
   */
  rememberClient(
    clientKey: string,
    client: ClientSpanRecord,
    host?: string,
  ): void {
    const matched = this.clients.get(clientKey)?.matched ?? false;
    this.clients.set(clientKey, { client, host, matched });
  }

  /**
   * The client span a server span is the child of, if it is waiting; it then no longer counts
   * as unmatched. A client span stays remembered after a match: a producer's message can reach
   * several consumers, each in its own later request.
   */
  matchClient(clientKey: string): ClientSpanRecord | undefined {
    const waiting = this.clients.get(clientKey);
    if (!waiting) return undefined;
    waiting.matched = true;
    return waiting.client;
  }

  rememberServer(clientKey: string, server: ServerSpanRecord): void {
    const waiting = this.serversByClient.get(clientKey) ?? [];
    if (waiting.length >= RecentClientSpans.MAX_WAITING_SERVERS_PER_CLIENT)
      return;
    waiting.push(server);
    this.serversByClient.set(clientKey, waiting);
  }

  /** The server spans waiting for this client span; they are forgotten once taken. */
  takeServers(clientKey: string): ServerSpanRecord[] {
    const waiting = this.serversByClient.get(clientKey) ?? [];
    this.serversByClient.delete(clientKey);
    return waiting;
  }

  /**
   * Forgets the client spans whose TTL has passed, then returns, once, every client span with a
   * host that was forgotten (expired or evicted) since the last call without being matched.
   */
  takeUnmatchedHostCalls(): UnmatchedHostCall[] {
    this.clients.evictExpired();
    const calls = this.unmatchedHostCalls;
    this.unmatchedHostCalls = [];
    return calls;
  }
}
