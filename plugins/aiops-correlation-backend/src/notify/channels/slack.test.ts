import { HttpResponse } from 'msw';
import {
  APP,
  CART_NARRATIVE,
  cartStorm,
  digestDelivery,
  incidentDelivery,
  interceptHttp,
} from './__testUtils__/fixtures';
import { SlackChannel, slackMessage } from './slack';

const API = 'https://slack.test/api';
const POST_MESSAGE = `${API}/chat.postMessage`;
const WEBHOOK = 'https://hooks.slack.test/services/T0/B0/secret';

const { requests, answerPost } = interceptHttp();
const slack = new SlackChannel({
  botToken: 'xoxb-token',
  webhookUrl: WEBHOOK,
  apiBaseUrl: API,
});

const slackAnswers = (body: object, init?: ResponseInit) =>
  answerPost(POST_MESSAGE, () => HttpResponse.json(body, init));

describe('slackMessage', () => {
  it('shows the template summary and probable cause right under the facts, escaped', () => {
    const { blocks } = slackMessage(
      incidentDelivery(
        'slack',
        '#checkout-oncall',
        cartStorm({
          narrative: {
            ...CART_NARRATIVE,
            probableCause: `${CART_NARRATIVE.probableCause} <!channel>`,
          },
        }),
      ).content,
    );
    expect(blocks[2]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          `*Summary* (template)\n${CART_NARRATIVE.summary}\n` +
          `*Probable cause*\n${CART_NARRATIVE.probableCause} &lt;!channel&gt;`,
        verbatim: true,
      },
    });
  });

  it('shows no summary section for a message without a narrative', () => {
    const { blocks } = slackMessage(
      incidentDelivery('slack', '#checkout-oncall').content,
    );
    expect(JSON.stringify(blocks)).not.toContain('*Summary*');
  });

  it('shows the headline, the facts, the findings, the suspect and the links', () => {
    const headline =
      'Opened: [CRITICAL] Checkout errors on cart (checkout-team)';
    expect(slackMessage({ type: 'incident', message: cartStorm() })).toEqual({
      text: headline,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: headline } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Severity*\nCRITICAL', verbatim: true },
            {
              type: 'mrkdwn',
              text: `*Service*\n<${APP}/catalog/default/component/cart|Cart>`,
              verbatim: true,
            },
            { type: 'mrkdwn', text: '*Owner*\ncheckout-team', verbatim: true },
            { type: 'mrkdwn', text: '*Status*\nopen', verbatim: true },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '*Top findings*',
              '• redis-cart alerted 2 min before its 3 dependents (`topology-root-cause@1`, 82%)',
              '• cart was deployed 4 min before the first alert (`deploy-linked@1`, 60%)',
            ].join('\n'),
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Root-cause candidate:* redis-cart (score 0.82) — first to alert; cart depends on it',
            verbatim: true,
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `<${APP}/aiops/incidents/inc-42|Incident> · <${APP}/catalog/default/component/cart|Service> · <https://runbooks.example.com/cart|Runbook>`,
              verbatim: true,
            },
          ],
        },
      ],
    });
  });

  it('leaves out what an incident without service, owner, findings or suspect lacks', () => {
    const { blocks } = slackMessage({
      type: 'incident',
      message: cartStorm({
        service: undefined,
        owner: undefined,
        rootCause: undefined,
        findings: [],
        links: { incident: `${APP}/aiops/incidents/inc-42` },
      }),
    });

    expect(blocks.map(block => block.type)).toEqual([
      'header',
      'section',
      'context',
    ]);
    expect(blocks[1]).toMatchObject({
      fields: [
        { text: '*Severity*\nCRITICAL' },
        { text: '*Service*\nnone' },
        { text: '*Owner*\nno owner' },
        { text: '*Status*\nopen' },
      ],
    });
    expect(blocks[2]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `<${APP}/aiops/incidents/inc-42|Incident>`,
          verbatim: true,
        },
      ],
    });
  });

  it('escapes alert text, so it can neither mention a channel nor disguise a link', () => {
    const hostile = '<!channel> <http://evil.example|click> & win';
    const escaped =
      '&lt;!channel&gt; &lt;http://evil.example|click&gt; &amp; win';
    const message = slackMessage({
      type: 'incident',
      message: cartStorm({
        title: hostile,
        headline: `Opened: [CRITICAL] ${hostile} (checkout-team)`,
        status: '<!here>',
        service: { entityRef: 'component:default/cart', title: hostile },
        findings: [{ rule: '<@U123>', summary: hostile, confidence: 0.5 }],
        rootCause: {
          entityRef: 'resource:default/redis-cart',
          score: 0.5,
          reasons: [hostile],
        },
        links: {
          incident: `${APP}/aiops/incidents/inc-42`,
          runbook: 'https://runbooks.example.com/a|<!channel>&b',
        },
      }),
    });

    expect(message.text).toBe(`Opened: [CRITICAL] ${escaped} (checkout-team)`);
    expect(message.blocks).toEqual([
      {
        type: 'header',
        text: {
          type: 'plain_text',
          // Plain text shows as written; it is never parsed as markup.
          text: `Opened: [CRITICAL] ${hostile} (checkout-team)`,
        },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Severity*\nCRITICAL', verbatim: true },
          { type: 'mrkdwn', text: `*Service*\n${escaped}`, verbatim: true },
          { type: 'mrkdwn', text: '*Owner*\ncheckout-team', verbatim: true },
          { type: 'mrkdwn', text: '*Status*\n&lt;!here&gt;', verbatim: true },
        ],
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Top findings*\n• ${escaped} (\`&lt;@U123&gt;\`, 50%)`,
          verbatim: true,
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Root-cause candidate:* redis-cart (score 0.50) — ${escaped}`,
          verbatim: true,
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `<${APP}/aiops/incidents/inc-42|Incident> · <https://runbooks.example.com/a%7C&lt;!channel&gt;&amp;b|Runbook>`,
            verbatim: true,
          },
        ],
      },
    ]);
  });

  it('keeps to the Block Kit limits without cutting an escape or a link in half', () => {
    const { blocks } = slackMessage({
      type: 'incident',
      message: cartStorm({
        headline: `Opened: ${'&'.repeat(200)}`,
        findings: [{ rule: 'r@1', summary: '<'.repeat(2000), confidence: 1 }],
      }),
    });

    const header = blocks[0];
    const findings = blocks[2];
    if (header.type !== 'header' || !('text' in findings)) {
      throw new Error(`unexpected blocks ${JSON.stringify(blocks)}`);
    }
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text).toMatch(/^Opened: &+…$/);
    expect(findings.text.text.length).toBeLessThanOrEqual(3000);
    expect(findings.text.text).toMatch(/^\*Top findings\*\n• (&lt;)+…$/);
  });

  it('cuts a link that does not fit before it starts, not in its middle', () => {
    const { blocks } = slackMessage({
      type: 'incident',
      message: cartStorm({
        service: {
          entityRef: 'component:default/cart',
          title: `Cart ${'x'.repeat(5000)}`,
        },
      }),
    });

    const facts = blocks[1];
    if (!('fields' in facts) || !facts.fields) {
      throw new Error(`unexpected blocks ${JSON.stringify(blocks)}`);
    }
    expect(facts.fields[1].text).toBe('*Service*\n…');
  });

  it('lists each change of a digest with its incident link', () => {
    const second = cartStorm({
      incidentId: 'inc-43',
      headline: 'Resolved: [ERROR] <b>Slow cart</b> (checkout-team)',
      links: { incident: `${APP}/aiops/incidents/inc-43` },
    });
    const { content } = digestDelivery('slack', '#checkout', [
      cartStorm(),
      second,
    ]);

    expect(slackMessage(content)).toEqual({
      text: '2 incident changes for checkout-team',
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: '2 incident changes for checkout-team',
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text:
                'Held back by the rate limit from ' +
                '<!date^1767261600^{date_short_pretty} {time}|2026-01-01T10:00:00.000Z> to ' +
                '<!date^1767262500^{date_short_pretty} {time}|2026-01-01T10:15:00.000Z>',
            },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              `• <${APP}/aiops/incidents/inc-42|Opened: [CRITICAL] Checkout errors on cart (checkout-team)>`,
              `• <${APP}/aiops/incidents/inc-43|Resolved: [ERROR] &lt;b&gt;Slow cart&lt;/b&gt; (checkout-team)>`,
            ].join('\n'),
            verbatim: true,
          },
        },
      ],
    });
  });

  it('spreads a long digest over sections within the limit, shortening headlines and counting what it leaves out', () => {
    const messages = Array.from({ length: 45 }, (_, i) =>
      cartStorm({
        incidentId: `inc-${i}`,
        headline: `Opened: [WARNING] ${'x'.repeat(i === 0 ? 500 : 120)} ${i}`,
        links: { incident: `${APP}/aiops/incidents/inc-${i}` },
      }),
    );
    const { blocks } = slackMessage(
      digestDelivery('slack', '#checkout', messages).content,
    );

    const texts = blocks.flatMap(block =>
      block.type === 'section' && 'text' in block ? [block.text.text] : [],
    );
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    const lines = texts.join('\n').split('\n');
    expect(lines).toHaveLength(41);
    expect(lines[0]).toBe(
      `• <${APP}/aiops/incidents/inc-0|Opened: [WARNING] ${'x'.repeat(131)}…>`,
    );
    expect(lines[39]).toMatch(/inc-39\|.* 39>$/);
    expect(lines[40]).toBe('…and 5 more');
  });
});

