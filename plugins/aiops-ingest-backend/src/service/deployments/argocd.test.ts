import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgoCdNotification } from './argocd';
import { inputErrorMessage, fixtureJson } from './__testUtils__/fixtures';

const NOTIFICATIONS_CONFIG = resolve(
  __dirname,
  '../../../../../docs/ingest/argocd-notifications.yaml',
);

/**
 * The webhook body of the `aiops-deployment` template in the shipped ConfigMap: the block
 * scalar under `body: |`, read by indentation (the package has no YAML parser).
 */
function shippedBodyTemplate(): string {
  const lines = readFileSync(NOTIFICATIONS_CONFIG, 'utf8').split('\n');
  const templateAt = lines.findIndex(line =>
    line.includes('template.aiops-deployment: |'),
  );
  const bodyAt = lines.findIndex(
    (line, index) => index > templateAt && /^\s*body: \|\s*$/.test(line),
  );
  const indentOf = (line: string) => line.search(/\S/);
  const bodyIndent = indentOf(lines[bodyAt]);
  const block: string[] = [];
  for (const line of lines.slice(bodyAt + 1)) {
    if (line.trim() && indentOf(line) <= bodyIndent) break;
    block.push(line);
  }
  const margin = Math.min(...block.filter(l => l.trim()).map(indentOf));
  return block.map(line => line.slice(margin)).join('\n');
}

function lookup(vars: object, path: string): unknown {
  return path
    .split('.')
    .slice(1)
    .reduce<any>((value, key) => value?.[key], vars);
}

/**
 * Renders the template the way Argo CD's Go templates with Sprig would, for the only actions
 * the shipped template may use: `toJson .path` and `toJson (coalesce .path …)`. A missing
 * field is nil, which `toJson` writes as `null`; `coalesce` takes the first non-empty value.
 */
function render(template: string, vars: object): string {
  return template.replace(/\{\{([^{}]*)\}\}/g, (_, action: string) => {
    const call =
      /^\s*toJson\s+(?:\(coalesce\s+([^)\s][^)]*)\)|(\.[\w.]+))\s*$/.exec(
        action,
      );
    if (!call) {
      throw new Error(`this test cannot render {{${action}}}`);
    }
    const value = call[2]
      ? lookup(vars, call[2])
      : call[1]
          .trim()
          .split(/\s+/)
          .map(path => lookup(vars, path))
          .find(candidate => candidate !== undefined && candidate !== '');
    return JSON.stringify(value ?? null);
  });
}

const CONTEXT = {
  argocdUrl: 'https://argocd.example.com',
  environment: 'production',
};
const REVISION = '9d2f1c7be0a4e5d36f18b2c4a7e9013d5b6c8f21';

describe('the shipped Argo CD notification template', () => {
  const template = shippedBodyTemplate();
  const notificationFor = (application: string) =>
    JSON.parse(
      render(template, {
        app: fixtureJson(`argocd/application.${application}.json`),
        context: CONTEXT,
      }),
    );

  it.each(['succeeded', 'running', 'failed'])(
    'renders the checked-in notification for a %s sync',
    application => {
      expect(notificationFor(application)).toEqual(
        fixtureJson(`argocd/notification.${application}.json`),
      );
    },
  );

  it('produces a deployment when the sync is done', () => {
    expect(parseArgoCdNotification(notificationFor('succeeded'))).toEqual([
      {
        source: 'argocd',
        externalId: `argocd:cart-prod:${REVISION}:2026-11-24T14:02:11.000Z`,
        labels: {
          app: 'cart-prod',
          namespace: 'shop',
          project: 'shop',
          'app.kubernetes.io/name': 'cartservice',
          team: 'checkout',
        },
        environment: 'production',
        version: REVISION,
        status: 'succeeded',
        startedAt: '2026-11-24T14:02:11.000Z',
        finishedAt: '2026-11-24T14:02:19.000Z',
        url: 'https://argocd.example.com/applications/cart-prod',
        commit: REVISION,
        actor: 'alice@acme.example',
      },
    ]);
  });

  it('gives the running sync, which has no syncResult yet, the same id as its outcome', () => {
    const running = fixtureJson('argocd/application.running.json');
    expect(running.status.operationState).not.toHaveProperty('syncResult');
    const [started] = parseArgoCdNotification(notificationFor('running'));
    const [succeeded] = parseArgoCdNotification(notificationFor('succeeded'));
    expect(started).toMatchObject({
      status: 'started',
      version: REVISION,
      finishedAt: undefined,
    });
    expect(started.externalId).toBe(succeeded.externalId);
  });

  it('reports a failed automated sync without an actor', () => {
    const [failed] = parseArgoCdNotification(notificationFor('failed'));
    expect(failed).toMatchObject({ status: 'failed', actor: undefined });
  });
});

