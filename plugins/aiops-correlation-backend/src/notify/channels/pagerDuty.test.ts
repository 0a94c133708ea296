import { HttpResponse } from 'msw';
import type { ChangeKind } from '../../service/routing/types';
import {
  APP,
  CART_NARRATIVE,
  cartStorm,
  digestDelivery,
  incidentDelivery,
  interceptHttp,
} from './__testUtils__/fixtures';
import { PagerDutyChannel, pagerDutyEvent } from './pagerDuty';

const EVENTS_URL = 'https://events.pagerduty.test/v2/enqueue';
const ROUTING_KEY = 'a'.repeat(32);

const { requests, answerPost } = interceptHttp();
const pagerDuty = new PagerDutyChannel({ eventsUrl: EVENTS_URL });

const accepted = () =>
  HttpResponse.json(
    { status: 'success', message: 'Event processed', dedup_key: 'inc-42' },
    { status: 202 },
  );

describe('pagerDutyEvent', () => {
  it('triggers an alert keyed by the incident, with what the responder needs', () => {
    expect(pagerDutyEvent(cartStorm(), ROUTING_KEY)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'inc-42',
      payload: {
        summary: 'Checkout errors on cart (Cart)',
        source: 'component:default/cart',
        severity: 'critical',
        timestamp: '2026-01-01T10:05:00.000Z',
        component: 'resource:default/redis-cart',
        group: 'system:default/shop',
        class: 'topology-root-cause@1',
        custom_details: {
          owner: 'group:default/checkout-team',
          root_cause: {
            entityRef: 'resource:default/redis-cart',
            score: 0.82,
            reasons: ['first to alert', 'cart depends on it'],
          },
          findings: cartStorm().findings,
          alert_count: 7,
          incident_url: `${APP}/aiops/incidents/inc-42`,
          change: 'opened',
        },
      },
      links: [
        {
          href: `${APP}/aiops/incidents/inc-42`,
          text: 'Incident in Backstage',
        },
        {
          href: `${APP}/catalog/default/component/cart`,
          text: 'Service in the catalog',
        },
        { href: 'https://runbooks.example.com/cart', text: 'Runbook' },
      ],
      client: 'Backstage AIOps',
      client_url: `${APP}/aiops/incidents/inc-42`,
    });
  });

  it('names the source aiops and leaves out what an incident without service lacks', () => {
    const event = pagerDutyEvent(
      cartStorm({
        title: 'x'.repeat(2000),
        service: undefined,
        system: undefined,
        rootCause: undefined,
        findings: [],
        links: { incident: `${APP}/aiops/incidents/inc-42` },
      }),
      ROUTING_KEY,
    );

    if (event.event_action !== 'trigger') throw new Error('not a trigger');
    expect(event.payload.source).toBe('aiops');
    expect(event.payload.summary).toHaveLength(1024);
    expect(event.links).toEqual([
      { href: `${APP}/aiops/incidents/inc-42`, text: 'Incident in Backstage' },
    ]);
    const body = JSON.parse(JSON.stringify(event.payload));
    expect(Object.keys(body)).toEqual([
      'summary',
      'source',
      'severity',
      'timestamp',
      'custom_details',
    ]);
  });

  it.each<[ChangeKind, string]>([
    ['opened', 'trigger'],
    ['reopened', 'trigger'],
    ['severity-raised', 'trigger'],
    ['escalated', 'trigger'],
    ['acknowledged', 'acknowledge'],
    ['resolved', 'resolve'],
    ['merged', 'resolve'],
  ])('answers %s with %s', (change, action) => {
    expect(
      pagerDutyEvent(cartStorm({ change }), ROUTING_KEY).event_action,
    ).toBe(action);
  });

  it.each<ChangeKind>(['acknowledged', 'resolved', 'merged'])(
    'sends only the key and the action for %s',
    change => {
      expect(pagerDutyEvent(cartStorm({ change }), ROUTING_KEY)).toEqual({
        routing_key: ROUTING_KEY,
        event_action: change === 'acknowledged' ? 'acknowledge' : 'resolve',
        dedup_key: 'inc-42',
      });
    },
  );
});

