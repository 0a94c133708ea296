import express from 'express';
import Router from 'express-promise-router';
import { createOpenApiRouter } from './schema/openapi/generated';
import type { narratorStatus } from './engine/status';
import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  aiopsIncidentReadPermission,
  aiopsIncidentUpdatePermission,
  type Incident,
} from '@aiops/plugin-aiops-common';
import {
  incidentPermissionRules,
  rejectNulInPath,
} from '@aiops/plugin-aiops-node';
import type { NarrativeStore } from './database/NarrativeStore';
import type { NarrationOutcome } from './engine/Narrator';

export interface RouterOptions {
  store: NarrativeStore;
  /** The incident as correlation serves it; undefined when it knows none. */
  incident(id: string): Promise<Incident | undefined>;
  narrate(
    incidentId: string,
    options: { force?: boolean },
  ): Promise<NarrationOutcome>;
  /** What `GET /status` answers. */
  status(): ReturnType<typeof narratorStatus>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/** Versions of an incident's narrative answered with it, newest first. */
export const HISTORY_LIMIT = 50;

const isAllowed = createConditionAuthorizer(
  Object.values(incidentPermissionRules),
);

/** HTTP only: credentials, permissions and status codes; the narrator does the work. */
export async function createRouter(options: RouterOptions) {
  const { store, httpAuth, permissions } = options;
  // The routes are typed and their parameters validated by the router generated from
  // src/schema/openapi.yaml (a request the spec refuses answers 400 naming the field).
  const api = Router();
  api.use(rejectNulInPath);
  api.use(express.json({ limit: '16kb' }));
  const router = await createOpenApiRouter();
  api.use(router);

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /**
   * The incident, if the caller may use `permission` on it: refused outright first (403), then
   * unknown (404), then refused by a condition on the incident (403), as correlation answers.
   */
  const incidentFor = async (
    credentials: BackstageCredentials,
    id: string,
    permission: ResourcePermission<'aiops-incident'>,
  ) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(`${permission.name} is not allowed`);
    const incident = await options.incident(id);
    if (!incident) throw new NotFoundError(`Incident ${id} not found`);
    if (!isAllowed(decision, incident))
      throw new NotAllowedError(
        `${permission.name} is not allowed on incident ${id}`,
      );
    return incident;
  };

  router.get('/incidents/:id/narrative', async (req, res) => {
    const { id } = req.params;
    await incidentFor(
      await credentialsOf(req),
      id,
      aiopsIncidentReadPermission,
    );
    const history = await store.history(id, HISTORY_LIMIT);
    const current = await store.current(id);
    res.json({ incidentId: id, current: current ?? null, history });
  });

  router.post('/incidents/:id/narrative/regenerate', async (req, res) => {
    const { id } = req.params;
    await incidentFor(
      await credentialsOf(req),
      id,
      aiopsIncidentUpdatePermission,
    );
    const outcome = await options.narrate(id, { force: true });
    if (outcome.incident === 'unknown')
      throw new NotFoundError(`Incident ${id} not found`);
    res.json({
      incidentId: id,
      current: outcome.current,
      model: outcome.model,
    });
  });

  router.get('/status', async (req, res) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: aiopsIncidentReadPermission }],
      { credentials: await credentialsOf(req) },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `${aiopsIncidentReadPermission.name} is not allowed`,
      );
    res.json(await options.status());
  });

  return api;
}
