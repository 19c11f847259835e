import * as z from '../domain/zod-mini.js';
import { REGISTER_OUTCOMES } from '../domain/register.js';

/** A real date (2026-02-30 is refused) or instant; as an ISO instant in UTC. */
const dateOrInstant = z.union([z.iso.datetime({ offset: true }), z.pipe(z.iso.date(), z.transform((d: string) => `${d}T00:00:00.000Z`))]).check(
  z.refine((value) => Number.isFinite(Date.parse(value)), { message: 'not a real date' }),
);

/** The longest period one register request reads (one query per month of it): narrow from/to for more. */
export const REGISTER_MAX_YEARS = 10;

/** GET /api/register query. */
export const registerQuerySchema = z.strictObject({
  from: z.optional(dateOrInstant),
  to: z.optional(dateOrInstant),
  regime: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/))),
  outcome: z.optional(z.enum(REGISTER_OUTCOMES)),
  format: z._default(z.enum(['json', 'csv']), 'json'),
});
