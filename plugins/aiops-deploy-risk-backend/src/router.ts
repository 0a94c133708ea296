import express from 'express';
import Router from 'express-promise-router';
import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  aiopsIncidentReadPermission,
  type AiopsDeployRiskApi,
} from '@aiops/plugin-aiops-common';
import { readQuery, rejectNulInPath } from '@aiops/plugin-aiops-node';
import type {
  AssessmentStore,
  StoredAssessment,
} from './database/AssessmentStore';
import type { Assessor } from './service/assessor';
import { createOpenApiRouter } from './schema/openapi/generated';

export interface RouterOptions {
  assessor: Pick<Assessor, 'assess'>;
  store: AssessmentStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/** The stored assessment as the API serves it: the request's fields at the top level. */
export function toApi(a: StoredAssessment): AiopsDeployRiskApi.Assessment {
  const { request, probability: _probability, ...rest } = a;
  return { ...request, ...rest };
}

/** HTTP only: credentials, permissions and status codes; the assessor and store do the work. */
export async function createRouter(options: RouterOptions) {
  const { httpAuth, permissions, store, assessor } = options;
  const api = Router();
  api.use(rejectNulInPath);
  // Room for a large diff's path list (validateRequest allows 10,000 paths).
  api.use(express.json({ limit: '10mb' }));
  const router = await createOpenApiRouter();
  api.use(router);

  // An external-access token (the CI gate) is a service principal.
  const mayRead = async (
    req: Parameters<HttpAuthService['credentials']>[0],
  ): Promise<BackstageCredentials> => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorizeConditional(
      [{ permission: aiopsIncidentReadPermission }],
      { credentials },
    );
    // An assessment reveals incidents of the entity and its dependencies; a conditional
    // reader (the owner may read theirs) may assess as they may read the entity's metrics.
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `${aiopsIncidentReadPermission.name} is not allowed`,
      );
    return credentials;
  };

  router.post('/assessments', async (req, res) => {
    await mayRead(req);
    res.status(201).json(toApi(await assessor.assess(req.body)));
  });

  router.get('/assessments', async (req, res) => {
    await mayRead(req);
    const q = readQuery(req.query);
    const items = await store.list({
      entityRef: q.entityRef(),
      environment: q.string('environment'),
      limit: req.query.limit ?? 100,
    });
    res.json({ items: items.map(toApi) });
  });

  router.get('/assessments/:id', async (req, res) => {
    await mayRead(req);
    const assessment = await store.get(req.params.id);
    if (!assessment)
      throw new NotFoundError(`Assessment ${req.params.id} not found`);
    res.json(toApi(assessment));
  });

  return api;
}
