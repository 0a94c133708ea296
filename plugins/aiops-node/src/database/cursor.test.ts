import { InputError } from '@backstage/errors';
import {
  decodeSequenceCursor,
  decodeTimeAndIdCursor,
  encodeCursor,
  encodeSequenceCursor,
  encodeTimeAndIdCursor,
} from './cursor';
import { iso, optionalIso, toDate } from './timestamps';

describe('page cursors', () => {
  it('read back the key they were made of', () => {
    const key = { at: '2026-01-02T03:04:05.000Z', id: 'i1' };
    expect(decodeTimeAndIdCursor(encodeTimeAndIdCursor(key))).toEqual(key);
    expect(decodeSequenceCursor(encodeSequenceCursor(42))).toBe(42);
  });

  it('are base64url JSON, so cursors handed out before stay valid', () => {
    expect(encodeSequenceCursor(7)).toBe(
      Buffer.from('[7]').toString('base64url'),
    );
    expect(encodeTimeAndIdCursor({ at: 'a', id: 'b' })).toBe(
      encodeCursor(['a', 'b']),
    );
  });

  it('canonicalize the timestamp of a key', () => {
    const cursor = encodeCursor(['2026-01-02T03:04:05+01:00', 'i1']);
    expect(decodeTimeAndIdCursor(cursor)).toEqual({
      at: '2026-01-02T02:04:05.000Z',
      id: 'i1',
    });
  });

  it.each([
    ['not base64url JSON', 'garbage'],
    ['a key of the wrong shape', encodeCursor([1, 'i1'])],
    ['a key without a valid timestamp', encodeCursor(['soon', 'i1'])],
    ['not a key', Buffer.from('3').toString('base64url')],
  ])('refuse %s, naming the cursor', (_, cursor) => {
    expect(() => decodeTimeAndIdCursor(cursor)).toThrow(
      new InputError(`Invalid cursor "${cursor}"`),
    );
  });

  it('refuse a sequence that is no integer', () => {
    expect(() => decodeSequenceCursor(encodeCursor(['1']))).toThrow(InputError);
    expect(() => decodeSequenceCursor(encodeCursor([1.5]))).toThrow(InputError);
  });
});

describe('timestamps', () => {
  it('are canonical ISO 8601, from a Date or text', () => {
    expect(iso(new Date(Date.UTC(2026, 0, 2)))).toBe(
      '2026-01-02T00:00:00.000Z',
    );
    expect(iso('2026-01-02 00:00:00+00')).toBe('2026-01-02T00:00:00.000Z');
    expect(optionalIso(null)).toBeUndefined();
    expect(optionalIso(undefined)).toBeUndefined();
  });

  it('refuse what is no timestamp', () => {
    expect(() => toDate('yesterday')).toThrow(
      new InputError('Invalid timestamp "yesterday"'),
    );
  });
});
