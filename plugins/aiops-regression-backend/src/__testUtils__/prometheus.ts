import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * A real Prometheus on loopback with known series: the samples are written as OpenMetrics,
 * turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics` (instant, no
 * scraping), and served by `prometheus` started on them. Debian's `prometheus` package
 * provides both (.ci/run installs it).
 */

export interface Sample {
  /** Epoch ms. */
  at: number;
  value: number;
}

export interface SeriesSpec {
  /** Metric name with its suffix, e.g. `http_request_duration_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  samples: Sample[];
}

/** A metric family: its name, type and series (all of the family's samples go together). */
export interface FamilySpec {
  family: string;
  type: 'gauge' | 'counter' | 'histogram';
  series: SeriesSpec[];
}

export interface RunningPrometheus {
  baseUrl: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

export async function hasPrometheus(): Promise<boolean> {
  try {
    await run('promtool', ['--version']);
    await run('prometheus', ['--version']);
    return true;
  } catch {
    return false;
  }
}

function openMetrics(families: FamilySpec[]): string {
  const lines: string[] = [];
  for (const { family, type, series } of families) {
    lines.push(`# TYPE ${family} ${type}`);
    for (const s of series) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      for (const { at, value } of s.samples)
        lines.push(`${s.name}{${labels}} ${value} ${at / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(
  families: FamilySpec[],
): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'aiops-regression-prometheus-'));
  const data = join(dir, 'data.om');
  const tsdb = join(dir, 'tsdb');
  const config = join(dir, 'prometheus.yml');
  await writeFile(data, openMetrics(families));
  await writeFile(config, 'global: {}\n');
  await run('promtool', [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    data,
    tsdb,
  ]);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--storage.tsdb.path=${tsdb}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--config.file=${config}`,
      '--storage.tsdb.retention.time=10y',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error('Prometheus did not become ready');
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return { baseUrl, stop };
}

/**
 * A request-duration histogram (seconds, buckets 0.1, 0.25, 0.5, +Inf) and its count, as the
 * default PromQL templates read it, for one job: `rps` requests a second, each of `latency(i)`
 * seconds at minute i, `errorShare` of them with code 500. Cumulative, one sample a minute.
 */
export function requestHistogram(options: {
  job: string;
  from: number;
  minutes: number;
  rps: number;
  latencySeconds(minute: number): number;
  errorShare?: (minute: number) => number;
}): FamilySpec {
  const bounds = ['0.1', '0.25', '0.5', '+Inf'];
  const family = 'http_request_duration_seconds';
  const series: SeriesSpec[] = [];
  for (const code of ['200', '500']) {
    const buckets = bounds.map(() => [] as Sample[]);
    const counts: Sample[] = [];
    const sums: Sample[] = [];
    const totals = bounds.map(() => 0);
    let count = 0;
    let sum = 0;
    for (let i = 0; i < options.minutes; i++) {
      const at = options.from + i * 60_000;
      const share = options.errorShare?.(i) ?? 0;
      const n = Math.round(
        options.rps * 60 * (code === '500' ? share : 1 - share),
      );
      const latency = options.latencySeconds(i);
      bounds.forEach((b, k) => {
        if (b === '+Inf' || latency <= Number(b)) totals[k] += n;
        buckets[k].push({ at, value: totals[k] });
      });
      count += n;
      sum += n * latency;
      counts.push({ at, value: count });
      sums.push({ at, value: sum });
    }
    const labels = { job: options.job, code };
    bounds.forEach((le, k) =>
      series.push({
        name: `${family}_bucket`,
        labels: { ...labels, le },
        samples: buckets[k],
      }),
    );
    series.push({ name: `${family}_count`, labels, samples: counts });
    series.push({ name: `${family}_sum`, labels, samples: sums });
  }
  return { family, type: 'histogram', series };
}
