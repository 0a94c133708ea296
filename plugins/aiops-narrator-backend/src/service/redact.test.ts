import { MAX_REDACTED, redact, redactDeep } from './redact';

/* Seeded secrets of each kind; none of them is real. */
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SECRETS: Array<[string, string]> = [
  ['jwt', `token in the header: ${JWT}`],
  [
    'bearer',
    'curl -H "Authorization: Bearer abcdef0123456789ABCDEFxyz" http://cart',
  ],
  ['bearer', 'Authorization: Basic dXNlcjpodW50ZXIy'],
  [
    'connection-string',
    'cannot reach postgres://cart_app:hunter2@db.internal:5432/cart',
  ],
  ['connection-string', 'redis://:s3cr3t-pass@redis-cart:6379/0 refused'],
  ['password', 'login failed with password=hunter2 for cart_app'],
  ['password', 'Server=db;User Id=app;Password=Tr0ub4dor&3;'],
  ['password', '{"api_key": "k-12345-secret", "user": "x"}'],
  ['password', 'client_secret: 9f8e7d6c5b4a'],
  ['api-key', 'aws key AKIAIOSFODNN7EXAMPLE leaked'],
  ['api-key', 'github token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB'],
  ['api-key', 'slack xoxb-123456789012-abcdefghijkl'],
  ['api-key', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['api-key', 'mistral sk-proj-abcdefghijklmnopqrstuvwx'],
  ['email', 'paged jo.checkout@acme.example about it'],
  [
    'token',
    'session Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZkdISUpLTE1O in cookie',
  ],
  [
    'private-key',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc+/=\n-----END RSA PRIVATE KEY-----',
  ],
];

const secretOf = (text: string) =>
  [
    JWT,
    'abcdef0123456789ABCDEFxyz',
    'dXNlcjpodW50ZXIy',
    'hunter2',
    's3cr3t-pass',
    'Tr0ub4dor',
    'k-12345-secret',
    '9f8e7d6c5b4a',
    'AKIAIOSFODNN7EXAMPLE',
    'ghp_1234567890',
    'xoxb-123456789012',
    'sk_live_4eC39',
    'sk-proj-abc',
    'jo.checkout@acme.example',
    'Zm9vYmFyQmF6',
    'MIIEowIBAAKCAQEA7',
  ].filter(secret => text.includes(secret));

describe('redact', () => {
  it.each(SECRETS)('removes a %s', (kind, text) => {
    const { text: redacted, found } = redact(text);
    expect(secretOf(text)).not.toEqual([]);
    expect(secretOf(redacted)).toEqual([]);
    expect(found).toHaveProperty([kind]);
    expect(redacted).toContain(`[REDACTED:${kind}]`);
  });

  it('keeps what is evidence: hosts, commit SHAs, ids, versions', () => {
    const text =
      'cart 2.790.23 (commit 3f786850e387550fdab836ed7e6dc881de23001b) alert a-cart-1 on redis-cart:6379, incident 123e4567-e89b-12d3-a456-426614174000';
    expect(redact(text)).toEqual({ text, found: {}, truncated: false });
    expect(
      redact('postgres://cart_app:hunter2@db.internal:5432/cart').text,
    ).toBe('postgres://[REDACTED:connection-string]@db.internal:5432/cart');
  });

  it('applies configured patterns', () => {
    expect(
      redact('customer ACME-CUST-00042 failed', {
        patterns: ['ACME-CUST-\\d{5}'],
      }),
    ).toEqual({
      text: 'customer [REDACTED:custom] failed',
      found: { custom: 1 },
      truncated: false,
    });
  });

  it('cuts overlong input and stays linear on hostile input', () => {
    const hostile = `password=${'a'.repeat(100_000)} ${'x@'.repeat(50_000)}`;
    const started = process.hrtime.bigint();
    const result = redact(hostile);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(MAX_REDACTED);
  });

  it('redacts every string of plain data and leaves the input alone', () => {
    const facts = {
      alerts: [{ name: 'DbDown', description: 'password=hunter2' }],
      count: 2,
    };
    expect(redactDeep(facts)).toEqual({
      alerts: [{ name: 'DbDown', description: 'password=[REDACTED:password]' }],
      count: 2,
    });
    expect(facts.alerts[0].description).toBe('password=hunter2');
  });
});
