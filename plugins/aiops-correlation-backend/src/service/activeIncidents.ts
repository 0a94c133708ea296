import type { CorrelationState, IncidentState } from './types';

/**
 * The pending and open incidents of a state, and which of them hold each group key. Every new
 * alert asks for them (grouping, gates, auto-resolve), so they are kept between events and
 * batches rather than rebuilt from every incident each time. Whatever adds, removes, resolves or
 * reopens an incident calls `activeSetChanged`; `groupKeyAdded` keeps the key index current
 * when an incident takes a new group key. A state that is replaced (a checkpoint restored)
 * starts without an index.
 */
interface ActiveIndex {
  /** In id order (ordinal: ids are ASCII), so rules see incidents in a stable order. */
  active: IncidentState[];
  byGroupKey?: Map<string, IncidentState[]>;
}

const indexes = new WeakMap<CorrelationState, ActiveIndex>();

function indexOf(state: CorrelationState): ActiveIndex {
  let index = indexes.get(state);
  if (!index) {
    index = {
      active: Object.values(state.incidents)
        .filter(inc => inc.incident.status !== 'resolved')
        .sort((a, b) => (a.incident.id < b.incident.id ? -1 : 1)),
    };
    indexes.set(state, index);
  }
  return index;
}

export function activeIncidents(state: CorrelationState): IncidentState[] {
  return indexOf(state).active;
}

/** Active incidents that hold `groupKey`. */
export function activeWithGroupKey(
  state: CorrelationState,
  groupKey: string,
): IncidentState[] {
  const index = indexOf(state);
  if (!index.byGroupKey) {
    index.byGroupKey = new Map();
    for (const inc of index.active) {
      for (const key of inc.groupKeys) addTo(index.byGroupKey, key, inc);
    }
  }
  return index.byGroupKey.get(groupKey) ?? [];
}

export function activeSetChanged(state: CorrelationState) {
  indexes.delete(state);
}

export function groupKeyAdded(
  state: CorrelationState,
  inc: IncidentState,
  groupKey: string,
) {
  const byGroupKey = indexes.get(state)?.byGroupKey;
  if (byGroupKey && inc.incident.status !== 'resolved')
    addTo(byGroupKey, groupKey, inc);
}

function addTo(
  map: Map<string, IncidentState[]>,
  key: string,
  inc: IncidentState,
) {
  const list = map.get(key);
  if (!list) map.set(key, [inc]);
  else if (!list.includes(inc)) list.push(inc);
}
