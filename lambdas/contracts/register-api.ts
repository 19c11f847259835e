import * as z from 'zod';
import { REGISTER_OUTCOMES } from '../domain/register.js';

const dateOrInstant = z.iso.datetime({ offset: true }).or(z.iso.date().transform((d) => `${d}T00:00:00.000Z`));

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
