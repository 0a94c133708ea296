import {
  isPagerDutyChangeEvent,
  parsePagerDutyChangeEvent,
} from './pagerdutyChange';
import { fixtureJson, inputErrorMessage } from './__testUtils__/fixtures';

const now = new Date('2026-11-25T08:10:00.000Z');
const parse = (body: unknown) => parsePagerDutyChangeEvent(body, { now });

describe('parsePagerDutyChangeEvent', () => {
  it("reads PagerDuty's documented example as a finished change told by its summary", () => {
    const [change] = parse(fixtureJson('pagerduty/change-event.docs.json'));
    expect(change).toEqual({
      source: 'pagerduty-change',
      externalId: expect.stringMatching(/^pagerduty-change:[0-9a-f]{64}$/),
      labels: {
        instance: 'acme-build-pipeline-tool-default-i-9999',
        service: 'acme-build-pipeline-tool-default-i-9999',
      },
      environment: 'production',
      version: '2',
      status: 'succeeded',
      startedAt: '2020-07-17T08:42:58.315Z',
      finishedAt: '2020-07-17T08:42:58.315Z',
      url: 'https://acme.pagerduty.dev/build/2',
      commit: undefined,
      actor: undefined,
      summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
    });
  });

  it("reads the PagerDuty GitHub Action's merged pull request, taking its first link", () => {
    const [change] = parse(
      fixtureJson('pagerduty/change-event.github-action-pr-merged.json'),
    );
    expect(change).toMatchObject({
      labels: { instance: 'GitHub', service: 'GitHub' },
      version: '[PR Merged - owner/repo] Ship feature',
      summary: '[PR Merged - owner/repo] Ship feature',
      startedAt: '2026-03-24T12:34:56.000Z',
      url: 'https://github.com/owner/repo/pull/1',
    });
  });

  it("reads Ansible's pagerduty_change module: revision, user and environment, microsecond time", () => {
    const [change] = parse(fixtureJson('pagerduty/change-event.ansible.json'));
    expect(change).toMatchObject({
      version: '4.2',
      commit: undefined,
      actor: 'ansible',
      environment: 'production',
      startedAt: '2026-11-25T07:58:12.483Z',
      summary: 'The application was deployed',
    });
  });

  it('keys by labels, then service-like custom_details, then the source', () => {
    const event = fixtureJson('pagerduty/change-event.docs.json');
    event.payload.custom_details.component = 'cartservice';
    expect(parse(event)[0].labels).toEqual({
      instance: 'acme-build-pipeline-tool-default-i-9999',
      service: 'cartservice',
    });
    event.payload.custom_details.service = 'checkoutservice';
    event.payload.custom_details['backstage.io/entity-ref'] =
      'component:default/cart';
    expect(parse(event)[0].labels).toMatchObject({
      service: 'checkoutservice',
      'backstage.io/entity-ref': 'component:default/cart',
    });
    expect(
      parse({ ...event, labels: { service: 'payment-gateway' } })[0].labels
        .service,
    ).toBe('payment-gateway');
    delete event.payload.source;
    event.payload.custom_details = {};
    expect(parse(event)[0].labels).toEqual({});
  });

  it('takes a Git SHA revision as the commit, and a commit detail before it', () => {
    const sha = '9d2f1c7be0a4e5d36f18b2c4a7e9013d5b6c8f21';
    const event = fixtureJson('pagerduty/change-event.ansible.json');
    event.payload.custom_details.revision = sha;
    expect(parse(event)[0]).toMatchObject({ version: sha, commit: sha });
    event.payload.custom_details.commit = 'abc1234';
    expect(parse(event)[0].commit).toBe('abc1234');
  });

  it('gives a redelivery the same id, and a different summary, time, source or key another', () => {
    const event = fixtureJson('pagerduty/change-event.docs.json');
    const id = (body: any) => parse(body)[0].externalId;
    const sameInstant = {
      ...event,
      payload: { ...event.payload, timestamp: '2020-07-17T08:42:58.315Z' },
    };
    expect(id(sameInstant)).toBe(id(event));
    const variants = [
      { ...event, routing_key: 'otherkey' },
      { ...event, payload: { ...event.payload, summary: 'Build Failed' } },
      { ...event, payload: { ...event.payload, source: 'other-pipeline' } },
      {
        ...event,
        payload: { ...event.payload, timestamp: '2020-07-17T08:43:00Z' },
      },
    ];
    expect(new Set([id(event), ...variants.map(id)]).size).toBe(5);
  });

  it('stamps an event without a timestamp with the time it was received', () => {
    const [change] = parse({ payload: { summary: 'Secret rotated' } });
    expect(change).toMatchObject({
      startedAt: now.toISOString(),
      version: 'Secret rotated',
      url: undefined,
    });
  });

  it('cuts a long summary to the version column without splitting a surrogate pair', () => {
    const summary = `${'a'.repeat(253)}😀${'b'.repeat(100)}`;
    const [change] = parse({ payload: { summary } });
    expect(change.version).toBe(`${'a'.repeat(253)}…`);
    expect(change.summary).toBe(summary);
  });

  it('keeps only a web link as the URL', () => {
    const [change] = parse({
      payload: { summary: 'x' },
      links: [
        { href: 'ftp://ci.example.com/7' },
        { href: 'https://ci.example.com/7' },
      ],
    });
    expect(change.url).toBe('https://ci.example.com/7');
  });

  it.each([
    ['payload must be an object', { routing_key: 'k' }],
    ['payload.summary is required', { payload: {} }],
    [
      'payload.summary must be a non-empty string',
      { payload: { summary: ' ' } },
    ],
    [
      'payload.summary is longer than 1024 characters',
      { payload: { summary: 'x'.repeat(1025) } },
    ],
    [
      'payload.timestamp must be an RFC 3339 timestamp',
      { payload: { summary: 'x', timestamp: 'now' } },
    ],
    [
      'payload.source must be a string',
      { payload: { summary: 'x', source: 7 } },
    ],
    [
      'payload.custom_details must be an object',
      { payload: { summary: 'x', custom_details: 'y' } },
    ],
    ['links must be an array', { payload: { summary: 'x' }, links: {} }],
    [
      'links[0].href is required',
      { payload: { summary: 'x' }, links: [{ text: 'CI' }] },
    ],
    [
      'routing_key must be a string',
      { payload: { summary: 'x' }, routing_key: 5 },
    ],
    [
      'payload.custom_details.revision is longer than 255 characters',
      {
        payload: {
          summary: 'x',
          custom_details: { revision: 'r'.repeat(256) },
        },
      },
    ],
    [
      'this is a PagerDuty alert event, not a change event; send it to POST /api/aiops-ingest/alerts',
      { event_action: 'trigger', payload: { summary: 'x' } },
    ],
    ['body must be an object', []],
  ])('answers %s', (message, body) => {
    expect(inputErrorMessage(() => parse(body))).toContain(message);
  });
});

describe('isPagerDutyChangeEvent', () => {
  it.each([
    [
      'a documented change event',
      fixtureJson('pagerduty/change-event.docs.json'),
      true,
    ],
    [
      'a change event with only a routing key',
      { routing_key: 'k', payload: { summary: 'x' } },
      true,
    ],
    [
      'a change event with only links',
      { payload: { summary: 'x' }, links: [] },
      true,
    ],
    [
      'a PagerDuty trigger',
      { routing_key: 'k', event_action: 'trigger', payload: { summary: 'x' } },
      false,
    ],
    [
      'a generic alert without event_action',
      { payload: { summary: 'x', timestamp: '2026-11-25T08:00:00Z' } },
      false,
    ],
    [
      'a generic alert with labels',
      { payload: { summary: 'x' }, labels: { service: 'cart' } },
      false,
    ],
  ])('%s: %s', (_, event, expected) => {
    expect(isPagerDutyChangeEvent(event)).toBe(expected);
  });
});
