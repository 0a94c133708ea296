'use strict';

/**
 * Starts Debian's Prometheus Alertmanager on 127.0.0.1 with its own temporary storage,
 * clustering off and a single null receiver (no notifications leave the process).
 */

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ALERTMANAGER_BIN =
  process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

function alertmanagerVersion() {
  if (!fs.existsSync(ALERTMANAGER_BIN)) return undefined;
  try {
    const out = execFileSync(ALERTMANAGER_BIN, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n')[0].trim();
  } catch (error) {
    return String(error.stderr ?? error)
      .split('\n')[0]
      .trim();
  }
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, res => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      })
      .on('error', reject);
  });
}

async function startAlertmanager({ port }) {
  if (!fs.existsSync(ALERTMANAGER_BIN)) {
    throw new Error(
      `${ALERTMANAGER_BIN} not found: install Debian's prometheus-alertmanager (apt-get install -y prometheus-alertmanager) or set ALERTMANAGER_BIN`,
    );
  }
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'aiops-bench-alertmanager-'),
  );
  const configFile = path.join(dir, 'alertmanager.yml');
  // JSON is YAML. The default group_wait etc. apply; the null receiver sends nothing.
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      { route: { receiver: 'null' }, receivers: [{ name: 'null' }] },
      null,
      2,
    ),
  );
  let log = '';
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const append = chunk => {
    log = (log + chunk.toString('utf8')).slice(-10_000);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited;
  const exit = new Promise(resolve =>
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`alertmanager ${exited}:\n${log}`);
    try {
      if ((await get(`http://127.0.0.1:${port}/-/ready`)) === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`alertmanager did not become ready in 20 s:\n${log}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }

  return {
    pid: child.pid,
    log: () => log,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startAlertmanager, alertmanagerVersion, ALERTMANAGER_BIN };
