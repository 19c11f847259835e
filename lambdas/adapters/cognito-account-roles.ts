import { AdminListGroupsForUserCommand, ListUsersCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ROLES, type Role } from '../domain/role-names.js';
import type { AccountRoles } from '../ports/account-roles.js';

/**
 * An account's roles from the Cognito user pool: the groups named after roles (as the API reads them from the
 * token's `cognito:groups`). Accounts are `cognito:<sub>`; anything else is no account here. Answers are kept
 * a minute, so a person taken out of a group loses the role in Slack within a minute.
 */
export class CognitoAccountRoles implements AccountRoles {
  private readonly cache = new Map<string, { at: number; roles: Promise<readonly Role[] | undefined> }>();

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  rolesOf(account: string): Promise<readonly Role[] | undefined> {
    const cached = this.cache.get(account);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.roles;
    const roles = this.lookup(account);
    this.cache.set(account, { at: this.now(), roles });
    roles.catch(() => this.cache.delete(account));
    return roles;
  }

  private async lookup(account: string): Promise<readonly Role[] | undefined> {
    const sub = /^cognito:([A-Za-z0-9-]{1,128})$/.exec(account)?.[1];
    if (!sub) return undefined;
    const found = await this.cognito.send(new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `sub = "${sub}"`, Limit: 1 }));
    const user = found.Users?.[0];
    if (!user?.Username || user.Enabled === false) return undefined;
    const roles: Role[] = [];
    let token: string | undefined;
    do {
      const page = await this.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: user.Username, ...(token ? { NextToken: token } : {}) }));
      for (const group of page.Groups ?? []) if ((ROLES as readonly string[]).includes(group.GroupName ?? '')) roles.push(group.GroupName as Role);
      token = page.NextToken;
    } while (token);
    return roles;
  }
}
