import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { runReplayCli } from '../dev/replay/cli';
import type { ReplayReport } from '../dev/replay/report';
import { entitiesFromYaml } from './evaluation/demoCatalog';

const REPO = path.resolve(__dirname, '../../..');
const EXAMPLES = 'examples/replay';
const CATALOG = `${EXAMPLES}/catalog.yaml`;
const WEBHOOK_LOG = `${EXAMPLES}/alertmanager-webhook.jsonl`;
const API_DUMP = `${EXAMPLES}/alertmanager-api-v2-alerts.json`;
const DEPLOYMENTS = `${EXAMPLES}/deployments.jsonl`;

async function replay(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReplayCli(argv, {
    stdout: text => out.push(text),
    stderr: text => err.push(text),
    cwd: REPO,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function replayJson(...argv: string[]): Promise<ReplayReport> {
  const { code, stdout, stderr } = await replay(...argv, '--json');
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout);
}

const incidentOf = (report: ReplayReport, alertTitle: string) =>
  report.incidents.find(i => i.alerts.some(a => a.title === alertTitle));

/** A running Backstage's catalog: the example entities, two per page, behind a token. */
const CATALOG_URL = 'https://backstage.example/api/catalog/entities/by-query';
const catalogEntities = entitiesFromYaml(
  fs.readFileSync(path.join(REPO, CATALOG), 'utf8'),
);
const server = setupServer(
  http.get(CATALOG_URL, ({ request }) => {
    if (request.headers.get('authorization') !== 'Bearer s3cret') {
      return HttpResponse.json(
        { error: { name: 'AuthenticationError', message: 'no token' } },
        { status: 401 },
      );
    }
    const from = Number(new URL(request.url).searchParams.get('cursor') ?? 0);
    const next = from + 2;
    return HttpResponse.json({
      items: catalogEntities.slice(from, next),
      pageInfo:
        next < catalogEntities.length ? { nextCursor: String(next) } : {},
    });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('npm run replay', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-replay-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('replays an Alertmanager webhook log into incidents with root causes', async () => {
    const report = await replayJson(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
    );

    // The database outage, its dependents' symptoms (one from Grafana) in one incident.
    const outage = incidentOf(report, 'PostgresDown')!;
    expect(outage).toMatchObject({
      severity: 'critical',
      status: 'resolved',
      primaryEntityRef: 'resource:default/orders-db',
      owner: 'group:default/data-team',
      alertCount: 4,
    });
    expect(outage.title).toContain('PostgresDown');
    expect(outage.rootCauses[0].entityRef).toBe('resource:default/orders-db');
    expect(outage.rootCauses.map(c => c.entityRef)).toEqual([
      'resource:default/orders-db',
      'component:default/orders',
      'component:default/storefront',
    ]);
    expect(outage.alerts.map(a => a.title).sort()).toEqual([
      'HTTP5xxRatio',
      'HighErrorRate',
      'PostgresDown',
      'StorefrontLatency',
    ]);
    // No fingerprint sent: derived from the labels, and the resolve found the same alert.
    const down = outage.alerts.find(a => a.title === 'PostgresDown')!;
    expect(down.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(down.status).toBe('resolved');
    // No status sent, but a real endsAt: resolved.
    expect(outage.alerts.find(a => a.title === 'HighErrorRate')?.status).toBe(
      'resolved',
    );
    expect(outage.resolvedAt! > outage.openedAt).toBe(true);

    // An hour later and unrelated: an incident of its own.
    expect(incidentOf(report, 'SMTPErrors')).toMatchObject({
      primaryEntityRef: 'component:default/mailer',
      alertCount: 1,
      status: 'open',
    });
    expect(incidentOf(report, 'SMTPErrors')!.id).not.toBe(outage.id);

    expect(report.summary).toMatchObject({
      alerts: 6,
      firingDeliveries: 6,
      alertDeliveries: 10,
      incidents: 3,
      compression: 0.5,
      unowned: {
        alerts: 1,
        reasons: [
          {
            reason: expect.stringContaining('service="legacy-batch"'),
            alerts: ['DiskFull (legacy-batch)'],
          },
        ],
      },
    });
  });

  it('reads the same log as one JSON array of notifications', async () => {
    const lines = fs
      .readFileSync(path.join(REPO, WEBHOOK_LOG), 'utf8')
      .split('\n')
      .filter(Boolean);
    const array = write('notifications.json', `[${lines.join(',\n')}]`);
    const fromArray = await replayJson('--catalog', CATALOG, '--alerts', array);
    const fromLines = await replayJson(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
    );
    expect(fromArray.incidents).toEqual(fromLines.incidents);
  });

  it('prints the incidents and the summary for a person', async () => {
    const { code, stdout } = await replay(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /root causes:\n +1\. resource:default\/orders-db +0\.\d\d +\S/,
    );
    expect(stdout).toMatch(/compression +50\.0 %/);
    expect(stdout).toMatch(
      /unowned alerts +1\n +1× label service="legacy-batch"/,
    );
  });

  it('replays an /api/v2/alerts dump, and a later dump without an alert resolves it', async () => {
    const single = await replayJson('--catalog', CATALOG, '--alerts', API_DUMP);
    const outage = incidentOf(single, 'PostgresDown')!;
    expect(outage).toMatchObject({
      status: 'open',
      primaryEntityRef: 'resource:default/orders-db',
      alertCount: 3,
    });
    expect(outage.rootCauses[0].entityRef).toBe('resource:default/orders-db');
    // Its endsAt lies before the dump was taken: it fired and ended.
    expect(incidentOf(single, 'CPUThrottlingHigh')).toMatchObject({
      status: 'resolved',
      alerts: [expect.objectContaining({ status: 'resolved' })],
    });

    // The same dump, then an empty one the log stamped: everything has ended by then.
    const dump = JSON.stringify(
      JSON.parse(fs.readFileSync(path.join(REPO, API_DUMP), 'utf8')),
    );
    const series = write(
      'dumps.jsonl',
      `${dump}\n${JSON.stringify({
        receivedAt: '2026-11-20T10:30:00Z',
        body: [],
      })}\n`,
    );
    const later = await replayJson('--catalog', CATALOG, '--alerts', series);
    expect(incidentOf(later, 'PostgresDown')).toMatchObject({
      status: 'resolved',
      alerts: expect.arrayContaining([
        expect.objectContaining({ title: 'PostgresDown', status: 'resolved' }),
      ]),
    });
  });

  it('takes deployments and the correlation config into account', async () => {
    const withDeploy = await replayJson(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
      '--deployments',
      DEPLOYMENTS,
    );
    expect(withDeploy.summary.deployments).toBe(1);
    expect(incidentOf(withDeploy, 'PostgresDown')!.rootCauses[0]).toMatchObject(
      {
        entityRef: 'resource:default/orders-db',
        reasons: expect.arrayContaining([
          expect.stringContaining('deployed 16.4-migration-42'),
        ]),
      },
    );

    const config = write(
      'app-config.yaml',
      'aiops:\n  correlation:\n    topology:\n      enabled: false\n',
    );
    const perEntity = await replayJson(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
      '--config',
      config,
    );
    // Without the catalog's edges, orders-db, orders and storefront page apart.
    expect(incidentOf(perEntity, 'HighErrorRate')!.id).not.toBe(
      incidentOf(perEntity, 'PostgresDown')!.id,
    );
    expect(perEntity.summary.incidents).toBeGreaterThan(3);
  });

  it('reads the catalog of a running Backstage, page by page, with a token', async () => {
    const report = await replayJson(
      '--catalog',
      `${CATALOG_URL}?filter=kind=component,kind=resource,kind=group,kind=system`,
      '--token',
      's3cret',
      '--alerts',
      WEBHOOK_LOG,
    );
    expect(incidentOf(report, 'PostgresDown')).toMatchObject({
      primaryEntityRef: 'resource:default/orders-db',
      owner: 'group:default/data-team',
      alertCount: 4,
    });

    const refused = await replay(
      '--catalog',
      CATALOG_URL,
      '--alerts',
      WEBHOOK_LOG,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `--catalog ${CATALOG_URL}: answered 401 Unauthorized (pass a token with --token)`,
    );
  });

  it('keeps the incidents in a new SQLite file with --db, and will not reuse one', async () => {
    const db = path.join(tmp, 'replay.sqlite');
    const report = await replayJson(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
      '--db',
      db,
    );
    const client = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: db },
      useNullAsDefault: true,
    });
    try {
      const rows = await client('incidents').select('id').orderBy('id');
      expect(rows.map(r => r.id)).toEqual(
        report.incidents.map(i => i.id).sort(),
      );
    } finally {
      await client.destroy();
    }

    const again = await replay(
      '--catalog',
      CATALOG,
      '--alerts',
      WEBHOOK_LOG,
      '--db',
      db,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--db ${db} exists`);
  });

  describe('refuses bad arguments and input with a clear message', () => {
    it.each([
      [['--catalog', CATALOG], '--alerts is required'],
      [['--alerts', WEBHOOK_LOG], '--catalog is required'],
      [
        ['--catalog', CATALOG, '--alerts', WEBHOOK_LOG, '--since', 'x'],
        "Unknown option '--since'",
      ],
      [
        ['--catalog', CATALOG, '--alerts', 'examples/replay/missing.jsonl'],
        'examples/replay/missing.jsonl: cannot read it (ENOENT',
      ],
      [
        ['--catalog', 'missing.yaml', '--alerts', WEBHOOK_LOG],
        'missing.yaml: cannot read it',
      ],
      [
        ['--catalog', CATALOG, '--alerts', CATALOG],
        `catalog.yaml:1: neither the file nor this line is JSON`,
      ],
      [
        ['--catalog', CATALOG, '--alerts', WEBHOOK_LOG, '--tick', 'PT0S'],
        '--tick must be a positive ISO 8601 duration such as PT30S, got "PT0S"',
      ],
    ])('%j', async (argv, message) => {
      const { code, stdout, stderr } = await replay(...argv);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(message);
    });

    it('names the file, the line and the field of a malformed notification', async () => {
      const bad = write(
        'bad.jsonl',
        `${
          fs.readFileSync(path.join(REPO, WEBHOOK_LOG), 'utf8').split('\n')[0]
        }\n${JSON.stringify({
          status: 'firing',
          alerts: [{ labels: { alertname: 'X' }, startsAt: 'yesterday' }],
        })}\n`,
      );
      const { code, stderr } = await replay(
        '--catalog',
        CATALOG,
        '--alerts',
        bad,
      );
      expect(code).toBe(2);
      expect(stderr).toContain(
        `--alerts ${bad}:2: alerts[0].startsAt must be an RFC 3339 timestamp`,
      );
    });

    it('says what it expected of a file in neither format', async () => {
      const other = write('other.json', JSON.stringify({ items: [1, 2] }));
      const { code, stderr } = await replay(
        '--catalog',
        CATALOG,
        '--alerts',
        other,
      );
      expect(code).toBe(2);
      expect(stderr).toContain(
        'neither a webhook notification (an object with alerts[]) nor an /api/v2/alerts dump (an array of alerts)',
      );
    });
  });
});
