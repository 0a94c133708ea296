import { InputError } from '@backstage/errors';
import {
  parseAlertmanagerWebhook,
  type AlertInput,
} from '@aiops/plugin-aiops-ingest-backend';
import {
  instant,
  isRecord,
  readRecordedPayloads,
  type RecordedPayload,
} from './records';

/** One alert as a receiver would have been handed it, at the time it would have arrived. */
export interface AlertDelivery {
  /** Epoch ms. */
  at: number;
  input: AlertInput;
}

export type AlertFileFormat =
  | 'alertmanager webhook'
  | 'grafana webhook'
  | '/api/v2/alerts dump';

export interface AlertHistory {
  deliveries: AlertDelivery[];
  /** Per file, the formats found in it. */
  formats: Record<string, AlertFileFormat[]>;
  /** Alerts Alertmanager left out of notifications (`truncatedAlerts`): never seen, never replayed. */
  truncatedAlerts: number;
}

/** A recording holds every alert; the receivers' per-request limit does not apply. */
const NO_LIMIT = { maxAlerts: Number.MAX_SAFE_INTEGER };

/**
 * Reads Alertmanager (and Grafana) webhook logs and `/api/v2/alerts` dumps into deliveries in
 * event time, each alert normalised by the receivers' own parser.
 */
export function readAlertHistory(files: string[]): AlertHistory {
  const history: AlertHistory = {
    deliveries: [],
    formats: {},
    truncatedAlerts: 0,
  };
  const snapshots: Snapshot[] = [];
  for (const file of files) {
    const formats = new Set<AlertFileFormat>();
    // An array of notifications (wrapped or not) is a list of payloads; an array of alerts,
    // which always carry labels, is one dump.
    const payloads = readRecordedPayloads(file, '--alerts', array =>
      array.every(item => isRecord(item) && !('labels' in item)),
    );
    for (const payload of payloads) {
      if (Array.isArray(payload.body)) {
        const snapshot = dumpSnapshot(payload);
        if (snapshot) snapshots.push(snapshot);
        formats.add('/api/v2/alerts dump');
      } else if (isRecord(payload.body) && 'alerts' in payload.body) {
        const grafana = payload.body.version === '1';
        const { deliveries, truncatedAlerts } = notificationDeliveries(
          payload,
          payload.body,
          grafana ? 'grafana' : 'alertmanager',
        );
        history.deliveries.push(...deliveries);
        history.truncatedAlerts += truncatedAlerts;
        formats.add(grafana ? 'grafana webhook' : 'alertmanager webhook');
      } else {
        throw new InputError(
          `--alerts ${payload.origin}: neither a webhook notification (an object with alerts[]) nor an /api/v2/alerts dump (an array of alerts)`,
        );
      }
    }
    history.formats[file] = [...formats];
  }
  history.deliveries.push(...dumpDeliveries(snapshots));
  return history;
}

function parseWith<T>(origin: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InputError(`--alerts ${origin}: ${(error as Error).message}`);
  }
}

/**
 * A webhook notification's alerts, each at the time it happened: a firing alert when it
 * started, a resolved one when it ended — or all of them when the log says the notification
 * was received. Repeats of a group (Alertmanager resends every alert of the group) land on
 * their alert's own time, where the stored alert only counts them.
 */
function notificationDeliveries(
  payload: RecordedPayload,
  body: Record<string, unknown>,
  source: 'alertmanager' | 'grafana',
): { deliveries: AlertDelivery[]; truncatedAlerts: number } {
  const sentAt = payload.receivedAt ?? estimatedSendTime(body);
  if (sentAt === undefined) {
    // A malformed timestamp is the better message, when that is why none could be read.
    parseWith(payload.origin, () =>
      parseAlertmanagerWebhook(body, source, { ...NO_LIMIT, now: new Date(0) }),
    );
    throw new InputError(
      `--alerts ${payload.origin}: no alert has a startsAt or endsAt and the log has no receive time; it cannot be placed in time`,
    );
  }
  const group = parseWith(payload.origin, () =>
    parseAlertmanagerWebhook(body, source, {
      ...NO_LIMIT,
      now: new Date(sentAt),
    }),
  );
  return {
    truncatedAlerts: group.truncatedAlerts,
    deliveries: group.alerts.map(input => ({
      at: payload.receivedAt ?? eventTime(input),
      input,
    })),
  };
}

function eventTime(input: AlertInput): number {
  return Date.parse(
    input.status === 'resolved' && input.endsAt ? input.endsAt : input.startsAt,
  );
}

