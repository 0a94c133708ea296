import fs from 'node:fs';
import { InputError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import {
  EntityIndex,
  INDEXED_KINDS,
  summarizeEntity,
  type CatalogEntitySummary,
} from '@aiops/plugin-aiops-node';
import { entitiesFromYaml } from '../../src/evaluation/demoCatalog';

/** Where the catalog comes from: files of entity YAML or JSON, or a running Backstage. */
export interface CatalogSource {
  /** A path (resolved by the caller) or an `http(s)://` URL. */
  location: string;
  /** Bearer token for a URL. */
  token?: string;
}

export interface ReplayCatalog {
  /** What keying and topology see: the kinds the live entity index holds, summarized. */
  summaries: CatalogEntitySummary[];
  index: EntityIndex;
}

const isUrl = (location: string) => /^https?:\/\//i.test(location);

/**
 * Builds the catalog the backend would key and correlate against. YAML files are entity
 * descriptors as written in a repository, so the relations the catalog would compute (owner,
 * system, dependsOn both ways…) are derived the way the evaluation harness does; JSON saved
 * from `/api/catalog/entities` and live URLs already carry the catalog's own relations.
 */
export async function loadReplayCatalog(
  sources: CatalogSource[],
): Promise<ReplayCatalog> {
  const yamlTexts: string[] = [];
  const withRelations: Entity[] = [];
  for (const source of sources) {
    if (isUrl(source.location)) {
      withRelations.push(...(await fetchEntities(source)));
      continue;
    }
    const text = readCatalogFile(source.location);
    const exported = exportedEntities(text, source.location);
    if (exported) withRelations.push(...exported);
    else yamlTexts.push(text);
  }
  const described = yamlTexts.length
    ? entitiesFromYaml(yamlTexts.join('\n---\n'))
    : [];
  const indexed = new Set<string>(
    INDEXED_KINDS.map(k => k.toLocaleLowerCase('en-US')),
  );
  const summaries = [...described, ...withRelations]
    .map((entity, i) => checkedEntity(entity, i))
    .filter(e => indexed.has(e.kind.toLocaleLowerCase('en-US')))
    .map(summarizeEntity)
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  if (!summaries.some(s => s.kind === 'component' || s.kind === 'resource')) {
    throw new InputError(
      `--catalog: no Component or Resource entity in ${sources
        .map(s => s.location)
        .join(', ')}; alerts could not be keyed to anything`,
    );
  }
  return { summaries, index: new EntityIndex(summaries) };
}

function readCatalogFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `--catalog ${file}: cannot read it (${(error as Error).message})`,
    );
  }
}

/**
 * Entities from a JSON export of the catalog API (`/api/catalog/entities` answers an array,
 * `/api/catalog/entities/by-query` an object with `items`); `undefined` for entity YAML.
 */
function exportedEntities(text: string, file: string): Entity[] | undefined {
  let docs;
  try {
    docs = parseAllDocuments(text).map(doc => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS() as unknown;
    });
  } catch (error) {
    throw new InputError(
      `--catalog ${file}: not valid YAML or JSON (${(error as Error).message})`,
    );
  }
  if (docs.length !== 1) return undefined;
  const [doc] = docs;
  if (Array.isArray(doc)) return doc as Entity[];
  if (isRecord(doc) && Array.isArray(doc.items)) return doc.items as Entity[];
  return undefined;
}

async function fetchEntities(source: CatalogSource): Promise<Entity[]> {
  const entities: Entity[] = [];
  let url = source.location;
  // The by-query endpoint pages with a cursor; the plain list answers everything at once.
  for (;;) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: source.token
          ? { authorization: `Bearer ${source.token}` }
          : {},
      });
    } catch (error) {
      throw new InputError(
        `--catalog ${url}: cannot reach it (${(error as Error).message})`,
      );
    }
    if (!response.ok) {
      throw new InputError(
        `--catalog ${url}: answered ${response.status} ${response.statusText}${
          response.status === 401 ? ' (pass a token with --token)' : ''
        }`,
      );
    }
    const body = (await response.json()) as unknown;
    if (Array.isArray(body)) return [...entities, ...(body as Entity[])];
    if (!isRecord(body) || !Array.isArray(body.items)) {
      throw new InputError(
        `--catalog ${url}: expected the entities of /api/catalog/entities (an array) or /api/catalog/entities/by-query (an object with items)`,
      );
    }
    entities.push(...(body.items as Entity[]));
    const next = isRecord(body.pageInfo) ? body.pageInfo.nextCursor : undefined;
    if (typeof next !== 'string' || !next) return entities;
    const nextUrl = new URL(source.location);
    nextUrl.search = '';
    nextUrl.searchParams.set('cursor', next);
    url = nextUrl.toString();
  }
}

function checkedEntity(entity: unknown, position: number): Entity {
  if (
    !isRecord(entity) ||
    typeof entity.kind !== 'string' ||
    !isRecord(entity.metadata) ||
    typeof entity.metadata.name !== 'string'
  ) {
    throw new InputError(
      `--catalog: entity ${position} has no kind or metadata.name: ${JSON.stringify(
        entity,
      ).slice(0, 120)}`,
    );
  }
  return entity as unknown as Entity;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
