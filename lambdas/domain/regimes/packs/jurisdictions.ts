import type { RulePackConfig } from '../rule-pack.js';
import data from './jurisdictions.data.json' with { type: 'json' };

/**
 * The packs of every researched jurisdiction (US states, DC, territories; countries beyond the EU), generated
 * from the cited research in docs/sources/jurisdictions/ by scripts/import-jurisdiction-research.ts. Do not edit
 * the JSON by hand: correct the research and import again.
 */
export const jurisdictionPacks = data as unknown as readonly RulePackConfig[];
