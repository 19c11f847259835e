import type { RulePackConfig } from '../rule-pack.js';
import { jurisdictionData } from './jurisdictions.data.js';

/**
 * The packs of every researched jurisdiction (US states, DC, territories; countries beyond the EU), generated
 * from the cited research in docs/sources/jurisdictions/ by scripts/import-jurisdiction-research.ts. Do not edit
 * the generated data by hand: correct the research and import again.
 */
export const jurisdictionPacks = jurisdictionData as readonly RulePackConfig[];
