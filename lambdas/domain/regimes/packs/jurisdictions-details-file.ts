import { readFileSync } from 'node:fs';

/**
 * A researched pack's long parts: what the clock engine reads only for a pack that applies to an incident, and
 * the desk and notices show. Kept out of the code a cold start compiles (issue 27.3: about 230 kB of 260 kB) and
 * read from jurisdictions.details.json the first time any pack's part is read. The rest (id, name, source,
 * confidence, appliesWhen: what decides whether a pack applies) is in jurisdictions.data.ts.
 */
export const JURISDICTION_DETAIL_KEYS = ['obligations', 'assumptions', 'encryptionSafeHarbour', 'riskOfHarmException', 'perController', 'inForceFrom'] as const;

/** The generated file of the researched packs' long parts (obligations, assumptions, exceptions), by pack id. */
export const JURISDICTION_DETAILS_FILE = 'jurisdictions.details.json';

/**
 * Reads the researched packs' long parts: data shipped with the code, read once, the first time a pack's
 * obligations are needed (issue 27.3, ADR 0018 session 12). Beside this module in the sources; in a Lambda bundle
 * at the bundle's root (lib/bundling.ts copies it there), whether this code landed in `index.mjs` or in a chunk
 * under `chunks/`.
 */
export function readJurisdictionDetails(): Record<string, Record<string, unknown>> {
  const here = new URL('.', import.meta.url);
  const dir = here.pathname.endsWith('/chunks/') ? new URL('..', here) : here;
  return JSON.parse(readFileSync(new URL(JURISDICTION_DETAILS_FILE, dir), 'utf8')) as Record<string, Record<string, unknown>>;
}
