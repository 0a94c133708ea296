import type { Draft } from './stage';
import type { TrackedAlert } from '../types';

/** The alert being correlated: `draft.subject` when set, else the event's (set by `trackAlert`). */
export function current(draft: Draft): TrackedAlert | undefined {
  if (draft.subject) return draft.state.alerts[draft.subject];
  return draft.event.type === 'alert'
    ? draft.state.alerts[draft.event.alert.id]
    : undefined;
}
