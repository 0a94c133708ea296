import type { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { SEVERITIES, type Severity } from '@aiops/plugin-aiops-common';
import {
  readDurationMs,
  type ReadDurationOptions,
} from '@aiops/plugin-aiops-node';
import type { BackoffPolicy } from '../service/routing/backoff';
import { isTimeZone, parseTimeOfDay } from '../service/routing/quietHours';
import { defaultRoute } from '../service/routing/route';
import type {
  EscalationPolicy,
  EscalationTarget,
  GroupRoute,
  QuietHours,
  RoutingConfig,
  RoutingProblem,
} from '../service/routing/types';

export interface DeliveryConfig {
  /** How often escalation, routing and delivery run on each replica. */
  intervalMs: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Rows one run claims. */
  batchSize: number;
  /** How long a claim lasts before another replica may take the work over. */
  leaseMs: number;
  /**
   * `aiops.routing.routingRetryLimit`: how long a change may keep failing to route before it is
   * given up (reported, noted on its incident's timeline, and marked routed with no messages)
   * so that its incident's later changes are routed.
   */
  routingRetryLimitMs: number;
}

/** Where the channels send, with their secrets; kept apart from routing, which never sees them. */
export interface ChannelSettings {
  slack: { botToken?: string; webhookUrl?: string; apiBaseUrl?: string };
  pagerDuty: { eventsUrl?: string };
  webhooks: Record<string, { url: string; secret?: string }>;
  /** `aiops.routing.allowPrivateTargets`: channels may send to loopback, private and link-local addresses. */
  allowPrivateTargets: boolean;
}

export interface NotificationSettings {
  routing: RoutingConfig;
  delivery: DeliveryConfig;
  channels: ChannelSettings;
  /** Mistakes found reading the configuration; each falls back instead of failing the start. */
  problems: RoutingProblem[];
}

/**
 * Reads `aiops.routing`. Never throws: a notification setup with a mistake in it must not keep
 * the data plane from starting, so each mistake becomes a reported problem and a fallback.
 */
export function readNotificationSettings(root: Config): NotificationSettings {
  const config = root.getOptionalConfig('aiops.routing');
  const problems: RoutingProblem[] = [];
  const report = (key: string, message: string) =>
    problems.push({ key: `config:${key}`, message });

  const attempt = <T>(key: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      report(key, `aiops.routing.${key}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const duration = (
    parent: Config | undefined,
    key: string,
    path: string,
    fallback: Parameters<typeof readDurationMs>[2],
    options?: ReadDurationOptions,
  ) =>
    attempt(
      path,
      () => readDurationMs(parent, key, fallback, options),
      readDurationMs(undefined, key, fallback),
    );
  const groupRef = (path: string, value: string) => {
    try {
      return normalizeRef(value, 'group');
    } catch {
      report(path, `aiops.routing.${path}: "${value}" is not an entity ref`);
      return undefined;
    }
  };

  /** Reads each entry of a list; a broken entry is reported and left out, not fatal. */
  const each = (key: string, read: (entry: Config, path: string) => void) => {
    const entries = attempt(
      key,
      () => config?.getOptionalConfigArray(key),
      undefined,
    );
    for (const [index, entry] of (entries ?? []).entries()) {
      const path = `${key}[${index}]`;
      attempt(path, () => read(entry, path), undefined);
    }
  };

  const url = (path: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (isHttpUrl(value)) return value;
    report(
      path,
      `aiops.routing.${path} is not an http(s) URL without credentials in it`,
    );
    return undefined;
  };
  const optionalString = (key: string) =>
    attempt(key, () => config?.getOptionalString(key), undefined);
  const optionalUrl = (key: string) => url(key, optionalString(key));

  const channels: ChannelSettings = {
    slack: {
      botToken: optionalString('slack.botToken'),
      webhookUrl: optionalUrl('slack.webhookUrl'),
      apiBaseUrl: optionalUrl('slack.apiBaseUrl'),
    },
    pagerDuty: { eventsUrl: optionalUrl('pagerDuty.eventsUrl') },
    webhooks: {},
    allowPrivateTargets: attempt(
      'allowPrivateTargets',
      () => config?.getOptionalBoolean('allowPrivateTargets') ?? false,
      false,
    ),
  };
  each('webhooks', (webhook, path) => {
    const name = webhook.getString('name');
    const target = url(`${path}.url`, webhook.getString('url'));
    if (!target) return;
    const secret = webhook.getOptionalString('secret');
    if (!secret) {
      report(
        `${path}.secret`,
        `aiops.routing.${path} (${name}) has no secret: its messages go out unsigned`,
      );
    }
    channels.webhooks[name] = { url: target, secret };
  });

  const escalationPolicies: Record<string, EscalationPolicy> = {};
  each('escalationPolicies', (policy, path) => {
    const name = policy.getString('name');
    const steps = policy.getConfigArray('steps').map((step, stepIndex) => ({
      afterMs: duration(step, 'after', `${path}.steps[${stepIndex}].after`, {
        minutes: 15,
      }),
      notify: step
        .getStringArray('notify')
        .flatMap((target): EscalationTarget[] => {
          if (target === 'parent') return [{ type: 'parent' }];
          const ref = groupRef(`${path}.steps[${stepIndex}].notify`, target);
          if (!ref) return [];
          return [
            ref.startsWith('user:')
              ? { type: 'user', ref }
              : { type: 'group', ref },
          ];
        }),
    }));
    escalationPolicies[name] = {
      name,
      steps: steps.sort((a, b) => a.afterMs - b.afterMs),
    };
  });

  const severity = (
    path: string,
    value: string | undefined,
    fallback: Severity,
  ): Severity => {
    if (value === undefined) return fallback;
    if ((SEVERITIES as readonly string[]).includes(value)) {
      return value as Severity;
    }
    report(
      path,
      `aiops.routing.${path} must be one of ${SEVERITIES.join(
        ', ',
      )}, got "${value}"`,
    );
    return fallback;
  };

  const webhookNames = Object.keys(channels.webhooks);
  const groups: Record<string, GroupRoute> = {};
  each('groups', (group, path) => {
    const ref = groupRef(`${path}.group`, group.getString('group'));
    if (!ref) return;
    const defaults = defaultRoute(ref);
    const policy = group.getOptionalString('escalationPolicy');
    if (policy && !escalationPolicies[policy]) {
      report(
        `${path}.escalationPolicy`,
        `aiops.routing.${path}.escalationPolicy names "${policy}", which is not in aiops.routing.escalationPolicies`,
      );
    }
    groups[ref] = {
      group: ref,
      minSeverity: severity(
        `${path}.minSeverity`,
        group.getOptionalString('minSeverity'),
        defaults.minSeverity,
      ),
      pageSeverity: severity(
        `${path}.pageSeverity`,
        group.getOptionalString('pageSeverity'),
        defaults.pageSeverity,
      ),
      slackChannel: group.getOptionalString('slackChannel'),
      pagerDutyIntegrationKey: group.getOptionalString(
        'pagerDutyIntegrationKey',
      ),
      webhooks: group.getOptionalStringArray('webhooks') ?? [],
      quietHours: readQuietHours(
        group.getOptionalConfig('quietHours'),
        `${path}.quietHours`,
        report,
        severity,
      ),
      escalationPolicy: policy,
    };
    for (const name of groups[ref].webhooks) {
      if (!webhookNames.includes(name)) {
        report(
          `${path}.webhooks`,
          `aiops.routing.${path}.webhooks names "${name}", which is not a valid entry of aiops.routing.webhooks`,
        );
      }
    }
  });

  const fallback = optionalString('fallbackGroup');
  const rateLimit = attempt(
    'rateLimit',
    () => config?.getOptionalConfig('rateLimit'),
    undefined,
  );
  const delivery = attempt(
    'delivery',
    () => config?.getOptionalConfig('delivery'),
    undefined,
  );
  const positive = (
    parent: Config | undefined,
    key: string,
    path: string,
    fallbackValue: number,
  ) => {
    const value = attempt(
      path,
      () => parent?.getOptionalNumber(key),
      undefined,
    );
    if (value === undefined) return fallbackValue;
    if (Number.isInteger(value) && value > 0) return value;
    report(
      path,
      `aiops.routing.${path} must be a positive integer, got ${value}`,
    );
    return fallbackValue;
  };
  return {
    routing: {
      fallbackGroup: fallback ? groupRef('fallbackGroup', fallback) : undefined,
      groups,
      escalationPolicies,
      slack: {
        botToken: Boolean(channels.slack.botToken),
        webhook: Boolean(channels.slack.webhookUrl),
      },
      webhooks: webhookNames,
      rateLimit: {
        maxPerWindow: positive(
          rateLimit,
          'maxPerWindow',
          'rateLimit.maxPerWindow',
          20,
        ),
        windowMs: duration(rateLimit, 'window', 'rateLimit.window', {
          minutes: 10,
        }),
      },
      appBaseUrl: root.getOptionalString('app.baseUrl') ?? '',
    },
    delivery: {
      intervalMs: duration(
        delivery,
        'interval',
        'delivery.interval',
        { seconds: 5 },
        { positive: true },
      ),
      maxAttempts: positive(delivery, 'maxAttempts', 'delivery.maxAttempts', 8),
      backoff: {
        initialMs: duration(
          delivery,
          'initialBackoff',
          'delivery.initialBackoff',
          {
            seconds: 10,
          },
        ),
        maxMs: duration(delivery, 'maxBackoff', 'delivery.maxBackoff', {
          minutes: 30,
        }),
      },
      batchSize: positive(delivery, 'batchSize', 'delivery.batchSize', 50),
      leaseMs: duration(
        delivery,
        'lease',
        'delivery.lease',
        { minutes: 2 },
        { positive: true },
      ),
      // Positive: with no time to retry, every passing failure would lose a notification.
      routingRetryLimitMs: duration(
        config,
        'routingRetryLimit',
        'routingRetryLimit',
        { hours: 1 },
        { positive: true },
      ),
    },
    channels,
    problems,
  };
}

/** Notification durations by their key below `aiops.`, for the start-up log line. */
export function routingDurations(
  settings: NotificationSettings,
): Record<string, number | number[]> {
  const { routing, delivery } = settings;
  const durations: Record<string, number | number[]> = {
    'routing.rateLimit.window': routing.rateLimit.windowMs,
    'routing.delivery.interval': delivery.intervalMs,
    'routing.delivery.initialBackoff': delivery.backoff.initialMs,
    'routing.delivery.maxBackoff': delivery.backoff.maxMs,
    'routing.delivery.lease': delivery.leaseMs,
    'routing.routingRetryLimit': delivery.routingRetryLimitMs,
  };
  for (const policy of Object.values(routing.escalationPolicies)) {
    durations[`routing.escalationPolicies.${policy.name}.after`] =
      policy.steps.map(step => step.afterMs);
  }
  return durations;
}

function readQuietHours(
  config: Config | undefined,
  path: string,
  report: (key: string, message: string) => void,
  severity: (
    path: string,
    value: string | undefined,
    fallback: Severity,
  ) => Severity,
): QuietHours | undefined {
  if (!config) return undefined;
  const start = parseTimeOfDay(config.getOptionalString('start') ?? '');
  const end = parseTimeOfDay(config.getOptionalString('end') ?? '');
  const timeZone = config.getOptionalString('timeZone') ?? 'UTC';
  if (start === undefined || end === undefined || !isTimeZone(timeZone)) {
    report(
      path,
      `aiops.routing.${path} needs start and end as HH:MM and a known timeZone; quiet hours are off`,
    );
    return undefined;
  }
  return {
    startMinute: start,
    endMinute: end,
    timeZone,
    minSeverity: severity(
      `${path}.minSeverity`,
      config.getOptionalString('minSeverity'),
      'critical',
    ),
  };
}

/** A full, lower-case entity ref; short names are taken to be of `defaultKind` in `default`. */
export function normalizeRef(value: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(value.trim(), { defaultKind, defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

/** http(s), and no user or password in it (fetch refuses those, quoting the whole URL). */
function isHttpUrl(value: string): boolean {
  try {
    const { protocol, username, password } = new URL(value);
    return (
      (protocol === 'https:' || protocol === 'http:') && !username && !password
    );
  } catch {
    return false;
  }
}
