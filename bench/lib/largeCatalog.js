'use strict';

/**
 * A synthetic catalog of 1,000 components for the correlation benchmarks: 40 systems of 25
 * services, each service depending on a few "lower" services of its system (a layered call
 * graph without cycles) and the first five on the system's database Resource; 12 teams own
 * them. Deterministic: every run builds the same catalog.
 */

const SYSTEMS = 40;
const PER_SYSTEM = 25;
const TEAMS = 12;

/** A deterministic pseudo-random sequence. */
function random(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const serviceName = (system, i) => `s${system}-svc${i}`;
const serviceRef = (system, i) => `component:default/${serviceName(system, i)}`;

/** `{ ref, kind, name, system, owner, dependsOn }` for every component and resource. */
function largeCatalog() {
  const rand = random(42);
  const items = [];
  for (let s = 0; s < SYSTEMS; s++) {
    const system = `system:default/system-${s}`;
    const owner = `group:default/team-${s % TEAMS}`;
    const resource = `resource:default/db-${s}`;
    items.push({
      ref: resource,
      kind: 'Resource',
      name: `db-${s}`,
      system,
      owner,
      dependsOn: [],
    });
    for (let i = 0; i < PER_SYSTEM; i++) {
      const dependsOn = new Set();
      const count = i === 0 ? 0 : 1 + Math.floor(rand() * 3);
      for (let d = 0; d < count; d++)
        dependsOn.add(serviceRef(s, Math.floor(rand() * i)));
      if (i < 5) dependsOn.add(resource);
      items.push({
        ref: serviceRef(s, i),
        kind: 'Component',
        name: serviceName(s, i),
        system,
        owner,
        dependsOn: [...dependsOn],
      });
    }
  }
  return items;
}

/** The catalog as the summaries the correlation core works on. */
function largeCatalogSummaries() {
  const items = largeCatalog();
  const dependencyOf = new Map();
  for (const item of items) {
    for (const dep of item.dependsOn) {
      dependencyOf.set(dep, [...(dependencyOf.get(dep) ?? []), item.ref]);
    }
  }
  return items.map(item => ({
    entityRef: item.ref,
    kind: item.kind.toLowerCase(),
    namespace: 'default',
    name: item.name,
    annotations: {},
    system: item.system,
    owner: item.owner,
    dependsOn: item.dependsOn,
    dependencyOf: dependencyOf.get(item.ref) ?? [],
    providesApis: [],
    consumesApis: [],
  }));
}

/** The catalog as Backstage entities with the relations the catalog computes. */
function largeCatalogEntities() {
  const items = largeCatalog();
  const relations = new Map(items.map(item => [item.ref, []]));
  for (const item of items) {
    relations
      .get(item.ref)
      .push(
        { type: 'ownedBy', targetRef: item.owner },
        { type: 'partOf', targetRef: item.system },
      );
    for (const dep of item.dependsOn) {
      relations.get(item.ref).push({ type: 'dependsOn', targetRef: dep });
      relations.get(dep).push({ type: 'dependencyOf', targetRef: item.ref });
    }
  }
  const entities = items.map(item => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: item.kind,
    metadata: {
      name: item.name,
      namespace: 'default',
      annotations: { 'aiops/service-name': item.name },
    },
    spec: {
      type: item.kind === 'Resource' ? 'database' : 'service',
      lifecycle: 'production',
      owner: item.owner,
      system: item.system,
      dependsOn: item.dependsOn,
    },
    relations: relations.get(item.ref),
  }));
  for (let t = 0; t < TEAMS; t++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${t}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
  }
  return entities;
}

module.exports = {
  largeCatalog,
  largeCatalogSummaries,
  largeCatalogEntities,
  random,
  SYSTEMS,
  PER_SYSTEM,
};
