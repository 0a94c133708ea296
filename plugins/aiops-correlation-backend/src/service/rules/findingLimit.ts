import type { Finding } from '@aiops/plugin-aiops-common';

export const FINDING_LIMIT_RULE = 'finding-limit@1';

/** Findings of one kind an incident keeps; beyond it, one finding says how many were left out. */
export const MAX_FINDINGS_PER_KIND = 10;

/**
 * Bounds the findings of each kind (the part of the key before `:` — one per linked deployment,
 * per observed call, per flapping alert, …) to the most convincing `max`.
 *
 * An incident that stays open for hours keeps meeting new deployments of its entities, new
 * calls in traces and new flapping alerts. Unbounded, their findings grew with the incident's
 * age: the state, every checkpoint and every re-derivation and store write of the incident grew
 * with them (the 30-minute soak slowed down and grew its memory from this). Past a handful, more
 * of them inform nobody; the count of the rest does.
 *
 * Kept: highest confidence first, then the key, so the choice does not depend on the order the
 * findings were made in.
 */
export function limitFindings(
  findings: Record<string, Finding>,
  max = MAX_FINDINGS_PER_KIND,
): Record<string, Finding> {
  const byKind = new Map<string, Array<[string, Finding]>>();
  for (const entry of Object.entries(findings)) {
    const separator = entry[0].indexOf(':');
    if (separator < 0) continue;
    const kind = entry[0].slice(0, separator);
    const list = byKind.get(kind) ?? [];
    list.push(entry);
    byKind.set(kind, list);
  }
  let limited: Record<string, Finding> | undefined;
  for (const [kind, entries] of byKind) {
    if (entries.length <= max) continue;
    limited ??= { ...findings };
    const ranked = entries.sort(
      ([ka, a], [kb, b]) => b.confidence - a.confidence || byCodeUnits(ka, kb),
    );
    const left = ranked.slice(max);
    for (const [key] of left) delete limited[key];
    const rules = [...new Set(left.map(([, f]) => f.rule))].sort().join(', ');
    limited[`${kind}+more`] = {
      rule: FINDING_LIMIT_RULE,
      summary: `${left.length} more ${rules} finding${
        left.length === 1 ? '' : 's'
      } not listed; the ${max} most convincing are`,
      evidence: [],
      confidence: 0,
    };
  }
  return limited ?? findings;
}

/** Locale-independent order, so every replica keeps the same findings. */
function byCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
