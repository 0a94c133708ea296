import type { Alert } from '@aiops/plugin-aiops-common';
import type { TrackedAlert } from '../types';

export const ALREADY_RESOLVED_RULE = 'already-resolved@1';

/**
 * An alert whose first delivery says `resolved` never opens an incident: nobody can act on
 * a problem that is already over, and a resend after a restart must not page anyone.
 */
export function arrivedResolved(
  alert: Alert,
  tracked: TrackedAlert | undefined,
): boolean {
  return alert.status === 'resolved' && !tracked;
}
