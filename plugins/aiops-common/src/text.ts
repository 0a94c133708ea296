/**
 * `text` without any run of `char` at its end, in one backward pass. Used instead of
 * `/x+$/`-style regexes, which backtrack quadratically on a long run that is not at the end
 * (80,000 slashes in an Argo CD URL held the event loop for 5.8 s).
 */
export function trimTrailing(text: string, char: string): string {
  if (char.length !== 1) {
    throw new TypeError(`trimTrailing takes one UTF-16 unit, got "${char}"`);
  }
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return end === text.length ? text : text.slice(0, end);
}
