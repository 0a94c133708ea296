import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { EXEMPLARS_PER_RESOURCE } from './accumulators';
import { parseOtlpLogs } from './logs';

const fixture = (name: string): unknown =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../fixtures/otlp', name),
      'utf8',
    ),
  );

const M0 = 1764000000000; // 2025-11-24T16:00:00Z
const M1 = M0 + 60_000;
const nanos = (seconds: number) =>
  String((1764000000n + BigInt(seconds)) * 1_000_000_000n);

function logsBody(
  records: Array<Record<string, unknown>>,
  service = 'cartservice',
) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
          ],
        },
        scopeLogs: [{ logRecords: records }],
      },
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

describe('parseOtlpLogs', () => {
  const parsed = parseOtlpLogs(fixture('logs.json'));

  it('counts records and error records per resource and minute', () => {
    const summary = parsed.rollups.map(({ labels, ...rollup }) => ({
      service: labels['service.name'],
      ...rollup,
    }));
    expect(summary).toEqual([
      {
        service: 'cartservice',
        metric: 'log.records',
        minute: M0,
        count: 4,
        sum: 4,
        min: 1,
        max: 1,
      },
      // "Error" by number and text, "critical" by text alone.
      {
        service: 'cartservice',
        metric: 'log.errors',
        minute: M0,
        count: 2,
        sum: 2,
        min: 1,
        max: 1,
      },
      // timeUnixNano "0" is unspecified: the observed time places the record.
      {
        service: 'cartservice',
        metric: 'log.records',
        minute: M1,
        count: 1,
        sum: 1,
        min: 1,
        max: 1,
      },
      {
        service: 'cartservice',
        metric: 'log.errors',
        minute: M1,
        count: 1,
        sum: 1,
        min: 1,
        max: 1,
      },
    ]);
    expect(parsed.rollups[0].labels).toMatchObject({
      'service.namespace': 'shop',
      'k8s.namespace.name': 'shop-prod',
      'deployment.environment': 'production',
    });
    expect(parsed.edges).toEqual([]);
  });

  it('keeps error records as exemplars with lower-case trace context', () => {
    expect(parsed.exemplars.map(({ labels, ...exemplar }) => exemplar)).toEqual(
      [
        {
          time: 1764000012000,
          kind: 'log',
          severity: 'Error',
          message: 'payment failed: card declined',
          traceId: '5b8efff798038103d269b633813fc60c',
          spanId: 'eee19b7ec3c1b174',
        },
        {
          time: 1764000020000,
          kind: 'log',
          severity: 'critical',
          message: '{"error":"disk full","free.bytes":0}',
          traceId: undefined,
          spanId: undefined,
        },
        {
          time: 1764000070000,
          kind: 'log',
          severity: 'FATAL',
          message: 'out of memory',
          traceId: undefined,
          spanId: undefined,
        },
      ],
    );
  });

  it.each([
    [{ severityNumber: 17 }, true],
    [{ severityNumber: 24 }, true],
    [{ severityNumber: 16, severityText: 'WARN' }, false],
    [{ severityText: 'error' }, true],
    [{ severityText: ' FATAL ' }, true],
    [{ severityText: 'Critical' }, true],
    [{ severityText: 'warning' }, false],
    [{}, false],
  ])('treats %j as error: %p', (severity, isError) => {
    const { rollups, exemplars } = parseOtlpLogs(
      logsBody([
        { timeUnixNano: nanos(1), body: { stringValue: 'x' }, ...severity },
      ]),
    );
    expect(rollups.some(r => r.metric === 'log.errors')).toBe(isError);
    expect(exemplars).toHaveLength(isError ? 1 : 0);
  });

  it('keeps at most 20 exemplars per resource and request', () => {
    const errors = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        timeUnixNano: nanos(i),
        severityNumber: 17,
        body: { stringValue: `error ${i}` },
      }));
    const a = logsBody(errors(25), 'a');
    const b = logsBody(errors(3), 'b');
    const { rollups, exemplars } = parseOtlpLogs({
      resourceLogs: [...a.resourceLogs, ...b.resourceLogs],
    });
    expect(EXEMPLARS_PER_RESOURCE).toBe(20);
    expect(
      exemplars.filter(e => e.labels['service.name'] === 'a'),
    ).toHaveLength(20);
    expect(
      exemplars.filter(e => e.labels['service.name'] === 'b'),
    ).toHaveLength(3);
    expect(exemplars[19].message).toBe('error 19');
    expect(
      rollups.find(
        r => r.labels['service.name'] === 'a' && r.metric === 'log.errors',
      )?.count,
    ).toBe(25);
  });

  it('truncates exemplar messages to 1,000 characters and falls back to the event name', () => {
    const { exemplars } = parseOtlpLogs(
      logsBody([
        {
          timeUnixNano: nanos(1),
          severityNumber: 17,
          body: { stringValue: 'x'.repeat(5000) },
        },
        {
          timeUnixNano: nanos(2),
          severityNumber: 17,
          eventName: 'checkout.failed',
        },
      ]),
    );
    expect(exemplars[0].message).toBe('x'.repeat(1000));
    expect(exemplars[1].message).toBe('checkout.failed');
  });

  it('accepts integers as numbers', () => {
    const { rollups } = parseOtlpLogs(
      logsBody([{ timeUnixNano: 1764000030000000000, severityNumber: 9 }]),
    );
    expect(rollups[0]).toMatchObject({
      metric: 'log.records',
      minute: M0,
      count: 1,
    });
  });

  describe('rejects bad input naming the field', () => {
    const recordPath = 'resourceLogs[0].scopeLogs[0].logRecords[0]';
    it.each([
      [
        {},
        `${recordPath}.timeUnixNano or ${recordPath}.observedTimeUnixNano is required`,
      ],
      [
        { timeUnixNano: '-5' },
        `${recordPath}.timeUnixNano must be a non-negative 64-bit integer`,
      ],
      [
        { observedTimeUnixNano: 'now' },
        `${recordPath}.observedTimeUnixNano must be a non-negative`,
      ],
      [
        { timeUnixNano: nanos(1), traceId: 'W47/95gDgQPSabYzgT/GDA==' },
        `${recordPath}.traceId must be 32 hex characters`,
      ],
      [
        { timeUnixNano: nanos(1), severityNumber: 'SEVERITY_NUMBER_ERROR' },
        `${recordPath}.severityNumber must be an integer enum value`,
      ],
      [
        { timeUnixNano: nanos(1), severityText: 17 },
        `${recordPath}.severityText must be a string`,
      ],
      [
        {
          timeUnixNano: nanos(1),
          severityNumber: 17,
          body: { intValue: 'many' },
        },
        `${recordPath}.body.intValue must be a 64-bit integer`,
      ],
    ])('%j', (record, message) => {
      expect(inputError(() => parseOtlpLogs(logsBody([record])))).toContain(
        message,
      );
    });

    it('non-array resourceLogs', () => {
      expect(inputError(() => parseOtlpLogs({ resourceLogs: 'x' }))).toBe(
        'resourceLogs must be an array',
      );
    });
  });
});
