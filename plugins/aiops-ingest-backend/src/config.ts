import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';

/** Receivers that accept an HMAC signature instead of a token, each with its own secret. */
export const SIGNED_RECEIVERS = [
  'alertmanager',
  'grafana',
  'generic',
  'otlp',
  'deployments',
  'cdevents',
  'argocd',
] as const;
export type SignedReceiver = (typeof SIGNED_RECEIVERS)[number];

export interface IngestConfig {
  maxBodyBytes: number;
  maxItemsPerRequest: number;
  hmacSecrets: Partial<Record<SignedReceiver, string>>;
  githubWebhookSecret?: string;
  retention: {
    resolvedAlertsMs: number;
    telemetryMs: number;
    deploymentsMs: number;
  };
}


function durationMs(config: Config | undefined, key: string, fallback: HumanDuration): number {
  return durationToMilliseconds(
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}

export function readIngestConfig(root: Config): IngestConfig {
  const config = root.getOptionalConfig('aiops.ingest');
  const hmacSecrets: IngestConfig['hmacSecrets'] = {};
  for (const receiver of SIGNED_RECEIVERS) {
    const secret = config?.getOptionalString(`hmacSecrets.${receiver}`);
    if (secret) hmacSecrets[receiver] = secret;
  }
  const retention = config?.getOptionalConfig('retention');
  return {
    maxBodyBytes: config?.getOptionalNumber('maxBodyBytes') ?? 1024 * 1024,
    maxItemsPerRequest: config?.getOptionalNumber('maxItemsPerRequest') ?? 1000,
    hmacSecrets,
    githubWebhookSecret: config?.getOptionalString('github.webhookSecret'),
    retention: {
      resolvedAlertsMs: durationMs(retention, 'resolvedAlerts', { days: 30 }),
      telemetryMs: durationMs(retention, 'telemetry', { days: 14 }),
      deploymentsMs: durationMs(retention, 'deployments', { days: 365 }),
    },
  };
}

