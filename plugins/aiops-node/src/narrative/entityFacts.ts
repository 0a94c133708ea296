import type { EntityRef } from '@aiops/plugin-aiops-common';
import type {
  FactAlert,
  FactEntity,
  FactOwner,
  FactRunbook,
  FactsInput,
} from './facts';

/*
 * The entity side of the facts: which entities an incident touches, what people call them,
 * who owns them, what depends on them and where their runbooks are.
 */

/** Caps that keep facts, and so every narrative, bounded for any incident size. */
export const FACT_LIMITS = {
  alerts: 500,
  alertNamesPerEntity: 5,
  findings: 50,
  deployments: 20,
  regressions: 20,
  blastRadius: 50,
  blastRadiusHops: 2,
  runbooks: 20,
  candidates: 3,
  textLength: 500,
};

const RUNBOOK_ANNOTATION = 'aiops/runbook-url';

/** Sender and catalog text cut to `FACT_LIMITS.textLength`. */
export const clip = (text: string) =>
  text.length > FACT_LIMITS.textLength
    ? `${text.slice(0, FACT_LIMITS.textLength)}…`
    : text;
export function shortName(ref: EntityRef): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The catalog title (`Redis (cart)`, `Platform`), unless it is only the name capitalised. */
export function labelOf(name: string, title?: string): string {
  return title &&
    title.toLocaleLowerCase('en-US') !== name.toLocaleLowerCase('en-US')
    ? clip(title)
    : name;
}

/** Entities depending on `affected` within `hops`, not affected themselves, nearest first. */
export function dependentsOf(
  affected: Set<EntityRef>,
  catalog: FactsInput['catalog'],
): EntityRef[] {
  const seen = new Set(affected);
  const found: EntityRef[] = [];
  let frontier = [...affected].sort();
  for (let hop = 0; hop < FACT_LIMITS.blastRadiusHops; hop++) {
    const next: EntityRef[] = [];
    for (const ref of frontier) {
      for (const dependent of catalog(ref)?.dependencyOf ?? []) {
        if (seen.has(dependent)) continue;
        seen.add(dependent);
        found.push(dependent);
        next.push(dependent);
      }
    }
    frontier = next.sort();
  }
  return found;
}

export function entitiesOf(options: {
  allAlerts: FactAlert[];
  affected: Set<EntityRef>;
  mentioned: EntityRef[];
  catalog: FactsInput['catalog'];
}): FactEntity[] {
  const { allAlerts, affected, mentioned, catalog } = options;
  const alertsOn = new Map<EntityRef, FactAlert[]>();
  for (const alert of allAlerts) {
    if (!alert.entityRef) continue;
    const list = alertsOn.get(alert.entityRef) ?? [];
    list.push(alert);
    alertsOn.set(alert.entityRef, list);
  }
  const refs = [...new Set([...affected, ...alertsOn.keys(), ...mentioned])];
  return refs
    .map(ref => {
      const summary = catalog(ref);
      const name = summary?.name ?? shortName(ref);
      const alerts = alertsOn.get(ref) ?? [];
      const names = new Map<string, number>();
      for (const a of alerts)
        if (a.name) names.set(a.name, (names.get(a.name) ?? 0) + 1);
      return {
        ref,
        name,
        label: labelOf(name, summary?.title),
        kind: summary?.kind ?? ref.slice(0, Math.max(0, ref.indexOf(':'))),
        ...(summary?.title && { title: clip(summary.title) }),
        ...(summary?.owner && { owner: summary.owner }),
        ...(summary?.system && { system: summary.system }),
        affected: affected.has(ref) || alerts.length > 0,
        alertCount: alerts.length,
        ...(alerts[0]?.startsAt && {
          firstAlertAt: alerts[0].startsAt,
          firstAlertId: alerts[0].id,
        }),
        alertNames: [...names]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, FACT_LIMITS.alertNamesPerEntity)
          .map(([n]) => n),
      };
    })
    .sort(
      (a, b) =>
        Number(b.affected) - Number(a.affected) ||
        b.alertCount - a.alertCount ||
        a.ref.localeCompare(b.ref),
    );
}

export function ownersOf(
  entities: FactEntity[],
  incidentOwner: EntityRef | undefined,
  catalog: FactsInput['catalog'],
): FactOwner[] {
  const owned = new Map<EntityRef, EntityRef[]>();
  if (incidentOwner) owned.set(incidentOwner, []);
  for (const e of entities) {
    if (!e.affected || !e.owner) continue;
    owned.set(e.owner, [...(owned.get(e.owner) ?? []), e.ref]);
  }
  return [...owned]
    .map(([ref, entityRefs]) => ({
      ref,
      label: labelOf(shortName(ref), catalog(ref)?.title),
      entityRefs,
    }))
    .sort(
      (a, b) =>
        Number(b.ref === incidentOwner) - Number(a.ref === incidentOwner) ||
        b.entityRefs.length - a.entityRefs.length ||
        a.ref.localeCompare(b.ref),
    );
}

export function runbooksOf(
  entities: FactEntity[],
  rootCause: EntityRef | undefined,
  catalog: FactsInput['catalog'],
  links: FactsInput['links'] = {},
): FactRunbook[] {
  // The root cause's runbook first: it is where a responder should start.
  const order = entities
    .filter(e => e.affected)
    .sort((a, b) => Number(b.ref === rootCause) - Number(a.ref === rootCause));
  const runbooks: FactRunbook[] = [];
  for (const e of order) {
    const urls = [
      catalog(e.ref)?.annotations[RUNBOOK_ANNOTATION],
      ...(links[e.ref] ?? [])
        .filter(l => /runbook|playbook/i.test(l.title ?? ''))
        .map(l => l.url),
    ].filter((u): u is string => !!u && /^https?:\/\//i.test(u));
    [...new Set(urls)].forEach((url, i) =>
      runbooks.push({
        id: `runbook:${e.ref}${i === 0 ? '' : `#${i + 1}`}`,
        entityRef: e.ref,
        url: clip(url),
        title: `${e.label} runbook`,
      }),
    );
  }
  return runbooks.slice(0, FACT_LIMITS.runbooks);
}
