import * as z from '../domain/zod-mini.js';
import { LANGUAGES } from '../domain/notices/notice-pack.js';
import { JURISDICTIONS } from '../domain/regimes/facts.js';

/** A queue message of the send queue (written by planNoticeSends; validated on the way out). */
export const sendChunkSchema = z.strictObject({
  incidentId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/)),
  noticeId: z.string().check(z.regex(/^NTC-[a-z0-9-]{1,80}$/)),
  index: z.number().check(z.int(), z.gte(0)),
  recipients: z.array(z.strictObject({
    line: z.number().check(z.int(), z.gte(2)),
    email: z.optional(z.string().check(z.maxLength(254))),
    phone: z.optional(z.string().check(z.maxLength(20))),
    name: z.optional(z.string().check(z.maxLength(200))),
    language: z.optional(z.enum(LANGUAGES)),
    // Every field of a valid recipient travels in the chunk (a strict schema refused these before).
    region: z.optional(z.enum(JURISDICTIONS)),
    regionLooksLikeUsState: z.optional(z.string().check(z.maxLength(2))),
    electronicConsent: z.optional(z.boolean()),
    postal: z.optional(z.strictObject({
      line1: z.string().check(z.maxLength(60)),
      line2: z.optional(z.string().check(z.maxLength(60))),
      city: z.string().check(z.maxLength(60)),
      state: z.optional(z.string().check(z.maxLength(60))),
      postcode: z.optional(z.string().check(z.maxLength(12))),
      country: z.string().check(z.regex(/^[A-Z]{2}$/)),
    })),
  })).check(z.minLength(1), z.maxLength(500)),
});
