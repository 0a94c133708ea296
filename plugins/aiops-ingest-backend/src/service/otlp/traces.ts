import { InputError } from '@backstage/errors';
import type { Labels } from '@aiops/plugin-aiops-common';
import type { CallEdgeInput, TelemetryInput } from '../inputs';
import { type Json, optionalString, requireObject } from '../validation';
import {
  type Bucket,
  ExemplarSampler,
  RollupAccumulator,
  singleObservation,
} from './accumulators';
import {
  flattenAttributes,
  labelsKey,
  minuteOf,
  nanosToEpochMillis,
  optionalEnum,
  optionalHexId,
  optionalObject,
  requireUnixNanos,
} from './attributes';
import { type OtlpResource, forEachItem } from './envelope';
import type {
  ClientSpanRecord,
  RecentClientSpans,
  ServerSpanRecord,
} from './RecentClientSpans';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_PRODUCER = 4;
const SPAN_KIND_CONSUMER = 5;
const STATUS_CODE_ERROR = 2;

/** Upper bounds of the `span.duration_ms` buckets, in milliseconds. */
// prettier-ignore
export const SPAN_DURATION_BOUNDS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Infinity,
] as const;

/**
 * Client span attribute that names the called service explicitly. A client span with it gets its
 * edge at once when its server span is not known yet.
 */
export const EXPLICIT_PEER_ATTRIBUTE = 'peer.service';

/**
 * Client span attributes that name the called host (a DNS name or an IP), best first. Current
 * semantic conventions put `server.address` on nearly every client span, and a host is often not
 * a service's name, so these name the callee only for a client span that no server span matched
 * before it was forgotten.
 */
export const HOST_PEER_ATTRIBUTES = [
  'server.address',
  'net.peer.name',
] as const;

/** Each span counts once: count is the number of spans, and sum equals count. */
const ONE_SPAN = singleObservation(1);

interface ClientSpan extends ClientSpanRecord {
  /** The `peer.service` attribute. */
  service?: string;
  /** The first of the `HOST_PEER_ATTRIBUTES`. */
  host?: string;
}

/** Adds up calls per (caller, callee, minute); calls within one resource are not edges. */
class CallEdgeAccumulator {
  private readonly edges = new Map<string, CallEdgeInput>();

  addCall(client: ClientSpanRecord, server: ServerSpanRecord): void {
    if (client.resource.key === server.resource.key) return;
    this.add(client, server.resource, client.error || server.error);
  }

  addPeerCall(client: ClientSpanRecord, peer: string): void {
    const labels: Labels = { service: peer };
    this.add(client, { labels, key: labelsKey(labels) }, client.error);
  }

  toEdges(): CallEdgeInput[] {
    return [...this.edges.values()];
  }

  private add(
    client: ClientSpanRecord,
    callee: OtlpResource,
    error: boolean,
  ): void {
    const key = `${client.resource.key}\n${callee.key}\n${client.minute}`;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = {
        callerLabels: client.resource.labels,
        calleeLabels: callee.labels,
        time: client.minute,
        count: 0,
        errorCount: 0,
      };
      this.edges.set(key, edge);
    }
    edge.count += 1;
    if (error) edge.errorCount += 1;
  }
}

/**
 * Turns an OTLP/HTTP JSON traces request into per-service request rollups, error exemplars and
 * call edges. Only the entry points of a service (SERVER and CONSUMER spans) make rollups:
 * `span.requests`, `span.errors` (only for minutes with errors; error rate = errors /
 * requests) and `span.duration_ms`, each in the minute the span ended.
 *
 * A call edge links a CLIENT/PRODUCER span to the SERVER/CONSUMER span whose parent it is,
 * when they come from different resources. Each client span yields edges once:
 * - to its server spans' resources, if they are in this request or arrived recently;
 * - else, if it has `peer.service`, to `{ service: <peer.service> }` at once, and a server span
 *   arriving later for it is not counted again;
 * - else it waits in `recent` for its server span, for a few minutes. A server span arriving
 *   in that time gives the edge to its resource. If none does and the client span has
 *   `server.address` or `net.peer.name`, the edge goes to `{ service: <that host> }` when the
 *   client span is forgotten (TTL passed or evicted): it is in the edges of the first call after
 *   that (possibly the call that evicted it), at the minute the client span ended.
 * A client span without ids cannot be matched, so it gets its edge at once from either attribute.
 */