describe('PagerDutyChannel', () => {
  it('carries the template narrative in custom_details, the summary field untouched', async () => {
    answerPost(EVENTS_URL, accepted);

    await pagerDuty.send(
      incidentDelivery(
        'pagerduty',
        ROUTING_KEY,
        cartStorm({ narrative: CART_NARRATIVE }),
      ),
    );
    const { payload } = JSON.parse(requests[0].body);
    expect(payload.custom_details.narrative).toEqual(CART_NARRATIVE);
    expect(payload.summary).toBe('Checkout errors on cart (Cart)');
  });

  it('enqueues the event with the target as routing key', async () => {
    answerPost(EVENTS_URL, accepted);

    await expect(
      pagerDuty.send(incidentDelivery('pagerduty', ROUTING_KEY)),
    ).resolves.toEqual({ outcome: 'delivered' });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: EVENTS_URL,
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(requests[0].body)).toEqual(
      pagerDutyEvent(cartStorm(), ROUTING_KEY),
    );
  });

  it('sends a resolve as the bare event', async () => {
    answerPost(EVENTS_URL, accepted);

    await pagerDuty.send(
      incidentDelivery(
        'pagerduty',
        ROUTING_KEY,
        cartStorm({ change: 'resolved' }),
      ),
    );
    expect(JSON.parse(requests[0].body)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'inc-42',
    });
  });

  it('fails an event PagerDuty calls invalid, quoting its answer', async () => {
    const invalid = {
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: [
        "Length of 'routing_key' is incorrect (should be 32 characters)",
      ],
    };
    answerPost(EVENTS_URL, () => HttpResponse.json(invalid, { status: 400 }));

    await expect(
      pagerDuty.send(incidentDelivery('pagerduty', 'short')),
    ).resolves.toEqual({
      outcome: 'failed',
      error: `HTTP 400: ${JSON.stringify(invalid)}`,
    });
  });

  it('retries when throttled, after the Retry-After PagerDuty asks for', async () => {
    answerPost(
      EVENTS_URL,
      () =>
        new HttpResponse(null, {
          status: 429,
          headers: { 'Retry-After': '30' },
        }),
    );

    await expect(
      pagerDuty.send(incidentDelivery('pagerduty', ROUTING_KEY)),
    ).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('retries a throttle whose Retry-After is an HTTP date', async () => {
    const in2Minutes = new Date(Date.now() + 120_000).toUTCString();
    answerPost(
      EVENTS_URL,
      () =>
        new HttpResponse(null, {
          status: 429,
          headers: { 'Retry-After': in2Minutes },
        }),
    );

    const result = await pagerDuty.send(
      incidentDelivery('pagerduty', ROUTING_KEY),
    );

    expect(result).toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: expect.any(Number),
    });
    // An HTTP date has whole seconds, and a little time passes before it is read.
    const waitMs = result.outcome === 'retry' ? result.retryAfterMs : 0;
    expect(waitMs).toBeGreaterThan(115_000);
    expect(waitMs).toBeLessThanOrEqual(120_000);
  });

  it('retries a server error and a network error', async () => {
    answerPost(EVENTS_URL, () => new HttpResponse(null, { status: 500 }));
    await expect(
      pagerDuty.send(incidentDelivery('pagerduty', ROUTING_KEY)),
    ).resolves.toEqual({ outcome: 'retry', error: 'HTTP 500' });

    answerPost(EVENTS_URL, () => HttpResponse.error());
    await expect(
      pagerDuty.send(incidentDelivery('pagerduty', ROUTING_KEY)),
    ).resolves.toEqual({
      outcome: 'retry',
      error: expect.stringMatching(/^network error/),
    });
  });

  it('fails a digest without sending it', async () => {
    await expect(
      pagerDuty.send(digestDelivery('pagerduty', ROUTING_KEY, [cartStorm()])),
    ).resolves.toEqual({
      outcome: 'failed',
      error: 'PagerDuty pages are never rate-limited into digests',
    });
    expect(requests).toEqual([]);
  });
});
