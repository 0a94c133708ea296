import { quote, type GroundingRule } from './rule';

export const KNOWN_IDENTIFIERS_RULE = 'known-identifiers@1';

/**
 * Identifier-like words English uses too; anything else shaped like a name (`payments-gateway`,
 * `alert-9999`, `cart2`) must occur in the facts: it is how an invented service, metric or
 * evidence id shows.
 */
export const ENGLISH_IDENTIFIERS = new Set([
  'on-call',
  'follow-up',
  'roll-back',
  'rolled-back',
  'root-cause',
  'well-known',
  'in-house',
  'up-to-date',
  'long-running',
  'high-severity',
  'low-severity',
  'e-mail',
  'p50',
  'p90',
  'p95',
  'p99',
  'p999',
  '4xx',
  '5xx',
  'http2',
  'ipv4',
  'ipv6',
]);

export const knownIdentifiers: GroundingRule = {
  id: KNOWN_IDENTIFIERS_RULE,
  check({ mentions }, vocab) {
    const unknown = mentions
      .filter(m => m.kind === 'identifier')
      .map(m => m.text)
      .filter(text => {
        const value = text.toLocaleLowerCase('en-US');
        // Catalog names that are not facts are the entity rule's to report.
        return (
          !vocab.identifiers.has(value) &&
          !vocab.otherNames.has(value) &&
          !ENGLISH_IDENTIFIERS.has(value)
        );
      });
    return [...new Set(unknown)].map(
      text => `mentions ${quote(text)}, which occurs nowhere in the facts`,
    );
  },
};
