import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CART_NARRATIVE,
  cartStorm,
  digestDelivery,
  incidentDelivery,
} from './__testUtils__/fixtures';
import { localReceiver } from './__testUtils__/localReceiver';
import { WebhookChannel, webhookBody } from './webhook';

const SECRET = 'shared-secret';

/** Receivers of our own webhooks are anybody's servers: a real one on loopback stands in. */
const receiver = localReceiver();
const { requests } = receiver;
const webhooksTo = (allowPrivateTargets: boolean) =>
  new WebhookChannel({
    webhooks: {
      'incident-bot': { url: receiver.url('/aiops'), secret: SECRET },
      plain: { url: receiver.url('/hook') },
    },
    allowPrivateTargets,
  });
/** Loopback is a private address: these deliveries opt in, as a config would. */
let webhooks: WebhookChannel;
beforeAll(() => {
  webhooks = webhooksTo(true);
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
  it('carries the template narrative in the incident it posts', async () => {
    await webhooks.send(
      incidentDelivery(
        'webhook',
        'plain',
        cartStorm({ narrative: CART_NARRATIVE }),
      ),
    );
    expect(JSON.parse(requests[0].body).incident.narrative).toEqual(
      CART_NARRATIVE,
    );
  });

  it('posts the body signed over its exact bytes, with delivery and event headers', async () => {
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
    expect(request.url).toBe('/aiops');
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
    receiver.answer(response => response.writeHead(200).end('thanks'));
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

  it('fails on a 400 without storing the answer, retries a 500 and a 429', async () => {
    const send = () => webhooks.send(incidentDelivery('webhook', 'plain'));

    receiver.answer(response =>
      response.writeHead(400).end('{"error":"unknown field","echo":"…"}'),
    );
    await expect(send()).resolves.toEqual({
      outcome: 'failed',
      error: 'HTTP 400',
    });

    receiver.answer(response => response.writeHead(500).end('down'));
    await expect(send()).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 500',
    });

    receiver.answer(response =>
      response.writeHead(429, { 'Retry-After': '30' }).end(),
    );
    await expect(send()).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('does not follow a redirect: the delivery fails naming the status, nothing goes to the Location', async () => {
    receiver.answer((response, request) =>
      request.url === '/hook'
        ? response
            .writeHead(307, { location: receiver.url('/elsewhere') })
            .end()
        : response.writeHead(204).end(),
    );

    await expect(
      webhooks.send(incidentDelivery('webhook', 'plain')),
    ).resolves.toEqual({
      outcome: 'failed',
      error: 'HTTP 307: redirects are not followed',
    });
    expect(requests.map(request => request.url)).toEqual(['/hook']);
  });

  it('refuses a loopback webhook unless aiops.routing.allowPrivateTargets is set', async () => {
    await expect(
      webhooksTo(false).send(incidentDelivery('webhook', 'plain')),
    ).resolves.toEqual({
      outcome: 'failed',
      error:
        '127.0.0.1 is a private address; set aiops.routing.allowPrivateTargets to send there',
    });
    expect(requests).toEqual([]);
  });
});
