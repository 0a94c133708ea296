import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  aiopsAdminPermission,
  aiopsIncidentReadPermission,
  aiopsIncidentUpdatePermission,
  aiopsSignalCreatePermission,
  aiopsSilenceManagePermission,
} from '@aiops/plugin-aiops-common';
import { AiopsPermissionPolicy } from './AiopsPermissionPolicy';

function user(userEntityRef: string, groups: string[] = []): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...groups],
    },
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
    credentials: {} as PolicyQueryUser['credentials'],
    token: 'token',
  } as PolicyQueryUser;
}

const policy = new AiopsPermissionPolicy({
  admins: ['group:default/platform-team', 'User:Default/Breakglass'],
});
const decide = async (permission: any, who?: PolicyQueryUser) =>
  (await policy.handle({ permission }, who)).result;

const developer = user('user:default/jo.checkout', [
  'group:default/checkout-team',
]);
const platform = user('user:default/ana.platform', [
  'group:default/platform-team',
]);

describe('AiopsPermissionPolicy', () => {
  it('lets any signed-in user read the catalog and incidents', async () => {
    expect(await decide(catalogEntityReadPermission, developer)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(aiopsIncidentReadPermission, developer)).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('lets a user act only on incidents routed to them or their groups', async () => {
    const decision = await policy.handle(
      { permission: aiopsIncidentUpdatePermission },
      developer,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'aiops-correlation',
      resourceType: 'aiops-incident',
      conditions: {
        rule: 'IS_INCIDENT_OWNER',
        resourceType: 'aiops-incident',
        params: {
          claims: ['user:default/jo.checkout', 'group:default/checkout-team'],
        },
      },
    });
    expect(await decide(aiopsIncidentUpdatePermission, platform)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await decide(aiopsIncidentUpdatePermission)).toBe(
      AuthorizeResult.DENY,
    );
  });

  it.each([
    ['aiops admin', aiopsAdminPermission],
    ['silence management', aiopsSilenceManagePermission],
    ['sending signals with a user token', aiopsSignalCreatePermission],
    ['catalog entity deletion', catalogEntityDeletePermission],
  ])('keeps %s for administrators', async (_, permission) => {
    expect(await decide(permission, developer)).toBe(AuthorizeResult.DENY);
    expect(await decide(permission, platform)).toBe(AuthorizeResult.ALLOW);
  });

  it('accepts individual users as administrators, comparing refs case-insensitively', async () => {
    expect(
      await decide(aiopsAdminPermission, user('user:default/breakglass')),
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('denies incident reads without a user', async () => {
    expect(await decide(aiopsIncidentReadPermission)).toBe(
      AuthorizeResult.DENY,
    );
  });
});
