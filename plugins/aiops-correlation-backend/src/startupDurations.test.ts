import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { startSuite } from './__testUtils__/startSuite';

jest.setTimeout(60_000);

interface LogLine {
  level: string;
  message: string;
  meta: JsonObject;
}

/** The backend's root logger, keeping every line with the fields its children add (`plugin`). */
function capturingRootLogger(lines: LogLine[]) {
  const create = (fields: JsonObject): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) =>
      lines.push({
        level,
        message,
        meta: { ...fields, ...(meta instanceof Error ? {} : (meta as object)) },
      });
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => create({ ...fields, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => create({}),
  });
}

describe('durations at start', () => {
  it('logs one line per plugin with the effective durations, in ISO 8601', async () => {
    const lines: LogLine[] = [];
    const suite = await startSuite({
      correlationConfig: { groupWindow: 'PT45M', tickInterval: 'PT10S' },
      routingConfig: { delivery: { interval: 'PT15S' } },
      extraFeatures: [capturingRootLogger(lines)],
    });
    try {
      const durationLines = lines.filter(line =>
        /^aiops-[a-z]+ durations: /.test(line.message),
      );
      expect(durationLines.map(line => [line.meta.plugin, line.level])).toEqual(
        expect.arrayContaining([
          ['aiops-correlation', 'info'],
          ['aiops-ingest', 'info'],
        ]),
      );
      expect(durationLines).toHaveLength(2);
      const [correlation] = durationLines.filter(
        line => line.meta.plugin === 'aiops-correlation',
      );
      expect(correlation.message).toMatch(
        /^aiops-correlation durations: groupWindow=PT45M groupWait=PT0S minDuration=PT0S topology\.window=PT15M .*tickInterval=PT10S .*routing\.delivery\.interval=PT15S .*catalog\.refresh\.frequency=PT5M /,
      );
      const [ingest] = durationLines.filter(
        line => line.meta.plugin === 'aiops-ingest',
      );
      expect(ingest.message).toBe(
        'aiops-ingest durations: retention.resolvedAlerts=P30D retention.telemetry=P14D retention.deployments=P365D signatures.tolerance=PT5M catalog.refresh.frequency=PT5M catalog.refresh.timeout=PT2M catalog.refresh.initialDelay=PT5M',
      );
    } finally {
      await suite.stop();
    }
  });

  it('fails the start with an error naming the key of a malformed duration', async () => {
    await expect(
      startSuite({ correlationConfig: { groupWindow: 'half an hour' } }),
    ).rejects.toThrow(/aiops\.correlation\.groupWindow is not a duration/);
  });
});
