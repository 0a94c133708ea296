import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import type { CallEdgeInput, TelemetryInput } from '../inputs';
import { RecentClientSpans } from './RecentClientSpans';
import { SPAN_DURATION_BOUNDS_MS, parseOtlpTraces } from './traces';

const fixture = (name: string): any =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../fixtures/otlp', name),
      'utf8',
    ),
  );

const M0 = 1764000000000; // 2025-11-24T16:00:00Z
const T0_NANOS = 1764000000n * 1_000_000_000n;
const nanos = (ms: number) =>
  String(T0_NANOS + BigInt(Math.round(ms * 1000)) * 1000n);
const TRACE = '0AF7651916CD43DD8448EB211C80319C';

const FRONTEND = {
  'service.name': 'frontend',
  'k8s.namespace.name': 'shop-prod',
};

interface SpanOptions {
  kind: number;
  spanId: string;
  parentSpanId?: string;
  startMs?: number;
  durationMs?: number;
  error?: boolean;
  attributes?: Record<string, string>;
  traceId?: string;
}

function span(options: SpanOptions) {
  const startMs = options.startMs ?? 1000;
  return {
    traceId: options.traceId ?? TRACE,
    spanId: options.spanId,
    parentSpanId: options.parentSpanId ?? '',
    name: `span ${options.spanId}`,
    kind: options.kind,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(startMs + (options.durationMs ?? 10)),
    attributes: Object.entries(options.attributes ?? {}).map(
      ([key, value]) => ({
        key,
        value: { stringValue: value },
      }),
    ),
    status: options.error ? { code: 2, message: 'boom' } : {},
  };
}

function tracesBody(...resources: Array<[service: string, spans: unknown[]]>) {
  return {
    resourceSpans: resources.map(([service, spans]) => ({
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: service } }],
      },
      scopeSpans: [{ scope: { name: 'test' }, spans }],
    })),
  };
}

/** Edges as "caller -> callee count/errors", for readable expectations. */
function edgeSummary(...results: TelemetryInput[]): string[] {
  const describe = (edge: CallEdgeInput) =>
    `${edge.callerLabels['service.name']} -> ${
      edge.calleeLabels['service.name'] ?? `peer:${edge.calleeLabels.service}`
    } ${edge.count}/${edge.errorCount}`;
  return results.flatMap(result => result.edges.map(describe)).sort();
}

function inputError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const INTERNAL = 1;

