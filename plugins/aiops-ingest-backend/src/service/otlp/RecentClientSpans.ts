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

export interface RecentClientSpansOptions {
  /** Most spans remembered on each side. Default: 10,000. */
  maxEntries?: number;
  /** How long a span waits for its other half. Default: 5 minutes. */
  ttlMs?: number;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * A client span and its server span usually come from different services, so they arrive in
 * different requests, in either order. This remembers, briefly and in bounded memory, client
 * spans still waiting for their server span and server spans still waiting for their parent.
 * Keys are `traceId/spanId` of the client span (for a server span: `traceId/parentSpanId`).
 */
export class RecentClientSpans {
  /** A producer's message may have many consumers; more than this many are not remembered. */
  static readonly MAX_WAITING_SERVERS_PER_CLIENT = 100;

  private readonly clients: ExpiringLruMap<ClientSpanRecord>;
  private readonly serversByClient: ExpiringLruMap<ServerSpanRecord[]>;

  constructor(options: RecentClientSpansOptions = {}) {
    const mapOptions = {
      maxEntries: options.maxEntries ?? 10_000,
      ttlMs: options.ttlMs ?? 5 * 60_000,
      now: options.now ?? Date.now,
    };
    this.clients = new ExpiringLruMap(mapOptions);
    this.serversByClient = new ExpiringLruMap(mapOptions);
  }

  rememberClient(clientKey: string, client: ClientSpanRecord): void {
    this.clients.set(clientKey, client);
  }

  /**
   * A client span stays remembered after a match: a producer's message can reach several
   * consumers, each in its own later request.
   */
  findClient(clientKey: string): ClientSpanRecord | undefined {
    return this.clients.get(clientKey);
  }

  rememberServer(clientKey: string, server: ServerSpanRecord): void {
    const waiting = this.serversByClient.get(clientKey) ?? [];
    if (waiting.length >= RecentClientSpans.MAX_WAITING_SERVERS_PER_CLIENT) return;
    waiting.push(server);
    this.serversByClient.set(clientKey, waiting);
  }

  /** The server spans waiting for this client span; they are forgotten once taken. */
  takeServers(clientKey: string): ServerSpanRecord[] {
    const waiting = this.serversByClient.get(clientKey) ?? [];
    this.serversByClient.delete(clientKey);
    return waiting;
  }
}
