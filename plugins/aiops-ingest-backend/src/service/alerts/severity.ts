import type { Labels, Severity } from '@aiops/plugin-aiops-common';

/** Severity words seen in the wild (Prometheus rules, PagerDuty, Opsgenie priorities). */
const SEVERITY_ALIASES: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  page: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  p1: 'critical',
  error: 'error',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  p3: 'warning',
  info: 'info',
  informational: 'info',
  low: 'info',
  none: 'info',
  notice: 'info',
  p4: 'info',
  p5: 'info',
};

/** Alerts without a recognisable severity are warnings: visible, but not paging. */
export const DEFAULT_SEVERITY: Severity = 'warning';

export function severityFromLabels(labels: Labels): Severity {
  const raw = labels.severity ?? labels.priority ?? labels.level;
  const word = raw?.trim().toLowerCase();
  // Own keys only: `severity="__proto__"` or `"constructor"` found Object.prototype's members
  // and stored an object as the severity (a 500, found by fuzzing).
  return word && Object.hasOwn(SEVERITY_ALIASES, word)
    ? SEVERITY_ALIASES[word]
    : DEFAULT_SEVERITY;
}
