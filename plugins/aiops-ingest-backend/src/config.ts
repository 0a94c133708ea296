import type { Config } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { readDurationMs } from '@aiops/plugin-aiops-node';

/** Receivers that accept an HMAC signature instead of a token, each with its own secret. */
export const SIGNED_RECEIVERS = [
  'alertmanager',
  'grafana',
  'generic',
  'otlp',
  'deployments',
  'cdevents',
  'argocd',
  'pagerduty',
] as const;
export type SignedReceiver = (typeof SIGNED_RECEIVERS)[number];

export interface IngestConfig {
  maxBodyBytes: number;
  maxItemsPerRequest: number;
  hmacSecrets: Partial<Record<SignedReceiver, string>>;
  githubWebhookSecret?: string;
  /**
   * Integration keys accepted as the credential of a PagerDuty change event (its `routing_key`):
   * PagerDuty's own senders can point at another URL but cannot add a header.
   */
  pagerdutyRoutingKeys: string[];
  /**
   * How far a signed `X-Aiops-Timestamp` may be from this server's clock; also how long (twice
   * this) accepted signed deliveries are remembered against replays.
   */
  signatureToleranceMs: number;
  retention: {
    resolvedAlertsMs: number;
    telemetryMs: number;
    deploymentsMs: number;
  };
}

/** Reads `aiops.ingest`; a malformed duration throws an error naming its key. */
export function readIngestConfig(root: Config): IngestConfig {
  const config = root.getOptionalConfig('aiops.ingest');
  const hmacSecrets: IngestConfig['hmacSecrets'] = {};
  for (const receiver of SIGNED_RECEIVERS) {
    const secret = config?.getOptionalString(`hmacSecrets.${receiver}`);
    if (secret) hmacSecrets[receiver] = secret;
  }
  // Zero would delete what was just stored.
  const retention = (key: string, fallback: HumanDuration) =>
    readDurationMs(root, `aiops.ingest.retention.${key}`, fallback, {
      positive: true,
    });
  return {
    maxBodyBytes: config?.getOptionalNumber('maxBodyBytes') ?? 1024 * 1024,
    maxItemsPerRequest: config?.getOptionalNumber('maxItemsPerRequest') ?? 1000,
    hmacSecrets,
    githubWebhookSecret: config?.getOptionalString('github.webhookSecret'),
    pagerdutyRoutingKeys: (
      config?.getOptionalStringArray('pagerduty.routingKeys') ?? []
    ).filter(key => key.length > 0),
    signatureToleranceMs: readDurationMs(
      root,
      'aiops.ingest.signatures.tolerance',
      { minutes: 5 },
      { positive: true },
    ),
    retention: {
      resolvedAlertsMs: retention('resolvedAlerts', { days: 30 }),
      telemetryMs: retention('telemetry', { days: 14 }),
      deploymentsMs: retention('deployments', { days: 365 }),
    },
  };
}
