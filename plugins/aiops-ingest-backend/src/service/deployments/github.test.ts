import { createHmac } from 'node:crypto';
import { parseGitHubDeploymentEvent, verifyGitHubSignature } from './github';
import {
  inputErrorMessage,
  fixtureBytes,
  fixtureJson,
} from './__testUtils__/fixtures';

const SECRET = 'webhook-secret-for-tests';

function sign(body: Buffer, secret = SECRET, algorithm = 'sha256') {
  return `${algorithm}=${createHmac(algorithm, secret)
    .update(body)
    .digest('hex')}`;
}

describe('verifyGitHubSignature', () => {
  const body = fixtureBytes('github/deployment_status.success.json');

  it("accepts GitHub's documented test vector", () => {
    expect(
      verifyGitHubSignature(
        Buffer.from('Hello, World!'),
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        "It's a Secret to Everybody",
      ),
    ).toBe(true);
  });

  it('accepts a signature over the exact bytes received', () => {
    expect(verifyGitHubSignature(body, sign(body), SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyGitHubSignature(body, sign(body, 'other'), SECRET)).toBe(
      false,
    );
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(
      body.toString('utf8').replace('"success"', '"failure"'),
    );
    expect(tampered.equals(body)).toBe(false);
    expect(verifyGitHubSignature(tampered, sign(body), SECRET)).toBe(false);
  });

  it('rejects the same JSON serialised differently', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(String(body))));
    expect(verifyGitHubSignature(reserialised, sign(body), SECRET)).toBe(false);
  });

  it.each([
    ['it is missing', undefined],
    ['it is empty', ''],
    ['it has no prefix', sign(body).slice('sha256='.length)],
    ['it is too short', sign(body).slice(0, -2)],
    ['it is too long', `${sign(body)}00`],
    ['it is not hex', `sha256=${'z'.repeat(64)}`],
  ])('rejects the header, without throwing, when %s', (_, header) => {
    expect(verifyGitHubSignature(body, header, SECRET)).toBe(false);
  });

  it('rejects the legacy sha1= signature even when it is right', () => {
    expect(
      verifyGitHubSignature(body, sign(body, SECRET, 'sha1'), SECRET),
    ).toBe(false);
  });

  it('rejects a right SHA-256 digest under another prefix', () => {
    const digest = sign(body).slice('sha256='.length);
    expect(verifyGitHubSignature(body, `sha1=${digest}`, SECRET)).toBe(false);
    expect(verifyGitHubSignature(body, `sha512=${digest}`, SECRET)).toBe(false);
  });

  it('never verifies without a secret', () => {
    expect(verifyGitHubSignature(body, sign(body, ''), '')).toBe(false);
    expect(verifyGitHubSignature(body, sign(body, ''), undefined)).toBe(false);
  });
});

