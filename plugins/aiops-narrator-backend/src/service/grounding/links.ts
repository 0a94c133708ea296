import { quote, type GroundingRule } from './rule';
import type { Vocabulary } from './vocabulary';

export const NO_FOREIGN_LINKS_RULE = 'no-foreign-links@1';

const lower = (text: string) => text.toLocaleLowerCase('en-US');
const withoutSlash = (url: string) =>
  url.endsWith('/') ? url.slice(0, -1) : url;

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

function knownUrl(url: string, vocab: Vocabulary): boolean {
  const wanted = withoutSlash(lower(url));
  for (const known of vocab.urls)
    if (withoutSlash(known) === wanted) return true;
  return false;
}

/**
 * Links only to the facts' runbooks and deployments. A link elsewhere, bare or in markdown, is
 * how injected alert text would send a responder to an attacker's page; a bare domain counts.
 */
export const noForeignLinks: GroundingRule = {
  id: NO_FOREIGN_LINKS_RULE,
  check({ mentions }, vocab) {
    const problems = new Set<string>();
    for (const m of mentions) {
      if (m.kind === 'link') {
        const target = m.text.slice(m.text.lastIndexOf('](') + 2, -1);
        if (!knownUrl(target, vocab))
          problems.add(`links to ${quote(target)}, which is not in the facts`);
      } else if (m.kind === 'url') {
        if (!knownUrl(m.text, vocab))
          problems.add(`links to ${quote(m.text)}, which is not in the facts`);
      } else if (m.kind === 'domain') {
        const domain = lower(m.text);
        if (![...vocab.urls].some(url => hostOf(url) === domain))
          problems.add(
            `names the site ${quote(m.text)}, which is not in the facts`,
          );
      }
    }
    return [...problems];
  },
};