export function parseOtlpTraces(
  body: unknown,
  recent: RecentClientSpans,
): TelemetryInput {
  const rollups = new RollupAccumulator();
  const sampler = new ExemplarSampler();
  const edges = new CallEdgeAccumulator();
  const clients = new Map<string, ClientSpan>();
  const serversByClient = new Map<string, ServerSpanRecord[]>();

  forEachItem(
    body,
    { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' },
    (item, path, resource) => {
      const span = requireObject(item, path);
      const kind = optionalEnum(span.kind, `${path}.kind`);
      const isServer = kind === SPAN_KIND_SERVER || kind === SPAN_KIND_CONSUMER;
      const isClient = kind === SPAN_KIND_CLIENT || kind === SPAN_KIND_PRODUCER;
      if (!isServer && !isClient) return;

      const { end, durationMs } = readTimes(span, path);
      const minute = minuteOf(end);
      const error = isErrorStatus(span, path);
      const traceId = optionalHexId(span.traceId, `${path}.traceId`, 16);
      const spanId = optionalHexId(span.spanId, `${path}.spanId`, 8);

      if (isClient) {
        const client: ClientSpan = {
          resource,
          minute,
          error,
          ...peerNames(span, path),
        };
        if (traceId && spanId) {
          clients.set(spanKey(traceId, spanId), client);
        } else {
          // Without ids the span can never be matched, so a host is as good as it gets, now.
          const peer = client.service ?? client.host;
          if (peer !== undefined) edges.addPeerCall(client, peer);
        }
        return;
      }

      rollups.add(resource, 'span.requests', minute, ONE_SPAN);
      rollups.add(resource, 'span.duration_ms', minute, {
        ...singleObservation(durationMs),
        buckets: durationBuckets(durationMs),
      });
      if (error) {
        rollups.add(resource, 'span.errors', minute, ONE_SPAN);
        sampler.offer(resource, () => ({
          time: end,
          kind: 'span',
          severity: 'ERROR',
          message: spanMessage(span, path),
          traceId,
          spanId,
        }));
      }
      const parentSpanId = optionalHexId(
        span.parentSpanId,
        `${path}.parentSpanId`,
        8,
      );
      if (traceId && parentSpanId) {
        const key = spanKey(traceId, parentSpanId);
        const servers = serversByClient.get(key);
        if (servers) servers.push({ resource, error });
        else serversByClient.set(key, [{ resource, error }]);
      }
    },
  );

  for (const [key, { service, host, ...client }] of clients) {
    const servers = [
      ...(serversByClient.get(key) ?? []),
      ...recent.takeServers(key),
    ];
    if (servers.length > 0) {
      for (const server of servers) edges.addCall(client, server);
    } else if (service !== undefined) {
      edges.addPeerCall(client, service);
    } else {
      recent.rememberClient(key, client, host);
    }
  }
  for (const [key, servers] of serversByClient) {
    if (clients.has(key)) continue;
    const client = recent.matchClient(key);
    for (const server of servers) {
      if (client) edges.addCall(client, server);
      else recent.rememberServer(key, server);
    }
  }
  // Last, so that client spans evicted by this request are included.
  for (const { client, host } of recent.takeUnmatchedHostCalls())
    edges.addPeerCall(client, host);

  return {
    rollups: rollups.toRollups(),
    exemplars: sampler.exemplars,
    edges: edges.toEdges(),
  };
}

function spanKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

function readTimes(
  span: Record<string, Json>,
  path: string,
): { end: number; durationMs: number } {
  const start = requireUnixNanos(
    span.startTimeUnixNano,
    `${path}.startTimeUnixNano`,
  );
  const end = requireUnixNanos(span.endTimeUnixNano, `${path}.endTimeUnixNano`);
  if (end < start) {
    throw new InputError(
      `${path}.endTimeUnixNano must not be before ${path}.startTimeUnixNano`,
    );
  }
  // Subtracting as BigInt keeps sub-millisecond durations exact despite 19-digit timestamps.
  return {
    end: nanosToEpochMillis(end),
    durationMs: Number(end - start) / 1e6,
  };
}

function isErrorStatus(span: Record<string, Json>, path: string): boolean {
  const status = optionalObject(span.status, `${path}.status`);
  return optionalEnum(status.code, `${path}.status.code`) === STATUS_CODE_ERROR;
}

function spanMessage(span: Record<string, Json>, path: string): string {
  const name = optionalString(span.name, `${path}.name`) ?? '';
  const status = optionalObject(span.status, `${path}.status`);
  const statusMessage = optionalString(
    status.message,
    `${path}.status.message`,
  );
  return statusMessage ? `${name}: ${statusMessage}` : name;
}

function peerNames(
  span: Record<string, Json>,
  path: string,
): Pick<ClientSpan, 'service' | 'host'> {
  const attributes = flattenAttributes(span.attributes, `${path}.attributes`);
  return {
    service: attributes[EXPLICIT_PEER_ATTRIBUTE] || undefined,
    host: HOST_PEER_ATTRIBUTES.map(key => attributes[key]).find(value => value),
  };
}

function durationBuckets(durationMs: number): Bucket[] {
  const index = SPAN_DURATION_BOUNDS_MS.findIndex(bound => durationMs <= bound);
  return SPAN_DURATION_BOUNDS_MS.map((upperBound, i) => ({
    upperBound,
    count: i === index ? 1 : 0,
  }));
}
