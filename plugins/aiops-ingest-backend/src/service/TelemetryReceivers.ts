import type { TelemetryInput } from './inputs';
import {
  CumulativeToDelta,
  RecentClientSpans,
  parseOtlpLogs,
  parseOtlpMetrics,
  parseOtlpTraces,
} from './otlp';

/**
 * The OTLP parsers with the state they keep between requests in this process: the last
 * cumulative value of each series (to turn cumulative counters into per-minute deltas) and
 * recent client spans (to pair them with server spans that arrive in a later request).
 */
export class TelemetryReceivers {
  private readonly cumulative = new CumulativeToDelta();
  private readonly recentClientSpans = new RecentClientSpans();

  metrics(body: unknown): TelemetryInput {
    return {
      rollups: parseOtlpMetrics(body, this.cumulative),
      exemplars: [],
      edges: [],
    };
  }

  logs(body: unknown): TelemetryInput {
    return parseOtlpLogs(body);
  }

  traces(body: unknown): TelemetryInput {
    return parseOtlpTraces(body, this.recentClientSpans);
  }
}
