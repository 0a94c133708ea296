import { trimTrailing } from '@aiops/plugin-aiops-common';
import { shortRef } from '../../service/routing/message';
import type {
  DigestMessage,
  IncidentMessage,
} from '../../service/routing/types';
import {
  describeResponse,
  parseRetryAfter,
  postJson,
  sendResultOf,
} from './http';
import { digestTitle, truncate } from './text';
import type { ChannelSender, OutgoingDelivery, SendResult } from './types';

/** The delivery target that means "the incoming webhook's own channel". */
const WEBHOOK_TARGET = 'webhook';

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks): longer text is refused.
const HEADER_LIMIT = 150;
const SECTION_LIMIT = 3000;
const FIELD_LIMIT = 2000;
/** A digest lists this many changes and counts the rest. */
const DIGEST_LINES = 40;

/** chat.postMessage errors that say "not now" rather than "never". */
const RETRYABLE_API_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * `verbatim`: Slack leaves the text as written: no automatic links of URLs and channel names, no
 * parsing of mentions such as `@here` that alert text might carry.
 */
type SlackText = { type: 'mrkdwn'; text: string; verbatim?: true };
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

export interface SlackMessage {
  /** The notification and screen-reader text; mrkdwn like the blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** What both transports take: the message, without link previews. */
type SlackPost = SlackMessage & { unfurl_links: false; unfurl_media: false };

export interface SlackChannelOptions {
  /** For chat.postMessage to a named channel. */
  botToken?: string;
  /** For the `webhook` target. */
  webhookUrl?: string;
  /** Default `https://slack.com/api`. */
  apiBaseUrl?: string;
  /** `aiops.routing.allowPrivateTargets`. */
  allowPrivateTargets?: boolean;
}

/** An incoming webhook answers a word such as `invalid_payload`; more is not Slack talking. */
const WEBHOOK_ANSWER_BYTES = 1024;
/** chat.postMessage echoes the message it posted, so its answer is as large as a message. */
const API_ANSWER_BYTES = 256 * 1024;

/** Posts to a Slack channel with the bot token, or to the incoming webhook's channel. */
export class SlackChannel implements ChannelSender {
  readonly kind = 'slack' as const;

  constructor(private readonly options: SlackChannelOptions) {}

  async send(delivery: OutgoingDelivery): Promise<SendResult> {
    // Links to Backstage and runbooks would unfurl into noise under every incident.
    const message: SlackPost = {
      ...slackMessage(delivery.content),
      unfurl_links: false,
      unfurl_media: false,
    };
    if (delivery.target === WEBHOOK_TARGET) {
      const { webhookUrl } = this.options;
      if (!webhookUrl) {
        return {
          outcome: 'failed',
          error: 'No Slack incoming webhook URL is configured',
        };
      }
      // The webhook answers `ok` or an error word with a 4xx/5xx status: plain HTTP semantics.
      return sendResultOf(
        await postJson(webhookUrl, JSON.stringify(message), {
          allowPrivateTargets: this.options.allowPrivateTargets ?? false,
          readBodyBytes: WEBHOOK_ANSWER_BYTES,
        }),
      );
    }
    return this.postMessage(delivery.target, message);
  }

  private async postMessage(
    channel: string,
    message: SlackPost,
  ): Promise<SendResult> {
    const {
      botToken,
      apiBaseUrl = 'https://slack.com/api',
      allowPrivateTargets = false,
    } = this.options;
    if (!botToken) {
      return {
        outcome: 'failed',
        error: `No Slack bot token is configured to post to ${channel}`,
      };
    }
    const outcome = await postJson(
      `${trimTrailing(apiBaseUrl, '/')}/chat.postMessage`,
      JSON.stringify({ channel, ...message }),
      {
        headers: {
          authorization: `Bearer ${botToken}`,
          // Without a charset the Web API answers with a `missing_charset` warning.
          'content-type': 'application/json; charset=utf-8',
        },
        allowPrivateTargets,
        readBodyBytes: API_ANSWER_BYTES,
      },
    );
    const transport = sendResultOf(outcome);
    if (transport.outcome !== 'delivered' || outcome.type !== 'response') {
      return transport;
    }
    // The Web API answers 200 for its own errors and tells them apart in the body.
    const answer = parseApiAnswer(outcome.body);
    if (!answer) {
      return {
        outcome: 'failed',
        error: `Not a Slack API answer: ${describeResponse(outcome)}`,
      };
    }
    if (answer.ok) return { outcome: 'delivered' };
    const error = `Slack chat.postMessage: ${answer.error}`;
    return RETRYABLE_API_ERRORS.has(answer.error)
      ? {
          outcome: 'retry',
          error,
          retryAfterMs: parseRetryAfter(outcome.retryAfter, Date.now()),
        }
      : { outcome: 'failed', error };
  }
}

function parseApiAnswer(
  body: string,
): { ok: true } | { ok: false; error: string } | undefined {
  try {
    const answer: unknown = JSON.parse(body);
    if (typeof answer !== 'object' || answer === null || !('ok' in answer)) {
      return undefined;
    }
    if (answer.ok === true) return { ok: true };
    const error = 'error' in answer ? answer.error : undefined;
    return { ok: false, error: typeof error === 'string' ? error : 'unknown' };
  } catch {
    return undefined;
  }
}

/** An incident change or a digest in Block Kit. */
export function slackMessage(
  content: OutgoingDelivery['content'],
): SlackMessage {
  return content.type === 'incident'
    ? incidentBlocks(content.message)
    : digestBlocks(content.digest);
}

function incidentBlocks(message: IncidentMessage): SlackMessage {
  const blocks: SlackBlock[] = [
    header(message.headline),
    {
      type: 'section',
      fields: [
        field('Severity', message.severity.toUpperCase()),
        field(
          'Service',
          message.service
            ? link(
                message.links.service,
                message.service.title ?? shortRef(message.service.entityRef),
              )
            : 'none',
        ),
        field(
          'Owner',
          message.owner ? escape(shortRef(message.owner)) : 'no owner',
        ),
        field('Status', escape(message.status)),
      ],
    },
  ];
  if (message.narrative) {
    // The template's summary first: what a person reads before the fields and findings.
    const { summary, probableCause } = message.narrative;
    blocks.push(
      section(
        [
          `*Summary* (template)\n${escape(summary)}`,
          ...(probableCause
            ? [`*Probable cause*\n${escape(probableCause)}`]
            : []),
        ].join('\n'),
      ),
    );
  }
  if (message.findings.length > 0) {
    blocks.push(
      section(
        [
          '*Top findings*',
          ...message.findings.map(
            finding =>
              `• ${escape(finding.summary)} (\`${escape(
                finding.rule,
              )}\`, ${percent(finding.confidence)})`,
          ),
        ].join('\n'),
      ),
    );
  }
  if (message.rootCause) {
    const { entityRef, score, reasons } = message.rootCause;
    const why = reasons.length > 0 ? ` — ${escape(reasons.join('; '))}` : '';
    blocks.push(
      section(
        `*Root-cause candidate:* ${escape(
          shortRef(entityRef),
        )} (score ${score.toFixed(2)})${why}`,
      ),
    );
  }
  const { incident, service, runbook } = message.links;
  const links = [link(incident, 'Incident')];
  if (service) links.push(link(service, 'Service'));
  if (runbook) links.push(link(runbook, 'Runbook'));
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: links.join(' · '), verbatim: true }],
  });
  return { text: clip(escape(message.headline), SECTION_LIMIT), blocks };
}

