import * as z from './zod-mini.js';
import { ConfigurationError } from './errors.js';
import { once } from './once.js';
import type { IncidentActionType } from './incident.js';

import { ROLES, type Role } from './role-names.js';

export { ROLES, type Role };

/** Notice work: drafting and editing by the DPO or legal, approval by the DPO (four eyes on the content). */
export const NOTICE_PERMISSIONS = ['draft-notice', 'edit-notice', 'approve-notice', 'upload-recipients', 'send-notice', 'submit-notice', 'withdraw-notice'] as const;
export type Permission = IncidentActionType | 'view' | 'view-evidence' | (typeof NOTICE_PERMISSIONS)[number];

/** Who may do what. Deciding that a personal-data breach happened (and when) is the DPO's or legal's call. */
export const PERMISSIONS: Readonly<Record<Permission, readonly Role[]>> = {
  /** Raw alert payloads (whatever personal data the tools put in them): read on the timeline. */
  'view-evidence': ['dpo', 'legal'],
  'record-evidence-read': ['dpo', 'legal'],
  /** Recorded by breachclock itself, never by a person. */
  'record-slack-repost': [],
  'record-unconfirmed-delivery': [],
  'draft-notice': ['dpo', 'legal'],
  'edit-notice': ['dpo', 'legal'],
  'approve-notice': ['dpo'],
  'upload-recipients': ['dpo', 'legal'],
  'send-notice': ['dpo', 'legal'],
  'submit-notice': ['dpo', 'legal'],
  'withdraw-notice': ['dpo'],
  view: ['responder', 'dpo', 'legal', 'executive'],
  acknowledge: ['responder', 'dpo', 'legal', 'executive'],
  'take-ownership': ['responder', 'dpo', 'legal'],
  'record-facts': ['responder', 'dpo', 'legal'],
  'assess-risk': ['dpo', 'legal'],
  'propose-decision': ['dpo', 'legal'],
  'confirm-decision': ['dpo'],
  'record-submission': ['dpo', 'legal'],
  'confirm-regime': ['dpo', 'legal'],
  'dismiss-regime': ['dpo'],
  /** A pack's new version moves legal deadlines: taken like a decision. */
  'adopt-rule-version': ['dpo', 'legal'],
  'record-notice-approval': ['dpo'],
  confirm: ['dpo', 'legal'],
  dismiss: ['dpo'],
  close: ['dpo'],
  'set-kind': ['responder', 'dpo', 'legal'],
  /** Response tasks: the people who respond; setting one aside needs a reason, kept on the timeline. */
  'add-task': ['responder', 'dpo', 'legal'],
  'assign-task': ['responder', 'dpo', 'legal'],
  'complete-task': ['responder', 'dpo', 'legal'],
  'set-aside-task': ['responder', 'dpo', 'legal'],
  'reopen-task': ['responder', 'dpo', 'legal'],
};

/** The Slack role mapping (SLACK_ROLES); built on first use (ADR 0018): only a function given a mapping parses one. */
const rolesSchema = once(() =>
  z.strictObject({
    /** Slack user id → roles, e.g. {"U024BE7LH": ["dpo"]}. */
    users: z.record(z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id such as U024BE7LH')), z.array(z.enum(ROLES)).check(z.minLength(1))),
    /** Roles of Slack users not listed (default: none: unlisted users may not act). */
    defaultRoles: z._default(z.array(z.enum(ROLES)), []),
    /**
     * Slack user id → the person's breachclock account ("cognito:<sub>"; locally the X-Actor name). A linked
     * Slack user acts as that account, so one person is one identity in every channel; four-eyes steps from
     * Slack need the link (otherwise one person could draft in the API and approve in Slack).
     */
    accounts: z._default(z.record(z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id such as U024BE7LH')), z.string().check(z.regex(/^(cognito:[A-Za-z0-9-]{1,128}|[\w.@+-]{1,128})$/, 'cognito:<sub> (the user pool subject), or locally an X-Actor name'))), {}),
    /**
     * The workspace the user ids belong to (a user id means something only in its workspace) and the app:
     * requests from another team or app are refused even when signed (issue 24.5). SLACK_TEAM_ID and
     * SLACK_APP_ID say the same; the Slack function on AWS needs the team.
     */
    teamId: z.optional(z.string().check(z.regex(/^T[A-Z0-9]{2,20}$/, 'a Slack team (workspace) id such as T0123ABCD'))),
    appId: z.optional(z.string().check(z.regex(/^A[A-Z0-9]{2,20}$/, 'a Slack app id such as A0123ABCD'))),
  }),
);

export interface RoleMap {
  rolesOf(userId: string): readonly Role[];
  /** The breachclock account a Slack user is linked to, if any. */
  accountOf?(userId: string): string | undefined;
  /** The Slack team and app the mapping is for, when it names them. */
  readonly teamId?: string;
  readonly appId?: string;
}

export function parseRoleMap(config: unknown): RoleMap {
  const parsed = rolesSchema().safeParse(config);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid Slack role mapping', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const { users, defaultRoles, accounts, teamId, appId } = parsed.data;
  return { rolesOf: (userId) => users[userId] ?? defaultRoles, accountOf: (userId) => accounts[userId], ...(teamId ? { teamId } : {}), ...(appId ? { appId } : {}) };
}

export const NO_ROLES: RoleMap = { rolesOf: () => [] };

/** Refusal to be shown to the person (ephemeral in Slack): who may do it instead. */
export class PermissionDeniedError extends Error {
  constructor(
    readonly action: string,
    readonly needed: readonly Role[],
    readonly has: readonly Role[],
  ) {
    super(
      has.length
        ? `Only ${needed.map((r) => (r === 'dpo' ? 'the DPO' : r)).join(' or ')} may ${action.replace('-', ' ')}; your role: ${has.join(', ')}`
        : `You have no breachclock role; ask an administrator to give you one (Slack: SLACK_ROLES, docs/slack.md; API: a Cognito group named after the role). ${action.replace('-', ' ')} needs: ${needed.join(' or ')}`,
    );
    this.name = 'PermissionDeniedError';
  }
}

export function authorize(roles: RoleMap, userId: string, action: Permission): void {
  const has = roles.rolesOf(userId);
  const needed = PERMISSIONS[action];
  if (!has.some((role) => needed.includes(role))) throw new PermissionDeniedError(action, needed, has);
}
