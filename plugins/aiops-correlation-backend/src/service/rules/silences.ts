import type { EntityRef } from '@aiops/plugin-aiops-common';
import type { CorrelatedAlert, CoreSilence, SilenceMatcher } from '../types';
import { toMs } from '../time';

/** Version 2: alerts still firing when their silence ends are grouped then. */
export const SILENCE_RULE = 'silence@2';

function labelValue(
  alert: CorrelatedAlert,
  entityRef: EntityRef | undefined,
  name: string,
): string {
  if (name === 'entity') return entityRef ?? '';
  return alert.labels[name] ?? '';
}

const compiled = new Map<string, RegExp>();

/**
 * A `=~` matcher's pattern, anchored like Alertmanager's regex matchers, compiled once: it is
 * tested against every alert.
 */
export function anchoredPattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, regex);
  }
  return regex;
}

export function matcherMatches(
  matcher: SilenceMatcher,
  alert: CorrelatedAlert,
  entityRef: EntityRef | undefined,
): boolean {
  const value = labelValue(alert, entityRef, matcher.name);
  switch (matcher.op ?? '=') {
    case '!=':
      return value !== matcher.value;
    case '=~':
      return anchoredPattern(matcher.value).test(value);
    default:
      return value === matcher.value;
  }
}

/** The first silence (by id) whose matchers all match and one of whose windows holds `atMs`. */
export function matchingSilence(
  alert: CorrelatedAlert,
  entityRef: EntityRef | undefined,
  silences: CoreSilence[],
  atMs: number,
): CoreSilence | undefined {
  return [...silences]
    .sort((a, b) => a.id.localeCompare(b.id))
    .find(
      silence =>
        silence.matchers.length > 0 &&
        silence.windows.some(
          w => toMs(w.startsAt) <= atMs && atMs < toMs(w.endsAt),
        ) &&
        silence.matchers.every(m => matcherMatches(m, alert, entityRef)),
    );
}
