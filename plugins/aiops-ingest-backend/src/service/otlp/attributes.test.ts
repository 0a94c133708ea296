import { InputError } from '@backstage/errors';
import {
  anyValueToString,
  flattenAttributes,
  labelsKey,
  minuteOf,
  nanosToEpochMillis,
  optionalDouble,
  optionalEnum,
  optionalHexId,
  optionalInt64,
  optionalUnixNanos,
  requireUnixNanos,
  truncate,
} from './attributes';

function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('flattenAttributes', () => {
  it('stringifies every AnyValue kind and keeps all keys', () => {
    const labels = flattenAttributes(
      [
        { key: 'service.name', value: { stringValue: 'cartservice' } },
        { key: 'k8s.namespace.name', value: { stringValue: 'shop-prod' } },
        { key: 'enabled', value: { boolValue: false } },
        { key: 'port.string', value: { intValue: '8080' } },
        { key: 'port.number', value: { intValue: 8080 } },
        { key: 'big', value: { intValue: '9223372036854775807' } },
        { key: 'ratio', value: { doubleValue: 0.5 } },
        {
          key: 'tags',
          value: {
            arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] },
          },
        },
        {
          key: 'map',
          value: {
            kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] },
          },
        },
        { key: 'raw', value: { bytesValue: 'AQI=' } },
        { key: 'empty', value: {} },
        { key: 'missing' },
      ],
      'resource.attributes',
    );
    expect(labels).toEqual({
      'service.name': 'cartservice',
      'k8s.namespace.name': 'shop-prod',
      enabled: 'false',
      'port.string': '8080',
      'port.number': '8080',
      big: '9223372036854775807',
      ratio: '0.5',
      tags: '["a",2]',
      map: '{"k":true}',
      raw: 'AQI=',
    });
  });

  it('ignores unknown fields on key-values and values', () => {
    expect(
      flattenAttributes(
        [
          {
            key: 'a',
            keyStrindex: 3,
            value: { stringValue: 'x', futureValue: 1 },
          },
        ],
        'attributes',
      ),
    ).toEqual({ a: 'x' });
  });

  it('treats null fields as absent, as proto3 JSON does', () => {
    expect(
      flattenAttributes(
        [
          { key: 'port', value: { stringValue: null, intValue: '5' } },
          { key: 'gone', value: null },
        ],
        'attributes',
      ),
    ).toEqual({ port: '5' });
  });

  it('treats absent attributes as none', () => {
    expect(flattenAttributes(undefined, 'attributes')).toEqual({});
    expect(flattenAttributes(null, 'attributes')).toEqual({});
  });

  it('names the path of a wrong type', () => {
    expect(
      inputError(() => flattenAttributes({ key: 'a' }, 'resource.attributes'))
        .message,
    ).toBe('resource.attributes must be an array');
    expect(
      inputError(() =>
        flattenAttributes([{ key: 7, value: {} }], 'resource.attributes'),
      ).message,
    ).toBe('resource.attributes[0].key must be a string');
    expect(
      inputError(() =>
        flattenAttributes(
          [
            {
              key: 'a',
              value: { arrayValue: { values: [{ intValue: 'x' }] } },
            },
          ],
          'attributes',
        ),
      ).message,
    ).toMatch(
      /^attributes\[0\]\.value\.arrayValue\.values\[0\]\.intValue must be a 64-bit integer/,
    );
    expect(
      inputError(() =>
        flattenAttributes(
          [{ key: 'a', value: { stringValue: 5 } }],
          'attributes',
        ),
      ).message,
    ).toBe('attributes[0].value.stringValue must be a string');
  });
});

