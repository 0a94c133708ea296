import { clock, duration } from '../format';
import type { NarrativeFacts } from '../facts';
import { nameOf, label, plain, STATUS_WORDS } from './names';

const MAX_ITEMS = 5;

/** Deployments and changes around the onset, oldest first, then metric regressions. */
export function whatChangedOf(facts: NarrativeFacts): string[] {
  const onset = Date.parse(facts.onsetAt);
  const items = facts.deployments.map(d => {
    const at = Date.parse(d.startedAt);
    const when =
      at <= onset
        ? `at ${clock(d.startedAt)}, ${duration(
            onset - at,
          )} before the first alert`
        : `at ${clock(d.startedAt)}, after the first alert`;
    if (d.source === 'pagerduty-change') {
      const summary = plain(d.summary);
      return `${nameOf(facts, d.entityRef)} changed ${when}${
        summary ? `: "${summary}"` : ''
      }.`;
    }
    const from = d.previousVersion ? ` (from ${d.previousVersion})` : '';
    const status = STATUS_WORDS[d.status] ? `, ${STATUS_WORDS[d.status]}` : '';
    return `${nameOf(facts, d.entityRef)} ${
      d.version
    }${from} was deployed ${when}${status}.`;
  });
  for (const r of facts.regressions) {
    items.push(
      `${r.metric} of ${label(facts, r.entityRef)} ${
        r.direction === 'increase' ? 'rose' : 'fell'
      } by ${r.percent}% from ${clock(r.changePointAt)}.`,
    );
  }
  if (items.length === 0)
    return [
      'No deployment, change or regression of the affected entities was recorded before the first alert.',
    ];
  return items.length > MAX_ITEMS
    ? [
        ...items.slice(0, MAX_ITEMS),
        `${items.length - MAX_ITEMS} more changes are not listed.`,
      ]
    : items;
}
