import type { IncidentDocument } from './types';

/**
 * The document's searchable text: each part once, the title first. Entity refs are written as
 * their names too, so `cart` finds `component:default/cart`.
 */
export function documentText(document: IncidentDocument): string {
  const names = document.entityRefs.map(ref => ref.split('/').pop() ?? ref);
  return [
    document.title,
    document.alertNames.join(' '),
    names.join(' '),
    document.rootCauseEntityRef?.split('/').pop(),
    document.system?.split('/').pop(),
    document.findings.join('\n'),
    document.narrative,
    document.resolutionNote,
    document.alertLabels.join(' '),
  ]
    .filter(part => !!part)
    .join('\n');
}
