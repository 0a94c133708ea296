import {
  type Entity,
  RELATION_CHILD_OF,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type {
  EntityRef,
  EntityResolution,
  Labels,
} from '@aiops/plugin-aiops-common';

/** Labels that name an entity directly, tried first. */
export const ENTITY_REF_LABELS = ['backstage.io/entity-ref', 'entity'] as const;

/** Labels that name a service, tried in this order. */
export const SERVICE_LABELS = [
  'service',
  'service_name',
  'service.name',
  'app',
  'app.kubernetes.io/name',
  'job',
] as const;

/** Annotations users already have that carry a runtime service name, tried in this order. */
export const SERVICE_NAME_ANNOTATIONS = [
  'aiops/service-name',
  'prometheus.io/service-name',
  'backstage.io/kubernetes-id',
  'datadoghq.com/service-name',
  'sentry.io/project-slug',
] as const;

/** Kinds a service label may resolve to; `entity` labels may name any kind. */
export const SERVICE_KINDS = ['component', 'resource'] as const;

/** What the suite needs to know of a catalog entity: keys, ownership and topology. */
export interface CatalogEntitySummary {
  entityRef: EntityRef;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: EntityRef;
  system?: EntityRef;
  annotations: Record<string, string>;
  dependsOn: EntityRef[];
  dependencyOf: EntityRef[];
  providesApis: EntityRef[];
  consumesApis: EntityRef[];
  /** A group's parent group (`spec.parent`), where escalation goes next. */
  parent?: EntityRef;
}

/** The entity fields the index is built from; request only these from the catalog. */
export const SUMMARY_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'relations',
];

/** Entity refs compare case-insensitively in Backstage; the suite keeps them lower-case. */
export function normalizeEntityRef(ref: string): EntityRef {
  return ref.toLocaleLowerCase('en-US');
}

export function summarizeEntity(entity: Entity): CatalogEntitySummary {
  const relationTargets = (type: string) =>
    (entity.relations ?? [])
      .filter(r => r.type === type)
      .map(r => normalizeEntityRef(r.targetRef))
      .sort();
  const partOf = relationTargets(RELATION_PART_OF).filter(ref =>
    ref.startsWith('system:'),
  );
  return {
    entityRef: normalizeEntityRef(stringifyEntityRef(entity)),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: (entity.metadata.namespace ?? 'default').toLocaleLowerCase(
      'en-US',
    ),
    name: entity.metadata.name.toLocaleLowerCase('en-US'),
    title: entity.metadata.title,
    owner: relationTargets(RELATION_OWNED_BY)[0],
    system: partOf[0],
    annotations: entity.metadata.annotations ?? {},
    dependsOn: relationTargets(RELATION_DEPENDS_ON),
    dependencyOf: relationTargets(RELATION_DEPENDENCY_OF),
    providesApis: relationTargets(RELATION_PROVIDES_API),
    consumesApis: relationTargets(RELATION_CONSUMES_API),
    parent: relationTargets(RELATION_CHILD_OF)[0],
  };
}

/**
 * When several entities carry the same service name, prefer components over resources, the
 * default namespace over others, then the alphabetically first ref, so the choice is stable.
 */
function preference(a: CatalogEntitySummary, b: CatalogEntitySummary): number {
  const kindOrder = (e: CatalogEntitySummary) =>
    (SERVICE_KINDS as readonly string[]).indexOf(e.kind);
  return (
    kindOrder(a) - kindOrder(b) ||
    Number(a.namespace !== 'default') - Number(b.namespace !== 'default') ||
    a.entityRef.localeCompare(b.entityRef)
  );
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * An immutable lookup structure over a catalog snapshot. Resolving a signal is a few map
 * lookups: no catalog round-trip per alert.
 */
export class EntityIndex {
  readonly size: number;
  private readonly byRef = new Map<EntityRef, CatalogEntitySummary>();
  /** key: `${annotation}\n${lower-cased value}` or `metadata.name\n${name}` */
  private readonly byServiceKey = new Map<string, CatalogEntitySummary[]>();

  static fromEntities(entities: Entity[]): EntityIndex {
    return new EntityIndex(entities.map(summarizeEntity));
  }

  constructor(summaries: CatalogEntitySummary[]) {
    for (const summary of summaries) {
      this.byRef.set(summary.entityRef, summary);
      if (!(SERVICE_KINDS as readonly string[]).includes(summary.kind))
        continue;
      for (const annotation of SERVICE_NAME_ANNOTATIONS) {
        const value = summary.annotations[annotation];
        if (value)
          addTo(this.byServiceKey, serviceKey(annotation, value), summary);
      }
      addTo(
        this.byServiceKey,
        serviceKey('metadata.name', summary.name),
        summary,
      );
    }
    for (const list of this.byServiceKey.values()) list.sort(preference);
    this.size = this.byRef.size;
  }

  get(entityRef: string): CatalogEntitySummary | undefined {
    return this.byRef.get(normalizeEntityRef(entityRef));
  }

  entities(): IterableIterator<CatalogEntitySummary> {
    return this.byRef.values();
  }

  /**
   * Keys a signal's labels to an entity, in the documented order: an explicit entity label,
   * then each service label against each service-name annotation and finally the entity name.
   */
  resolve(labels: Labels): EntityResolution {
    const misses: string[] = [];

    for (const label of ENTITY_REF_LABELS) {
      const value = labels[label];
      if (!value) continue;
      const entity = this.getByRefLabel(value);
      if (entity) return resolved(entity, `label:${label}`);
      misses.push(`label ${label}="${value}" names no catalog entity`);
    }

    for (const label of SERVICE_LABELS) {
      const value = labels[label];
      if (!value) continue;
      for (const source of [...SERVICE_NAME_ANNOTATIONS, 'metadata.name']) {
        const candidates = this.byServiceKey.get(serviceKey(source, value));
        if (!candidates) continue;
        const via =
          source === 'metadata.name' ? source : `annotation:${source}`;
        const ambiguity =
          candidates.length > 1
            ? ` (first of ${candidates.length} matches)`
            : '';
        return resolved(
          candidates[0],
          `label:${label}="${value}" via ${via}${ambiguity}`,
        );
      }
      misses.push(
        `label ${label}="${value}" matches no service-name annotation or entity name`,
      );
    }

    if (misses.length === 0) {
      return {
        status: 'unowned',
        reason: `no entity label (${ENTITY_REF_LABELS.join(
          ', ',
        )}) and no service label (${SERVICE_LABELS.join(', ')})`,
      };
    }
    return { status: 'unowned', reason: misses.join('; ') };
  }

  private getByRefLabel(value: string): CatalogEntitySummary | undefined {
    try {
      const ref = parseEntityRef(value.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      return this.get(stringifyEntityRef(ref));
    } catch {
      return undefined;
    }
  }
}

function serviceKey(source: string, value: string): string {
  return `${source}\n${value.trim().toLocaleLowerCase('en-US')}`;
}

function resolved(
  entity: CatalogEntitySummary,
  matchedBy: string,
): EntityResolution {
  return {
    status: 'resolved',
    entityRef: entity.entityRef,
    owner: entity.owner,
    system: entity.system,
    matchedBy,
  };
}