describe('parseArgoCdNotification', () => {
  const notification = {
    app: 'cart-prod',
    revision: '1.8.0',
    operationPhase: 'Succeeded',
    startedAt: '2026-11-24T14:02:11Z',
  };

  it('keeps a Helm chart version as the version but not as a commit', () => {
    const [deployment] = parseArgoCdNotification(notification);
    expect(deployment).toMatchObject({ version: '1.8.0', commit: undefined });
  });

  it('defaults the environment and adds only the labels it has', () => {
    const [deployment] = parseArgoCdNotification(notification);
    expect(deployment.environment).toBe('production');
    expect(deployment.labels).toEqual({ app: 'cart-prod' });
  });

  it("lets the Application's labels override the app name label", () => {
    const [deployment] = parseArgoCdNotification({
      ...notification,
      labels: { app: 'cartservice' },
    });
    expect(deployment.labels.app).toBe('cartservice');
  });

  it('links to the Application without doubling slashes', () => {
    const [deployment] = parseArgoCdNotification({
      ...notification,
      app: 'cart prod',
      argocdUrl: 'https://argocd.example.com/',
    });
    expect(deployment.url).toBe(
      'https://argocd.example.com/applications/cart%20prod',
    );
  });

  it('links to the Application under a URL ending in 100,000 slashes', () => {
    // Linear by construction, and regexp/no-super-linear-move keeps `/\/+$/` out of the
    // repo: the behaviour is what a unit test can check without a flaky timing.
    const [deployment] = parseArgoCdNotification({
      ...notification,
      argocdUrl: `https://argocd.example.com${'/'.repeat(100_000)}`,
    });
    expect(deployment.url).toBe(
      'https://argocd.example.com/applications/cart-prod',
    );
  });

  it('links to an Application whose name holds a lone UTF-16 surrogate instead of throwing', () => {
    const [deployment] = parseArgoCdNotification({
      ...notification,
      app: 'cart\ud800',
      argocdUrl: 'https://argocd.example.com',
    });
    expect(deployment.url).toBe(
      'https://argocd.example.com/applications/cart%EF%BF%BD',
    );
  });

  it('takes the previous revision when the template sends one', () => {
    const [deployment] = parseArgoCdNotification({
      ...notification,
      previousRevision: '1.7.3',
    });
    expect(deployment.previousVersion).toBe('1.7.3');
  });

  it.each([
    [{ ...notification, revision: '<no value>' }, 'revision is required'],
    [{ ...notification, app: null }, 'app is required'],
    [
      { ...notification, operationPhase: 'Terminating' },
      'operationPhase must be one of',
    ],
    [{ ...notification, startedAt: 'now' }, 'startedAt must be an RFC 3339'],
    [
      { ...notification, labels: { replicas: 3 } },
      'labels.replicas must be a string',
    ],
    ['{}', 'body must be an object'],
  ])('rejects %j: %s', (body, message) => {
    expect(inputErrorMessage(() => parseArgoCdNotification(body))).toContain(
      message,
    );
  });
});
