import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AIOPS_INCIDENT_RESOURCE_TYPE,
  aiopsAdminPermission,
  aiopsIncidentReadPermission,
  aiopsIncidentUpdatePermission,
  aiopsSignalCreatePermission,
  aiopsSilenceManagePermission,
} from '@aiops/plugin-aiops-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@aiops/plugin-aiops-node';

/**
 * Permissions only administrators hold. Sending signals with a user token is one of them:
 * alerts and deployments come from senders (external-access or service tokens, HMAC), so
 * portal access alone must not page anyone or record a deploy.
 */
const adminOnly = [
  aiopsAdminPermission,
  aiopsSilenceManagePermission,
  aiopsSignalCreatePermission,
  catalogEntityDeletePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
];

/**
 * The suite's permission policy. Administrators (configured users or members of configured
 * groups) may do everything. Everyone else signed in reads the catalog and incidents and uses
 * the scaffolder; they act on (acknowledge, resolve, annotate, merge) the incidents routed to
 * them or their groups. Silences, catalog registration, sending signals with a user token and
 * suite administration stay with administrators. Service-to-service calls are not subject to this policy.
 */
export class AiopsPermissionPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  constructor(options: { admins: string[] }) {
    this.admins = new Set(
      options.admins.map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (this.isAdmin(user)) return { result: AuthorizeResult.ALLOW };
    if (
      adminOnly.some(permission => isPermission(request.permission, permission))
    ) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      !user &&
      isPermission(request.permission, aiopsIncidentReadPermission)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      isPermission(request.permission, aiopsIncidentUpdatePermission) &&
      isResourcePermission(request.permission, AIOPS_INCIDENT_RESOURCE_TYPE)
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      return createIncidentConditionalDecision(
        request.permission,
        incidentConditions.isIncidentOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }

  private isAdmin(user?: PolicyQueryUser): boolean {
    return (user?.info.ownershipEntityRefs ?? []).some(ref =>
      this.admins.has(ref.toLocaleLowerCase('en-US')),
    );
  }
}
