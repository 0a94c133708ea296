import { HttpResponse } from 'msw';
import { interceptHttp } from './__testUtils__/fixtures';
import { parseRetryAfter, postJson, sendResultOf } from './http';

const URL = 'https://receiver.example.com/hook';
const { requests, answerPost } = interceptHttp();

const post = async () =>
  sendResultOf(await postJson(URL, '{"a":1}', { 'x-extra': 'yes' }));

describe('postJson', () => {
  it('POSTs the JSON text as it is, with its content type and the given headers', async () => {
    answerPost(URL, () => new HttpResponse(null, { status: 204 }));

    await expect(post()).resolves.toEqual({ outcome: 'delivered' });
    expect(requests).toEqual([
      {
        method: 'POST',
        url: URL,
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'x-extra': 'yes',
        }),
        body: '{"a":1}',
      },
    ]);
  });

  it('turns a network error into a retry instead of throwing', async () => {
    answerPost(URL, () => HttpResponse.error());

    await expect(post()).resolves.toEqual({
      outcome: 'retry',
      error: expect.stringMatching(/^network error: /),
    });
  });

  it('turns a timeout into a retry that says so', async () => {
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockRejectedValue(
        new DOMException('The operation timed out.', 'TimeoutError'),
      );
    try {
      await expect(post()).resolves.toEqual({
        outcome: 'retry',
        error: 'no response within 10 s',
      });
      expect(fetchSpy.mock.calls[0][1]?.signal).toBeInstanceOf(AbortSignal);
    } finally {
      fetchSpy.mockRestore();
    }
  });
});

describe('sendResultOf', () => {
  it.each([200, 202, 204])('counts %i as delivered', async status => {
    answerPost(URL, () => new HttpResponse(null, { status }));
    await expect(post()).resolves.toEqual({ outcome: 'delivered' });
  });

  it.each([408, 425, 500, 502, 503])('retries %i', async status => {
    answerPost(URL, () => new HttpResponse('busy', { status }));
    await expect(post()).resolves.toEqual({
      outcome: 'retry',
      error: `HTTP ${status}: busy`,
    });
  });

  it('retries 429 when the receiver asks, in delta-seconds', async () => {
    answerPost(
      URL,
      () =>
        new HttpResponse('slow down', {
          status: 429,
          headers: { 'Retry-After': '30' },
        }),
    );
    await expect(post()).resolves.toEqual({
      outcome: 'retry',
      error: 'HTTP 429: slow down',
      retryAfterMs: 30_000,
    });
  });

  it('retries 429 when the receiver asks, as an HTTP date', async () => {
    answerPost(
      URL,
      () =>
        new HttpResponse(null, {
          status: 429,
          headers: { 'Retry-After': 'Thu, 01 Jan 2026 10:02:00 GMT' },
        }),
    );
    const outcome = await postJson(URL, '{}');

    expect(sendResultOf(outcome, Date.parse('2026-01-01T10:00:30Z'))).toEqual({
      outcome: 'retry',
      error: 'HTTP 429',
      retryAfterMs: 90_000,
    });
  });

  it.each([400, 401, 403, 404, 410, 413])('fails %i', async status => {
    answerPost(URL, () => HttpResponse.json({ error: 'nope' }, { status }));
    await expect(post()).resolves.toEqual({
      outcome: 'failed',
      error: `HTTP ${status}: {"error":"nope"}`,
    });
  });

  it('quotes at most 300 characters of the body, on one line', async () => {
    answerPost(
      URL,
      () => new HttpResponse(`bad\n\n  ${'x'.repeat(1000)}`, { status: 400 }),
    );
    const result = await post();

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
