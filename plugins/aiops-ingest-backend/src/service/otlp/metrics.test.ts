import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import type { RollupInput } from '../inputs';
import { CumulativeToDelta } from './CumulativeToDelta';
import { parseOtlpMetrics } from './metrics';

const fixture = (name: string): unknown =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../fixtures/otlp', name),
      'utf8',
    ),
  );

const M0 = 1764000000000; // 2025-11-24T16:00:00Z
const M1 = M0 + 60_000;
const T0_NANOS = 1764000000n * 1_000_000_000n;
const nanos = (seconds: number) =>
  String(T0_NANOS + BigInt(Math.round(seconds * 1e6)) * 1000n);

const CART_LABELS = {
  'service.name': 'cartservice',
  'service.namespace': 'shop',
  'service.instance.id': 'cart-7d9f-abcde',
  'deployment.environment': 'production',
  'k8s.namespace.name': 'shop-prod',
  'k8s.pod.name': 'cartservice-7d9f-abcde',
  'process.pid': '4711',
  'host.arch.is64bit': 'true',
};

/** Rollups by "service metric minute", without labels, for readable expectations. */
function byKey(
  rollups: RollupInput[],
): Record<string, Omit<RollupInput, 'labels' | 'metric' | 'minute'>> {
  const result: Record<
    string,
    Omit<RollupInput, 'labels' | 'metric' | 'minute'>
  > = {};
  for (const { labels, metric, minute, ...rest } of rollups) {
    const key = `${labels['service.name']} ${metric} ${minute}`;
    expect(result[key]).toBeUndefined();
    result[key] = rest;
  }
  return result;
}

