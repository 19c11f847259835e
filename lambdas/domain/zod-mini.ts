/**
 * zod/mini, with classic zod's English messages (ADR 0018, sessions 12 and 14). Every schema of the project is
 * written with zod/mini's functions (`z.optional(z.string().check(z.maxLength(40)))`), the API's contracts and the
 * rule packs' schema included: it builds schemas without classic zod's per-instance methods, so no bundle holds
 * classic zod (about 70 kB and 20 ms of a cold start, measured in docs/benchmarks.md; a bundle test checks). The
 * OpenAPI document is zod core's `toJSONSchema` of these schemas, the same output as from classic ones.
 *
 * zod/mini loads no locale: without this its issues read "Invalid input" instead of saying what was expected.
 * The English locale is imported alone (the `z.locales` namespace would bring every language).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
