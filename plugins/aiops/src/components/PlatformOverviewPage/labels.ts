import type { Labels } from '@aiops/plugin-aiops-common';

/** `alertname=HighLatency, service=cartservice, +3 more`: enough to recognise a signal. */
export function summarizeLabels(labels: Labels, shown = 4): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) => `${name}=${value}`,
  );
  if (pairs.length <= shown) return pairs.join(', ');
  return `${pairs.slice(0, shown).join(', ')}, +${pairs.length - shown} more`;
}
