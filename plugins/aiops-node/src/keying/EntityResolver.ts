import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityRef,
  EntityResolution,
  Labels,
} from '@aiops/plugin-aiops-common';
import {
  type CatalogEntitySummary,
  EntityIndex,
  SUMMARY_ENTITY_FIELDS,
} from './EntityIndex';

/** Keys signals to catalog entities from a cached snapshot of the catalog. */
export interface EntityResolver {
  resolve(labels: Labels): Promise<EntityResolution>;
  getEntity(entityRef: string): Promise<CatalogEntitySummary | undefined>;
  /**
   * The current catalog snapshot. Immutable: a refresh replaces it, so comparing identities
   * tells whether it changed. When it lacks any of `expected` (refs the caller knows exist, e.g.
   * of signals ingest keyed), it was probably taken while the catalog was still loading: it is
   * reloaded first, at most once per interval.
   */
  snapshot(expected?: Iterable<EntityRef>): Promise<EntityIndex>;
  /** Reloads the snapshot now; the scheduled refresh calls this. */
  refresh(): Promise<void>;
}

export interface CatalogEntityResolverOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /**
   * A signal naming an unknown service makes the resolver reload the catalog before answering
   * "unowned" (the service may have been registered since), at most this often.
   */
  minRefreshIntervalMs?: number;
  /** How long after the first load snapshots are reloaded (at that pace) too. Default 5 minutes. */
  warmupMs?: number;
  now?: () => number;
}

const PAGE_SIZE = 500;

/** Users, templates and locations never carry signals; leaving them out keeps the snapshot small. */
export const INDEXED_KINDS = [
  'Component',
  'Resource',
  'System',
  'API',
  'Group',
] as const;

/**
 * Loads the catalog once, then answers from memory. Refreshes replace the snapshot
 * atomically; while a refresh runs, lookups keep using the previous one.
 */
export class CatalogEntityResolver implements EntityResolver {
  private index?: EntityIndex;
  private loading?: Promise<EntityIndex>;
  private lastLoadStartedAt = Number.NEGATIVE_INFINITY;
  private firstLoadStartedAt = Number.NEGATIVE_INFINITY;
  private readonly warmupMs: number;
  private readonly minRefreshIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CatalogEntityResolverOptions) {
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
    this.warmupMs = options.warmupMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async resolve(labels: Labels): Promise<EntityResolution> {
    let index: EntityIndex;
    try {
      index = await this.currentIndex();
    } catch (error) {
      return {
        status: 'unowned',
        reason: `catalog unavailable: ${(error as Error).message}`,
      };
    }
    const resolution = index.resolve(labels);
    if (resolution.status === 'resolved') return resolution;
    // The service may have been registered (or the catalog still loading at start-up) since
    // the snapshot was taken: look again before calling it unowned.
    return this.lookAgain(
      resolution,
      fresh => fresh.resolve(labels),
      'entity keying',
    );
  }

  async getEntity(entityRef: string) {
    return (await this.currentIndex()).get(entityRef);
  }

  async snapshot(expected: Iterable<EntityRef> = []): Promise<EntityIndex> {
    const index = await this.currentIndex();
    const stale =
      this.warmingUp() || [...expected].some(ref => !index.get(ref));
    return stale ? this.lookAgain(index, fresh => fresh, 'a snapshot') : index;
  }

  /**
   * An answer from a snapshot that may be out of date, answered again from a reloaded one — at
   * most once per interval, and keeping the first answer when the catalog cannot be read.
   */
  private async lookAgain<T>(
    answer: T,
    from: (fresh: EntityIndex) => T,
    purpose: string,
  ): Promise<T> {
    if (!this.mayRefreshEarly()) return answer;
    try {
      return from(await this.load());
    } catch (error) {
      this.options.logger.warn(
        `Catalog refresh for ${purpose} failed: ${error}`,
      );
      return answer;
    }
  }

  /**
   * Soon after the first load the catalog may still be processing its locations (entities
   * arrive, relations are stitched, groups come from another file): until then every snapshot
   * is looked at again, once per interval.
   */
  private warmingUp(): boolean {
    return this.now() - this.firstLoadStartedAt < this.warmupMs;
  }

  async refresh(): Promise<void> {
    await this.load();
  }

  private async currentIndex(): Promise<EntityIndex> {
    return this.index ?? this.load();
  }

  private mayRefreshEarly(): boolean {
    return (
      this.loading !== undefined ||
      this.now() - this.lastLoadStartedAt >= this.minRefreshIntervalMs
    );
  }

  /** Concurrent callers share one in-flight load. */
  private load(): Promise<EntityIndex> {
    if (!this.loading) {
      this.lastLoadStartedAt = this.now();
      if (this.firstLoadStartedAt === Number.NEGATIVE_INFINITY) {
        this.firstLoadStartedAt = this.lastLoadStartedAt;
      }
      this.loading = this.fetchIndex()
        .then(index => {
          this.index = index;
          this.options.logger.debug(
            `Entity keying index holds ${index.size} entities`,
          );
          return index;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  private async fetchIndex(): Promise<EntityIndex> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: [...INDEXED_KINDS] },
              fields: SUMMARY_ENTITY_FIELDS,
              limit: PAGE_SIZE,
              orderFields: { field: 'metadata.name', order: 'asc' },
            },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return EntityIndex.fromEntities(entities);
  }
}