function digestBlocks(digest: DigestMessage): SlackMessage {
  const { messages } = digest;
  const title = digestTitle(digest);
  const lines = messages
    .slice(0, DIGEST_LINES)
    .map(
      message =>
        `• ${link(
          message.links.incident,
          truncate(message.headline, HEADER_LIMIT),
        )}`,
    );
  if (messages.length > DIGEST_LINES) {
    lines.push(`…and ${messages.length - DIGEST_LINES} more`);
  }
  return {
    text: escape(title),
    blocks: [
      header(title),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Held back by the rate limit from ${slackDate(
              digest.from,
            )} to ${slackDate(digest.to)}`,
          },
        ],
      },
      ...packLines(lines).map(section),
    ],
  };
}

/** Lines into as few section texts as fit, so a long digest stays within the section limit. */
function packLines(lines: string[]): string[] {
  const texts: string[] = [];
  for (const line of lines) {
    const last = texts.length - 1;
    if (last >= 0 && texts[last].length + 1 + line.length <= SECTION_LIMIT) {
      texts[last] += `\n${line}`;
    } else {
      texts.push(line);
    }
  }
  return texts;
}

function header(text: string): SlackBlock {
  return {
    type: 'header',
    // Plain text is shown as written: nothing in it is markup, so nothing needs escaping.
    text: { type: 'plain_text', text: truncate(text, HEADER_LIMIT) },
  };
}

function section(mrkdwn: string): SlackBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(mrkdwn, SECTION_LIMIT), verbatim: true },
  };
}

function field(name: string, mrkdwn: string): SlackText {
  return {
    type: 'mrkdwn',
    text: clip(`*${name}*\n${mrkdwn}`, FIELD_LIMIT),
    verbatim: true,
  };
}

/**
 * Slack reads `<…>` as a mention or link and `&` as an entity: untrusted text with them
 * escaped can neither ping `<!channel>` nor disguise a link.
 */
function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** `<url|label>`; `|` in the URL would end it early, so it is percent-encoded. */
function link(url: string | undefined, label: string): string {
  return url
    ? `<${escape(url).replace(/\|/g, '%7C')}|${escape(label)}>`
    : escape(label);
}

/** Shown in each reader's own time zone; the ISO time is what clients without it show. */
function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${escape(iso)}>`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Truncates escaped mrkdwn without leaving half an entity or half a link at the cut. */
function clip(mrkdwn: string, limit: number): string {
  if (mrkdwn.length <= limit) return mrkdwn;
  const cut = truncate(mrkdwn, limit);
  const ellipsis = cut.slice(-1);
  const kept = cut.slice(0, -1);
  return `${kept.slice(0, unclosedMarkupAt(kept))}${ellipsis}`;
}

/**
 * Where an `&entity;` or `<link|label>` that `text` leaves open at its end starts, or
 * `text.length` if none. Index scans, since a regex for this backtracks quadratically on a
 * run of `<` (and alert titles reach here).
 */
function unclosedMarkupAt(text: string): number {
  // The first `<` after the last `>` opens a link the cut left without its end.
  const linkAt = text.indexOf('<', text.lastIndexOf('>') + 1);
  const entityAt = text.lastIndexOf('&');
  const entityOpen = entityAt >= 0 && /^[a-z]*$/.test(text.slice(entityAt + 1));
  return Math.min(
    linkAt >= 0 ? linkAt : text.length,
    entityOpen ? entityAt : text.length,
  );
}
