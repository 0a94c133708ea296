import {
  createPermission,
  type BasicPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Resource type for incidents, so policies can make conditional decisions (e.g. "owner may act"). */
export const AIOPS_INCIDENT_RESOURCE_TYPE = 'aiops-incident';

export const aiopsIncidentReadPermission: ResourcePermission<
  typeof AIOPS_INCIDENT_RESOURCE_TYPE
> = createPermission({
  name: 'aiops.incident.read',
  attributes: { action: 'read' },
  resourceType: AIOPS_INCIDENT_RESOURCE_TYPE,
});

/** Acknowledge, resolve, reopen, add notes, merge. */
export const aiopsIncidentUpdatePermission: ResourcePermission<
  typeof AIOPS_INCIDENT_RESOURCE_TYPE
> = createPermission({
  name: 'aiops.incident.update',
  attributes: { action: 'update' },
  resourceType: AIOPS_INCIDENT_RESOURCE_TYPE,
});

/** Create and delete silences and maintenance windows. */
export const aiopsSilenceManagePermission: BasicPermission = createPermission({
  name: 'aiops.silence.manage',
  attributes: { action: 'update' },
});

/** Reindex, replay, view and change suite-wide configuration. */
export const aiopsAdminPermission: BasicPermission = createPermission({
  name: 'aiops.admin',
  attributes: { action: 'update' },
});

/**
 * Send alerts, deployments, changes and telemetry to the receivers as a signed-in user. Senders
 * authenticate with external-access tokens, service tokens or HMAC signatures, which this
 * permission does not concern; a user token is accepted only with it, so portal access alone
 * cannot page anyone or record a deploy.
 */
export const aiopsSignalCreatePermission: BasicPermission = createPermission({
  name: 'aiops.signal.create',
  attributes: { action: 'create' },
});

/** Every permission of the suite. */
export const aiopsPermissions = [
  aiopsIncidentReadPermission,
  aiopsIncidentUpdatePermission,
  aiopsSilenceManagePermission,
  aiopsAdminPermission,
  aiopsSignalCreatePermission,
];
