import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  type Entity,
  parseEntityRef,
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CHILD_OF,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  summarizeEntity,
  type CatalogEntitySummary,
} from '@aiops/plugin-aiops-node';

/**
 * `examples/entities.yaml` at the repository root: the demo catalog. Found by walking up from
 * the working directory, so it works from the repo root and from the package folder alike.
 */
export function findDemoCatalog(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'examples', 'entities.yaml');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`examples/entities.yaml not found above ${from}`);
    }
  }
}

/**
 * Turns catalog YAML into entities with the relations the catalog would compute:
 * ownedBy/ownerOf, childOf/parentOf (groups), partOf/hasPart (system, domain),
 * dependsOn/dependencyOf both ways, providesApi/apiProvidedBy and consumesApi/apiConsumedBy.
 */
export function entitiesFromYaml(text: string): Entity[] {
  const entities = parseAllDocuments(text)
    .map(doc => doc.toJS() as Entity | null)
    .filter((e): e is Entity => !!e?.kind);
  const relations = new Map<
    string,
    Array<{ type: string; targetRef: string }>
  >();
  const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');
  const add = (
    source: string,
    type: string,
    target: string,
    reverse?: string,
  ) => {
    relations.set(source, [
      ...(relations.get(source) ?? []),
      { type, targetRef: target },
    ]);
    if (reverse) {
      relations.set(target, [
        ...(relations.get(target) ?? []),
        { type: reverse, targetRef: source },
      ]);
    }
  };
  for (const entity of entities) {
    const self = refOf(entity);
    const namespace = entity.metadata.namespace ?? 'default';
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    const target = (value: string, defaultKind: string) =>
      stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
      ).toLocaleLowerCase('en-US');
    const list = (key: string) =>
      Array.isArray(spec[key]) ? (spec[key] as string[]) : [];
    if (typeof spec.owner === 'string')
      add(
        self,
        RELATION_OWNED_BY,
        target(spec.owner, 'group'),
        RELATION_OWNER_OF,
      );
    if (typeof spec.parent === 'string')
      add(
        self,
        RELATION_CHILD_OF,
        target(spec.parent, 'group'),
        RELATION_PARENT_OF,
      );
    if (typeof spec.system === 'string')
      add(
        self,
        RELATION_PART_OF,
        target(spec.system, 'system'),
        RELATION_HAS_PART,
      );
    if (typeof spec.domain === 'string')
      add(
        self,
        RELATION_PART_OF,
        target(spec.domain, 'domain'),
        RELATION_HAS_PART,
      );
    for (const dep of list('dependsOn'))
      add(
        self,
        RELATION_DEPENDS_ON,
        target(dep, 'component'),
        RELATION_DEPENDENCY_OF,
      );
    for (const dep of list('dependencyOf'))
      add(
        self,
        RELATION_DEPENDENCY_OF,
        target(dep, 'component'),
        RELATION_DEPENDS_ON,
      );
    for (const api of list('providesApis'))
      add(
        self,
        RELATION_PROVIDES_API,
        target(api, 'api'),
        RELATION_API_PROVIDED_BY,
      );
    for (const api of list('consumesApis'))
      add(
        self,
        RELATION_CONSUMES_API,
        target(api, 'api'),
        RELATION_API_CONSUMED_BY,
      );
  }
  return entities.map(entity => ({
    ...entity,
    relations: relations.get(refOf(entity)) ?? [],
  }));
}

/** The demo services and, from `org.yaml` beside them, the groups and users that own them. */
export function loadDemoEntities(file = findDemoCatalog()): Entity[] {
  const org = path.join(path.dirname(file), 'org.yaml');
  const texts = [file, ...(fs.existsSync(org) ? [org] : [])].map(f =>
    fs.readFileSync(f, 'utf8'),
  );
  return entitiesFromYaml(texts.join('\n---\n'));
}

export function loadDemoCatalog(
  file = findDemoCatalog(),
): CatalogEntitySummary[] {
  return loadDemoEntities(file)
    .map(summarizeEntity)
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}
