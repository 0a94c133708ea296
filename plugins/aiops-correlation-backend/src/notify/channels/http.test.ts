import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localReceiver } from './__testUtils__/localReceiver';
import { parseRetryAfter, postJson, sendResultOf } from './http';
import { isPrivateAddress } from './privateTargets';

const receiver = localReceiver();

/** The receiver is on loopback, a private address: these deliveries opt in. */
const post = async (options: { readBodyBytes?: number } = {}) =>
  sendResultOf(
    await postJson(receiver.url(), '{"a":1}', {
      headers: { 'x-extra': 'yes' },
      allowPrivateTargets: true,
      ...options,
    }),
  );

const answerWith =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  () =>
    receiver.answer(response => response.writeHead(status, headers).end(body));

describe('postJson', () => {
  it('POSTs the JSON text as it is, with its content type and the given headers', async () => {
    await expect(post()).resolves.toEqual({ outcome: 'delivered' });
    expect(receiver.requests).toEqual([
      {
        method: 'POST',
        url: '/hook',
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'content-length': '7',
          'x-extra': 'yes',
        }),
        body: '{"a":1}',
      },
    ]);
  });

  it('turns a refused connection into a retry instead of throwing', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));

    const outcome = await postJson(`http://127.0.0.1:${port}/hook`, '{}', {
      allowPrivateTargets: true,
    });

    expect(sendResultOf(outcome)).toEqual({
      outcome: 'retry',
      error: expect.stringMatching(/^network error: .*ECONNREFUSED/),
    });
  });

  it('turns a timeout into a retry that says so', async () => {
    receiver.answer(() => {
      // Never answers; the client gives up and closes the connection.
    });
    const outcome = await postJson(receiver.url(), '{}', {
      allowPrivateTargets: true,
      timeoutMs: 200,
    });

    expect(sendResultOf(outcome)).toEqual({
      outcome: 'retry',
      error: 'no response within 0.2 s',
    });
  });

  it('does not follow a redirect: the 3xx is a failure naming its status, its body unread', async () => {
    answerWith(302, 'moved to the metadata service', {
      location: receiver.url('/elsewhere'),
    })();

    await expect(post({ readBodyBytes: 1024 })).resolves.toEqual({
      outcome: 'failed',
      error: 'HTTP 302: redirects are not followed',
    });
    expect(receiver.requests.map(request => request.url)).toEqual(['/hook']);
  });
});

describe('private targets', () => {
  it.each([
    ['loopback', (url: string) => url],
    [
      'localhost, refused on its resolved address',
      (url: string) => url.replace('127.0.0.1', 'localhost'),
    ],
    ['IPv6 loopback', (url: string) => url.replace('127.0.0.1', '[::1]')],
  ])(
    'refuses %s without aiops.routing.allowPrivateTargets, sending nothing',
    async (_, toUrl) => {
      const outcome = await postJson(toUrl(receiver.url()), '{}', {
        allowPrivateTargets: false,
      });

      expect(sendResultOf(outcome)).toEqual({
        outcome: 'failed',
        error: expect.stringMatching(
          /(127\.0\.0\.1|::1),? (is )?a private address; set aiops\.routing\.allowPrivateTargets/,
        ),
      });
      expect(receiver.requests).toEqual([]);
    },
  );

  it.each(['not a url', 'ftp://files.example.com/hook'])(
    'fails %p as not an http(s) URL, without throwing',
    async url => {
      const outcome = await postJson(url, '{}', { allowPrivateTargets: true });
      expect(sendResultOf(outcome)).toEqual({
        outcome: 'failed',
        error: 'not an http(s) URL',
      });
    },
  );

  it('refuses the cloud metadata service before connecting', async () => {
    const outcome = await postJson('http://169.254.169.254/latest', '{}', {
      allowPrivateTargets: false,
      timeoutMs: 100,
    });

    expect(sendResultOf(outcome)).toEqual({
      outcome: 'failed',
      error:
        '169.254.169.254 is a private address; set aiops.routing.allowPrivateTargets to send there',
    });
  });

  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '127.1.2.3',
    '0.0.0.0',
    '::',
    '::1',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
  ])('counts %s as private', address => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    'example.com',
  ])('counts %s as public', address => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('sendResultOf', () => {
  it.each([200, 202, 204])('counts %i as delivered', async status => {
    answerWith(status)();
    await expect(post()).resolves.toEqual({ outcome: 'delivered' });
  });

  it.each([408, 425, 500, 502, 503])('retries %i', async status => {
    answerWith(status, 'busy')();
    await expect(post()).resolves.toEqual({
      outcome: 'retry',
      error: `HTTP ${status}`,
    });
  });

  it('retries 429 when the receiver asks, in delta-seconds', async () => {
    answerWith(429, 'slow down', { 'Retry-After': '30' })();
    await expect(post()).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('retries 429 when the receiver asks, as an HTTP date', async () => {
    answerWith(429, '', { 'Retry-After': 'Thu, 01 Jan 2026 10:02:00 GMT' })();
    const outcome = await postJson(receiver.url(), '{}', {
      allowPrivateTargets: true,
    });

    expect(sendResultOf(outcome, Date.parse('2026-01-01T10:00:30Z'))).toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 90_000,
    });
  });

  it.each([400, 401, 403, 404, 410, 413])(
    'fails %i, quoting nothing of an unknown receiver’s answer',
    async status => {
      answerWith(status, '{"error":"nope","token":"s3cret"}')();
      await expect(post()).resolves.toEqual({
        outcome: 'failed',
        error: `HTTP ${status}`,
      });
    },
  );

  it('quotes an API’s answer when asked, at most 300 characters on one line, read up to the limit', async () => {
    answerWith(400, `bad\n\n  ${'x'.repeat(1_000_000)}`)();
    const outcome = await postJson(receiver.url(), '{}', {
      allowPrivateTargets: true,
      readBodyBytes: 4096,
    });

    expect(outcome).toMatchObject({ type: 'response', status: 400 });
    expect(outcome.type === 'response' && outcome.body.length).toBe(4096);
    const result = sendResultOf(outcome);
    expect(result.outcome).toBe('failed');
    const error = result.outcome === 'failed' ? result.error : '';
    expect(error.startsWith('HTTP 400: bad x')).toBe(true);
    expect(error.endsWith('x…')).toBe(true);
    expect(error.length).toBe('HTTP 400: '.length + 300);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T10:00:00Z');

  it.each([
    ['0', 0],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 10:01:00 GMT', 60_000],
    ['Thu, 01 Jan 2026 09:00:00 GMT', 0],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
  ])('reads %p as %p ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
