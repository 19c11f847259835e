import type { RulePack, RulePackConfig } from '../rule-pack.js';
import { australia } from './australia.js';
import { california } from './california.js';
import { dora } from './dora.js';
import { gdpr } from './gdpr.js';
import { hipaa } from './hipaa.js';
import { hipaaBusinessAssociate } from './hipaa-business-associate.js';
import { india } from './india.js';
import { jurisdictionPacks } from './jurisdictions.js';
import { lgpd } from './lgpd.js';
import { newYork } from './new-york.js';
import { nis2 } from './nis2.js';
import { nydfs } from './nydfs.js';
import { processorToController } from './processor.js';
import { sec8k } from './sec.js';
import { singapore } from './singapore.js';
import { ukGdpr } from './uk-gdpr.js';

/** The rule packs as written (docs/regimes.md lists them with their sources). */
export const RULE_PACK_CONFIGS: readonly RulePackConfig[] = [gdpr, ukGdpr, processorToController, nis2, dora, sec8k, hipaa, hipaaBusinessAssociate, california, newYork, nydfs, lgpd, singapore, india, australia, ...jurisdictionPacks];

/**
 * Every rule pack. Validated by a test (parseRulePacks: zones, calendars, references, unknown fields), not at
 * every cold start: the packs are code, so what the test validated is what runs. Here only the schema's one
 * default is applied.
 */
export const RULE_PACKS: readonly RulePack[] = RULE_PACK_CONFIGS.map(withDefaults);

/** The pack with `subject` defaulted. Its fields are copied as they are defined: a researched pack's long parts stay getters, read on first use (jurisdictions.ts). */
function withDefaults(config: RulePackConfig): RulePack {
  const pack = Object.defineProperties({}, Object.getOwnPropertyDescriptors(config)) as RulePackConfig;
  return (pack.subject === undefined ? Object.assign(pack, { subject: 'personal-data' }) : pack) as RulePack;
}
