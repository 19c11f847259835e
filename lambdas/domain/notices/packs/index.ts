import type { NoticePack, NoticePackConfig } from '../notice-pack.js';
import { californiaResident } from './california-resident.js';
import { gdprAuthority, ukIcoAuthority } from './gdpr-authority.js';
import { gdprPeople, gdprPublic } from './gdpr-people.js';
import { hipaaBusinessAssociate } from './hipaa-business-associate.js';
import { hipaaIndividual } from './hipaa-individual.js';
import { hipaaHhs, hipaaMedia } from './hipaa-reports.js';
import { nis2EarlyWarning } from './nis2-early-warning.js';
import { nis2FinalReport, nis2IncidentNotification } from './nis2-reports.js';
import { consumerReportingAgencies, dataOwner, jurisdictionRegulator } from './jurisdiction-reports.js';
import { processorController } from './processor-controller.js';
import { usResident } from './us-resident.js';

/** Every notice pack breachclock ships (docs/notices.md lists them). */
export const NOTICE_PACK_CONFIGS: readonly NoticePackConfig[] = [
  gdprAuthority,
  ukIcoAuthority,
  gdprPeople,
  gdprPublic,
  processorController,
  californiaResident,
  usResident,
  hipaaIndividual,
  hipaaHhs,
  hipaaMedia,
  hipaaBusinessAssociate,
  nis2EarlyWarning,
  nis2IncidentNotification,
  nis2FinalReport,
  jurisdictionRegulator,
  consumerReportingAgencies,
  dataOwner,
];

/**
 * The packs as used. Not parsed at every cold start (issue 14.6): the compiler checks their shape, and
 * test/unit/notices.test.ts parses them with parseNoticePacks (templates for every language and channel,
 * every mandatory element shown) and checks that parsing changes nothing.
 */
export const NOTICE_PACKS: readonly NoticePack[] = NOTICE_PACK_CONFIGS;

export function noticePack(kind: string): NoticePack | undefined {
  return NOTICE_PACKS.find((pack) => pack.kind === kind);
}