describe('anyValueToString', () => {
  it('returns strings as they are and other values as JSON', () => {
    expect(anyValueToString({ stringValue: 'boom' }, 'body')).toBe('boom');
    expect(
      anyValueToString(
        {
          kvlistValue: {
            values: [
              { key: 'type', value: { intValue: '0' } },
              { key: 'url', value: { stringValue: 'https://x' } },
            ],
          },
        },
        'body',
      ),
    ).toBe('{"type":0,"url":"https://x"}');
    expect(anyValueToString(undefined, 'body')).toBeUndefined();
  });

  it('converts AnyValues nested to the limit and refuses deeper ones with a 400, not a stack overflow', () => {
    const nest = (levels: number): object => {
      let value: object = { stringValue: 'leaf' };
      for (let level = 1; level < levels; level++) {
        value =
          level % 2
            ? { arrayValue: { values: [value] } }
            : { kvlistValue: { values: [{ key: 'k', value }] } };
      }
      return value;
    };
    expect(anyValueToString(nest(64), 'body')).toMatch(/^\[\{"k":\[\{"k":/);
    expect(
      inputError(() => anyValueToString(nest(100_000), 'body')).message,
    ).toMatch(
      /^body\.arrayValue\.values\[0\]\.kvlistValue\.values\[0\]\.value\..* nests AnyValues deeper than 64 levels$/,
    );
  });
});

describe('optionalInt64', () => {
  it('accepts strings and numbers without losing precision', () => {
    expect(
      optionalInt64('18446744073709551615', 'count', { signed: false }),
    ).toBe(18446744073709551615n);
    expect(optionalInt64(42, 'count', { signed: false })).toBe(42n);
    expect(
      optionalInt64('-9223372036854775808', 'asInt', { signed: true }),
    ).toBe(-9223372036854775808n);
    expect(
      optionalInt64(undefined, 'count', { signed: false }),
    ).toBeUndefined();
  });

  it.each([
    ['-1'],
    [-1],
    ['1.5'],
    [1.5],
    ['12abc'],
    [''],
    [true],
    [{}],
    ['18446744073709551616'],
  ])('rejects %p as an unsigned 64-bit integer', value => {
    expect(
      inputError(() => optionalInt64(value, 'a.count', { signed: false }))
        .message,
    ).toMatch(/^a\.count must be a non-negative 64-bit integer/);
  });
});

describe('Unix nanoseconds', () => {
  it('keeps full precision for string timestamps', () => {
    // As a double this rounds up into the next minute.
    const nanos = requireUnixNanos('1764000059999999999', 'timeUnixNano');
    expect(nanosToEpochMillis(nanos)).toBe(1764000059999);
    expect(minuteOf(nanosToEpochMillis(nanos))).toBe(1764000000000);
  });

  it('accepts numbers', () => {
    expect(
      nanosToEpochMillis(requireUnixNanos(1764000030000000000, 'timeUnixNano')),
    ).toBe(1764000030000);
  });

  it('treats 0 and absence as unspecified', () => {
    expect(optionalUnixNanos('0', 'timeUnixNano')).toBeUndefined();
    expect(optionalUnixNanos(undefined, 'timeUnixNano')).toBeUndefined();
    expect(
      inputError(() => requireUnixNanos(0, 'x.timeUnixNano')).message,
    ).toBe('x.timeUnixNano is required (Unix time in nanoseconds)');
  });

  it.each([
    ['-1000'],
    [-1000],
    ['yesterday'],
    ['2025-11-24T16:00:00Z'],
    [1.5e3 + 0.5],
  ])('rejects %p naming the path', value => {
    expect(
      inputError(() => requireUnixNanos(value, 'logRecords[3].timeUnixNano'))
        .message,
    ).toMatch(
      /^logRecords\[3\]\.timeUnixNano must be a non-negative 64-bit integer/,
    );
  });

  it('rejects nanoseconds beyond uint64', () => {
    expect(
      inputError(() => requireUnixNanos('18446744073709551616', 't')).message,
    ).toMatch(/^t must be a non-negative 64-bit integer/);
  });
});

describe('optionalDouble', () => {
  it('accepts numbers and the strings proto3 JSON allows', () => {
    expect(optionalDouble(1.5, 'sum')).toBe(1.5);
    expect(optionalDouble('2.5', 'sum')).toBe(2.5);
    expect(optionalDouble('Infinity', 'sum')).toBe(Infinity);
    expect(optionalDouble('NaN', 'sum')).toBeNaN();
    expect(inputError(() => optionalDouble('lots', 'a.sum')).message).toBe(
      'a.sum must be a number, got "lots"',
    );
  });
});

describe('optionalEnum', () => {
  it('accepts integers and rejects enum names', () => {
    expect(optionalEnum(2, 'kind')).toBe(2);
    expect(optionalEnum(undefined, 'kind')).toBe(0);
    expect(
      inputError(() => optionalEnum('SPAN_KIND_SERVER', 'spans[0].kind'))
        .message,
    ).toMatch(/^spans\[0\]\.kind must be an integer enum value/);
  });
});

describe('optionalHexId', () => {
  it('lower-cases hex ids of any case', () => {
    expect(
      optionalHexId('5B8EFFF798038103D269B633813FC60C', 'traceId', 16),
    ).toBe('5b8efff798038103d269b633813fc60c');
    expect(optionalHexId('eee19B7EC3C1B174', 'spanId', 8)).toBe(
      'eee19b7ec3c1b174',
    );
  });

  it('treats empty and all-zero ids as absent', () => {
    expect(optionalHexId('', 'spanId', 8)).toBeUndefined();
    expect(optionalHexId('0000000000000000', 'spanId', 8)).toBeUndefined();
  });

  it('rejects base64 and wrong lengths', () => {
    expect(
      inputError(() =>
        optionalHexId('W47/95gDgQPSabYzgT/GDA==', 'a.traceId', 16),
      ).message,
    ).toMatch(/^a\.traceId must be 32 hex characters/);
    expect(
      inputError(() => optionalHexId('EEE19B7EC3C1B1', 'a.spanId', 8)).message,
    ).toMatch(/^a\.spanId must be 16 hex characters/);
  });
});

describe('labelsKey', () => {
  it('does not depend on attribute order', () => {
    expect(labelsKey({ a: '1', b: '2' })).toBe(labelsKey({ b: '2', a: '1' }));
    expect(labelsKey({ a: '1', b: '2' })).not.toBe(
      labelsKey({ a: '1', b: '3' }),
    );
  });
});

describe('truncate', () => {
  it('does not split a surrogate pair', () => {
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('abc');
  });
});
