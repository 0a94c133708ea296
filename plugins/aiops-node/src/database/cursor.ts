import { InputError } from '@backstage/errors';
import { iso } from './timestamps';

/*
 * Page cursors: the sort key of a page's last row, as base64url JSON, so clients pass it back
 * without reading it and a store can change its key without breaking them.
 */

/** The cursor of a sort key. */
export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The sort key of a cursor as `parse` reads it. `InputError` naming the cursor when it is not
 * one: not base64url JSON, or `parse` throws (it checks the key's shape).
 */
export function decodeCursor<T>(cursor: string, parse: (key: any) => T): T {
  try {
    return parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InputError(`Invalid cursor "${cursor}"`);
  }
}

/** The key of pages newest first by a timestamp column, ties broken by id (descending). */
export interface TimeAndId {
  /** ISO 8601. */
  at: string;
  id: string;
}

export function encodeTimeAndIdCursor(key: TimeAndId): string {
  return encodeCursor([key.at, key.id]);
}

export function decodeTimeAndIdCursor(cursor: string): TimeAndId {
  return decodeCursor(cursor, ([at, id]) => {
    if (typeof at !== 'string' || typeof id !== 'string')
      throw new Error('shape');
    return { at: iso(at), id };
  });
}

/** The key of pages by a sequence number. */
export function encodeSequenceCursor(seq: number): string {
  return encodeCursor([seq]);
}

export function decodeSequenceCursor(cursor: string): number {
  return decodeCursor(cursor, ([seq]) => {
    if (!Number.isInteger(seq)) throw new Error('shape');
    return seq as number;
  });
}
