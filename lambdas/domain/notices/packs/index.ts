import { parseNoticePacks, type NoticePack } from '../notice-pack.js';
import { californiaResident } from './california-resident.js';
import { gdprAuthority, ukIcoAuthority } from './gdpr-authority.js';
import { gdprPeople, gdprPublic } from './gdpr-people.js';
import { hipaaIndividual } from './hipaa-individual.js';
import { nis2EarlyWarning } from './nis2-early-warning.js';
import { processorController } from './processor-controller.js';

/** Every notice pack, validated once at load (docs/notices.md lists them). */
export const NOTICE_PACKS: readonly NoticePack[] = parseNoticePacks([
  gdprAuthority,
  ukIcoAuthority,
  gdprPeople,
  gdprPublic,
  processorController,
  californiaResident,
  hipaaIndividual,
  nis2EarlyWarning,
]);

export function noticePack(kind: string): NoticePack | undefined {
  return NOTICE_PACKS.find((pack) => pack.kind === kind);
}
