import { http } from 'msw';
import { setupServer } from 'msw/node';
import type {
  ChannelKind,
  IncidentMessage,
} from '../../../service/routing/types';
import type { OutgoingDelivery } from '../types';

export const APP = 'https://backstage.example.com';

/** A cache storm on the cart service, owned by the checkout team, with redis-cart as the suspect. */
export function cartStorm(
  overrides: Partial<IncidentMessage> = {},
): IncidentMessage {
  return {
    incidentId: 'inc-42',
    change: 'opened',
    changeAt: '2026-01-01T10:05:00.000Z',
    title: 'Checkout errors on cart',
    severity: 'critical',
    status: 'open',
    headline: 'Opened: [CRITICAL] Checkout errors on cart (checkout-team)',
    service: { entityRef: 'component:default/cart', title: 'Cart' },
    owner: 'group:default/checkout-team',
    system: 'system:default/shop',
    rootCause: {
      entityRef: 'resource:default/redis-cart',
      score: 0.82,
      reasons: ['first to alert', 'cart depends on it'],
    },
    findings: [
      {
        rule: 'topology-root-cause@1',
        summary: 'redis-cart alerted 2 min before its 3 dependents',
        confidence: 0.82,
      },
      {
        rule: 'deploy-linked@1',
        summary: 'cart was deployed 4 min before the first alert',
        confidence: 0.6,
      },
    ],
    alertCount: 7,
    links: {
      incident: `${APP}/aiops/incidents/inc-42`,
      service: `${APP}/catalog/default/component/cart`,
      runbook: 'https://runbooks.example.com/cart',
    },
    ...overrides,
  };
}

/** The template narrative routing writes for the cart storm. */
export const CART_NARRATIVE: NonNullable<IncidentMessage['narrative']> = {
  generatedBy: 'template',
  summary:
    'Critical incident: 7 alerts since 2026-01-01 10:03 UTC. Redis (cart) is the most likely cause; cart is affected; owned by Checkout and Platform.',
  probableCause:
    'Redis (cart) is the most likely cause (score 0.82): first to alert; cart depends on it.',
  impact:
    '2 entities are affected in Shop: cart and Redis (cart). Checkout owns cart; Platform owns Redis (cart).',
};

export function incidentDelivery(
  channel: ChannelKind,
  target: string,
  message: IncidentMessage = cartStorm(),
): OutgoingDelivery {
  return {
    id: 'delivery-1',
    channel,
    target,
    content: { type: 'incident', message },
    attempt: 1,
  };
}

/** Changes of the checkout team held back from 10:00 to 10:15. */
export function digestDelivery(
  channel: ChannelKind,
  target: string,
  messages: IncidentMessage[],
): OutgoingDelivery {
  return {
    id: 'delivery-2',
    channel,
    target,
    content: {
      type: 'digest',
      digest: {
        group: 'group:default/checkout-team',
        from: '2026-01-01T10:00:00.000Z',
        to: '2026-01-01T10:15:00.000Z',
        messages,
      },
    },
    attempt: 1,
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The raw body as sent, for signatures; `JSON.parse` it for the payload. */
  body: string;
}

/**
 * An msw server for one test file that fails on any request without a handler. `answerPost`
 * answers POSTs to a URL and keeps each request, read in full before the answer goes out.
 */
export function interceptHttp() {
  const server = setupServer();
  const requests: RecordedRequest[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => server.close());

  const answerPost = (url: string, answer: () => Response) =>
    server.use(
      http.post(url, async ({ request }) => {
        requests.push({
          method: request.method,
          url: request.url,
          headers: Object.fromEntries(request.headers),
          body: await request.text(),
        });
        return answer();
      }),
    );
  return { requests, answerPost };
}
