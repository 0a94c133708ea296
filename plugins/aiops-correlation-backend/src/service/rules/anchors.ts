import {
  severityRank,
  type EntityRef,
  type Severity,
} from '@aiops/plugin-aiops-common';
import type { CorrelationConfig, TrackedAlert } from '../types';
import { isFlapping } from './flapping';

/**
 * Page-level alerts are what an on-call engineer is woken for: `critical` and `error`.
 * `warning` and `info` are context, and so is an alert that flaps.
 */
export function isPageLevel(severity: Severity): boolean {
  return severityRank(severity) <= severityRank('error');
}

/**
 * Whether an alert may anchor an incident that page-level alerts join: a page-level alert
 * that is not flapping. A CPU-throttling `info` alert that flaps all morning must not be what
 * a front door's `critical` alerts are grouped around (issue [L], failure class 1).
 */
export function anchorsPages(
  alert: TrackedAlert,
  nowMs: number,
  flap: CorrelationConfig['flap'],
): boolean {
  return (
    isPageLevel(alert.alert.severity) &&
    !isFlapping(alert.transitions, nowMs, flap)
  );
}

/** Page-level alerts of an incident by entity: what may anchor page-level joiners. */
export function pageLevelAlertsByEntity(
  alertIds: string[],
  alerts: Record<string, TrackedAlert>,
): Map<EntityRef, TrackedAlert[]> {
  const byEntity = new Map<EntityRef, TrackedAlert[]>();
  for (const id of alertIds) {
    const alert = alerts[id];
    if (!alert?.entityRef || !isPageLevel(alert.alert.severity)) continue;
    const list = byEntity.get(alert.entityRef);
    if (list) list.push(alert);
    else byEntity.set(alert.entityRef, [alert]);
  }
  return byEntity;
}

/** The entities of `byEntity` with an alert that anchors pages now, sorted. */
export function pageAnchorEntities(
  byEntity: ReadonlyMap<EntityRef, TrackedAlert[]>,
  nowMs: number,
  flap: CorrelationConfig['flap'],
): EntityRef[] {
  return [...byEntity]
    .filter(([, list]) => list.some(a => anchorsPages(a, nowMs, flap)))
    .map(([ref]) => ref)
    .sort();
}
