import { InputError } from '@backstage/errors';
import {
  lastEnd,
  silenceWindows,
  toCoreSilence,
  validateSilenceSpec,
  backtrackingRisk,
  type SilenceSpec,
  type StoredSilence,
} from './silenceSchedule';

const ms = (iso: string) => Date.parse(iso);

/** Saturdays 02:00–04:00 UTC from 2026-11-28 (a Saturday). */
const weekly: SilenceSpec = {
  matchers: [{ name: 'entity', op: '=', value: 'component:default/cart' }],
  startsAt: '2026-11-28T02:00:00.000Z',
  endsAt: '2026-11-28T04:00:00.000Z',
  rrule: 'FREQ=WEEKLY;BYDAY=SA',
  comment: 'Weekly cart database maintenance',
};

function stored(spec: SilenceSpec, extra: Partial<StoredSilence> = {}) {
  return {
    id: 's1',
    ...spec,
    createdBy: 'user:default/ops',
    createdAt: '2026-11-20T00:00:00.000Z',
    ...extra,
  };
}

describe('validateSilenceSpec', () => {
  it('accepts a weekly window and normalises it', () => {
    expect(
      validateSilenceSpec({
        matchers: [{ name: 'entity', value: 'component:default/cart' }],
        startsAt: '2026-11-28T03:00:00+01:00',
        endsAt: '2026-11-28T05:00:00+01:00',
        rrule: 'RRULE:freq=weekly;byday=sa',
        comment: '  Weekly cart database maintenance ',
      }),
    ).toEqual(weekly);
  });

  it('accepts a one-off silence without rrule', () => {
    const { rrule: _, ...oneOff } = weekly;
    expect(validateSilenceSpec({ ...oneOff, rrule: null })).toEqual(oneOff);
  });

  it.each<[string, unknown, RegExp]>([
    ['a non-object', 'silence', /^silence must be an object/],
    ['no matchers', { matchers: [] }, /^matchers must be an array/],
    [
      'an unknown operator',
      {
        matchers: [
          { name: 'env', value: 'prod' },
          { name: 'team', op: '==', value: 'x' },
        ],
      },
      /^matchers\[1\]\.op must be one of =, !=, =~$/,
    ],
    [
      'a regex that does not compile',
      { matchers: [{ name: 'env', op: '=~', value: '(prod' }] },
      /^matchers\[0\]\.value must be a valid regular expression/,
    ],
    [
      'a matcher without a name',
      { matchers: [{ name: ' ', value: 'x' }] },
      /^matchers\[0\]\.name must be a non-empty string/,
    ],
    [
      'a matcher value that is not a string',
      { matchers: [{ name: 'env', value: 1 }] },
      /^matchers\[0\]\.value must be a string/,
    ],
    [
      'matchers that all match an absent label',
      { matchers: [{ name: 'env', op: '!=', value: 'prod' }] },
      /^matchers must include one that does not match an empty value/,
    ],
    [
      'a free-form start',
      { startsAt: 'next saturday' },
      /^startsAt must be an ISO 8601 timestamp/,
    ],
    [
      'a start without time zone',
      { startsAt: '2026-11-28T02:00:00' },
      /^startsAt must be an ISO 8601 timestamp/,
    ],
    [
      'an end before the start',
      { endsAt: '2026-11-28T01:00:00Z' },
      /^endsAt must be after startsAt/,
    ],
    [
      'an occurrence longer than 31 days',
      { endsAt: '2026-12-30T02:00:00Z' },
      /^endsAt must be at most 31 days after startsAt/,
    ],
    ['an rrule of another type', { rrule: 7 }, /^rrule must be a string/],
    [
      'an unknown rrule part',
      { rrule: 'FREQ=WEEKLY;COLOUR=RED' },
      /^rrule is invalid: Unknown RRULE property 'COLOUR'/,
    ],
    ['an rrule without FREQ', { rrule: 'BYDAY=SA' }, /^rrule must set FREQ/],
    [
      'a minutely rrule',
      { rrule: 'FREQ=MINUTELY' },
      /^rrule FREQ must be HOURLY or coarser/,
    ],
    [
      'an unknown day',
      { rrule: 'FREQ=WEEKLY;BYDAY=XX' },
      /^rrule BYDAY must list days/,
    ],
    [
      'an hour out of range',
      { rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=24' },
      /^rrule BYHOUR must be 0 to 23/,
    ],
    [
      'a COUNT that is not a number',
      { rrule: 'FREQ=WEEKLY;COUNT=many' },
      /^rrule COUNT must be a positive integer/,
    ],
    [
      'both COUNT and UNTIL',
      { rrule: 'FREQ=WEEKLY;COUNT=2;UNTIL=20271212T000000Z' },
      /^rrule must not set both COUNT and UNTIL/,
    ],
    [
      'its own DTSTART',
      { rrule: 'FREQ=WEEKLY;DTSTART=20261128T020000Z' },
      /^rrule must not set DTSTART or TZID/,
    ],
    [
      'more than one line',
      { rrule: 'FREQ=WEEKLY\nEXDATE:20261205T020000Z' },
      /^rrule must be a single RRULE/,
    ],
    [
      'a start that is not an occurrence',
      { rrule: 'FREQ=WEEKLY;BYDAY=SU' },
      /^startsAt must be the first occurrence of rrule \(the next one is 2026-11-29T02:00:00.000Z\)/,
    ],
    [
      'an UNTIL before the start',
      { rrule: 'FREQ=WEEKLY;UNTIL=20261101T000000Z' },
      /^rrule has no occurrence at or after startsAt/,
    ],
    [
      'too many occurrences',
      { rrule: 'FREQ=HOURLY;UNTIL=20301231T000000Z' },
      /^rrule must have at most 10000 occurrences/,
    ],
    // rrule.js walked these period by period to the year 9999, for 20 s to over a minute.
    [
      'dates that never come',
      { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' },
      /^rrule BYMONTHDAY 30 never falls in BYMONTH 2/,
    ],
    [
      'a COUNT of rare dates that would take millennia',
      {
        startsAt: '2028-02-29T00:00:00.000Z',
        endsAt: '2028-02-29T01:00:00.000Z',
        rrule: 'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=0;COUNT=2000',
      },
      /^rrule's occurrences must end within 10 years of startsAt/,
    ],
    ['no comment', { comment: '   ' }, /^comment must be a non-empty string/],
    [
      'a comment that is too long',
      { comment: 'x'.repeat(2001) },
      /^comment must be at most 2000 characters/,
    ],
  ])('rejects %s, naming the field', (_, change, message) => {
    const body =
      typeof change === 'object' && change !== null
        ? { ...weekly, ...change }
        : change;
    expect(() => validateSilenceSpec(body)).toThrow(InputError);
    expect(() => validateSilenceSpec(body)).toThrow(message);
  });
});

describe('silenceWindows', () => {
  it('expands a weekly maintenance window over the range, in order', () => {
    expect(
      silenceWindows(
        stored(weekly),
        ms('2026-12-05T03:00:00Z'),
        ms('2026-12-19T02:00:00Z'),
      ),
    ).toEqual([
      // Started before the range, still open in it.
      {
        startsAt: '2026-12-05T02:00:00.000Z',
        endsAt: '2026-12-05T04:00:00.000Z',
      },
      {
        startsAt: '2026-12-12T02:00:00.000Z',
        endsAt: '2026-12-12T04:00:00.000Z',
      },
      // The range ends as the next one starts: excluded.
    ]);
    // A window that ends as the range starts does not overlap it.
    expect(
      silenceWindows(
        stored(weekly),
        ms('2026-12-05T04:00:00Z'),
        ms('2026-12-12T02:00:00Z'),
      ),
    ).toEqual([]);
    expect(lastEnd(weekly)).toBeUndefined();
  });

  it('takes BY… number lists as sets: sorted, without repeats', () => {
    // Found by silenceSchedule.fuzz.test.ts: rrule.js yields a day's times in the listed order
    // and once per repeat, so 02:00 was refused as the first occurrence ("the next one is
    // 02:30"), windows came out of order and twice, and the last end was not the latest.
    const spec = validateSilenceSpec({
      ...weekly,
      endsAt: '2026-11-28T02:20:00.000Z',
      rrule: 'FREQ=WEEKLY;BYDAY=SA;BYMINUTE=30,0,0;COUNT=4',
    });
    expect(spec.rrule).toBe('FREQ=WEEKLY;BYDAY=SA;BYMINUTE=0,30;COUNT=4');
    expect(lastEnd(spec)).toBe('2026-12-05T02:50:00.000Z');

    // A rule stored as given still expands in order, once per occurrence.
    const unsorted = stored({
      ...spec,
      rrule: 'FREQ=WEEKLY;BYDAY=SA;BYMINUTE=30,0,0',
    });
    expect(
      silenceWindows(
        unsorted,
        ms('2026-12-05T00:00:00Z'),
        ms('2026-12-06T00:00:00Z'),
      ),
    ).toEqual([
      {
        startsAt: '2026-12-05T02:00:00.000Z',
        endsAt: '2026-12-05T02:20:00.000Z',
      },
      {
        startsAt: '2026-12-05T02:30:00.000Z',
        endsAt: '2026-12-05T02:50:00.000Z',
      },
    ]);
  });

  it('keeps UTC times across daylight saving changes', () => {
    const windows = silenceWindows(
      stored(weekly),
      ms('2027-03-01T00:00:00Z'),
      ms('2027-04-10T00:00:00Z'),
    );
    // US (14 March) and EU (28 March) clock changes fall in this range.
    expect(windows.map(w => w.startsAt)).toEqual(
      [6, 13, 20, 27]
        .map(d => `2027-03-${String(d).padStart(2, '0')}T02:00:00.000Z`)
        .concat(['2027-04-03T02:00:00.000Z']),
    );
    expect(
      windows.every(w => ms(w.endsAt) - ms(w.startsAt) === 2 * 3_600_000),
    ).toBe(true);
  });

  it('gives a one-off silence its single window while it overlaps the range', () => {
    const { rrule: _, ...oneOff } = weekly;
    const silence = stored(oneOff);
    const window = {
      startsAt: '2026-11-28T02:00:00.000Z',
      endsAt: '2026-11-28T04:00:00.000Z',
    };
    expect(
      silenceWindows(
        silence,
        ms('2026-11-28T00:00:00Z'),
        ms('2026-11-28T02:00:01Z'),
      ),
    ).toEqual([window]);
    expect(
      silenceWindows(
        silence,
        ms('2026-11-28T00:00:00Z'),
        ms('2026-11-28T02:00:00Z'),
      ),
    ).toEqual([]);
    expect(
      silenceWindows(
        silence,
        ms('2026-11-28T04:00:00Z'),
        ms('2026-11-29T00:00:00Z'),
      ),
    ).toEqual([]);
    expect(lastEnd(oneOff)).toBe(oneOff.endsAt);
    expect(
      toCoreSilence(
        silence,
        ms('2026-11-28T03:00:00Z'),
        ms('2026-11-28T03:01:00Z'),
      ),
    ).toEqual({
      id: 's1',
      matchers: oneOff.matchers,
      windows: [window],
      comment: oneOff.comment,
    });
  });

  it('ends after COUNT occurrences or at UNTIL', () => {
    const counted = { ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=3' };
    const until = {
      ...weekly,
      rrule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20261212T020000Z',
    };
    for (const spec of [counted, until]) {
      expect(lastEnd(spec)).toBe('2026-12-12T04:00:00.000Z');
      expect(
        silenceWindows(
          stored(spec),
          ms('2026-11-01T00:00:00Z'),
          ms('2027-01-01T00:00:00Z'),
        ).map(w => w.startsAt),
      ).toEqual([
        '2026-11-28T02:00:00.000Z',
        '2026-12-05T02:00:00.000Z',
        '2026-12-12T02:00:00.000Z',
      ]);
    }
  });

  it('cuts the windows of an expired silence where it was expired', () => {
    const expired = stored(weekly, {
      expiredAt: '2026-12-05T03:00:00.000Z',
      expiredBy: 'user:default/ops',
    });
    const range = [
      ms('2026-11-01T00:00:00Z'),
      ms('2027-01-01T00:00:00Z'),
    ] as const;
    expect(silenceWindows(expired, ...range)).toEqual([
      {
        startsAt: '2026-11-28T02:00:00.000Z',
        endsAt: '2026-11-28T04:00:00.000Z',
      },
      {
        startsAt: '2026-12-05T02:00:00.000Z',
        endsAt: '2026-12-05T03:00:00.000Z',
      },
    ]);
    expect(
      silenceWindows(
        stored(weekly, { expiredAt: '2026-11-27T00:00:00.000Z' }),
        ...range,
      ),
    ).toEqual([]);
  });
});

describe('backtrackingRisk', () => {
  it('accepts the patterns label matchers need', () => {
    for (const ok of [
      'api|web',
      '.*-prod',
      'cart(service)?',
      '[a-z]+-[0-9]{2}',
      'a\\(b+\\)+',
      '(eu|us)-west',
      '(eu|us)?-west',
      '(?:eu|us)-west',
      '(?:ab)+',
    ]) {
      expect(backtrackingRisk(ok)).toBeUndefined();
    }
  });

  it('refuses patterns that backtrack catastrophically', () => {
    for (const bad of [
      '(a+)+b',
      '(a|aa)*',
      '((ab)*c)+',
      '(x{2,})*y',
      '(a)\\1',
      '(a?){25}a{25}',
      'a'.repeat(300),
    ]) {
      expect(backtrackingRisk(bad)).toBeDefined();
    }
  });

  it('names the field when a silence carries one', () => {
    expect(() =>
      validateSilenceSpec({
        matchers: [{ name: 'job', value: '(a+)+$', op: '=~' }],
        startsAt: '2026-11-25T10:00:00Z',
        endsAt: '2026-11-25T11:00:00Z',
        comment: 'x',
      }),
    ).toThrow(/matchers\[0\]\.value must not repeat a group/);
  });
});
