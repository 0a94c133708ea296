import { InputError } from '@backstage/errors';
import type { TelemetryInput } from '../inputs';
import { optionalString, requireObject } from '../validation';
import {
  ExemplarSampler,
  RollupAccumulator,
  singleObservation,
} from './accumulators';
import {
  anyValueToString,
  minuteOf,
  nanosToEpochMillis,
  optionalEnum,
  optionalHexId,
  optionalUnixNanos,
} from './attributes';
import { forEachItem } from './envelope';

const SEVERITY_NUMBER_ERROR = 17;
const SEVERITY_NUMBER_FATAL = 21;
const SEVERITY_NUMBER_FATAL4 = 24;
/** Senders that set only a text (syslog, some logging bridges) use these for errors. */
const ERROR_SEVERITY_TEXTS = new Set(['error', 'fatal', 'critical']);

/** Each record counts once: count is the number of records, and sum equals count. */
const ONE_RECORD = singleObservation(1);

/**
 * Rolls an OTLP/HTTP JSON logs request up to `log.records` and `log.errors` per resource and
 * minute, and keeps error records (with their trace context) as exemplars. `log.errors` is
 * only emitted for minutes that had errors; a missing one means zero.
 */
export function parseOtlpLogs(body: unknown): TelemetryInput {
  const rollups = new RollupAccumulator();
  const sampler = new ExemplarSampler();

  forEachItem(
    body,
    { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' },
    (item, path, resource) => {
      const record = requireObject(item, path);
      // timeUnixNano is when the event happened and may be unknown; the collector always sets
      // observedTimeUnixNano.
      const nanos =
        optionalUnixNanos(record.timeUnixNano, `${path}.timeUnixNano`) ??
        optionalUnixNanos(
          record.observedTimeUnixNano,
          `${path}.observedTimeUnixNano`,
        );
      if (nanos === undefined) {
        throw new InputError(
          `${path}.timeUnixNano or ${path}.observedTimeUnixNano is required`,
        );
      }
      const time = nanosToEpochMillis(nanos);
      const minute = minuteOf(time);
      const severityNumber = optionalEnum(
        record.severityNumber,
        `${path}.severityNumber`,
      );
      const severityText = optionalString(
        record.severityText,
        `${path}.severityText`,
      );
      const traceId = optionalHexId(record.traceId, `${path}.traceId`, 16);
      const spanId = optionalHexId(record.spanId, `${path}.spanId`, 8);

      rollups.add(resource, 'log.records', minute, ONE_RECORD);
      if (!isError(severityNumber, severityText)) return;
      rollups.add(resource, 'log.errors', minute, ONE_RECORD);
      sampler.offer(resource, () => ({
        time,
        kind: 'log',
        severity:
          severityText ??
          (severityNumber >= SEVERITY_NUMBER_FATAL ? 'FATAL' : 'ERROR'),
        message:
          anyValueToString(record.body, `${path}.body`) ??
          optionalString(record.eventName, `${path}.eventName`) ??
          '',
        traceId,
        spanId,
      }));
    },
  );

  return {
    rollups: rollups.toRollups(),
    exemplars: sampler.exemplars,
    edges: [],
  };
}

function isError(
  severityNumber: number,
  severityText: string | undefined,
): boolean {
  return (
    (severityNumber >= SEVERITY_NUMBER_ERROR &&
      severityNumber <= SEVERITY_NUMBER_FATAL4) ||
    (severityText !== undefined &&
      ERROR_SEVERITY_TEXTS.has(severityText.trim().toLowerCase()))
  );
}
