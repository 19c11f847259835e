import { JURISDICTION_PACK_IDS } from './jurisdictions.ids.js';

/**
 * Every rule pack's id, without the packs: configuration checks (TASK_TEMPLATES naming a regime) need only
 * these, and every function loads its configuration, including those that never compute a clock (ingest).
 * A test keeps this list equal to RULE_PACKS (test/unit/regimes.test.ts).
 */
export const RULE_PACK_IDS: readonly string[] = [
  'gdpr-art33',
  'uk-gdpr-art33',
  'processor-to-controller',
  'nis2-art23',
  'dora-art19',
  'sec-8k-105',
  'hipaa-breach',
  'hipaa-business-associate',
  'california-1798-82',
  'new-york-899-aa',
  'nydfs-500-17',
  'lgpd-art48',
  'singapore-pdpa-26d',
  'india-dpdp',
  'australia-ndb',
  ...JURISDICTION_PACK_IDS,
];
