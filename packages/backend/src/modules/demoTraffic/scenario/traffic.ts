import { createPrng, mixSeed, type Prng } from '../prng';
import type { Attributes } from '../otlp';
import { INSTRUMENTED, SERVICES, type ServiceId } from '../services';
import {
  cartBuggyBuildLive,
  cartVersionAt,
  ledgerDiskUtilization,
  redisStress,
} from '../storyline';
import { TraceRecorder } from './recorder';

/** Resource attributes and trace generation shared by the tick. */
export class Traffic {
  constructor(readonly rng: Prng, readonly origin: number) {}

  /**
   * Generates one trace whose root starts near `nominalStartMs`, moved earlier if needed so
   * that it ends by `latestEndMs`.
   */
  trace(
    nominalStartMs: number,
    latestEndMs: number,
    root: (trace: TraceRecorder) => void,
  ): TraceRecorder {
    const trace = new TraceRecorder(this.rng, {
      stress: redisStress(nominalStartMs, this.origin),
      buggyCart: cartBuggyBuildLive(nominalStartMs, this.origin),
      disk: ledgerDiskUtilization(nominalStartMs, this.origin),
    });
    root(trace);
    const durationUs = trace.endUs();
    const startUs = Math.min(
      nominalStartMs * 1000,
      latestEndMs * 1000 - durationUs - 1000,
    );
    trace.shift(Math.round(startUs));
    return trace;
  }

  /** A service's resource attributes: the same for its traces, metrics and logs. */
  resource(id: ServiceId, time: number): Attributes {
    const service = SERVICES[id];
    const version =
      id === 'cart' ? cartVersionAt(time, this.origin) : service.version;
    return {
      'service.name': service.serviceName,
      'service.namespace': service.namespace,
      'service.version': version,
      'deployment.environment.name': 'production',
      'k8s.namespace.name': service.namespace,
      'k8s.pod.name': `${service.serviceName}-${podSuffix(
        service.serviceName,
        version,
      )}`,
      'telemetry.sdk.language': service.language,
    };
  }
}

/** A stable pod name suffix per (service, version), like a Deployment's ReplicaSet hash. */
function podSuffix(name: string, version: string): string {
  const rng = createPrng(
    mixSeed(...[...`${name}@${version}`].map(c => c.charCodeAt(0))),
  );
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const pick = (n: number) =>
    Array.from({ length: n }, () => rng.pick([...alphabet])).join('');
  return `${pick(9)}-${pick(5)}`;
}

/** The instrumentation scope a service's telemetry comes from. */
export function scopeOf(service: ServiceId) {
  if (!INSTRUMENTED.has(service))
    return { name: 'otelcol/filelogreceiver', version: '0.104.0' };
  return {
    name: `opentelemetry-${SERVICES[service].language}`,
    version: '1.27.0',
  };
}
