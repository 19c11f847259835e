import * as z from '../domain/zod-mini.js';

/**
 * The part of an SES event (configuration-set event destination) breachclock reads. Apart from the send queue's
 * contract (send-chunk.ts), so that the SES events function neither builds that schema nor carries the notice and
 * jurisdiction code it imports (ADR 0018).
 */
export const sesEventSchema = z.object({
  eventType: z.string().check(z.maxLength(40)),
  mail: z.object({
    messageId: z.string().check(z.minLength(1), z.maxLength(200)),
    timestamp: z.optional(z.string().check(z.maxLength(40))),
    /** The message tags set at send (SES lists each tag's values). */
    tags: z.optional(z.record(z.string().check(z.maxLength(256)), z.array(z.string().check(z.maxLength(256))).check(z.maxLength(10)))),
  }),
  delivery: z.optional(z.object({ timestamp: z.optional(z.string().check(z.maxLength(40))) })),
  bounce: z.optional(z.object({ bounceType: z.optional(z.string().check(z.maxLength(40))), bounceSubType: z.optional(z.string().check(z.maxLength(60))), timestamp: z.optional(z.string().check(z.maxLength(40))) })),
  complaint: z.optional(z.object({ complaintFeedbackType: z.optional(z.string().check(z.maxLength(60))), timestamp: z.optional(z.string().check(z.maxLength(40))) })),
});
