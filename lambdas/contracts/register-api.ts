import * as z from 'zod';
import { REGISTER_OUTCOMES } from '../domain/register.js';

/** A real date (2026-02-30 is refused) or instant; as an ISO instant in UTC. */
const dateOrInstant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date().transform((d) => `${d}T00:00:00.000Z`))
  .refine((value) => Number.isFinite(Date.parse(value)), { message: 'not a real date' });

/** The longest period one register request reads (one query per month of it): narrow from/to for more. */
export const REGISTER_MAX_YEARS = 10;

/** GET /api/register query. */
export const registerQuerySchema = z
  .object({
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    regime: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
    outcome: z.enum(REGISTER_OUTCOMES).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