describe('parseGitHubDeploymentEvent', () => {
  const EXTERNAL_ID = 'github:Codertocat/Hello-World#145988746';
  const SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
  const API_URL =
    'https://api.github.com/repos/Codertocat/Hello-World/deployments/145988746';

  it('maps a deployment, whose workflow fields are null, to a started deployment', () => {
    const body = fixtureJson('github/deployment.json');
    expect(body.workflow).toBeNull();
    expect(body.workflow_run).toBeNull();
    expect(parseGitHubDeploymentEvent('deployment', body)).toEqual([
      {
        source: 'github',
        externalId: EXTERNAL_ID,
        labels: { service: 'Hello-World' },
        environment: 'production',
        // the ref is the branch "master", which names no version
        version: SHA,
        status: 'started',
        startedAt: '2019-05-15T15:20:53.000Z',
        url: API_URL,
        commit: SHA,
        actor: 'Codertocat',
      },
    ]);
  });

  it('maps a deployment made by a workflow', () => {
    const body = fixtureJson('github/deployment.gh-pages.json');
    expect(body.workflow).not.toBeNull();
    expect(parseGitHubDeploymentEvent('deployment', body)).toEqual([
      expect.objectContaining({
        externalId: EXTERNAL_ID,
        environment: 'github-pages',
        status: 'started',
        startedAt: '2022-01-03T01:28:30.000Z',
      }),
    ]);
  });

  it('maps a successful deployment_status to a finished deployment of the same id', () => {
    const body = fixtureJson('github/deployment_status.success.json');
    expect(body.deployment_status.target_url).toBe('');
    expect(parseGitHubDeploymentEvent('deployment_status', body)).toEqual([
      {
        source: 'github',
        externalId: EXTERNAL_ID,
        labels: { service: 'Hello-World' },
        environment: 'production',
        version: SHA,
        status: 'succeeded',
        startedAt: '2019-05-15T15:20:53.000Z',
        finishedAt: '2019-05-15T15:20:55.000Z',
        // target_url is "" and there is no environment_url
        url: API_URL,
        commit: SHA,
        actor: 'Codertocat',
      },
    ]);
  });

  it('links an in-progress status to its run when environment_url is ""', () => {
    const body = fixtureJson(
      'github/deployment_status.in_progress.gh-pages.json',
    );
    expect(body.deployment_status.environment_url).toBe('');
    const [deployment] = parseGitHubDeploymentEvent('deployment_status', body);
    expect(deployment).toMatchObject({
      status: 'started',
      finishedAt: undefined,
      url: 'https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true',
    });
  });

  it('falls back to log_url when target_url is ""', () => {
    const body = fixtureJson(
      'github/deployment_status.in_progress.gh-pages.json',
    );
    body.deployment_status.target_url = '';
    const [deployment] = parseGitHubDeploymentEvent('deployment_status', body);
    expect(deployment.url).toBe(body.deployment_status.log_url);
  });

  it('prefers environment_url when there is one', () => {
    const body = fixtureJson('github/deployment_status.success.json');
    body.deployment_status.environment_url = 'https://hello.example.com';
    const [deployment] = parseGitHubDeploymentEvent('deployment_status', body);
    expect(deployment.url).toBe('https://hello.example.com');
  });

  it.each([
    ['pending', 'started'],
    ['queued', 'started'],
    ['waiting', 'started'],
    ['in_progress', 'started'],
    ['success', 'succeeded'],
    ['failure', 'failed'],
    ['error', 'failed'],
  ])('maps state %s to %s', (state, status) => {
    const body = fixtureJson('github/deployment_status.success.json');
    body.deployment_status.state = state;
    const [deployment] = parseGitHubDeploymentEvent('deployment_status', body);
    expect(deployment.status).toBe(status);
    expect(deployment.finishedAt).toBe(
      status === 'started' ? undefined : '2019-05-15T15:20:55.000Z',
    );
  });

  it.each(['inactive', 'superseded', 'constructor'])(
    'ignores state %s',
    state => {
      const body = fixtureJson('github/deployment_status.success.json');
      body.deployment_status.state = state;
      expect(parseGitHubDeploymentEvent('deployment_status', body)).toEqual([]);
    },
  );

  it.each(['ping', 'push', 'workflow_run'])('ignores the %s event', event => {
    expect(
      parseGitHubDeploymentEvent(event, { zen: 'Keep it logically awesome.' }),
    ).toEqual([]);
  });

  it.each([
    ['v1.4.2', 'v1.4.2'],
    ['refs/tags/2026.11.1', '2026.11.1'],
    ['release/next', SHA],
  ])('takes ref %s as version %s', (ref, version) => {
    const body = fixtureJson('github/deployment.json');
    body.deployment.ref = ref;
    const [deployment] = parseGitHubDeploymentEvent('deployment', body);
    expect(deployment.version).toBe(version);
    expect(deployment.commit).toBe(SHA);
  });

  it.each([
    [
      'an object',
      {
        service: 'cartservice',
        'backstage.io/entity-ref': 'component:shop/cart',
      },
    ],
    [
      'a JSON string',
      JSON.stringify({
        service: 'cartservice',
        entityRef: 'component:shop/cart',
      }),
    ],
  ])('keys labels from the deployment payload given as %s', (_, payload) => {
    const body = fixtureJson('github/deployment.json');
    body.deployment.payload = payload;
    const [deployment] = parseGitHubDeploymentEvent('deployment', body);
    expect(deployment.labels).toEqual({
      service: 'cartservice',
      'backstage.io/entity-ref': 'component:shop/cart',
    });
  });

  it.each([['free text'], [['a', 'list']], [{ service: 42 }]])(
    'falls back to the repository name for payload %j',
    payload => {
      const body = fixtureJson('github/deployment.json');
      body.deployment.payload = payload;
      const [deployment] = parseGitHubDeploymentEvent('deployment', body);
      expect(deployment.labels).toEqual({ service: 'Hello-World' });
    },
  );

  it.each([
    ['deployment.environment', (b: any) => delete b.deployment.environment],
    ['deployment.sha', (b: any) => delete b.deployment.sha],
    [
      'deployment.created_at',
      (b: any) => (b.deployment.created_at = 'yesterday'),
    ],
    ['repository.full_name', (b: any) => delete b.repository.full_name],
    ['deployment_status.state', (b: any) => delete b.deployment_status.state],
    ['deployment_status', (b: any) => delete b.deployment_status],
  ])('names %s when it is wrong', (field, mutate) => {
    const body = fixtureJson('github/deployment_status.success.json');
    mutate(body);
    expect(
      inputErrorMessage(() =>
        parseGitHubDeploymentEvent('deployment_status', body),
      ),
    ).toContain(field);
  });
});
