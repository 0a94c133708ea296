import {
  MAX_SCANNED,
  parseClock,
  parseDateTime,
  parseDuration,
  parseNumber,
  scanMentions,
} from './mentions';

const kinds = (text: string) =>
  scanMentions(text)
    .filter(m => m.kind !== 'word')
    .map(m => [m.kind, m.text]);

describe('scanMentions', () => {
  it('reads versions, times, durations and numbers apart', () => {
    expect(
      kinds(
        'cart 2.790.23 was deployed at 07:01 UTC, 3 minutes before 12 alerts (score 0.87, 45.2%).',
      ),
    ).toEqual([
      ['version', '2.790.23'],
      ['clock', '07:01 UTC'],
      ['duration', '3 minutes'],
      ['number', '12'],
      ['number', '0.87'],
      ['percent', '45.2%'],
    ]);
  });

  it('keeps the digits of refs, links, dates and identifiers out of the numbers', () => {
    expect(
      kinds(
        'component:default/cart2 on 2026-11-20 and 2026-11-20T07:04:05Z; see [x](https://a.example/1) or https://b.example/2 or evil.example.com; p99 of redis-cart-2.',
      ),
    ).toEqual([
      ['ref', 'component:default/cart2'],
      ['date', '2026-11-20'],
      ['datetime', '2026-11-20T07:04:05Z'],
      ['link', '[x](https://a.example/1)'],
      ['url', 'https://b.example/2'],
      ['domain', 'evil.example.com'],
      ['identifier', 'p99'],
      ['identifier', 'redis-cart-2'],
    ]);
  });

  it('drops sentence punctuation from what it reads', () => {
    expect(kinds('Deployed v1.2.3. Then component:default/cart.')).toEqual([
      ['version', 'v1.2.3'],
      ['ref', 'component:default/cart'],
    ]);
  });

  it('reads at most MAX_SCANNED characters, in linear time on hostile input', () => {
    const hostile = `${'1.'.repeat(50_000)}${'a-'.repeat(50_000)}`;
    const started = process.hrtime.bigint();
    const mentions = scanMentions(hostile);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
    expect(mentions.every(m => m.index < MAX_SCANNED)).toBe(true);
  });
});

describe('parsers', () => {
  it('parse durations with their unit and precision', () => {
    expect(parseDuration('3 minutes')).toEqual({
      value: 3,
      unitMs: 60_000,
      decimals: 0,
    });
    expect(parseDuration('2.5h')).toEqual({
      value: 2.5,
      unitMs: 3_600_000,
      decimals: 1,
    });
    expect(parseDuration('3 parsecs')).toBeUndefined();
  });

  it('parse numbers with thousands separators', () => {
    expect(parseNumber('1,234')).toBe(1234);
    expect(parseNumber('45.2 %')).toBe(45.2);
  });

  it('parse times of day and timestamps as UTC', () => {
    expect(parseClock('07:04 UTC')).toEqual({ minuteOfDay: 424 });
    expect(parseClock('07:04:05')).toEqual({ minuteOfDay: 424, second: 5 });
    expect(parseClock('25:00')).toBeUndefined();
    expect(parseDateTime('2026-11-20 07:04 UTC')).toBe(
      Date.parse('2026-11-20T07:04:00Z'),
    );
    expect(parseDateTime('2026-11-20T07:04:00+01:00')).toBe(
      Date.parse('2026-11-20T06:04:00Z'),
    );
  });
});
