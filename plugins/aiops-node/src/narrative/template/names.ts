import type { EntityRef } from '@aiops/plugin-aiops-common';
import { shortName, type FactDeployment, type NarrativeFacts } from '../facts';
import { instructionLike } from '../instructions';
import { scanMentions } from '../mentions';

/** What people call an entity of the facts (`Redis (cart)`), else the name in its ref. */
export function label(facts: NarrativeFacts, ref: EntityRef): string {
  return facts.entities.find(e => e.ref === ref)?.label ?? shortName(ref);
}

/** The catalog name, as a version is written next to it (`cart 2.790.23`). */
export function nameOf(facts: NarrativeFacts, ref: EntityRef): string {
  return facts.entities.find(e => e.ref === ref)?.name ?? shortName(ref);
}

export function ownerLabel(facts: NarrativeFacts, ref: EntityRef): string {
  return facts.owners.find(o => o.ref === ref)?.label ?? shortName(ref);
}

export const affectedEntities = (facts: NarrativeFacts) =>
  facts.entities.filter(e => e.affected);

/**
 * Text from senders (alert names, change summaries) repeated in a narrative only when it is
 * plain: no links and nothing instruction-like. The template never relays planted text.
 */
export function plain(text: string | undefined): string | undefined {
  if (!text || instructionLike(text)) return undefined;
  const linked = scanMentions(text).some(
    m => m.kind === 'link' || m.kind === 'url' || m.kind === 'domain',
  );
  return linked ? undefined : text;
}

/** Deployments that started before the onset, latest first, with their lead to the onset. */
export function deploymentsBeforeOnset(
  facts: NarrativeFacts,
): FactDeployment[] {
  const onset = Date.parse(facts.onsetAt);
  return facts.deployments
    .filter(d => Date.parse(d.startedAt) <= onset)
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
}

/**
 * The deployment most likely behind the incident: one of the root cause, else the one closest
 * before its first alert; only deployments that preceded an alert count.
 */
export function leadingDeployment(
  facts: NarrativeFacts,
): FactDeployment | undefined {
  const root = facts.rootCause?.entityRef;
  return facts.deployments
    .filter(d => d.firstAlert && d.firstAlert.leadMs >= 0)
    .sort(
      (a, b) =>
        Number(b.entityRef === root) - Number(a.entityRef === root) ||
        a.firstAlert!.leadMs - b.firstAlert!.leadMs ||
        a.id.localeCompare(b.id),
    )[0];
}

/** How a deployment's first alert is referred to: "its first alert" or "the first alert on x". */
export function firstAlertPhrase(
  facts: NarrativeFacts,
  d: FactDeployment,
): string {
  const on = d.firstAlert?.entityRef;
  return !on || on === d.entityRef
    ? 'its first alert'
    : `the first alert on ${nameOf(facts, on)}`;
}

export const STATUS_WORDS: Record<FactDeployment['status'], string> = {
  started: 'started',
  succeeded: '',
  failed: 'failed',
  rolled_back: 'rolled back',
};
