import type { Role } from '../domain/role-names.js';

/**
 * The roles a breachclock account holds where accounts are kept (on AWS: the Cognito user pool's groups).
 * A Slack user linked to an account acts with these, not with the Slack mapping's (issue 24.5).
 */
export interface AccountRoles {
  /** The account's roles; undefined when the account does not exist or is disabled. */
  rolesOf(account: string): Promise<readonly Role[] | undefined>;
}
