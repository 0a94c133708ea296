import { InputError } from '@backstage/errors';

/**
 * Refuses a request whose path holds an encoded NUL (`%00`) before any route reads its
 * parameters: PostgreSQL refuses NUL in text, so `GET /incidents/%00` reached the store and
 * answered 500. Query parameters are refused by `readQuery`; this is the same for the path.
 */
export function rejectNulInPath(
  req: { path: string },
  _res: unknown,
  next: (error?: unknown) => void,
): void {
  // Encoded only: a raw NUL cannot reach Node's HTTP parser.
  if (req.path.includes('%00')) {
    next(new InputError('path parameter holds a NUL character (%00)'));
    return;
  }
  next();
}
