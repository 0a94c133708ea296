import {
  AuthorizeResult,
  isPermission,
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
  aiopsAdminPermission,
  aiopsIncidentReadPermission,
  aiopsSilenceManagePermission,
} from '@aiops/plugin-aiops-common';

/** Permissions only administrators hold. */
const adminOnly = [
  aiopsAdminPermission,
  aiopsSilenceManagePermission,
  catalogEntityDeletePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
];

/**
 * The suite's permission policy. Administrators (configured users or members of configured
 * groups) may do everything. Everyone else signed in reads the catalog and incidents, uses the
 * scaffolder, and acts on incidents; silences, catalog registration and suite administration
 * stay with administrators. Service-to-service calls are not subject to this policy.
 */
export class AiopsPermissionPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  constructor(options: { admins: string[] }) {
    this.admins = new Set(options.admins.map(ref => ref.toLocaleLowerCase('en-US')));
  }

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (this.isAdmin(user)) return { result: AuthorizeResult.ALLOW };
    if (adminOnly.some(permission => isPermission(request.permission, permission))) {
      return { result: AuthorizeResult.DENY };
    }
    if (!user && isPermission(request.permission, aiopsIncidentReadPermission)) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }

  private isAdmin(user?: PolicyQueryUser): boolean {
    return (user?.info.ownershipEntityRefs ?? []).some(ref =>
      this.admins.has(ref.toLocaleLowerCase('en-US')),
    );
  }
}
