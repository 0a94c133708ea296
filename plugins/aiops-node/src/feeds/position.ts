/**
 * Where a consumer stands in its feed. Cursors are the feed's sequence numbers, as strings.
 */
export interface FeedPosition {
  /** Every item up to it is handled: where a restarted consumer begins. */
  cursor: string;
  /**
   * The furthest item handed to `handle`. Items between `cursor` and `reach` that `handle` left
   * are read again by the next catch-up; announcements go on from here.
   */
  reach: string;
  /** Where the call in progress reads next. */
  read: string;
}

/** A page `handle` took. */
export interface HandledPage {
  /** The cursor the page ends at (the read position when it was empty). */
  end: string;
  /** What `handle` resolved to: every item up to it is handled; `undefined` when all were. */
  done?: string;
  /** The feed holds nothing after the page (it was short or empty). */
  last: boolean;
}

/**
 * The position after a page. The cursor moves only while nothing before the page was left: a
 * later page cannot tell whether an item left earlier was handled since. A page that leaves
 * items ends the re-reading of a catch-up: items read before beyond it are not read again in
 * this call (their turn comes when the items before them are handled), so an item that keeps
 * being left costs a catch-up one page, not the whole feed since it.
 */
export function afterPage(
  position: FeedPosition,
  page: HandledPage,
): FeedPosition {
  const reach = later(position.reach, page.end);
  let cursor = position.cursor;
  if (seq(cursor) === seq(position.read)) {
    const done =
      page.done === undefined ? page.end : earlier(page.done, page.end);
    cursor = later(cursor, done);
    // Nothing more to read: what `read` left out up to `reach` needs no handling (it leaves
    // out handled items, and items waiting for one left at or before where it read from, of
    // which there are none while the cursor is there).
    if (page.last && seq(cursor) === seq(page.end)) cursor = reach;
  }
  return {
    cursor,
    reach,
    read: seq(cursor) < seq(page.end) ? reach : later(page.end, cursor),
  };
}

export function seq(cursor: string): number {
  return Number(cursor);
}

function later(a: string, b: string): string {
  return seq(b) > seq(a) ? b : a;
}

function earlier(a: string, b: string): string {
  return seq(b) < seq(a) ? b : a;
}