function metricsBody(
  metric: Record<string, unknown>,
  attributes = [{ key: 'service.name', value: { stringValue: 'cartservice' } }],
) {
  return {
    resourceMetrics: [
      { resource: { attributes }, scopeMetrics: [{ metrics: [metric] }] },
    ],
  };
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

describe('parseOtlpMetrics', () => {
  it('rolls up every data type of the fixture per resource, metric and minute', () => {
    const rollups = parseOtlpMetrics(
      fixture('metrics-string-ints.json'),
      new CumulativeToDelta(),
    );

    expect(byKey(rollups)).toEqual({
      // Two resource entries with the same attributes in another order are one resource; the
      // point flagged "no recorded value" is skipped.
      [`cartservice process.cpu.utilization ${M0}`]: {
        count: 3,
        sum: 1.5,
        min: 0.25,
        max: 0.75,
      },
      [`frontend process.cpu.utilization ${M0}`]: {
        count: 1,
        sum: 1,
        min: 1,
        max: 1,
      },
      // A non-monotonic cumulative sum is a level: its values, not their differences.
      [`cartservice http.server.active_requests ${M0}`]: {
        count: 2,
        sum: 8,
        min: 3,
        max: 5,
      },
      [`cartservice app.orders.placed ${M1}`]: {
        count: 2,
        sum: 9,
        min: 2,
        max: 7,
      },
      // Cumulative 100 then 130 (listed newest first): the first is the baseline.
      [`cartservice http.server.requests ${M0}`]: {
        count: 1,
        sum: 30,
        min: 30,
        max: 30,
      },
      [`cartservice http.server.request.duration ${M1}`]: {
        count: 10,
        sum: 4.2,
        min: 0.01,
        max: 2.5,
        buckets: [
          { upperBound: 0.1, count: 3 },
          { upperBound: 0.5, count: 4 },
          { upperBound: 1, count: 2 },
          { upperBound: Infinity, count: 1 },
        ],
      },
      // Scale 0: zero bucket, then (2,4] and (4,8] from offset 1.
      [`cartservice rpc.server.duration ${M1}`]: {
        count: 3,
        sum: 10,
        min: 0,
        max: 5,
        buckets: [
          { upperBound: 0, count: 1 },
          { upperBound: 4, count: 0 },
          { upperBound: 8, count: 2 },
          { upperBound: Infinity, count: 0 },
        ],
      },
      // Summaries are cumulative: count 4 → 10 and sum 2 → 5; min/max are the 0 and 1 quantiles.
      [`cartservice jvm.gc.pause ${M0}`]: {
        count: 6,
        sum: 3,
        min: 0.2,
        max: 0.9,
      },
    });
  });

  it('keys rollups by all resource attributes, stringified', () => {
    const rollups = parseOtlpMetrics(
      fixture('metrics-string-ints.json'),
      new CumulativeToDelta(),
    );
    const cart = rollups.find(r => r.metric === 'app.orders.placed');
    expect(cart?.labels).toEqual(CART_LABELS);
  });

  it('reads 64-bit integers sent as numbers like those sent as strings', () => {
    expect(
      parseOtlpMetrics(
        fixture('metrics-number-ints.json'),
        new CumulativeToDelta(),
      ),
    ).toEqual(
      parseOtlpMetrics(
        fixture('metrics-string-ints.json'),
        new CumulativeToDelta(),
      ),
    );
  });

  it('places string timestamps in the right minute where a double would round over', () => {
    const [rollup] = parseOtlpMetrics(
      metricsBody({
        name: 'm',
        gauge: {
          dataPoints: [{ asInt: '1', timeUnixNano: '1764000059999999999' }],
        },
      }),
      new CumulativeToDelta(),
    );
    expect(rollup.minute).toBe(M0);
  });

  it('keeps asInt values beyond 2^53 as numbers', () => {
    const [rollup] = parseOtlpMetrics(
      metricsBody({
        name: 'bytes',
        gauge: {
          dataPoints: [{ asInt: '9007199254740993', timeUnixNano: nanos(1) }],
        },
      }),
      new CumulativeToDelta(),
    );
    expect(rollup.sum).toBe(9007199254740992);
  });

  it('skips NaN, infinite and huge values', () => {
    // Huge: PostgreSQL refuses to sum -1e308 and -1e308 (a 500, found by fuzzing).
    const rollups = parseOtlpMetrics(
      metricsBody({
        name: 'm',
        gauge: {
          dataPoints: [
            { asDouble: 'NaN', timeUnixNano: nanos(1) },
            { asDouble: 'Infinity', timeUnixNano: nanos(2) },
            { asDouble: -1e308, timeUnixNano: nanos(2.5) },
            { asDouble: 2, timeUnixNano: nanos(3) },
          ],
        },
      }),
      new CumulativeToDelta(),
    );
    expect(rollups).toEqual([
      {
        labels: { 'service.name': 'cartservice' },
        metric: 'm',
        minute: M0,
        count: 1,
        sum: 2,
        min: 2,
        max: 2,
      },
    ]);
  });

  it('merges histogram buckets of one minute by upper bound', () => {
    const point = (
      seconds: number,
      bounds: number[],
      counts: string[],
      sum: number,
    ) => ({
      timeUnixNano: nanos(seconds),
      count: String(counts.reduce((total, c) => total + Number(c), 0)),
      sum,
      explicitBounds: bounds,
      bucketCounts: counts,
    });
    const [rollup] = parseOtlpMetrics(
      metricsBody({
        name: 'latency',
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [
            point(10, [1, 5], ['1', '2', '0'], 5),
            point(20, [1, 10], ['2', '0', '1'], 12),
          ],
        },
      }),
      new CumulativeToDelta(),
    );
    expect(rollup).toMatchObject({ count: 6, sum: 17 });
    expect(rollup.buckets).toEqual([
      { upperBound: 1, count: 3 },
      { upperBound: 5, count: 2 },
      { upperBound: 10, count: 0 },
      { upperBound: Infinity, count: 1 },
    ]);
  });

  it('estimates a histogram min and max from its buckets when the sender leaves them out', () => {
    const [rollup] = parseOtlpMetrics(
      metricsBody({
        name: 'latency',
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [
            {
              timeUnixNano: nanos(10),
              count: '3',
              sum: 9,
              explicitBounds: [1, 2, 4, 8],
              bucketCounts: ['0', '1', '2', '0', '0'],
            },
          ],
        },
      }),
      new CumulativeToDelta(),
    );
    expect(rollup).toMatchObject({ count: 3, sum: 9, min: 1, max: 4 });
  });

  it('downscales fine exponential histograms and places negative buckets below zero', () => {
    const [rollup] = parseOtlpMetrics(
      metricsBody({
        name: 'latency',
        exponentialHistogram: {
          aggregationTemporality: 1,
          dataPoints: [
            {
              timeUnixNano: nanos(10),
              count: '7',
              sum: 3,
              scale: 5,
              zeroCount: '1',
              // Scale 5 indices 0..3 all fall into scale-3 index 0, i.e. (1, 2^(1/8)].
              positive: { offset: 0, bucketCounts: ['1', '1', '1', '1'] },
              // Scale 5 index 8 is scale-3 index 2: [-2^(3/8), -2^(2/8)).
              negative: { offset: 8, bucketCounts: ['2'] },
              min: -1.25,
              max: 1.09,
            },
          ],
        },
      }),
      new CumulativeToDelta(),
    );
    expect(rollup.buckets).toEqual([
      { upperBound: -(2 ** (2 / 8)), count: 2 },
      { upperBound: 0, count: 1 },
      { upperBound: 2 ** (1 / 8), count: 4 },
      { upperBound: Infinity, count: 0 },
    ]);
    expect(rollup).toMatchObject({ count: 7, sum: 3, min: -1.25, max: 1.09 });
  });

  it('converts cumulative monotonic sums to increases across requests', () => {
    const cumulative = new CumulativeToDelta();
    const request = (seconds: number, total: string, start = nanos(-600)) =>
      metricsBody({
        name: 'requests',
        sum: {
          aggregationTemporality: 2,
          isMonotonic: true,
          dataPoints: [
            {
              asInt: total,
              startTimeUnixNano: start,
              timeUnixNano: nanos(seconds),
              attributes: [{ key: 'route', value: { stringValue: '/a' } }],
            },
            {
              asInt: '1000',
              startTimeUnixNano: start,
              timeUnixNano: nanos(seconds),
              attributes: [{ key: 'route', value: { stringValue: '/b' } }],
            },
          ],
        },
      });
    expect(parseOtlpMetrics(request(10, '100'), cumulative)).toEqual([]);
    expect(parseOtlpMetrics(request(70, '160'), cumulative)).toEqual([
      // route /a grew by 60; route /b, a separate series, did not grow.
      {
        labels: { 'service.name': 'cartservice' },
        metric: 'requests',
        minute: M1,
        count: 2,
        sum: 60,
        min: 0,
        max: 60,
      },
    ]);
    // A new start time is a restarted process: a new baseline, not an increase.
    expect(parseOtlpMetrics(request(130, '5', nanos(100)), cumulative)).toEqual(
      [],
    );
    expect(
      parseOtlpMetrics(request(190, '8', nanos(100)), cumulative)[0],
    ).toMatchObject({
      count: 2,
      sum: 3,
    });
  });

  it('converts cumulative histograms to increases, bounding min/max by the lifetime ones', () => {
    const cumulative = new CumulativeToDelta();
    const request = (seconds: number, counts: string[], sum: number) =>
      metricsBody({
        name: 'latency',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            {
              startTimeUnixNano: nanos(-600),
              timeUnixNano: nanos(seconds),
              count: String(counts.reduce((total, c) => total + Number(c), 0)),
              sum,
              explicitBounds: [0.1, 0.5, 1],
              bucketCounts: counts,
              min: 0.02,
              max: 3,
            },
          ],
        },
      });
    expect(
      parseOtlpMetrics(request(10, ['3', '4', '2', '1'], 4.2), cumulative),
    ).toEqual([]);
    const [rollup] = parseOtlpMetrics(
      request(70, ['4', '6', '2', '1'], 5.2),
      cumulative,
    );
    expect(rollup).toMatchObject({ minute: M1, count: 3, sum: 5.2 - 4.2 });
    expect(rollup.buckets).toEqual([
      { upperBound: 0.1, count: 1 },
      { upperBound: 0.5, count: 2 },
      { upperBound: 1, count: 0 },
      { upperBound: Infinity, count: 0 },
    ]);
    // Lowest non-empty bucket (-inf, 0.1] narrowed by the lifetime min; highest (0.1, 0.5].
    expect(rollup.min).toBe(0.02);
    expect(rollup.max).toBe(0.5);
  });

  it('accepts an empty request and ignores unknown fields and data types', () => {
    expect(parseOtlpMetrics({}, new CumulativeToDelta())).toEqual([]);
    expect(
      parseOtlpMetrics({ resourceMetrics: [] }, new CumulativeToDelta()),
    ).toEqual([]);
    expect(
      parseOtlpMetrics(
        metricsBody({
          name: 'm',
          futureType: { dataPoints: [{}] },
          futureField: 1,
        }),
        new CumulativeToDelta(),
      ),
    ).toEqual([]);
  });

  describe('rejects bad input naming the field', () => {
    const parse = (body: unknown) => () =>
      parseOtlpMetrics(body, new CumulativeToDelta());
    const gauge = (point: Record<string, unknown>) =>
      metricsBody({
        name: 'm',
        gauge: {
          dataPoints: [{ asDouble: 1, timeUnixNano: nanos(1), ...point }],
        },
      });

    it.each([
      [
        'a body that is not an object',
        [],
        'request body must be an OTLP JSON object with resourceMetrics',
      ],
      [
        'non-array resourceMetrics',
        { resourceMetrics: {} },
        'resourceMetrics must be an array',
      ],
      [
        'a resource entry that is not an object',
        { resourceMetrics: ['x'] },
        'resourceMetrics[0] must be an object',
      ],
      [
        'attributes that are not a list',
        { resourceMetrics: [{ resource: { attributes: {} } }] },
        'resourceMetrics[0].resource.attributes must be an array',
      ],
      [
        'a metric without a name',
        { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ gauge: {} }] }] }] },
        'resourceMetrics[0].scopeMetrics[0].metrics[0].name must be a non-empty string',
      ],
      [
        'data points that are not a list',
        metricsBody({ name: 'm', sum: { dataPoints: 'none' } }),
        'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints must be an array',
      ],
      [
        'isMonotonic that is not a boolean',
        metricsBody({ name: 'm', sum: { isMonotonic: 'yes' } }),
        'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.isMonotonic must be a boolean',
      ],
      [
        'point attributes of a cumulative series that are not a list',
        metricsBody({
          name: 'm',
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [
              { asInt: 1, timeUnixNano: nanos(1), attributes: { route: '/' } },
            ],
          },
        }),
        'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].attributes must be an array',
      ],
    ])('%s', (_, body, message) => {
      expect(inputError(parse(body))).toBe(message);
    });

    it.each([
      [
        { timeUnixNano: '-1' },
        'timeUnixNano must be a non-negative 64-bit integer',
      ],
      [
        { timeUnixNano: 'yesterday' },
        'timeUnixNano must be a non-negative 64-bit integer',
      ],
      [{ timeUnixNano: undefined }, 'timeUnixNano is required'],
      [{ asDouble: 'high' }, 'asDouble must be a number'],
      [{ asDouble: undefined, asInt: 1.5 }, 'asInt must be a 64-bit integer'],
    ])('point %j', (point, message) => {
      expect(inputError(parse(gauge(point)))).toMatch(
        new RegExp(
          `^resourceMetrics\\[0\\]\\.scopeMetrics\\[0\\]\\.metrics\\[0\\]\\.gauge\\.dataPoints\\[0\\]\\.${message}`,
        ),
      );
    });

    it('an enum sent by name', () => {
      expect(
        inputError(
          parse(
            metricsBody({
              name: 'm',
              sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA' },
            }),
          ),
        ),
      ).toMatch(
        /^resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.sum\.aggregationTemporality must be an integer enum value/,
      );
    });

    it('bucket counts that do not fit the bounds', () => {
      expect(
        inputError(
          parse(
            metricsBody({
              name: 'm',
              histogram: {
                dataPoints: [
                  {
                    timeUnixNano: nanos(1),
                    count: 1,
                    explicitBounds: [1, 2],
                    bucketCounts: [1, 0],
                  },
                ],
              },
            }),
          ),
        ),
      ).toBe(
        'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts must have one entry more than explicitBounds (3), got 2',
      );
    });

    it('bucket counts that are not integers', () => {
      expect(
        inputError(
          parse(
            metricsBody({
              name: 'm',
              exponentialHistogram: {
                dataPoints: [
                  {
                    timeUnixNano: nanos(1),
                    count: 1,
                    positive: { bucketCounts: ['1', '-2'] },
                  },
                ],
              },
            }),
          ),
        ),
      ).toMatch(
        /^resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.exponentialHistogram\.dataPoints\[0\]\.positive\.bucketCounts\[1\] must be a non-negative 64-bit integer/,
      );
    });
  });
});
