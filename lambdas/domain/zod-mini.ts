/**
 * zod/mini, with classic zod's English messages (ADR 0018, session 12). The schemas every function builds at a
 * cold start (configuration, routing, roles, escalation ladder, task templates, incident facts, the alert
 * sources' payloads) are written with zod/mini's functions (`z.optional(z.string().check(z.maxLength(40)))`):
 * it builds schemas without classic zod's per-instance methods and lets a bundle leave classic zod out (about
 * 70 kB and 20 ms of a cold start, measured in docs/benchmarks.md). Classic zod stays where the API's contracts
 * and OpenAPI document are written; both are the same zod core, so a mini schema can sit inside a classic one.
 *
 * zod/mini loads no locale: without this its issues read "Invalid input" instead of saying what was expected.
 * The English locale is imported alone (the `z.locales` namespace would bring every language).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
