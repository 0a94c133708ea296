import { shortRef } from '../../service/routing/message';
import type { DigestMessage } from '../../service/routing/types';

// Routing bounds the narrative with it too; channels keep importing it from here.
export { truncate } from '../../service/routing/truncate';

/** `3 incident changes for checkout-team` */
export function digestTitle(digest: DigestMessage): string {
  const count = digest.messages.length;
  return `${count} incident ${
    count === 1 ? 'change' : 'changes'
  } for ${shortRef(digest.group)}`;
}
