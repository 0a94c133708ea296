import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpResponse } from 'msw';
import {
  cartStorm,
  digestDelivery,
  incidentDelivery,
  interceptHttp,
} from './__testUtils__/fixtures';
import { WebhookChannel, webhookBody } from './webhook';

const SIGNED_URL = 'https://receiver.example.com/aiops';
const PLAIN_URL = 'https://plain.example.com/hook';
const SECRET = 'shared-secret';

const { requests, answerPost } = interceptHttp();
const webhooks = new WebhookChannel({
  webhooks: {
    'incident-bot': { url: SIGNED_URL, secret: SECRET },
    plain: { url: PLAIN_URL },
  },
});

/** What a receiver does with the raw body before it trusts anything in it. */
function verifies(rawBody: string, header: string | undefined): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', SECRET).update(rawBody).digest('hex')}`,
  );
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhookBody', () => {
  it('wraps an incident change with its delivery id, event type and send time', () => {
    const message = cartStorm({ change: 'severity-raised' });

    expect(
      webhookBody(
        incidentDelivery('webhook', 'incident-bot', message),
        '2026-01-01T10:05:01.000Z',
      ),
    ).toEqual({
      version: 1,
      id: 'delivery-1',
      type: 'incident.severity-raised',
      sentAt: '2026-01-01T10:05:01.000Z',
      incident: message,
    });
  });

  it('wraps a digest', () => {
    const delivery = digestDelivery('webhook', 'incident-bot', [cartStorm()]);

    expect(webhookBody(delivery, '2026-01-01T10:15:00.000Z')).toEqual({
      version: 1,
      id: 'delivery-2',
      type: 'digest',
      sentAt: '2026-01-01T10:15:00.000Z',
      digest: {
        group: 'group:default/checkout-team',
        from: '2026-01-01T10:00:00.000Z',
        to: '2026-01-01T10:15:00.000Z',
        messages: [cartStorm()],
      },
    });
  });
});

describe('WebhookChannel', () => {
  it('posts the body signed over its exact bytes, with delivery and event headers', async () => {
    answerPost(SIGNED_URL, () => new HttpResponse(null, { status: 204 }));
    // Non-ASCII text: the signature covers the UTF-8 bytes, not the characters.
    const delivery = incidentDelivery(
      'webhook',
      'incident-bot',
      cartStorm({ title: 'Störung im Warenkorb ✓' }),
    );
    const before = Date.now();

    await expect(webhooks.send(delivery)).resolves.toEqual({
      outcome: 'delivered',
    });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(SIGNED_URL);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-aiops-delivery': 'delivery-1',
      'x-aiops-event': 'incident.opened',
      'x-aiops-signature-256': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(
      verifies(request.body, request.headers['x-aiops-signature-256']),
    ).toBe(true);
    expect(
      verifies(
        request.body.replace('Warenkorb', 'Warenkörb'),
        request.headers['x-aiops-signature-256'],
      ),
    ).toBe(false);

    const body = JSON.parse(request.body);
    expect(body).toEqual(webhookBody(delivery, body.sentAt));
    expect(Date.parse(body.sentAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(body.sentAt)).toBeLessThanOrEqual(Date.now());
  });

  it('sends a webhook without a secret unsigned', async () => {
    answerPost(PLAIN_URL, () => HttpResponse.text('thanks'));
    const delivery = digestDelivery('webhook', 'plain', [cartStorm()]);

    await expect(webhooks.send(delivery)).resolves.toEqual({
      outcome: 'delivered',
    });
    expect(requests[0].headers).toMatchObject({
      'x-aiops-delivery': 'delivery-2',
      'x-aiops-event': 'digest',
    });
    expect(requests[0].headers['x-aiops-signature-256']).toBeUndefined();
    const body = JSON.parse(requests[0].body);
    expect(body).toEqual(webhookBody(delivery, body.sentAt));
  });

  it.each(['unknown', 'constructor'])(
    'fails a delivery to the unconfigured webhook %s without sending',
    async name => {
      await expect(
        webhooks.send(incidentDelivery('webhook', name)),
      ).resolves.toEqual({
        outcome: 'failed',
        error: `No webhook named ${name} is configured`,
      });
      expect(requests).toEqual([]);
    },
  );

  it('fails on a 400 and retries a 500, a 429 and a network error', async () => {
    const send = () => webhooks.send(incidentDelivery('webhook', 'plain'));

    answerPost(PLAIN_URL, () =>
      HttpResponse.json({ error: 'unknown field' }, { status: 400 }),
    );
    await expect(send()).resolves.toEqual({
      outcome: 'failed',
      error: 'HTTP 400: {"error":"unknown field"}',
    });

    answerPost(PLAIN_URL, () => new HttpResponse('down', { status: 500 }));
    await expect(send()).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 500: down',
    });

    answerPost(
      PLAIN_URL,
      () =>
        new HttpResponse(null, {
          status: 429,
          headers: { 'Retry-After': '30' },
        }),
    );
    await expect(send()).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 30_000,
    });

    answerPost(PLAIN_URL, () => HttpResponse.error());
    await expect(send()).resolves.toEqual({
      outcome: 'retry',
      error: expect.stringMatching(/^network error/),
    });
  });
});
