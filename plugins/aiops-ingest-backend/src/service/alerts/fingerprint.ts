import { createHash } from 'node:crypto';
import type { Labels } from '@aiops/plugin-aiops-common';

/**
 * A stable identity for a label set when the sender gives none: a hash of the labels sorted by
 * name, so the same alert always maps to the same row whatever order the labels arrive in.
 */
export function fingerprintLabels(labels: Labels, extra = ''): string {
  const canonical = Object.keys(labels)
    .sort()
    .map(name => `${name}\u0000${labels[name]}`)
    .join('\u0001');
  return createHash('sha256')
    .update(canonical)
    .update(`\u0002${extra}`)
    .digest('hex')
    .slice(0, 32);
}
