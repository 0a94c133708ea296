import type { EntityRef } from '@aiops/plugin-aiops-common';
import type { CatalogEntitySummary } from '@aiops/plugin-aiops-node';

/** A call seen in traces: `caller` called `callee` (both entity refs or ingest entity keys). */
export interface ObservedEdge {
  caller: EntityRef;
  callee: EntityRef;
}

/** Where a dependency edge comes from. */
export type EdgeSource = 'dependsOn' | 'api' | 'observed';

/** A directed dependency: `from` needs `to`, so a failure of `to` can show up on `from`. */
export interface DependencyEdge {
  from: EntityRef;
  to: EntityRef;
  sources: EdgeSource[];
}

/**
 * How two entities are connected, the shortest way:
 * - `same`: it is the same entity;
 * - `depends-on`: `a` (transitively) depends on `b`;
 * - `dependency-of`: `b` (transitively) depends on `a`;
 * - `shared-dependency`: both depend on `via` (a shared Resource, a shared service);
 * - `same-system`: only the System links them (when enabled).
 */
export interface Relation {
  kind:
    | 'same'
    | 'depends-on'
    | 'dependency-of'
    | 'shared-dependency'
    | 'same-system';
  hops: number;
  via?: EntityRef;
}

export interface RelationOptions {
  maxHops: number;
  /** Count entities of one System as related, at this many hops; off when undefined. */
  sameSystemHops?: number;
}

export interface ObservedTopologyDiff {
  /** Calls seen in traces that no catalog relation (dependsOn, dependencyOf, API) declares. */
  undeclared: DependencyEdge[];
  /** Catalog edges between two traced entities that traces never showed. */
  unobserved: DependencyEdge[];
}

/**
 * The dependency graph of a catalog snapshot plus the calls observed in traces. Edges point
 * from the dependent to its dependency ("upstream"): `dependsOn`/`dependencyOf` relations,
 * API consumer → API provider, and observed caller → callee. Shared Resources need no edge
 * of their own: two components depending on one resource are two hops apart through it.
 * Immutable; build a new one when the catalog or the observed calls change.
 */
export class TopologyGraph {
  private readonly summaries = new Map<EntityRef, CatalogEntitySummary>();
  private readonly upstream = new Map<
    EntityRef,
    Map<EntityRef, Set<EdgeSource>>
  >();
  private readonly downstream = new Map<EntityRef, Set<EntityRef>>();
  private diff?: ObservedTopologyDiff;
  /** maxHops → entity → its upstream distances. */
  private readonly distanceCache = new Map<
    number,
    Map<EntityRef, Map<EntityRef, number>>
  >();
  private readonly downstreamCache = new Map<
    number,
    Map<EntityRef, Map<EntityRef, number>>
  >();
  private readonly nearCache = new Map<string, ReadonlySet<EntityRef>>();
  private readonly systemMembers = new Map<string, EntityRef[]>();
  private readonly sortedUpstreamCache = new Map<EntityRef, EntityRef[]>();
  private readonly relationCache = new Map<string, Relation | undefined>();

  static build(
    entities: CatalogEntitySummary[],
    observed: ObservedEdge[] = [],
  ): TopologyGraph {
    return new TopologyGraph(entities, observed);
  }

  private constructor(
    entities: CatalogEntitySummary[],
    observed: ObservedEdge[],
  ) {
    const providers = new Map<EntityRef, EntityRef[]>();
    for (const entity of entities) {
      this.summaries.set(entity.entityRef, entity);
      if (entity.system) {
        const members = this.systemMembers.get(entity.system) ?? [];
        members.push(entity.entityRef);
        this.systemMembers.set(entity.system, members);
      }
      for (const api of entity.providesApis) {
        providers.set(api, [...(providers.get(api) ?? []), entity.entityRef]);
      }
    }
    for (const entity of entities) {
      for (const dep of entity.dependsOn)
        this.addEdge(entity.entityRef, dep, 'dependsOn');
      for (const dependent of entity.dependencyOf) {
        this.addEdge(dependent, entity.entityRef, 'dependsOn');
      }
      for (const api of entity.consumesApis) {
        for (const provider of providers.get(api) ?? []) {
          if (provider !== entity.entityRef)
            this.addEdge(entity.entityRef, provider, 'api');
        }
      }
    }
    for (const edge of observed) {
      if (edge.caller !== edge.callee)
        this.addEdge(edge.caller, edge.callee, 'observed');
    }
  }

