import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import {
  AIOPS_INCIDENT_RESOURCE_TYPE,
  type Incident,
} from '@aiops/plugin-aiops-common';

/** Criteria an incident store can filter on: the incident's owner is one of `values`. */
export interface IncidentPermissionQuery {
  key: 'owner';
  values: string[];
}

/** Incidents are resources of the correlation plugin, which evaluates conditions on them. */
export const incidentPermissionResourceRef = createPermissionResourceRef<
  Incident,
  IncidentPermissionQuery
>().with({
  pluginId: 'aiops-correlation',
  resourceType: AIOPS_INCIDENT_RESOURCE_TYPE,
});

/**
 * The owner group may act on its own incidents: an incident matches when the group it is
 * routed to is one of the user's ownership claims (their user ref and their groups).
 */
export const isIncidentOwner = createPermissionRule({
  name: 'IS_INCIDENT_OWNER',
  description: 'Allow incidents routed to one of the given owner refs',
  resourceRef: incidentPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and the groups they belong to'),
  }),
  apply: (incident, { claims }) => {
    const owner = incident.owner?.toLocaleLowerCase('en-US');
    return (
      !!owner &&
      claims.some(claim => claim.toLocaleLowerCase('en-US') === owner)
    );
  },
  toQuery: ({ claims }) => ({
    key: 'owner',
    values: claims.map(claim => claim.toLocaleLowerCase('en-US')),
  }),
});

export const incidentPermissionRules = { isIncidentOwner };

/** For permission policies: `incidentConditions.isIncidentOwner({ claims })`. */
export const {
  conditions: incidentConditions,
  createConditionalDecision: createIncidentConditionalDecision,
} = createConditionExports({
  resourceRef: incidentPermissionResourceRef,
  rules: incidentPermissionRules,
});
