const ELLIPSIS = '…';

/**
 * Cuts text to at most `maxLength` UTF-16 units, ending in `…` when cut, without splitting a
 * surrogate pair (receivers reject or mangle lone surrogates).
 */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - ELLIPSIS.length);
  const last = cut.charCodeAt(cut.length - 1);
  const whole = last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
  return `${whole}${ELLIPSIS}`;
}
