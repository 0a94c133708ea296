import { list, plural } from '../format';
import type { NarrativeFacts } from '../facts';
import { affectedEntities, label } from './names';

const MAX_OWNERS = 3;

/** Affected entities, their owners and the blast radius: who is hurt and whom to call. */
export function impactOf(facts: NarrativeFacts): string {
  const affected = affectedEntities(facts);
  const system = facts.incident.systemLabel
    ? ` in ${facts.incident.systemLabel}`
    : '';
  const sentences: string[] = [];
  if (affected.length === 1)
    sentences.push(`${affected[0].label} is affected${system}.`);
  else if (affected.length > 1)
    sentences.push(
      `${plural(
        affected.length,
        'entity',
        'entities',
      )} are affected${system}: ${list(affected.map(e => e.label))}.`,
    );

  const owned = facts.owners.filter(o => o.entityRefs.length > 0);
  if (owned.length > 0) {
    const shown = owned
      .slice(0, MAX_OWNERS)
      .map(
        o =>
          `${o.label} owns ${list(o.entityRefs.map(ref => label(facts, ref)))}`,
      );
    const rest = owned.length - MAX_OWNERS;
    sentences.push(
      `${shown.join('; ')}${
        rest > 0 ? `; ${rest} more teams own the rest` : ''
      }.`,
    );
  }
  const unowned = affected.filter(e => !e.owner);
  if (unowned.length > 0)
    sentences.push(
      `No owner is recorded for ${list(
        unowned.map(e => e.label),
      )} in the catalog.`,
    );

  const { refs, count } = facts.blastRadius;
  if (count > 0) {
    const names = refs.map(ref => label(facts, ref));
    // The list holds the nearest dependents; the count is all of them.
    const shown =
      count > names.length
        ? `${names.slice(0, 5).join(', ')} and ${
            count - Math.min(5, names.length)
          } more`
        : list(names);
    sentences.push(
      `${shown} ${count === 1 ? 'depends' : 'depend'} on ${
        affected.length === 1 ? 'it' : 'them'
      } without alerting.`,
    );
  } else if (affected.length > 0) {
    sentences.push('No other catalog entity depends on the affected ones.');
  }
  return sentences.join(' ');
}
