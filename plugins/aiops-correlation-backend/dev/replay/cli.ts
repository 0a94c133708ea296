import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readDurationMs } from '@aiops/plugin-aiops-node';
import { parse as parseYaml } from 'yaml';
import { readCorrelationConfig } from '../../src/config';
import { readAlertHistory } from './alertHistory';
import { loadReplayCatalog } from './catalog';
import { readDeploymentHistory } from './deploymentHistory';
import { replayHistory } from './replay';
import { formatReplayReport, replayReport } from './report';

export const USAGE = `Runs recorded alerts through the AIOps pipeline and prints the incidents it opens.

npm run replay -- --catalog <file|url> --alerts <file> [options]

  --catalog <file|url>   Backstage entity YAML (repeatable), JSON saved from
                         /api/catalog/entities, or that URL of a running Backstage
  --token <token>        Bearer token for a --catalog URL
  --alerts <file>        Alertmanager or Grafana webhook log (JSON lines or a JSON
                         array of notifications) or /api/v2/alerts dumps (repeatable)
  --deployments <file>   CDEvents or generic deployment events (repeatable)
  --config <file>        app-config YAML whose aiops.correlation settings apply
                         (repeatable, later files win); defaults otherwise
  --tick <duration>      how often time passes, ISO 8601 (default: the configured
                         aiops.correlation.tickInterval, PT5S)
  --db <file>            keep the incidents in this new SQLite file (default: memory)
  --json                 print the report as JSON
  --verbose              log what the engine logs (to stderr)
  --help                 print this`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths are read from here. */
  cwd: string;
}

/** Runs the replay; answers the exit code (0 done, 2 bad arguments or input, 1 failure). */
export async function runReplayCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseArguments(argv);
    if (args.help) {
      io.stdout(USAGE);
      return 0;
    }
    const file = (p: string) => path.resolve(io.cwd, p);
    const rootConfig = readConfigFiles(args.config.map(file));
    const config = readConfig(() => readCorrelationConfig(rootConfig));
    const tickMs = args.tick ? readTick(args.tick) : config.tickIntervalMs;
    const catalog = await loadReplayCatalog(
      args.catalog.map(location => ({
        location: /^https?:\/\//i.test(location) ? location : file(location),
        token: args.token,
      })),
    );
    const alerts = readAlertHistory(args.alerts.map(file));
    const deployments = readDeploymentHistory(args.deployments.map(file));
    const result = await replayHistory({
      catalog,
      alerts,
      deployments,
      config,
      tickMs,
      databaseFile: args.db ? file(args.db) : undefined,
      logger: stderrLogger(io.stderr, args.verbose),
    });
    const report = replayReport(result);
    io.stdout(
      args.json ? JSON.stringify(report, null, 2) : formatReplayReport(report),
    );
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(
        `replay: ${error.message}\n(npm run replay -- --help for the options)`,
      );
      return 2;
    }
    io.stderr(`replay failed: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

function parseArguments(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        catalog: { type: 'string', multiple: true },
        token: { type: 'string' },
        alerts: { type: 'string', multiple: true },
        deployments: { type: 'string', multiple: true },
        config: { type: 'string', multiple: true },
        tick: { type: 'string' },
        db: { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  const args = {
    catalog: values.catalog ?? [],
    alerts: values.alerts ?? [],
    deployments: values.deployments ?? [],
    config: values.config ?? [],
    token: values.token,
    tick: values.tick,
    db: values.db,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
  if (!args.help) {
    if (args.catalog.length === 0)
      throw new InputError('--catalog is required');
    if (args.alerts.length === 0) throw new InputError('--alerts is required');
  }
  return args;
}

/** A setting the plugin would refuse at start is the user's input error here. */
function readConfig<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new InputError(`--config: ${(error as Error).message}`);
  }
}

function readConfigFiles(files: string[]): ConfigReader {
  return ConfigReader.fromConfigs(
    files.map(file => {
      let data: unknown;
      try {
        data = parseYaml(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new InputError(
          `--config ${file}: cannot read it (${(error as Error).message})`,
        );
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new InputError(
          `--config ${file}: not an app-config (a YAML map)`,
        );
      }
      return { context: file, data: data as Record<string, never> };
    }),
  );
}

function readTick(value: string): number {
  let ms = Number.NaN;
  try {
    ms = readDurationMs(new ConfigReader({ tick: value }), 'tick', {
      seconds: 5,
    });
  } catch {
    // Reported below, naming the flag rather than a config key.
  }
  if (!(ms > 0)) {
    throw new InputError(
      `--tick must be a positive ISO 8601 duration such as PT30S, got "${value}"`,
    );
  }
  return ms;
}

function stderrLogger(
  write: (text: string) => void,
  verbose: boolean,
): LoggerService {
  const log = (level: string) => (message: string) =>
    write(`[${level}] ${message}`);
  const quiet = () => {};
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: verbose ? log('info') : quiet,
    debug: verbose ? log('debug') : quiet,
    child: () => logger,
  };
  return logger;
}

if (require.main === module) {
  runReplayCli(process.argv.slice(2), {
    stdout: text => process.stdout.write(`${text}\n`),
    stderr: text => process.stderr.write(`${text}\n`),
    // npm runs scripts in the repository root; paths are meant from where it was called.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  }).then(code => {
    process.exitCode = code;
  });
}
