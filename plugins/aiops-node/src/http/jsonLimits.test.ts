import {
  MAX_JSON_DEPTH,
  jsonTextNestsDeeperThan,
  jsonValueProblem,
} from './jsonLimits';

const nested = (depth: number, leaf = '1') =>
  `${'{"a":['.repeat(depth / 2)}${leaf}${']}'.repeat(depth / 2)}`;
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonTextNestsDeeperThan', () => {
  it('allows the limit and refuses one level more', () => {
    expect(jsonTextNestsDeeperThan(bytes(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonTextNestsDeeperThan(bytes(`[${nested(MAX_JSON_DEPTH)}]`))).toBe(
      true,
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = `{"a":"${'[{'.repeat(100)}\\"${'['.repeat(
      100,
    )}","b":["é\\\\"]}`;
    expect(JSON.parse(text)).toBeDefined();
    expect(jsonTextNestsDeeperThan(bytes(text), 2)).toBe(false);
    expect(jsonTextNestsDeeperThan(bytes(text), 1)).toBe(true);
  });

  it('scans a megabyte of open brackets', () => {
    expect(jsonTextNestsDeeperThan(bytes('['.repeat(1 << 20)))).toBe(true);
  });
});

describe('jsonValueProblem', () => {
  it('accepts nesting up to the limit and well-formed text, emoji included', () => {
    expect(
      jsonValueProblem(JSON.parse(nested(MAX_JSON_DEPTH))),
    ).toBeUndefined();
    expect(
      jsonValueProblem(JSON.parse('{"a":"\\ud83d\\ude00","\\ud83d\\ude00":1}')),
    ).toBeUndefined();
  });

  it('names the limit for deeper values, without overflowing on 100,000 levels', () => {
    expect(jsonValueProblem(JSON.parse(`[${nested(MAX_JSON_DEPTH)}]`))).toBe(
      'body nests deeper than 64 levels of arrays and objects',
    );
    expect(jsonValueProblem(JSON.parse(nested(100_000)), 'data_base64')).toBe(
      'data_base64 nests deeper than 64 levels of arrays and objects',
    );
  });

  it('names the field holding a lone surrogate, in a value or a key', () => {
    expect(
      jsonValueProblem(
        JSON.parse('{"alerts":[{"labels":{"ok":"x","app":"a\\ud800"}}]}'),
      ),
    ).toMatch(/^alerts\[0\]\.labels\.app holds a lone UTF-16 surrogate/);
    expect(jsonValueProblem(JSON.parse('{"labels":{"\\udc00":"x"}}'))).toMatch(
      /^labels\.\uFFFD holds a lone UTF-16 surrogate/,
    );
    expect(jsonValueProblem('\ud800')).toMatch(/^body holds a lone/);
    expect(
      jsonValueProblem(
        JSON.parse('{"context":{"id":"\\udfff"}}'),
        'data_base64',
      ),
    ).toMatch(/^data_base64\.context\.id holds a lone/);
  });

  it('names the field holding a NUL character, in a value or a key', () => {
    // PostgreSQL refuses NUL in text: a fuzzed Alertmanager label `a\u0000b` answered 500.
    expect(
      jsonValueProblem(
        JSON.parse('{"alerts":[{"labels":{"alertname":"a\\u0000b"}}]}'),
      ),
    ).toBe(
      'alerts[0].labels.alertname holds a NUL character (\\u0000), which cannot be stored',
    );
    expect(
      jsonValueProblem(JSON.parse('{"labels":{"\\u0000":"x"}}'))?.startsWith(
        'labels.\u0000 holds a NUL character',
      ),
    ).toBe(true);
    expect(jsonValueProblem('tab\tand newline\n are fine')).toBeUndefined();
  });

  it('reports the first problem in document order and cuts long keys it echoes', () => {
    const key = 'k'.repeat(10_000);
    expect(jsonValueProblem({ [key]: ['ok', '\udfff'], later: '\ud800' })).toBe(
      `${'k'.repeat(
        100,
      )}…[1] holds a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape); strings must be well-formed Unicode`,
    );
  });
});
