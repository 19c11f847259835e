import * as z from 'zod';
import { once } from '../domain/once.js';
import { incidentFactsSchema, removableFacts } from '../domain/regimes/facts.js';
import { riskInputSchema } from '../domain/risk.js';
import { ROLES } from '../domain/role-names.js';
import { TASK_PHASES } from '../domain/tasks/templates.js';

const taskId = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,130}$/, 'a task id such as common.scope or manual.1');

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' });

/** POST /api/incidents/{id}/actions */
export const incidentActionSchema = once(() =>
  z.discriminatedUnion('action', [
    z.object({ action: z.literal('acknowledge') }).strict(),
    z.object({ action: z.literal('take-ownership') }).strict(),
    z
      .object({
        action: z.literal('record-facts'),
        facts: z._default(incidentFactsSchema(), {}),
        /** Facts to delete (deep merge otherwise): a top-level fact or one sector flag, e.g. "sectors.nis2". */
        remove: z.array(z.string().refine((path) => removableFacts().includes(path), { message: `not a removable fact; one of: ${removableFacts().join(', ')}` })).max(30).optional(),
      })
      .strict(),
    z.object({ action: z.literal('assess-risk'), input: riskInputSchema(), rationale: z.string().max(4000) }).strict(),
    z
      .object({
        action: z.literal('propose-decision'),
        regime: z.string().min(1).max(64),
        notify: z.boolean(),
        rationale: z.string().max(4000),
        reasonsForDelay: z.string().max(4000).optional(),
        /** Required to decide "do not notify" against a risk assessment that says the authority must be told. */
        overrideReason: z.string().max(4000).optional(),
      })
      .strict(),
    z
      .object({
        action: z.literal('record-submission'),
        regime: z.string().min(1).max(64),
        obligation: z.string().min(1).max(300),
        submittedAt: instant,
        reference: z.string().max(200),
        noticeId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional(),
        /** The reasons for the delay sent with the report: required for a GDPR / UK GDPR authority notification after its 72 h. */
        reasonsForDelay: z.string().max(4000).optional(),
      })
      .strict(),
    z.object({ action: z.literal('confirm-decision'), regime: z.string().min(1).max(64) }).strict(),
    z.object({ action: z.literal('confirm'), awareAt: instant, justification: z.string().max(4000) }).strict(),
    z
      .object({
        action: z.literal('dismiss'),
        reason: z.string().max(4000),
        /** Incident regimes (NIS2, DORA, SEC, NYDFS) this dismissal also ends; each that applies must be named. */
        regimes: z.array(z.string().min(1).max(64)).max(20).optional(),
      })
      .strict(),
    z.object({ action: z.literal('confirm-regime'), regime: z.string().min(1).max(64), awareAt: instant, justification: z.string().max(4000) }).strict(),
    z.object({ action: z.literal('dismiss-regime'), regime: z.string().min(1).max(64), reason: z.string().max(4000) }).strict(),
    /** Take the current version of a pack whose clocks the incident recorded under an earlier one (a clock's ruleChange). */
    z.object({ action: z.literal('adopt-rule-version'), regime: z.string().min(1).max(64) }).strict(),
    z.object({ action: z.literal('set-kind'), kind: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'an incident kind such as credential-compromise') }).strict(),
    z
      .object({
        action: z.literal('add-task'),
        title: z.string().max(200),
        phase: z.enum(TASK_PHASES),
        role: z.enum(ROLES),
        dueAt: instant.optional(),
        blocksClose: z.boolean().optional(),
      })
      .strict(),
    /** Take the task (no owner) or hand it to someone (owner: an identity, e.g. cognito:<sub> or a name). */
    z.object({ action: z.literal('assign-task'), taskId, owner: z.string().max(200).optional() }).strict(),
    z.object({ action: z.literal('complete-task'), taskId, note: z.string().max(4000) }).strict(),
    z.object({ action: z.literal('set-aside-task'), taskId, reason: z.string().max(4000) }).strict(),
    z.object({ action: z.literal('reopen-task'), taskId, reason: z.string().max(4000) }).strict(),
    z.object({ action: z.literal('close'), reason: z.string().max(4000), override: z.string().max(4000).optional() }).strict(),
  ]),
);

export type IncidentActionRequest = z.infer<ReturnType<typeof incidentActionSchema>>;

export const incidentIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an incident id');

/** Largest page of any list (documented in docs/api.md). */
export const MAX_PAGE = 100;

/** GET /api/incidents: one page of open incidents, most urgent deadline first. */
export const incidentPageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(MAX_PAGE),
    /** The `next` of the previous page, unchanged. */
    next: z.string().min(1).max(1400).optional(),
  })
  .strict();

/** GET /api/incidents/{id}/alerts: one page of the incident's distinct alert instances. */
export const alertPageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
    order: z.enum(['newest', 'oldest']).default('newest'),
    /** The `next` of the previous page, unchanged. */
    next: z.string().min(1).max(1400).optional(),
  })
  .strict();

/** GET /api/tasks: tasks across open incidents. */
export const taskQuerySchema = z
  .object({
    /** "me" (the caller), or an identity. */
    owner: z.string().min(1).max(200).optional(),
    role: z.enum(ROLES).optional(),
    status: z.enum(['open', 'done', 'not-applicable', 'all']).default('open'),
    limit: z.coerce.number().int().min(1).max(500).default(200),
    /** The `next` of the previous page, unchanged. */
    next: z.string().min(1).max(1400).optional(),
  })
  .strict();

/** An action's body as a client sends it (defaults not yet applied): what the desk and the CLI build. */
export type IncidentActionBody = z.input<ReturnType<typeof incidentActionSchema>>;
