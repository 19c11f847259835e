import type { NoticePackConfig } from '../notice-pack.js';
import { elements, formTemplates } from './form.js';

const base: Pick<NoticePackConfig, 'version' | 'checked' | 'sourceNote' | 'audience' | 'regime' | 'channels' | 'approvalNeeds' | 'languages'> = {
  version: '2026-12',
  checked: '2026-12-05',
  sourceNote: 'Art. 23(4)(b), (d) read in secondary sources quoting them; EUR-Lex not reachable here',
  audience: 'authority',
  regime: 'nis2-art23',
  channels: ['portal'],
  approvalNeeds: 'regime-applies',
  languages: ['en'],
};
const who = [
  ['organisation', 'Entity', 'Art. 23(1)'],
  ['contact-point', 'Contact point', 'national forms'],
] as const;
const B = 'Art. 23(4)(b)';
const D = 'Art. 23(4)(d)';

const notification = elements([
  ...who,
  ['case-reference', 'Early warning reference', `${B} (updates the early warning)`, 'no'],
  ['severity-impact', 'Initial assessment: severity and impact', B],
  ['indicators-of-compromise', 'Indicators of compromise (where available)', B, 'no'],
  ['suspected-malicious', 'Suspected unlawful or malicious act (update)', `${B}, (a)`, 'no'],
  ['cross-border-impact', 'Possible cross-border impact (update)', `${B}, (a)`, 'no'],
  ['nature', 'Description', 'national forms', 'no'],
]);

/** Art. 23(4)(b): within 72 hours of awareness, updating the early warning and quoting its reference. */
export const nis2IncidentNotification: NoticePackConfig = {
  ...base,
  kind: 'nis2-incident-notification',
  name: 'NIS2 incident notification to the CSIRT or competent authority',
  legalSource: `Directive (EU) 2022/2555 ${B}; national transposition`,
  obligation: 'incident-notification',
  referenceOf: 'early-warning',
  elements: notification,
  templates: { en: formTemplates(`NIS2 incident notification (${B})`, 'NIS2 incident notification: {{el.organisation}}', notification) },
};

const final = elements([
  ...who,
  ['case-reference', 'Incident notification reference', `${D} (one month after the incident notification)`, 'no'],
  ['nature', 'Detailed description of the incident', D],
  ['severity-impact', 'Severity and impact', D],
  ['root-cause', 'Type of threat or root cause likely to have triggered the incident', D],
  ['measures-taken', 'Applied mitigation measures', D],
  ['measures-proposed', 'Ongoing mitigation measures', D],
  ['cross-border-impact', 'Cross-border impact (none, if not applicable)', `${D} ("where applicable")`],
]);

/** Art. 23(4)(d): not later than one month after the incident notification was submitted. */
export const nis2FinalReport: NoticePackConfig = {
  ...base,
  kind: 'nis2-final-report',
  name: 'NIS2 final report to the CSIRT or competent authority',
  legalSource: `Directive (EU) 2022/2555 ${D}; national transposition`,
  obligation: 'final-report',
  referenceOf: 'incident-notification',
  elements: final,
  templates: { en: formTemplates(`NIS2 final report (${D})`, 'NIS2 final report: {{el.organisation}}', final) },
};
