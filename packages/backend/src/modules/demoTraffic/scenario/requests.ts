import {
  type Attributes,
  type OtlpLogs,
  type OtlpMetric,
  type OtlpMetrics,
  type OtlpTraces,
  type SeverityText,
  attributes,
  groupBy,
  millisToNanos,
} from '../otlp';
import type { Prng } from '../prng';
import { SERVICES, SERVICE_IDS, type ServiceId } from '../services';
import { redisStress, walArchiveFailing } from '../storyline';
import { type RecordedLog, type TraceRecorder, logRecord } from './recorder';
import { type Traffic, scopeOf } from './traffic';

/*
 * The OTLP request bodies of a tick: its traces grouped by service, every service's metrics, and
 * the logs of the traces and of the infrastructure.
 */

// --- traces ---

export function tracesRequest(
  batch: TraceRecorder[],
  traffic: Traffic,
): OtlpTraces {
  const spans = batch.flatMap(trace =>
    trace.spans.map(s => ({ ...s, startUs: trace.startUs })),
  );
  const byService = groupBy(spans, s => s.service);
  return {
    resourceSpans: [...byService.entries()].map(([service, items]) => ({
      resource: {
        attributes: attributes(
          traffic.resource(service as ServiceId, items[0].startUs / 1000),
        ),
      },
      scopeSpans: [
        { scope: scopeOf(service as ServiceId), spans: items.map(s => s.span) },
      ],
    })),
  };
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

// --- metrics ---

function gauge(
  name: string,
  unit: string,
  value: number,
  time: number,
  extra?: Attributes,
): OtlpMetric {
  return {
    name,
    unit,
    gauge: {
      dataPoints: [
        {
          timeUnixNano: millisToNanos(time),
          asDouble: value,
          ...(extra && { attributes: attributes(extra) }),
        },
      ],
    },
  };
}

export function metricsRequest(
  time: number,
  origin: number,
  rng: Prng,
  traffic: Traffic,
  disk: number,
): OtlpMetrics {
  const stress = redisStress(time, origin);
  const round = (value: number, digits = 4) => Number(value.toFixed(digits));
  return {
    resourceMetrics: SERVICE_IDS.map(id => {
      const service = SERVICES[id];
      let extraCpu = 0;
      if (id === 'cart' || id === 'redisCart') extraCpu = 0.45 * stress;
      else if (id === 'ledgerDb' && walArchiveFailing(time, origin))
        extraCpu = 0.1;
      const metrics: OtlpMetric[] = [
        gauge(
          'process.cpu.utilization',
          '1',
          round(Math.min(1, service.cpu * rng.between(0.8, 1.2) + extraCpu)),
          time,
        ),
        gauge(
          'process.memory.usage',
          'By',
          Math.round(service.memoryMiB * 1024 * 1024 * rng.between(0.97, 1.03)),
          time,
        ),
      ];
      if (id === 'redisCart') {
        metrics.push(
          gauge(
            'redis.clients.connected',
            '{client}',
            Math.round(24 + 70 * stress + rng.between(-2, 2)),
            time,
          ),
        );
      }
      if (id === 'ledgerDb') {
        metrics.push(
          gauge('system.filesystem.utilization', '1', round(disk), time, {
            'system.device': '/dev/nvme1n1',
            'system.filesystem.mountpoint': '/var/lib/postgresql',
          }),
          gauge(
            'postgresql.backends',
            '{connection}',
            Math.round(18 + rng.between(-3, 3)),
            time,
          ),
        );
      }
      return {
        resource: { attributes: attributes(traffic.resource(id, time)) },
        scopeMetrics: [
          {
            scope: { name: 'otelcol/hostmetricsreceiver', version: '0.104.0' },
            metrics,
          },
        ],
      };
    }),
  };
}

// --- logs ---

export function logsRequest(
  time: number,
  windowStart: number,
  origin: number,
  rng: Prng,
  traffic: Traffic,
  traces: TraceRecorder[],
): OtlpLogs {
  const records: RecordedLog[] = traces.flatMap(trace => trace.logs);
  const infrastructureLog = (
    service: ServiceId,
    severity: SeverityText,
    body: string,
  ) => {
    records.push({
      service,
      record: logRecord(
        millisToNanos(rng.between(windowStart, time)),
        severity,
        body,
        {
          'log.file.name':
            service === 'ledgerDb' ? 'postgresql.log' : 'redis.log',
        },
      ),
    });
  };
  if (rng.chance(0.5))
    infrastructureLog(
      'redisCart',
      'INFO',
      'Background saving started by pid 1733',
    );
  infrastructureLog(
    'ledgerDb',
    'INFO',
    `checkpoint complete: wrote ${rng.int(200, 4000)} buffers`,
  );
  if (walArchiveFailing(time, origin)) {
    const segment = `00000001000000A9000000${rng.hex(2).toUpperCase()}`;
    infrastructureLog(
      'ledgerDb',
      'WARN',
      'archive command failed with exit code 1',
    );
    infrastructureLog(
      'ledgerDb',
      'WARN',
      `archiving write-ahead log file "${segment}" failed too many times, will try again later`,
    );
  }

  const byService = groupBy(records, r => r.service);
  return {
    resourceLogs: [...byService.entries()].map(([service, items]) => ({
      resource: {
        attributes: attributes(traffic.resource(service as ServiceId, time)),
      },
      scopeLogs: [
        {
          scope: scopeOf(service as ServiceId),
          logRecords: items.map(r => r.record),
        },
      ],
    })),
  };
}