  private addEdge(from: EntityRef, to: EntityRef, source: EdgeSource) {
    let targets = this.upstream.get(from);
    if (!targets) {
      targets = new Map();
      this.upstream.set(from, targets);
    }
    const sources = targets.get(to) ?? new Set<EdgeSource>();
    sources.add(source);
    targets.set(to, sources);
    const dependents = this.downstream.get(to) ?? new Set<EntityRef>();
    dependents.add(from);
    this.downstream.set(to, dependents);
  }

  entity(ref: EntityRef): CatalogEntitySummary | undefined {
    return this.summaries.get(ref);
  }

  /** Direct dependencies of `ref`, sorted, with the sources that declare each. */
  dependenciesOf(ref: EntityRef): DependencyEdge[] {
    return [
      ...(this.upstream.get(ref) ?? new Map<EntityRef, Set<EdgeSource>>()),
    ]
      .map(([to, sources]) => ({ from: ref, to, sources: [...sources].sort() }))
      .sort((a, b) => a.to.localeCompare(b.to));
  }

  edge(from: EntityRef, to: EntityRef): DependencyEdge | undefined {
    const sources = this.upstream.get(from)?.get(to);
    return sources ? { from, to, sources: [...sources].sort() } : undefined;
  }

  /**
   * Entities `ref` depends on within `maxHops`, with their distance; `ref` itself at 0.
   * Memoized (the graph is immutable): correlation asks the same questions for every alert.
   * The returned map is shared and must not be changed.
   */
  upstreamDistances(
    ref: EntityRef,
    maxHops = Infinity,
  ): ReadonlyMap<EntityRef, number> {
    return this.distancesFrom(ref, maxHops, this.distanceCache, node =>
      this.sortedUpstream(node),
    );
  }

  /**
   * Entities that depend on `ref` within `maxHops`, with their distance; `ref` itself at 0.
   * Memoized like `upstreamDistances`; the returned map must not be changed.
   */
  downstreamDistances(
    ref: EntityRef,
    maxHops = Infinity,
  ): ReadonlyMap<EntityRef, number> {
    return this.distancesFrom(
      ref,
      maxHops,
      this.downstreamCache,
      node => this.downstream.get(node) ?? [],
    );
  }

  /** Breadth-first distances from `ref` along `next`, memoized per `maxHops` in `cache`. */
  private distancesFrom(
    ref: EntityRef,
    maxHops: number,
    cache: Map<number, Map<EntityRef, Map<EntityRef, number>>>,
    next: (node: EntityRef) => Iterable<EntityRef>,
  ): ReadonlyMap<EntityRef, number> {
    let byRef = cache.get(maxHops);
    if (!byRef) {
      byRef = new Map();
      cache.set(maxHops, byRef);
    }
    let distances = byRef.get(ref);
    if (distances) return distances;
    distances = new Map<EntityRef, number>([[ref, 0]]);
    let frontier = [ref];
    for (let hop = 1; hop <= maxHops && frontier.length > 0; hop++) {
      const reached: EntityRef[] = [];
      for (const node of frontier) {
        for (const other of next(node)) {
          if (distances.has(other)) continue;
          distances.set(other, hop);
          reached.push(other);
        }
      }
      frontier = reached;
    }
    byRef.set(ref, distances);
    return distances;
  }

  /**
   * Every entity `relation(ref, ·, options)` can find within `options.maxHops`: those `ref`
   * depends on, those that depend on it, those that share a dependency with it, and with
   * `sameSystemHops` its System's members. Lets a caller look only at what holds one of them
   * instead of at everything. Memoized; the set must not be changed.
   */
  near(ref: EntityRef, options: RelationOptions): ReadonlySet<EntityRef> {
    const key = `${options.maxHops}\n${options.sameSystemHops}\n${ref}`;
    let near = this.nearCache.get(key);
    if (near) return near;
    const found = new Set<EntityRef>();
    for (const [via, hops] of this.upstreamDistances(ref, options.maxHops)) {
      for (const other of this.downstreamDistances(
        via,
        options.maxHops - hops,
      ).keys())
        found.add(other);
    }
    const system = this.summaries.get(ref)?.system;
    if (options.sameSystemHops !== undefined && system) {
      for (const member of this.systemMembers.get(system) ?? [])
        found.add(member);
    }
    near = found;
    this.nearCache.set(key, near);
    return near;
  }

