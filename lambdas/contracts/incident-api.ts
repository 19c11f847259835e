import * as z from '../domain/zod-mini.js';
import { once } from '../domain/once.js';
import { incidentFactsSchema, removableFacts } from '../domain/regimes/facts.js';
import { riskInputSchema } from '../domain/risk.js';
import { ROLES } from '../domain/role-names.js';
import { TASK_PHASES } from '../domain/tasks/templates.js';

const taskId = z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{0,130}$/, 'a task id such as common.scope or manual.1'));

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' });

/** POST /api/incidents/{id}/actions */
export const incidentActionSchema = once(() =>
  z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('acknowledge') }),
    z.strictObject({ action: z.literal('take-ownership') }),
    z.strictObject({
      action: z.literal('record-facts'),
      facts: z._default(incidentFactsSchema(), {}),
      /** Facts to delete (deep merge otherwise): a top-level fact or one sector flag, e.g. "sectors.nis2". */
      remove: z.optional(z.array(z.string().check(z.refine((path) => removableFacts().includes(path), { message: `not a removable fact; one of: ${removableFacts().join(', ')}` }))).check(z.maxLength(30))),
    }),
    z.strictObject({ action: z.literal('assess-risk'), input: riskInputSchema(), rationale: z.string().check(z.maxLength(4000)) }),
    z.strictObject({
      action: z.literal('propose-decision'),
      regime: z.string().check(z.minLength(1), z.maxLength(64)),
      notify: z.boolean(),
      rationale: z.string().check(z.maxLength(4000)),
      reasonsForDelay: z.optional(z.string().check(z.maxLength(4000))),
      /** Required to decide "do not notify" against a risk assessment that says the authority must be told. */
      overrideReason: z.optional(z.string().check(z.maxLength(4000))),
    }),
    z.strictObject({
      action: z.literal('record-submission'),
      regime: z.string().check(z.minLength(1), z.maxLength(64)),
      obligation: z.string().check(z.minLength(1), z.maxLength(300)),
      submittedAt: instant,
      reference: z.string().check(z.maxLength(200)),
      noticeId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,100}$/))),
      /** The reasons for the delay sent with the report: required for a GDPR / UK GDPR authority notification after its 72 h. */
      reasonsForDelay: z.optional(z.string().check(z.maxLength(4000))),
    }),
    z.strictObject({ action: z.literal('confirm-decision'), regime: z.string().check(z.minLength(1), z.maxLength(64)) }),
    z.strictObject({ action: z.literal('confirm'), awareAt: instant, justification: z.string().check(z.maxLength(4000)) }),
    z.strictObject({
      action: z.literal('dismiss'),
      reason: z.string().check(z.maxLength(4000)),
      /** Incident regimes (NIS2, DORA, SEC, NYDFS) this dismissal also ends; each that applies must be named. */
      regimes: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(20))),
    }),
    z.strictObject({ action: z.literal('confirm-regime'), regime: z.string().check(z.minLength(1), z.maxLength(64)), awareAt: instant, justification: z.string().check(z.maxLength(4000)) }),
    z.strictObject({ action: z.literal('dismiss-regime'), regime: z.string().check(z.minLength(1), z.maxLength(64)), reason: z.string().check(z.maxLength(4000)) }),
    /** Take the current version of a pack whose clocks the incident recorded under an earlier one (a clock's ruleChange). */
    z.strictObject({ action: z.literal('adopt-rule-version'), regime: z.string().check(z.minLength(1), z.maxLength(64)) }),
    z.strictObject({ action: z.literal('set-kind'), kind: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'an incident kind such as credential-compromise')) }),
    z.strictObject({
      action: z.literal('add-task'),
      title: z.string().check(z.maxLength(200)),
      phase: z.enum(TASK_PHASES),
      role: z.enum(ROLES),
      dueAt: z.optional(instant),
      blocksClose: z.optional(z.boolean()),
    }),
    /** Take the task (no owner) or hand it to someone (owner: an identity, e.g. cognito:<sub> or a name). */
    z.strictObject({ action: z.literal('assign-task'), taskId, owner: z.optional(z.string().check(z.maxLength(200))) }),
    z.strictObject({ action: z.literal('complete-task'), taskId, note: z.string().check(z.maxLength(4000)) }),
    z.strictObject({ action: z.literal('set-aside-task'), taskId, reason: z.string().check(z.maxLength(4000)) }),
    z.strictObject({ action: z.literal('reopen-task'), taskId, reason: z.string().check(z.maxLength(4000)) }),
    z.strictObject({ action: z.literal('close'), reason: z.string().check(z.maxLength(4000)), override: z.optional(z.string().check(z.maxLength(4000))) }),
  ]),
);

export type IncidentActionRequest = z.infer<ReturnType<typeof incidentActionSchema>>;

export const incidentIdSchema = z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'not an incident id'));

/** Largest page of any list (documented in docs/api.md). */
export const MAX_PAGE = 100;

/** GET /api/incidents: one page of open incidents, most urgent deadline first. */
export const incidentPageQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE)), MAX_PAGE),
  /** The `next` of the previous page, unchanged. */
  next: z.optional(z.string().check(z.minLength(1), z.maxLength(1400))),
});

/** GET /api/incidents/{id}/alerts: one page of the incident's distinct alert instances. */
export const alertPageQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE)), 50),
  order: z._default(z.enum(['newest', 'oldest']), 'newest'),
  /** The `next` of the previous page, unchanged. */
  next: z.optional(z.string().check(z.minLength(1), z.maxLength(1400))),
});

/** GET /api/tasks: tasks across open incidents. */
export const taskQuerySchema = z.strictObject({
  /** "me" (the caller), or an identity. */
  owner: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  role: z.optional(z.enum(ROLES)),
  status: z._default(z.enum(['open', 'done', 'not-applicable', 'all']), 'open'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 200),
  /** The `next` of the previous page, unchanged. */
  next: z.optional(z.string().check(z.minLength(1), z.maxLength(1400))),
});

/** An action's body as a client sends it (defaults not yet applied): what the desk and the CLI build. */
export type IncidentActionBody = z.input<ReturnType<typeof incidentActionSchema>>;
