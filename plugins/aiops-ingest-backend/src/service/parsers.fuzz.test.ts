/* eslint-disable jest/expect-expect -- fc.assert throws, with the counterexample, when a case fails */
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readQuery } from '@aiops/plugin-aiops-node';
import {
  bodiesLike,
  expectValueOrClientError,
  fixture,
  fuzzRuns,
  fuzzTimeoutMs,
  hostileValue,
} from '../__testUtils__/fuzz';
import { parseAlertmanagerWebhook } from './alerts/alertmanager';
import { parseGenericAlerts } from './alerts/generic';
import {
  parseArgoCdNotification,
  parseCdEvent,
  parseGenericDeployments,
  parseGitHubDeploymentEvent,
  parsePagerDutyChangeEvent,
} from './deployments';
import { TelemetryReceivers } from './TelemetryReceivers';

/**
 * Every receiver's parser, fed random JSON and mutations of the payloads its senders really
 * send: it returns a value or throws an error that answers 4xx, never anything else, and never
 * takes long. The receivers' HTTP properties are in receivers.fuzz.test.ts.
 */

const RUNS = fuzzRuns(300);
jest.setTimeout(fuzzTimeoutMs(RUNS, 5));

const options = {
  maxAlerts: 50,
  maxItems: 50,
  now: new Date('2026-11-25T08:10:00Z'),
};

/** The fixtures of one sender, by file name prefix. */
function fixtures(dir: string, prefix = ''): unknown[] {
  const names = readdirSync(resolve(__dirname, '../../fixtures', dir)).filter(
    name => name.endsWith('.json') && name.startsWith(prefix),
  );
  if (names.length === 0) throw new Error(`no fixtures ${dir}/${prefix}*`);
  return names.map(name => fixture(`${dir}/${name}`));
}

const parsers: Array<
  [string, unknown[], fc.Arbitrary<(body: unknown) => unknown>]
> = [
  [
    'Alertmanager',
    fixtures('alerts', 'alertmanager-'),
    fc.constant(body =>
      parseAlertmanagerWebhook(body, 'alertmanager', options),
    ),
  ],
  [
    'Grafana',
    fixtures('alerts', 'grafana-'),
    fc.constant(body => parseAlertmanagerWebhook(body, 'grafana', options)),
  ],
  [
    'generic alerts',
    fixtures('alerts', 'generic-'),
    fc.constant(body => parseGenericAlerts(body, options)),
  ],
  [
    'generic deployments',
    fixtures('deployments/generic'),
    fc.constant(body => parseGenericDeployments(body, options)),
  ],
  [
    'PagerDuty change events',
    fixtures('deployments/pagerduty'),
    fc.constant(body => parsePagerDutyChangeEvent(body, options)),
  ],
  [
    'CDEvents',
    fixtures('deployments/cdevents'),
    // Binary, structured and batched mode, and content types a sender might get wrong.
    fc
      .constantFrom(
        undefined,
        'application/json',
        'application/cloudevents+json; charset=utf-8',
        'application/cloudevents-batch+json',
        ';',
        'APPLICATION/CLOUDEVENTS+JSON',
      )
      .map(
        contentType => body =>
          parseCdEvent(body, { 'content-type': contentType }),
      ),
  ],
  [
    'GitHub',
    fixtures('deployments/github'),
    fc
      .constantFrom('deployment', 'deployment_status', 'ping', 'push', '')
      .map(event => body => parseGitHubDeploymentEvent(event, body)),
  ],
  [
    'Argo CD',
    fixtures('deployments/argocd', 'notification.'),
    fc.constant(body => parseArgoCdNotification(body)),
  ],
];

// The OTLP parsers keep state between requests (cumulative sums, recent client spans): one
// instance per property, so later cases run against what earlier ones left behind.
const telemetry: Array<
  [string, unknown[], (receivers: TelemetryReceivers, body: unknown) => unknown]
> = [
  ['OTLP metrics', fixtures('otlp', 'metrics-'), (r, body) => r.metrics(body)],
  ['OTLP logs', fixtures('otlp', 'logs'), (r, body) => r.logs(body)],
  ['OTLP traces', fixtures('otlp', 'traces'), (r, body) => r.traces(body)],
];

describe('parsers return a value or a 4xx error for any body', () => {
  it.each(parsers)('%s', (_name, documents, parser) => {
    fc.assert(
      fc.property(bodiesLike(documents), parser, (body, parse) => {
        expectValueOrClientError(() => parse(body));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(telemetry)('%s', (_name, documents, parse) => {
    const receivers = new TelemetryReceivers();
    fc.assert(
      fc.property(bodiesLike(documents), body => {
        expectValueOrClientError(() => parse(receivers, body));
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * Query strings as express' `qs` parser delivers them: a string, repeated parameters as an
 * array, `a[b]=c` as an object. The OpenAPI validator may coerce declared types to numbers
 * and booleans first.
 */
const queryValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    '0',
    '1000',
    '1001',
    '-1',
    '1e3',
    '60',
    '61',
    '86400',
    'true',
    'unowned:cartservice',
    'component:default/cart',
    'cart',
    ':',
    'a:b:c/d/e',
    '2026-11-25T08:00:00Z',
    '0001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '999999999999999',
    '9999999999999999',
    'firing',
    'open,acknowledged',
  ),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 8 }), {
    maxKeys: 2,
  }),
  hostileValue,
);
const PARAMETERS = [
  'entityRef',
  'from',
  'to',
  'step',
  'limit',
  'cursor',
  'after',
  'status',
  'unowned',
  'environment',
  'metric',
];
const query: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(fc.constantFrom(...PARAMETERS), fc.string({ maxLength: 6 })),
  queryValue,
  { maxKeys: 6 },
);

describe('query-string readers return a value or a 400 for any query', () => {
  it('readQuery', () => {
    fc.assert(
      fc.property(
        query,
        fc.integer({ min: 1, max: 1_000_000 }),
        (raw, maxPoints) => {
          const q = readQuery(raw);
          const now = new Date('2026-11-25T08:10:00Z');
          const reads: Array<() => unknown> = [
            () => q.string('environment'),
            () => q.timestamp('from'),
            () => q.required('metric'),
            () => q.limit(),
            () => q.cursor('cursor'),
            () => q.cursor('after'),
            () => q.boolean('unowned'),
            () => q.oneOf('status', ['firing', 'resolved']),
            () => q.list('status', ['open', 'acknowledged', 'resolved']),
            () => q.entityRef(),
            () =>
              q.entityRef({
                required: true,
                defaultKind: 'group',
                name: 'status',
              }),
            () => q.range({ now, maxPoints }),
            () =>
              q.range({ now, maxPoints: Infinity, defaultSpanMs: 86_400_000 }),
          ];
          for (const read of reads) expectValueOrClientError(read);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('readQuery ranges are ordered and bounded', () => {
    fc.assert(
      fc.property(query, raw => {
        let range: { from: number; to: number; stepMs: number };
        try {
          range = readQuery(raw).range({
            now: new Date('2026-11-25T08:10:00Z'),
            maxPoints: 10_000,
          });
        } catch {
          return;
        }
        expect(Number.isFinite(range.from) && Number.isFinite(range.to)).toBe(
          true,
        );
        expect(range.from).toBeLessThan(range.to);
        expect((range.to - range.from) / range.stepMs).toBeLessThanOrEqual(
          10_000,
        );
      }),
      { numRuns: RUNS },
    );
  });
});
