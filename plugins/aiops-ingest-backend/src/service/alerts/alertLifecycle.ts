import type { Alert, EntityResolution } from '@aiops/plugin-aiops-common';
import type { AlertInput } from '../inputs';
import type { AlertResolveByKey } from './generic';

/**
 * What a delivery did to the stored alert:
 * - `created`: first time this fingerprint was seen;
 * - `fired` / `resolved`: the state changed;
 * - `refreshed`: a repeat notification (counts, last seen, labels may change);
 * - `stale`: an older episode's notification that arrived late; only counted.
 */
export type AlertChange =
  | 'created'
  | 'fired'
  | 'resolved'
  | 'refreshed'
  | 'stale';

export interface AppliedDelivery {
  alert: Alert;
  change: AlertChange;
}

/**
 * Folds one delivery into an alert's state. Senders retry, repeat and reorder: a notification
 * only moves the state forward when its timestamps say it is newer than what is stored.
 * - A firing notification re-opens a resolved alert only when it starts after the stored end
 *   (a new episode); otherwise it is a late copy of the old one.
 * - A resolved notification closes a firing alert only when it ends after the stored start.
 */
export function applyAlertDelivery(
  existing: Alert | undefined,
  input: AlertInput,
  resolution: EntityResolution,
  context: { id: string; now: string },
): AppliedDelivery {
  if (!existing) {
    return {
      change: 'created',
      alert: {
        id: context.id,
        fingerprint: input.fingerprint,
        source: input.source,
        status: input.status,
        severity: input.severity,
        title: input.title,
        description: input.description,
        labels: input.labels,
        annotations: input.annotations,
        resolution,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        firstSeenAt: context.now,
        lastSeenAt: context.now,
        deliveryCount: 1,
        generatorUrl: input.generatorUrl,
      },
    };
  }

  const counted = {
    ...existing,
    lastSeenAt: context.now,
    deliveryCount: existing.deliveryCount + 1,
  };
  const latest = {
    ...counted,
    severity: input.severity,
    title: input.title,
    description: input.description,
    labels: input.labels,
    annotations: input.annotations,
    resolution,
    generatorUrl: input.generatorUrl ?? existing.generatorUrl,
  };
  const startsAt = Date.parse(input.startsAt);

  if (input.status === 'firing') {
    if (existing.status === 'firing') {
      return { change: 'refreshed', alert: latest };
    }
    const storedEnd = existing.endsAt
      ? Date.parse(existing.endsAt)
      : Number.NEGATIVE_INFINITY;
    if (startsAt > storedEnd) {
      return {
        change: 'fired',
        alert: {
          ...latest,
          status: 'firing',
          startsAt: input.startsAt,
          endsAt: undefined,
        },
      };
    }
    return { change: 'stale', alert: counted };
  }

  const endsAt = input.endsAt ?? context.now;
  if (Date.parse(endsAt) < Date.parse(existing.startsAt)) {
    return { change: 'stale', alert: counted };
  }
  if (existing.status === 'resolved') {
    return { change: 'refreshed', alert: latest };
  }
  return {
    change: 'resolved',
    alert: { ...latest, status: 'resolved', endsAt },
  };
}

/** A resolve naming only a key: closes the stored alert, keeping what it knows about it. */
export function applyResolveByKey(
  existing: Alert,
  resolve: AlertResolveByKey,
  now: string,
): AppliedDelivery {
  return applyAlertDelivery(
    existing,
    {
      source: existing.source,
      fingerprint: existing.fingerprint,
      status: 'resolved',
      severity: existing.severity,
      title: existing.title,
      description: existing.description,
      labels: existing.labels,
      annotations: existing.annotations,
      startsAt: existing.startsAt,
      endsAt: resolve.endsAt,
      generatorUrl: existing.generatorUrl,
    },
    existing.resolution,
    { id: existing.id, now },
  );
}
