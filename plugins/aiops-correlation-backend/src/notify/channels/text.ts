import { shortRef } from '../../service/routing/message';
import type { DigestMessage } from '../../service/routing/types';

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

/** `3 incident changes for checkout-team` */
export function digestTitle(digest: DigestMessage): string {
  const count = digest.messages.length;
  return `${count} incident ${
    count === 1 ? 'change' : 'changes'
  } for ${shortRef(digest.group)}`;
}