  private sortedUpstream(ref: EntityRef): EntityRef[] {
    let sorted = this.sortedUpstreamCache.get(ref);
    if (!sorted) {
      sorted = [...(this.upstream.get(ref)?.keys() ?? [])].sort();
      this.sortedUpstreamCache.set(ref, sorted);
    }
    return sorted;
  }

  /** True when `a` is a (transitive) dependency of `b`, i.e. a failure of `a` can reach `b`. */
  isUpstreamOf(a: EntityRef, b: EntityRef, maxHops = Infinity): boolean {
    return a !== b && this.upstreamDistances(b, maxHops).has(a);
  }

  /**
   * The shortest connection between two entities within `maxHops`, or undefined. Only paths
   * that a failure can travel count: down a dependency chain, or up from a shared dependency.
   * Two services that merely share a caller (everything the frontend calls) are not related.
   */
  relation(
    a: EntityRef,
    b: EntityRef,
    options: RelationOptions,
  ): Relation | undefined {
    if (a === b) return { kind: 'same', hops: 0 };
    const key = `${options.maxHops}\n${options.sameSystemHops}\n${a}\n${b}`;
    if (this.relationCache.has(key)) return this.relationCache.get(key);
    const relation = this.computeRelation(a, b, options);
    this.relationCache.set(key, relation);
    return relation;
  }

  private computeRelation(
    a: EntityRef,
    b: EntityRef,
    options: RelationOptions,
  ): Relation | undefined {
    const fromA = this.upstreamDistances(a, options.maxHops);
    const fromB = this.upstreamDistances(b, options.maxHops);
    let best: Relation | undefined;
    for (const [via, hopsA] of [...fromA].sort((x, y) =>
      x[0].localeCompare(y[0]),
    )) {
      const hopsB = fromB.get(via);
      if (hopsB === undefined || hopsA + hopsB > options.maxHops) continue;
      const hops = hopsA + hopsB;
      if (best && best.hops <= hops) continue;
      if (via === b) best = { kind: 'depends-on', hops };
      else if (via === a) best = { kind: 'dependency-of', hops };
      else best = { kind: 'shared-dependency', hops, via };
    }
    if (best || options.sameSystemHops === undefined) return best;
    const systemA = this.summaries.get(a)?.system;
    if (systemA && systemA === this.summaries.get(b)?.system) {
      return {
        kind: 'same-system',
        hops: options.sameSystemHops,
        via: systemA,
      };
    }
    return undefined;
  }

  /**
   * The entities of `refs` that nothing else in `refs` depends on transitively — where a
   * cascade starts. Members of a dependency cycle all count as roots.
   */
  rootsOf(refs: EntityRef[]): EntityRef[] {
    const unique = [...new Set(refs)].sort();
    return unique.filter(
      ref =>
        !unique.some(
          other =>
            other !== ref &&
            this.isUpstreamOf(other, ref) &&
            !this.isUpstreamOf(ref, other),
        ),
    );
  }

  /** Compares the calls seen in traces with what the catalog declares. */
  diffObserved(): ObservedTopologyDiff {
    if (this.diff) return this.diff;
    const undeclared: DependencyEdge[] = [];
    const unobserved: DependencyEdge[] = [];
    const traced = new Set<EntityRef>();
    for (const [from, targets] of this.upstream) {
      for (const [to, sources] of targets) {
        if (sources.has('observed')) {
          traced.add(from);
          traced.add(to);
        }
      }
    }
    for (const [from, targets] of this.upstream) {
      for (const [to, sources] of targets) {
        const edge = { from, to, sources: [...sources].sort() };
        const declared = sources.has('dependsOn') || sources.has('api');
        if (sources.has('observed') && !declared) undeclared.push(edge);
        if (!sources.has('observed') && traced.has(from) && traced.has(to)) {
          unobserved.push(edge);
        }
      }
    }
    const order = (x: DependencyEdge, y: DependencyEdge) =>
      x.from.localeCompare(y.from) || x.to.localeCompare(y.to);
    this.diff = {
      undeclared: undeclared.sort(order),
      unobserved: unobserved.sort(order),
    };
    return this.diff;
  }
}

/** `component:default/cart` → `cart`, for human summaries. */
export function shortName(ref: EntityRef): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}
