import type {
  Alert,
  Deployment,
  Incident,
  Severity,
} from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '@aiops/plugin-aiops-node';
import { TopologyGraph, type ObservedEdge } from '../topology';
import type { TrackedAlert } from '../types';

export const T0 = Date.parse('2026-01-01T10:00:00.000Z');
export const MIN = 60_000;
/** ISO time `minutes` after T0. */
export const at = (minutes: number) =>
  new Date(T0 + minutes * MIN).toISOString();

export function entity(
  ref: string,
  rel: Partial<
    Pick<
      CatalogEntitySummary,
      | 'dependsOn'
      | 'dependencyOf'
      | 'providesApis'
      | 'consumesApis'
      | 'system'
      | 'owner'
    >
  > = {},
): CatalogEntitySummary {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    entityRef: ref,
    kind,
    namespace,
    name,
    annotations: {},
    dependsOn: [],
    dependencyOf: [],
    providesApis: [],
    consumesApis: [],
    ...rel,
  };
}

export const c = (name: string) => `component:default/${name}`;
export const r = (name: string) => `resource:default/${name}`;

/**
 * A small shop: frontend → checkout → cart → redis (a Resource); frontend → ad;
 * billing and reports share the Resource ledger-db; web consumes search-api, which search
 * provides. All in system shop except billing, reports and ledger-db (system money).
 */
export function shopCatalog(): CatalogEntitySummary[] {
  return [
    entity(c('frontend'), {
      dependsOn: [c('checkout'), c('ad')],
      system: 'system:default/shop',
      owner: 'group:default/web',
    }),
    entity(c('checkout'), {
      dependsOn: [c('cart')],
      system: 'system:default/shop',
      owner: 'group:default/checkout',
    }),
    entity(c('cart'), {
      dependsOn: [r('redis')],
      system: 'system:default/shop',
      owner: 'group:default/checkout',
    }),
    entity(r('redis'), {
      system: 'system:default/shop',
      owner: 'group:default/platform',
    }),
    entity(c('ad'), {
      system: 'system:default/shop',
      owner: 'group:default/web',
    }),
    entity(c('billing'), {
      dependsOn: [r('ledger-db')],
      system: 'system:default/money',
    }),
    entity(c('reports'), {
      dependsOn: [r('ledger-db')],
      system: 'system:default/money',
    }),
    entity(r('ledger-db'), { system: 'system:default/money' }),
    entity(c('web'), {
      consumesApis: ['api:default/search-api'],
      system: 'system:default/find',
    }),
    entity(c('search'), {
      providesApis: ['api:default/search-api'],
      system: 'system:default/find',
    }),
  ];
}

export function shopGraph(observed: ObservedEdge[] = []) {
  return TopologyGraph.build(shopCatalog(), observed);
}

export function alert(
  id: string,
  entityRef: string | undefined,
  opts: {
    severity?: Severity;
    start?: number;
    end?: number;
    title?: string;
    labels?: Record<string, string>;
  } = {},
): Alert {
  const start = opts.start ?? 0;
  return {
    id,
    fingerprint: id,
    source: 'alertmanager',
    status: opts.end === undefined ? 'firing' : 'resolved',
    severity: opts.severity ?? 'error',
    title: opts.title ?? `${id}-title`,
    labels: { alertname: opts.title ?? `${id}-title`, ...opts.labels },
    annotations: {},
    resolution: entityRef
      ? { status: 'resolved', entityRef, matchedBy: 'test' }
      : { status: 'unowned', reason: 'test' },
    startsAt: at(start),
    endsAt: opts.end === undefined ? undefined : at(opts.end),
    firstSeenAt: at(start),
    lastSeenAt: at(opts.end ?? start),
    deliveryCount: 1,
  };
}

export function tracked(
  a: Alert,
  extra: Partial<TrackedAlert> = {},
): TrackedAlert {
  return {
    alert: a,
    entityRef:
      a.resolution.status === 'resolved' ? a.resolution.entityRef : undefined,
    groupKey: `entity=${JSON.stringify(
      a.resolution.status === 'resolved' ? a.resolution.entityRef : '',
    )}`,
    onsetAt: Date.parse(a.startsAt),
    status: a.status,
    resolvedAt: a.endsAt ? Date.parse(a.endsAt) : undefined,
    transitions: [],
    ...extra,
  };
}

export function deployment(
  id: string,
  entityRef: string,
  startMin: number,
  version = '1.2.3',
): Deployment {
  return {
    id,
    source: 'generic',
    externalId: id,
    resolution: { status: 'resolved', entityRef, matchedBy: 'test' },
    environment: 'production',
    version,
    status: 'succeeded',
    startedAt: at(startMin),
    finishedAt: at(startMin + 1),
  };
}

/** An open incident on cart with nothing in it yet, as store tests open one directly. */
export function bareIncident(id: string): Incident {
  return {
    id,
    title: `Incident ${id}`,
    status: 'open',
    severity: 'error',
    primaryEntityRef: c('cart'),
    affectedEntityRefs: [c('cart')],
    correlationKey: `group-key@1|${id}|${at(0)}`,
    ruleVersions: ['group-key@1'],
    alertIds: [],
    findings: [],
    rootCauseCandidates: [],
    openedAt: at(0),
    updatedAt: at(0),
  };
}
