import type { EntityRef } from '@aiops/plugin-aiops-common';
import type { CorrelationState, IncidentState } from './types';

/**
 * The pending and open incidents of a state, and three lookups into them: which incidents
 * hold each group key, which hold an alert of each entity, and which are held at their gate.
 * Every new alert asks these questions, so they are kept between events and batches and
 * updated as incidents open, close and take alerts, instead of being rebuilt from every
 * incident: with thousands of open incidents the cost of an alert must not grow with them
 * (issue [K]). Whatever changes the active set in bulk (people's lifecycle actions) calls
 * `activeSetChanged`; a state that is replaced (a checkpoint restored) starts without an index.
 *
 * The entity and pending lookups may hold more than is true (an incident an alert moved out of,
 * one that opened since): callers check what they find.
 */
interface ActiveIndex {
  /** In id order (ordinal: ids are ASCII), so rules see incidents in a stable order. */
  active: IncidentState[];
  byGroupKey?: Map<string, IncidentState[]>;
  byEntity?: Map<EntityRef, Set<IncidentState>>;
  pending?: Set<IncidentState>;
  /** Active incidents that started unowned (with no entity). */
  unowned?: Set<IncidentState>;
}

const indexes = new WeakMap<CorrelationState, ActiveIndex>();

const isActive = (inc: IncidentState) => inc.incident.status !== 'resolved';
/** Unowned alerts never join an incident through the topology: it stays without an entity. */
const isUnowned = (inc: IncidentState) =>
  inc.incident.affectedEntityRefs.length === 0 &&
  !inc.incident.primaryEntityRef;
const byId = (a: IncidentState, b: IncidentState) =>
  a.incident.id < b.incident.id ? -1 : 1;

function indexOf(state: CorrelationState): ActiveIndex {
  let index = indexes.get(state);
  if (!index) {
    index = {
      active: Object.values(state.incidents).filter(isActive).sort(byId),
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

function entityIndex(state: CorrelationState, index: ActiveIndex) {
  if (!index.byEntity) {
    const byEntity = new Map<EntityRef, Set<IncidentState>>();
    for (const inc of index.active) {
      for (const id of inc.incident.alertIds) {
        const ref = state.alerts[id]?.entityRef;
        if (ref) addToSet(byEntity, ref, inc);
      }
    }
    index.byEntity = byEntity;
  }
  return index.byEntity;
}

/** Active incidents holding an alert of any of `entities`, in id order. */
export function activeWithEntities(
  state: CorrelationState,
  entities: Iterable<EntityRef>,
): IncidentState[] {
  const index = indexOf(state);
  const byEntity = entityIndex(state, index);
  const found = new Set<IncidentState>();
  for (const ref of entities) {
    for (const inc of byEntity.get(ref) ?? []) {
      if (isActive(inc) && state.incidents[inc.incident.id] === inc)
        found.add(inc);
    }
  }
  return [...found].sort(byId);
}

/** Incidents held at their gate. */
export function pendingIncidents(state: CorrelationState): IncidentState[] {
  const index = indexOf(state);
  if (!index.pending) {
    index.pending = new Set(index.active.filter(i => i.phase === 'pending'));
  }
  const pending: IncidentState[] = [];
  for (const inc of index.pending) {
    // Those that opened or went since leave the set here, so it stays as small as the held ones.
    if (
      inc.phase === 'pending' &&
      isActive(inc) &&
      state.incidents[inc.incident.id] === inc
    )
      pending.push(inc);
    else index.pending.delete(inc);
  }
  return pending.sort(byId);
}

/** How many active incidents are unowned. */
export function openUnownedCount(state: CorrelationState): number {
  const index = indexOf(state);
  if (!index.unowned) index.unowned = new Set(index.active.filter(isUnowned));
  return index.unowned.size;
}

/** Forget a bulk change: the index is rebuilt when next asked for. */
export function activeSetChanged(state: CorrelationState) {
  indexes.delete(state);
}

/** An incident became active (a new group, or one reopened). */
export function incidentActivated(state: CorrelationState, inc: IncidentState) {
  const index = indexes.get(state);
  if (!index) return;
  const at = insertionPoint(index.active, inc);
  if (index.active[at] === inc) return;
  index.active.splice(at, 0, inc);
  if (isUnowned(inc)) index.unowned?.add(inc);
  if (index.byGroupKey) {
    for (const key of inc.groupKeys) addTo(index.byGroupKey, key, inc);
  }
  if (index.byEntity) {
    for (const id of inc.incident.alertIds) {
      const ref = state.alerts[id]?.entityRef;
      if (ref) addToSet(index.byEntity, ref, inc);
    }
  }
  if (index.pending && inc.phase === 'pending') index.pending.add(inc);
}

/** An incident resolved or was dropped. */
export function incidentDeactivated(
  state: CorrelationState,
  inc: IncidentState,
) {
  const index = indexes.get(state);
  if (!index) return;
  const at = insertionPoint(index.active, inc);
  if (index.active[at] !== inc) return;
  index.active.splice(at, 1);
  index.unowned?.delete(inc);
  if (index.byGroupKey) {
    for (const key of inc.groupKeys) {
      const list = index.byGroupKey.get(key);
      if (list) {
        const kept = list.filter(other => other !== inc);
        if (kept.length) index.byGroupKey.set(key, kept);
        else index.byGroupKey.delete(key);
      }
    }
  }
  index.pending?.delete(inc);
  // The entity lookup keeps it; `activeWithEntities` leaves out what is not active.
}

export function groupKeyAdded(
  state: CorrelationState,
  inc: IncidentState,
  groupKey: string,
) {
  const byGroupKey = indexes.get(state)?.byGroupKey;
  if (byGroupKey && isActive(inc)) addTo(byGroupKey, groupKey, inc);
}

/** An alert of `entityRef` joined `inc`. */
export function entityAdded(
  state: CorrelationState,
  inc: IncidentState,
  entityRef: EntityRef | undefined,
) {
  const byEntity = indexes.get(state)?.byEntity;
  if (byEntity && entityRef && isActive(inc))
    addToSet(byEntity, entityRef, inc);
}

/** First position whose id is not below `inc`'s. */
function insertionPoint(list: IncidentState[], inc: IncidentState) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid].incident.id < inc.incident.id) low = mid + 1;
    else high = mid;
  }
  return low;
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

function addToSet(
  map: Map<EntityRef, Set<IncidentState>>,
  key: EntityRef,
  inc: IncidentState,
) {
  const set = map.get(key);
  if (set) set.add(inc);
  else map.set(key, new Set([inc]));
}
