import express from 'express';
import Router from 'express-promise-router';
import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  aiopsAdminPermission,
  aiopsIncidentReadPermission,
  type AiopsRetrievalApi,
  type Incident,
  type IncidentDetails,
} from '@aiops/plugin-aiops-common';
import {
  incidentPermissionRules,
  isAllowed,
  rejectNulInPath,
} from '@aiops/plugin-aiops-node';
import type { RetrievalResult } from './engine/Retriever';
import { createOpenApiRouter } from './schema/openapi/generated';
import { readSearchRequest } from './searchRequest';
import type { SearchFilters } from './database/RetrievalStore';
import { buildIncidentDocument } from './service/incidentDocument';
import type { IncidentDocument } from './service/types';

export interface RouterOptions {
  /** The incident as correlation serves it; undefined when it knows none. */
  incident(id: string): Promise<IncidentDetails | undefined>;
  similar(document: IncidentDocument, k: number): Promise<RetrievalResult>;
  search(
    text: string,
    filters: SearchFilters,
    k: number,
  ): Promise<RetrievalResult>;
  reindex(): Promise<AiopsRetrievalApi.ReindexIncidentsResponse>;
  status(): Promise<AiopsRetrievalApi.RetrievalStatus>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/** Hits read per hit asked when a policy's conditions may leave some out. */
const CONDITIONAL_OVERFETCH = 4;
const MAX_HITS = 50;

const conditionsAllow = createConditionAuthorizer(
  Object.values(incidentPermissionRules),
);

/** The incident as the permission rules read it, from what the index holds of it. */
function asIncident(document: IncidentDocument): Incident {
  return {
    id: document.incidentId,
    title: document.title,
    status: document.status,
    severity: document.severity as Incident['severity'],
    owner: document.owner,
    system: document.system,
    primaryEntityRef: document.entityRefs[0],
    affectedEntityRefs: document.entityRefs,
    correlationKey: '',
    ruleVersions: [],
    alertIds: [],
    findings: [],
    rootCauseCandidates: [],
    openedAt: document.openedAt,
    resolvedAt: document.resolvedAt,
    updatedAt: document.resolvedAt ?? document.openedAt,
  };
}

/** The answer's shape: the hits the caller may read, at most `k`. */
function answer(
  result: RetrievalResult,
  decision: PolicyDecision,
  k: number,
): AiopsRetrievalApi.RetrievalResult {
  return {
    mode: result.mode,
    model: result.model,
    fusion: result.fusion,
    hits: result.hits
      .filter(hit => conditionsAllow(decision, asIncident(hit.document)))
      .slice(0, k)
      .map(({ document, score, why }) => ({
        incidentId: document.incidentId,
        title: document.title,
        status: document.status,
        severity: document.severity,
        openedAt: document.openedAt,
        resolvedAt: document.resolvedAt,
        timeToResolveMs: document.timeToResolveMs,
        resolution:
          document.resolutionNote || document.postmortemUrl
            ? {
                note: document.resolutionNote,
                postmortemUrl: document.postmortemUrl,
              }
            : undefined,
        score,
        why,
      })),
  };
}

/** HTTP only: credentials, permissions and status codes; the retriever does the work. */
export async function createRouter(options: RouterOptions) {
  const { httpAuth, permissions } = options;
  // Parameters and bodies are validated by the router generated from src/schema/openapi.yaml
  // (a request the spec refuses answers 400 naming the field).
  const api = Router();
  api.use(rejectNulInPath);
  api.use(express.json({ limit: '16kb' }));
  const router = await createOpenApiRouter();
  api.use(router);

  const credentialsOf = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** The read decision: refused outright is 403; a conditional one filters the hits. */
  const readDecision = async (credentials: BackstageCredentials) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: aiopsIncidentReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `${aiopsIncidentReadPermission.name} is not allowed`,
      );
    return decision;
  };
  const hitsToRank = (decision: PolicyDecision, k: number) =>
    decision.result === AuthorizeResult.CONDITIONAL
      ? Math.min(k * CONDITIONAL_OVERFETCH, MAX_HITS * CONDITIONAL_OVERFETCH)
      : k;

  router.get('/incidents/:id/similar', async (req, res) => {
    const { id } = req.params;
    const k = req.query.k ?? 5;
    const decision = await readDecision(await credentialsOf(req));
    // 404 before a condition's 403, as correlation answers.
    const details = await options.incident(id);
    if (!details) throw new NotFoundError(`Incident ${id} not found`);
    if (!conditionsAllow(decision, details.incident))
      throw new NotAllowedError(
        `${aiopsIncidentReadPermission.name} is not allowed on incident ${id}`,
      );
    const result = await options.similar(
      buildIncidentDocument(details),
      hitsToRank(decision, k),
    );
    res.json({ incidentId: id, ...answer(result, decision, k) });
  });

  router.post('/search', async (req, res) => {
    const decision = await readDecision(await credentialsOf(req));
    const { query, filters, k } = readSearchRequest(req.body);
    const result = await options.search(
      query,
      filters,
      hitsToRank(decision, k),
    );
    res.json(answer(result, decision, k));
  });

  router.get('/status', async (req, res) => {
    await readDecision(await credentialsOf(req));
    res.json(await options.status());
  });

  router.post('/reindex', async (req, res) => {
    if (
      !(await isAllowed(
        permissions,
        aiopsAdminPermission,
        await credentialsOf(req),
      ))
    )
      throw new NotAllowedError(`${aiopsAdminPermission.name} is not allowed`);
    res.json(await options.reindex());
  });

  return api;
}
