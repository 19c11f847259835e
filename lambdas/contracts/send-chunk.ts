import * as z from 'zod';
import { LANGUAGES } from '../domain/notices/notice-pack.js';
import { JURISDICTIONS } from '../domain/regimes/facts.js';

/** A queue message of the send queue (written by planNoticeSends; validated on the way out). */
export const sendChunkSchema = z
  .object({
    incidentId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    noticeId: z.string().regex(/^NTC-[a-z0-9-]{1,80}$/),
    index: z.number().int().min(0),
    recipients: z
      .array(
        z
          .object({
            line: z.number().int().min(2),
            email: z.string().max(254).optional(),
            phone: z.string().max(20).optional(),
            name: z.string().max(200).optional(),
            language: z.enum(LANGUAGES).optional(),
            // Every field of a valid recipient travels in the chunk (a strict schema refused these before).
            region: z.enum(JURISDICTIONS).optional(),
            regionLooksLikeUsState: z.string().max(2).optional(),
            electronicConsent: z.boolean().optional(),
            postal: z
              .object({
                line1: z.string().max(60),
                line2: z.string().max(60).optional(),
                city: z.string().max(60),
                state: z.string().max(60).optional(),
                postcode: z.string().max(12).optional(),
                country: z.string().regex(/^[A-Z]{2}$/),
              })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();

/** The planner's invocation payload. */
export const noticeRefSchema = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/), noticeId: z.string().regex(/^NTC-[a-z0-9-]{1,80}$/) }).strict();

/** The part of an SES event (configuration-set event destination) breachclock reads. */
export const sesEventSchema = z.object({
  eventType: z.string().max(40),
  mail: z.object({
    messageId: z.string().min(1).max(200),
    timestamp: z.string().max(40).optional(),
    /** The message tags set at send (SES lists each tag's values). */
    tags: z.record(z.string().max(256), z.array(z.string().max(256)).max(10)).optional(),
  }),
  delivery: z.object({ timestamp: z.string().max(40).optional() }).optional(),
  bounce: z.object({ bounceType: z.string().max(40).optional(), bounceSubType: z.string().max(60).optional(), timestamp: z.string().max(40).optional() }).optional(),
  complaint: z.object({ complaintFeedbackType: z.string().max(60).optional(), timestamp: z.string().max(40).optional() }).optional(),
});
