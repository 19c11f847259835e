import * as z from '../domain/zod-mini.js';
import { once } from '../domain/once.js';
import { ELEMENT_IDS, LANGUAGES } from '../domain/notices/notice-pack.js';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' });
const fieldName = z.enum([...ELEMENT_IDS, 'voluntary-reason']);

export const noticeIdSchema = z.string().check(z.regex(/^NTC-[a-z0-9-]{1,80}$/, 'not a notice id'));

/** POST /api/incidents/{id}/notices */
export const createNoticeSchema = once(() =>
  z.strictObject({
    kind: z.string().check(z.minLength(1), z.maxLength(64)),
    language: z.optional(z.enum(LANGUAGES)),
    /** The initial notice a follow-up continues (Art. 33(4)). */
    followUpOf: z.optional(noticeIdSchema),
    /** A processor's notice goes to one controller (its name as recorded in facts.controllers). */
    controller: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** A US resident notice (`us-resident`) covers one variant: the states it goes to (GET …/notices lists the incident's variants). */
    states: z.optional(z.array(z.string().check(z.regex(/^US-[A-Z]{2}$/, 'a US state or territory as its ISO 3166-2 code, e.g. US-MA'))).check(z.minLength(1), z.maxLength(60))),
    /**
     * A report to a regulator (`jurisdiction-regulator`), the consumer reporting agencies (`consumer-reporting-agencies`)
     * or a data owner (`data-owner`, with `controller`): the clock it answers, as `regime/obligation` (e.g. us-tx-breach/attorney-general).
     */
    answers: z.optional(z.string().check(z.regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'the clock as regime/obligation, e.g. us-tx-breach/attorney-general'), z.maxLength(160))),
    fields: z.optional(z.partialRecord(fieldName, z.string().check(z.maxLength(8000)))),
  }),
);

/** POST /api/incidents/{id}/notices/{noticeId}/actions */
export const noticeActionSchema = once(() =>
  z.discriminatedUnion('action', [
    z.strictObject({
      action: z.literal('edit'),
      /** null (or "") removes the officer's words for an element. */
      fields: z.partialRecord(fieldName, z.nullable(z.string().check(z.maxLength(8000)))),
      /** The version the edit was made on: a stale edit is refused, not merged. */
      expectedVersion: z.number().check(z.int(), z.gte(1)),
    }),
    z.strictObject({
      action: z.literal('accept-suggestion'),
      /** The element whose suggested text (the draft element's `suggestion`) the officer takes for this notice. */
      element: z.enum(ELEMENT_IDS),
      expectedVersion: z.number().check(z.int(), z.gte(1)),
      /** The suggestion's `hash` as read: refused (409) if the suggestion changed since. */
      suggestionHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'the hash of the suggestion you read (64 lowercase hex digits)')),
    }),
    z.strictObject({
      action: z.literal('approve'),
      expectedVersion: z.number().check(z.int(), z.gte(1)),
      /** The notice view's contentHash: the SHA-256 of the rendered content the approver was shown. */
      expectedContentHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'the contentHash of the notice view you reviewed (64 lowercase hex digits)')),
      /** Optional: the view's elementHashes, so a refusal names the elements that changed since. */
      reviewedElements: z.optional(z.record(z.string().check(z.maxLength(64)), z.string().check(z.regex(/^[0-9a-f]{64}$/)))),
      /** The notice view's recipients.sha256: the list the approver was shown (required once a list is attached). */
      expectedRecipientsHash: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'the recipients.sha256 of the notice view you reviewed (64 lowercase hex digits)'))),
    }),
    z.strictObject({ action: z.literal('send') }),
    z.strictObject({
      action: z.literal('record-submission'),
      /** Default: now on the server's clock (the local stack's virtual time), so a submission is never before its approval. */
      submittedAt: z.optional(instant),
      reference: z.string().check(z.maxLength(300)),
    }),
    z.strictObject({ action: z.literal('withdraw'), reason: z.string().check(z.maxLength(4000)) }),
  ]),
);

/** POST /api/incidents/{id}/notices/{noticeId}/recipients: attach a list uploaded to its upload URL. */
export const attachUploadSchema = z.strictObject({ objectKey: z.string().check(z.minLength(1), z.maxLength(300)) });

export type NoticeActionRequest = z.infer<ReturnType<typeof noticeActionSchema>>;

/** A notice action's body as a client sends it. */
export type NoticeActionBody = z.input<ReturnType<typeof noticeActionSchema>>;
/** A new notice's body as a client sends it. */
export type CreateNoticeBody = z.input<ReturnType<typeof createNoticeSchema>>;