describe('SlackChannel', () => {
  describe('to a channel, through chat.postMessage', () => {
    it('posts the message with the bot token and without link previews', async () => {
      slackAnswers({ ok: true, channel: 'C1', ts: '1.2' });
      const delivery = incidentDelivery('slack', '#checkout-oncall');

      await expect(slack.send(delivery)).resolves.toEqual({
        outcome: 'delivered',
      });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        method: 'POST',
        url: POST_MESSAGE,
        headers: {
          authorization: 'Bearer xoxb-token',
          'content-type': 'application/json; charset=utf-8',
        },
      });
      expect(JSON.parse(requests[0].body)).toEqual({
        channel: '#checkout-oncall',
        ...slackMessage(delivery.content),
        unfurl_links: false,
        unfurl_media: false,
      });
    });

    it('posts to chat.postMessage under an API base URL configured with trailing slashes', async () => {
      slackAnswers({ ok: true, channel: 'C1', ts: '1.2' });
      const slashed = new SlackChannel({
        botToken: 'xoxb-token',
        apiBaseUrl: `${API}///`,
      });

      await expect(
        slashed.send(incidentDelivery('slack', '#checkout')),
      ).resolves.toEqual({ outcome: 'delivered' });
      expect(requests.map(r => r.url)).toEqual([POST_MESSAGE]);
    });

    it('fails when Slack refuses the channel, though it answers 200', async () => {
      slackAnswers({ ok: false, error: 'channel_not_found' });

      await expect(
        slack.send(incidentDelivery('slack', '#gone')),
      ).resolves.toEqual({
        outcome: 'failed',
        error: 'Slack chat.postMessage: channel_not_found',
      });
    });

    it('retries when rate limited, after the Retry-After Slack asks for', async () => {
      slackAnswers(
        { ok: false, error: 'ratelimited' },
        { status: 429, headers: { 'Retry-After': '30' } },
      );

      await expect(
        slack.send(incidentDelivery('slack', '#checkout')),
      ).resolves.toEqual({
        outcome: 'retry',
        error: 'HTTP 429: {"ok":false,"error":"ratelimited"}',
        retryAfterMs: 30_000,
      });
    });

    it.each(['ratelimited', 'internal_error', 'service_unavailable'])(
      'retries %s answered with 200',
      async error => {
        slackAnswers({ ok: false, error });

        await expect(
          slack.send(incidentDelivery('slack', '#checkout')),
        ).resolves.toEqual({
          outcome: 'retry',
          error: `Slack chat.postMessage: ${error}`,
        });
      },
    );

    it('retries a server error and a network error', async () => {
      answerPost(POST_MESSAGE, () => new HttpResponse(null, { status: 500 }));
      await expect(
        slack.send(incidentDelivery('slack', '#checkout')),
      ).resolves.toEqual({
        outcome: 'retry',
        error: 'HTTP 500',
      });

      answerPost(POST_MESSAGE, () => HttpResponse.error());
      await expect(
        slack.send(incidentDelivery('slack', '#checkout')),
      ).resolves.toEqual({
        outcome: 'retry',
        error: expect.stringMatching(/^network error/),
      });
    });

    it('fails on a 200 that is not a Slack API answer', async () => {
      answerPost(POST_MESSAGE, () => HttpResponse.html('<h1>Proxy</h1>'));

      await expect(
        slack.send(incidentDelivery('slack', '#checkout')),
      ).resolves.toEqual({
        outcome: 'failed',
        error: 'Not a Slack API answer: HTTP 200: <h1>Proxy</h1>',
      });
    });

    it('fails without sending when no bot token is configured', async () => {
      const webhookOnly = new SlackChannel({ webhookUrl: WEBHOOK });

      await expect(
        webhookOnly.send(incidentDelivery('slack', '#checkout')),
      ).resolves.toEqual({
        outcome: 'failed',
        error: 'No Slack bot token is configured to post to #checkout',
      });
      expect(requests).toEqual([]);
    });
  });

  describe('to the incoming webhook', () => {
    it('posts the message to the webhook URL without a token', async () => {
      answerPost(WEBHOOK, () => HttpResponse.text('ok'));
      const delivery = digestDelivery('slack', 'webhook', [cartStorm()]);

      await expect(slack.send(delivery)).resolves.toEqual({
        outcome: 'delivered',
      });
      expect(requests).toHaveLength(1);
      expect(requests[0].headers.authorization).toBeUndefined();
      expect(JSON.parse(requests[0].body)).toEqual({
        ...slackMessage(delivery.content),
        unfurl_links: false,
        unfurl_media: false,
      });
    });

    it.each([
      [400, 'invalid_payload'],
      [404, 'no_service'],
      [410, 'channel_is_archived'],
    ])('fails on %i %s', async (status, error) => {
      answerPost(WEBHOOK, () => HttpResponse.text(error, { status }));

      await expect(
        slack.send(incidentDelivery('slack', 'webhook')),
      ).resolves.toEqual({
        outcome: 'failed',
        error: `HTTP ${status}: ${error}`,
      });
    });

    it('retries a 500', async () => {
      answerPost(WEBHOOK, () =>
        HttpResponse.text('rollup_error', { status: 500 }),
      );

      await expect(
        slack.send(incidentDelivery('slack', 'webhook')),
      ).resolves.toEqual({
        outcome: 'retry',
        error: 'HTTP 500: rollup_error',
      });
    });

    it('fails without sending when no webhook URL is configured', async () => {
      const botOnly = new SlackChannel({ botToken: 'xoxb-token' });

      await expect(
        botOnly.send(incidentDelivery('slack', 'webhook')),
      ).resolves.toEqual({
        outcome: 'failed',
        error: 'No Slack incoming webhook URL is configured',
      });
      expect(requests).toEqual([]);
    });
  });
});
