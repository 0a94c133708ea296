import { quote, type GroundingRule } from './rule';

export const KNOWN_VERSIONS_RULE = 'known-versions@1';

const bare = (version: string) =>
  version.toLocaleLowerCase('en-US').replace(/^v(?=\d)/, '');

/** Every version in the text is a deployment's (or its previous) version, `v` prefix or not. */
export const knownVersions: GroundingRule = {
  id: KNOWN_VERSIONS_RULE,
  check({ mentions }, vocab) {
    const known = new Set([...vocab.versions].map(bare));
    const unknown = mentions
      .filter(m => m.kind === 'version' && !known.has(bare(m.text)))
      .map(m => m.text);
    return [...new Set(unknown)].map(
      text => `states version ${quote(text)}, which no deployment has`,
    );
  },
};