/**
 * The earliest time the sender can have sent the notification: the latest start or end it
 * reports. An end counts unless the alert says it is firing: in webhooks a firing alert's
 * `endsAt` is Go's zero time, so a real one means it ended — which is also how the parser
 * decides the status of an alert that states none.
 */
function estimatedSendTime(body: Record<string, unknown>): number | undefined {
  const alerts = Array.isArray(body.alerts) ? body.alerts : [];
  const times = alerts.flatMap(alert => {
    if (!isRecord(alert)) return [];
    const ends = alert.status === 'firing' ? undefined : instant(alert.endsAt);
    return [instant(alert.startsAt), ends].filter(
      (t): t is number => t !== undefined,
    );
  });
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** One `/api/v2/alerts` answer: the alerts active at `at`. */
interface Snapshot {
  at: number;
  alerts: AlertInput[];
}

/**
 * A dump is taken at the receive time its log recorded, else at the latest `updatedAt` of its
 * alerts (Alertmanager stamps each alert when Prometheus last sent it). An alert of the dump
 * is resolved when its `endsAt` lies before that time, firing otherwise. An empty dump says
 * nothing about when it was taken unless the log recorded that, so it only counts then.
 */
function dumpSnapshot(payload: RecordedPayload): Snapshot | undefined {
  const items = payload.body as unknown[];
  items.forEach((item, i) => {
    if (!isRecord(item) || 'alerts' in item || !isRecord(item.labels)) {
      throw new InputError(
        `--alerts ${payload.origin}[${i}]: an /api/v2/alerts dump holds alerts with labels; this item has none`,
      );
    }
  });
  const alerts = items as Array<Record<string, unknown>>;
  const stamps = alerts
    .map(a => instant(a.updatedAt) ?? instant(a.startsAt))
    .filter((t): t is number => t !== undefined);
  const at =
    payload.receivedAt ?? (stamps.length ? Math.max(...stamps) : undefined);
  if (at === undefined) return undefined;
  const asWebhook = alerts.map(a => {
    const endsAt = instant(a.endsAt);
    return {
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      fingerprint: a.fingerprint,
      generatorURL: a.generatorURL,
      status: endsAt !== undefined && endsAt <= at ? 'resolved' : 'firing',
    };
  });
  const group = parseWith(payload.origin, () => {
    try {
      return parseAlertmanagerWebhook({ alerts: asWebhook }, 'alertmanager', {
        ...NO_LIMIT,
        now: new Date(at),
      });
    } catch (error) {
      // The parser names webhook paths (`alerts[3].startsAt`); a dump is a bare array.
      throw new InputError((error as Error).message.replace(/^alerts\[/, '['));
    }
  });
  return { at, alerts: group.alerts };
}

/**
 * Deliveries from a series of dumps. Each alert episode (fingerprint and start) fires when it
 * started and is seen again at every later dump that holds it, as Alertmanager's repeated
 * notifications would refresh it. It resolves at its `endsAt` once a dump shows that passed,
 * or, when it drops out of the dumps, at its `endsAt` or the first dump without it, whichever
 * comes first. Still active in the last dump, it stays firing.
 */
function dumpDeliveries(snapshots: Snapshot[]): AlertDelivery[] {
  const ordered = [...snapshots].sort((a, b) => a.at - b.at);
  const episodes = new Map<string, { last: AlertInput; lastDump: number }>();
  const deliveries: AlertDelivery[] = [];
  ordered.forEach((snapshot, dump) => {
    for (const input of snapshot.alerts) {
      const key = `${input.source}\n${input.fingerprint}\n${input.startsAt}`;
      const episode = episodes.get(key);
      if (!episode) {
        episodes.set(key, { last: input, lastDump: dump });
        // Seen only once it had ended, it still fired first.
        deliveries.push({
          at: Date.parse(input.startsAt),
          input: { ...input, status: 'firing', endsAt: undefined },
        });
        continue;
      }
      episode.last = input;
      episode.lastDump = dump;
      if (input.status === 'firing')
        deliveries.push({ at: snapshot.at, input });
    }
  });
  for (const { last, lastDump } of episodes.values()) {
    const storedEnd = last.endsAt ? Date.parse(last.endsAt) : undefined;
    if (last.status === 'resolved') {
      deliveries.push({ at: storedEnd!, input: last });
      continue;
    }
    const missingFrom = ordered[lastDump + 1]?.at;
    if (missingFrom === undefined) continue;
    const end = Math.min(storedEnd ?? missingFrom, missingFrom);
    deliveries.push({
      at: end,
      input: {
        ...last,
        status: 'resolved',
        endsAt: new Date(end).toISOString(),
      },
    });
  }
  return deliveries;
}
