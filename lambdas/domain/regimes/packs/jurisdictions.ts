import type { RulePackConfig } from '../rule-pack.js';
import { jurisdictionCores } from './jurisdictions.data.js';
import { JURISDICTION_DETAIL_KEYS, readJurisdictionDetails } from './jurisdictions-details-file.js';

let details: Record<string, Record<string, unknown>> | undefined;

function detailOf(id: string, key: (typeof JURISDICTION_DETAIL_KEYS)[number]): unknown {
  details ??= readJurisdictionDetails();
  const record = details[id];
  // The two generated files are written together; a pack without its details is a broken build, never a pack without obligations.
  if (!record) throw new Error(`jurisdiction pack ${id}: no entry in jurisdictions.details.json (regenerate with scripts/import-jurisdiction-research.ts)`);
  return record[key];
}

/**
 * The packs of every researched jurisdiction (US states, DC, territories; countries beyond the EU), generated
 * from the cited research in docs/sources/jurisdictions/ by scripts/import-jurisdiction-research.ts. Do not edit
 * the generated data by hand: correct the research and import again. Each long part is a getter (enumerable, so
 * spreading, comparing or validating a pack reads it like any other field).
 */
export const jurisdictionPacks: readonly RulePackConfig[] = (jurisdictionCores as readonly Record<string, unknown>[]).map((core) => {
  const pack: Record<string, unknown> = { ...core };
  for (const key of JURISDICTION_DETAIL_KEYS) {
    Object.defineProperty(pack, key, { enumerable: true, configurable: false, get: () => detailOf(core.id as string, key) });
  }
  return pack as unknown as RulePackConfig;
});
