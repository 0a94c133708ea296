import type { AlertInput } from '../service/inputs';

/** A firing Alertmanager alert for the `cartservice` label, for store and service tests. */
export function alertInput(
  fingerprint: string,
  overrides: Partial<AlertInput> = {},
): AlertInput {
  return {
    source: 'alertmanager',
    fingerprint,
    status: 'firing',
    severity: 'critical',
    title: `Alert ${fingerprint}`,
    labels: { alertname: fingerprint, service: 'cartservice' },
    annotations: { summary: 'something broke' },
    startsAt: '2026-11-25T08:00:00.000Z',
    ...overrides,
  };
}