describe('parseOtlpTraces', () => {
  describe('the fixture', () => {
    const result = parseOtlpTraces(
      fixture('traces.json'),
      new RecentClientSpans(),
    );
    const durationBuckets = (bound: number) =>
      SPAN_DURATION_BOUNDS_MS.map(upperBound => ({
        upperBound,
        count: upperBound === bound ? 1 : 0,
      }));

    it('rolls up requests, errors and durations of SERVER spans per service and minute', () => {
      const rollups = result.rollups.map(({ labels, ...rollup }) => ({
        service: labels['service.name'],
        ...rollup,
      }));
      expect(rollups).toEqual([
        {
          service: 'frontend',
          metric: 'span.requests',
          minute: M0,
          count: 1,
          sum: 1,
          min: 1,
          max: 1,
        },
        {
          service: 'frontend',
          metric: 'span.duration_ms',
          minute: M0,
          count: 1,
          sum: 120,
          min: 120,
          max: 120,
          buckets: durationBuckets(250),
        },
        {
          service: 'cartservice',
          metric: 'span.requests',
          minute: M0,
          count: 1,
          sum: 1,
          min: 1,
          max: 1,
        },
        {
          service: 'cartservice',
          metric: 'span.duration_ms',
          minute: M0,
          count: 1,
          sum: 25,
          min: 25,
          max: 25,
          // Upper bounds are inclusive: 25 ms is in the 25 bucket.
          buckets: durationBuckets(25),
        },
        {
          service: 'cartservice',
          metric: 'span.errors',
          minute: M0,
          count: 1,
          sum: 1,
          min: 1,
          max: 1,
        },
      ]);
      expect(result.rollups[0].labels).toEqual(FRONTEND);
    });

    it('keeps failed SERVER spans as exemplars with lower-case ids', () => {
      expect(result.exemplars).toEqual([
        {
          labels: expect.objectContaining({ 'service.name': 'cartservice' }),
          time: 1764000010040,
          kind: 'span',
          severity: 'ERROR',
          message: 'GetCart: cart not found',
          traceId: '5b8efff798038103d269b633813fc60c',
          spanId: 'bbbbbbbbbbbbbbb1',
        },
      ]);
    });

    it('links a client span to the server span it is parent of, and uses peer.service otherwise', () => {
      expect(result.edges).toEqual([
        {
          callerLabels: FRONTEND,
          calleeLabels: expect.objectContaining({
            'service.name': 'cartservice',
            'k8s.pod.name': 'cartservice-7d9f-abcde',
          }),
          time: M0,
          count: 1,
          // The server span failed.
          errorCount: 1,
        },
        {
          callerLabels: FRONTEND,
          calleeLabels: { service: 'recommendationservice' },
          time: M0,
          count: 1,
          errorCount: 1,
        },
      ]);
    });

    it('gives the same edges when its resources arrive in two requests, servers first', () => {
      const recent = new RecentClientSpans();
      const body = fixture('traces.json');
      const cart = parseOtlpTraces(
        { resourceSpans: [body.resourceSpans[1]] },
        recent,
      );
      const frontend = parseOtlpTraces(
        { resourceSpans: [body.resourceSpans[0]] },
        recent,
      );
      expect(edgeSummary(cart, frontend)).toEqual(edgeSummary(result));
      expect(edgeSummary(result)).toEqual([
        'frontend -> cartservice 1/1',
        'frontend -> peer:recommendationservice 1/1',
      ]);
    });

    it('gives the same edges when its resources arrive in two requests, clients first', () => {
      const recent = new RecentClientSpans();
      const body = fixture('traces.json');
      const frontend = parseOtlpTraces(
        { resourceSpans: [body.resourceSpans[0]] },
        recent,
      );
      // Only peer.service names a callee at once; the client span to cart, with server.address,
      // waits for its server span.
      expect(edgeSummary(frontend)).toEqual([
        'frontend -> peer:recommendationservice 1/1',
      ]);
      const cart = parseOtlpTraces(
        { resourceSpans: [body.resourceSpans[1]] },
        recent,
      );
      expect(edgeSummary(cart)).toEqual(['frontend -> cartservice 1/1']);
      expect(cart.edges[0].calleeLabels).toEqual(result.edges[0].calleeLabels);
    });
  });

  it.each([
    ['client span first', ['frontend', 'cart']],
    ['server span first', ['cart', 'frontend']],
  ])('links spans that arrive in two requests, %s', (_, order) => {
    const recent = new RecentClientSpans();
    const bodies: Record<string, unknown> = {
      frontend: tracesBody([
        'frontend',
        [span({ kind: CLIENT, spanId: '00000000000000a1' })],
      ]),
      cart: tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
            error: true,
          }),
        ],
      ]),
    };
    const results = order.map(service =>
      parseOtlpTraces(bodies[service], recent),
    );
    expect(edgeSummary(...results)).toEqual(['frontend -> cart 1/1']);
    expect(results[1].edges[0].time).toBe(M0);
  });

  it('matches a waiting server span only once', () => {
    const recent = new RecentClientSpans();
    const client = tracesBody([
      'frontend',
      [span({ kind: CLIENT, spanId: '00000000000000a1' })],
    ]);
    const results = [
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
      client,
      // The same client span again, as a retried export would send it.
      client,
    ].map(body => parseOtlpTraces(body, recent));
    expect(edgeSummary(...results)).toEqual(['frontend -> cart 1/0']);
  });

  it('adds calls up per caller, callee and minute', () => {
    const clients = ['c1', 'c2', 'c3'].map((id, i) =>
      span({
        kind: CLIENT,
        spanId: `00000000000000${id}`,
        startMs: i === 2 ? 61_000 : 1000,
        error: i === 0,
      }),
    );
    const servers = ['c1', 'c2', 'c3'].map((id, i) =>
      span({
        kind: SERVER,
        spanId: `10000000000000${id}`,
        parentSpanId: `00000000000000${id}`,
        startMs: i === 2 ? 61_000 : 1000,
      }),
    );
    const result = parseOtlpTraces(
      tracesBody(['frontend', clients], ['cart', servers]),
      new RecentClientSpans(),
    );
    expect(
      result.edges.map(e => [
        e.callerLabels['service.name'],
        e.calleeLabels['service.name'],
        e.time,
        e.count,
        e.errorCount,
      ]),
    ).toEqual([
      ['frontend', 'cart', M0, 2, 1],
      ['frontend', 'cart', M0 + 60_000, 1, 0],
    ]);
  });

  it('does not make an edge of a call within one resource', () => {
    const result = parseOtlpTraces(
      tracesBody([
        'frontend',
        [
          span({ kind: CLIENT, spanId: '00000000000000a1' }),
          span({
            kind: SERVER,
            spanId: '00000000000000a2',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
      new RecentClientSpans(),
    );
    expect(result.edges).toEqual([]);
  });

  it('ignores INTERNAL and unspecified spans, and links only through the direct parent', () => {
    const result = parseOtlpTraces(
      tracesBody(
        [
          'frontend',
          [
            span({ kind: CLIENT, spanId: '00000000000000a1' }),
            span({
              kind: INTERNAL,
              spanId: '00000000000000a2',
              parentSpanId: '00000000000000a1',
            }),
            span({ kind: 0, spanId: '00000000000000a3' }),
          ],
        ],
        [
          'cart',
          [
            span({
              kind: SERVER,
              spanId: '00000000000000b1',
              parentSpanId: '00000000000000a2',
            }),
          ],
        ],
      ),
      new RecentClientSpans(),
    );
    expect(result.edges).toEqual([]);
    expect(
      result.rollups.map(r => `${r.labels['service.name']} ${r.metric}`),
    ).toEqual(['cart span.requests', 'cart span.duration_ms']);
  });

  it('counts a client span with peer.service once, even when its server span arrives later', () => {
    const recent = new RecentClientSpans();
    const first = parseOtlpTraces(
      tracesBody([
        'frontend',
        [
          span({
            kind: CLIENT,
            spanId: '00000000000000a1',
            attributes: { 'peer.service': 'cart' },
          }),
        ],
      ]),
      recent,
    );
    const second = parseOtlpTraces(
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
      recent,
    );
    expect(edgeSummary(first, second)).toEqual(['frontend -> peer:cart 1/0']);
  });

  it('prefers a server span that arrived earlier over the peer attribute', () => {
    const recent = new RecentClientSpans();
    const first = parseOtlpTraces(
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
      recent,
    );
    const second = parseOtlpTraces(
      tracesBody([
        'frontend',
        [
          span({
            kind: CLIENT,
            spanId: '00000000000000a1',
            attributes: { 'server.address': 'cart.svc' },
          }),
        ],
      ]),
      recent,
    );
    expect(edgeSummary(first, second)).toEqual(['frontend -> cart 1/0']);
  });

  it.each([
    [
      { 'peer.service': 'cart', 'server.address': '10.0.0.7' },
      'cart',
      'at once',
    ],
    [
      { 'server.address': 'cart.shop.svc', 'net.peer.name': 'old' },
      'cart.shop.svc',
      'on expiry',
    ],
    [{ 'net.peer.name': 'cart-legacy' }, 'cart-legacy', 'on expiry'],
  ])('names an unmatched callee from %j', (attributes, callee, when) => {
    let now = 0;
    const recent = new RecentClientSpans({ ttlMs: 60_000, now: () => now });
    const first = parseOtlpTraces(
      tracesBody([
        'frontend',
        [span({ kind: CLIENT, spanId: '00000000000000a1', attributes })],
      ]),
      recent,
    );
    now = 60_000;
    const next = parseOtlpTraces(tracesBody(), recent);
    expect(first.edges.map(e => e.calleeLabels)).toEqual(
      when === 'at once' ? [{ service: callee }] : [],
    );
    expect(next.edges.map(e => e.calleeLabels)).toEqual(
      when === 'on expiry' ? [{ service: callee }] : [],
    );
  });

  it('names the callee by the server span, with its failure, when the client span with server.address arrives first', () => {
    const recent = new RecentClientSpans();
    const client = parseOtlpTraces(
      tracesBody([
        'frontend',
        [
          span({
            kind: CLIENT,
            spanId: '00000000000000a1',
            attributes: { 'server.address': 'cart.shop.svc' },
          }),
        ],
      ]),
      recent,
    );
    const server = parseOtlpTraces(
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
            error: true,
          }),
        ],
      ]),
      recent,
    );
    expect(client.edges).toEqual([]);
    expect(edgeSummary(server)).toEqual(['frontend -> cart 1/1']);
  });

  describe('host fallback', () => {
    let now: number;
    const TTL = 5 * 60_000;
    const hostClient = (spanId: string, startMs = 1000, error = false) =>
      tracesBody([
        'frontend',
        [
          span({
            kind: CLIENT,
            spanId,
            startMs,
            error,
            attributes: { 'server.address': 'cart.shop.svc' },
          }),
        ],
      ]);
    const serverOf = (parentSpanId: string) =>
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId,
            error: true,
          }),
        ],
      ]);

    beforeEach(() => {
      now = 0;
    });

    it('names a client span never matched by its host, once, in the first call after it expired', () => {
      const recent = new RecentClientSpans({ ttlMs: TTL, now: () => now });
      const first = parseOtlpTraces(
        hostClient('00000000000000a1', 61_000, true),
        recent,
      );
      now = TTL - 1;
      const beforeExpiry = parseOtlpTraces(tracesBody(), recent);
      now = TTL;
      const afterExpiry = parseOtlpTraces(tracesBody(), recent);
      const later = parseOtlpTraces(tracesBody(), recent);
      // A server span arriving after the expiry no longer counts.
      const lateServer = parseOtlpTraces(serverOf('00000000000000a1'), recent);
      expect(first.edges).toEqual([]);
      expect(beforeExpiry.edges).toEqual([]);
      expect(afterExpiry.edges).toEqual([
        {
          callerLabels: { 'service.name': 'frontend' },
          calleeLabels: { service: 'cart.shop.svc' },
          // The minute the client span ended, not the time it expired.
          time: M0 + 60_000,
          count: 1,
          errorCount: 1,
        },
      ]);
      expect(edgeSummary(later, lateServer)).toEqual([]);
    });

    it('adds fallback calls up with the other edges of the call', () => {
      const recent = new RecentClientSpans({ ttlMs: TTL, now: () => now });
      parseOtlpTraces(hostClient('00000000000000a1'), recent);
      parseOtlpTraces(hostClient('00000000000000a2'), recent);
      now = TTL;
      const result = parseOtlpTraces(
        tracesBody([
          'frontend',
          [
            span({
              kind: CLIENT,
              spanId: '00000000000000a3',
              attributes: { 'peer.service': 'cart.shop.svc' },
            }),
          ],
        ]),
        recent,
      );
      expect(edgeSummary(result)).toEqual([
        'frontend -> peer:cart.shop.svc 3/0',
      ]);
    });

    it('names a client span evicted from a full memory by its host, in the call that evicted it', () => {
      const recent = new RecentClientSpans({
        maxEntries: 1,
        ttlMs: TTL,
        now: () => now,
      });
      const first = parseOtlpTraces(hostClient('00000000000000a1'), recent);
      const second = parseOtlpTraces(
        tracesBody([
          'frontend',
          [span({ kind: CLIENT, spanId: '00000000000000a2' })],
        ]),
        recent,
      );
      // The evicted span can no longer be matched.
      const server = parseOtlpTraces(serverOf('00000000000000a1'), recent);
      expect(first.edges).toEqual([]);
      expect(edgeSummary(second)).toEqual([
        'frontend -> peer:cart.shop.svc 1/0',
      ]);
      expect(server.edges).toEqual([]);
    });

    it('never names a matched client span by its host', () => {
      const recent = new RecentClientSpans({
        maxEntries: 2,
        ttlMs: TTL,
        now: () => now,
      });
      const results = [
        // Matched in a later call, then expired.
        hostClient('00000000000000a1'),
        serverOf('00000000000000a1'),
        // Matched in a later call, sent again (a retried export), then evicted.
        hostClient('00000000000000a2'),
        serverOf('00000000000000a2'),
        hostClient('00000000000000a2'),
        // Matched in the same call.
        tracesBody(
          [
            'frontend',
            [
              span({
                kind: CLIENT,
                spanId: '00000000000000a3',
                attributes: { 'server.address': 'cart.shop.svc' },
              }),
            ],
          ],
          [
            'cart',
            [
              span({
                kind: SERVER,
                spanId: '00000000000000b3',
                parentSpanId: '00000000000000a3',
              }),
            ],
          ],
        ),
        // Matched with a server span that was waiting.
        serverOf('00000000000000a4'),
        hostClient('00000000000000a4'),
        // Evict by filling the memory.
        tracesBody([
          'frontend',
          [
            span({ kind: CLIENT, spanId: '00000000000000a5' }),
            span({ kind: CLIENT, spanId: '00000000000000a6' }),
          ],
        ]),
      ].map(body => parseOtlpTraces(body, recent));
      now = TTL;
      results.push(parseOtlpTraces(tracesBody(), recent));
      expect(edgeSummary(...results)).toEqual([
        'frontend -> cart 1/0',
        'frontend -> cart 1/1',
        'frontend -> cart 1/1',
        'frontend -> cart 1/1',
      ]);
    });

    it('never names a client span with peer.service by its host', () => {
      const recent = new RecentClientSpans({ ttlMs: TTL, now: () => now });
      const first = parseOtlpTraces(
        tracesBody([
          'frontend',
          [
            span({
              kind: CLIENT,
              spanId: '00000000000000a1',
              attributes: {
                'peer.service': 'cart',
                'server.address': 'cart.shop.svc',
              },
            }),
          ],
        ]),
        recent,
      );
      now = TTL;
      const afterExpiry = parseOtlpTraces(tracesBody(), recent);
      expect(edgeSummary(first, afterExpiry)).toEqual([
        'frontend -> peer:cart 1/0',
      ]);
    });

    it('names a client span without ids by its host at once, as it can never be matched', () => {
      const result = parseOtlpTraces(
        tracesBody([
          'frontend',
          [
            span({
              kind: CLIENT,
              spanId: '',
              traceId: '',
              attributes: { 'server.address': 'cart.shop.svc' },
            }),
          ],
        ]),
        new RecentClientSpans(),
      );
      expect(edgeSummary(result)).toEqual([
        'frontend -> peer:cart.shop.svc 1/0',
      ]);
    });
  });

  it('links a producer to each consumer, in whichever later request they arrive', () => {
    const recent = new RecentClientSpans();
    const results = [
      tracesBody([
        'checkout',
        [span({ kind: PRODUCER, spanId: '00000000000000a1', error: true })],
      ]),
      tracesBody([
        'email',
        [
          span({
            kind: CONSUMER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
      tracesBody([
        'shipping',
        [
          span({
            kind: CONSUMER,
            spanId: '00000000000000c1',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
    ].map(body => parseOtlpTraces(body, recent));
    expect(edgeSummary(...results)).toEqual([
      'checkout -> email 1/1',
      'checkout -> shipping 1/1',
    ]);
  });

  it('forgets unmatched spans after the match window', () => {
    let now = 0;
    const recent = new RecentClientSpans({ ttlMs: 5 * 60_000, now: () => now });
    parseOtlpTraces(
      tracesBody([
        'frontend',
        [span({ kind: CLIENT, spanId: '00000000000000a1' })],
      ]),
      recent,
    );
    now = 5 * 60_000;
    const late = parseOtlpTraces(
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
          }),
        ],
      ]),
      recent,
    );
    expect(late.edges).toEqual([]);
  });

  it('matches spans of the same trace only', () => {
    const recent = new RecentClientSpans();
    parseOtlpTraces(
      tracesBody([
        'frontend',
        [span({ kind: CLIENT, spanId: '00000000000000a1' })],
      ]),
      recent,
    );
    const other = parseOtlpTraces(
      tracesBody([
        'cart',
        [
          span({
            kind: SERVER,
            spanId: '00000000000000b1',
            parentSpanId: '00000000000000a1',
            traceId: '1'.repeat(32),
          }),
        ],
      ]),
      recent,
    );
    expect(other.edges).toEqual([]);
  });

  it('buckets durations by inclusive upper bounds and counts errors against requests', () => {
    const durations = [5, 5.001, 99.9, 10_000, 20_000];
    const result = parseOtlpTraces(
      tracesBody([
        'cart',
        durations.map((durationMs, i) =>
          span({
            kind: SERVER,
            spanId: `00000000000000b${i}`,
            durationMs,
            error: i % 2 === 0,
          }),
        ),
      ]),
      new RecentClientSpans(),
    );
    const rollup = (metric: string) =>
      result.rollups.find(r => r.metric === metric);
    expect(rollup('span.requests')).toMatchObject({ count: 5 });
    expect(rollup('span.errors')).toMatchObject({ count: 3 });
    expect(rollup('span.duration_ms')).toMatchObject({
      count: 5,
      min: 5,
      max: 20_000,
    });
    expect(rollup('span.duration_ms')?.sum).toBeCloseTo(30_109.901, 6);
    expect(
      rollup('span.duration_ms')?.buckets?.filter(b => b.count > 0),
    ).toEqual([
      { upperBound: 5, count: 1 },
      { upperBound: 10, count: 1 },
      { upperBound: 100, count: 1 },
      { upperBound: 10_000, count: 1 },
      { upperBound: Infinity, count: 1 },
    ]);
    expect(result.exemplars).toHaveLength(3);
  });

  it('measures durations exactly from 19-digit timestamps', () => {
    const result = parseOtlpTraces(
      tracesBody([
        'cart',
        [
          {
            kind: SERVER,
            traceId: TRACE,
            spanId: '00000000000000b1',
            startTimeUnixNano: '1764000010000000001',
            endTimeUnixNano: '1764000010000250002',
          },
        ],
      ]),
      new RecentClientSpans(),
    );
    expect(result.rollups.find(r => r.metric === 'span.duration_ms')?.sum).toBe(
      0.250001,
    );
  });

  describe('rejects bad input naming the field', () => {
    const spanPath = 'resourceSpans[0].scopeSpans[0].spans[0]';
    const parse = (spanFields: Record<string, unknown>) => () =>
      parseOtlpTraces(
        tracesBody([
          'cart',
          [
            {
              ...span({ kind: SERVER, spanId: '00000000000000b1' }),
              ...spanFields,
            },
          ],
        ]),
        new RecentClientSpans(),
      );

    it.each([
      [
        { kind: 'SPAN_KIND_SERVER' },
        `${spanPath}.kind must be an integer enum value`,
      ],
      [
        { startTimeUnixNano: nanos(2000), endTimeUnixNano: nanos(1000) },
        `${spanPath}.endTimeUnixNano must not be before ${spanPath}.startTimeUnixNano`,
      ],
      [
        { startTimeUnixNano: undefined },
        `${spanPath}.startTimeUnixNano is required`,
      ],
      [
        { endTimeUnixNano: '-1' },
        `${spanPath}.endTimeUnixNano must be a non-negative 64-bit integer`,
      ],
      [
        { spanId: 'AAECAwQFBgc=' },
        `${spanPath}.spanId must be 16 hex characters`,
      ],
      [
        { traceId: 'not-hex-at-all-not-hex-at-all-xx' },
        `${spanPath}.traceId must be 32 hex characters`,
      ],
      [{ status: 'error' }, `${spanPath}.status must be an object`],
      [
        { status: { code: '2' } },
        `${spanPath}.status.code must be an integer enum value`,
      ],
    ])('%j', (fields, message) => {
      expect(inputError(parse(fields))).toContain(message);
    });

    it('non-array resourceSpans and spans', () => {
      expect(
        inputError(() =>
          parseOtlpTraces({ resourceSpans: {} }, new RecentClientSpans()),
        ),
      ).toBe('resourceSpans must be an array');
      expect(
        inputError(() =>
          parseOtlpTraces(
            { resourceSpans: [{ scopeSpans: [{ spans: 'x' }] }] },
            new RecentClientSpans(),
          ),
        ),
      ).toBe('resourceSpans[0].scopeSpans[0].spans must be an array');
    });

    it('attributes of a client span that are not a list', () => {
      expect(
        inputError(() =>
          parseOtlpTraces(
            tracesBody([
              'cart',
              [
                {
                  ...span({ kind: CLIENT, spanId: '00000000000000b1' }),
                  attributes: 'x',
                },
              ],
            ]),
            new RecentClientSpans(),
          ),
        ),
      ).toBe(`${spanPath}.attributes must be an array`);
    });
  });
});
