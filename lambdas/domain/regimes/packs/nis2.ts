import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const nis2: RulePackConfig = {
  id: 'nis2-art23',
  version: '2026-12',
  name: 'NIS2 Art. 23: significant incident reporting to the CSIRT / competent authority',
  legalSource: 'Directive (EU) 2022/2555, Art. 23(4); national transposition',
  checkedOn: '2026-12-02',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['EU'], sector: 'nis2' },
  subject: 'incident',
  obligations: [
    { id: 'early-warning', label: 'Early warning', recipient: 'CSIRT or competent authority', clocks: [{ trigger: 'regimeAwareAt', deadline: { unit: 'hours', value: 24 } }] },
    { id: 'incident-notification', label: 'Incident notification', recipient: 'CSIRT or competent authority', clocks: [{ trigger: 'regimeAwareAt', deadline: { unit: 'hours', value: 72 } }] },
    {
      id: 'final-report',
      label: 'Final report',
      recipient: 'CSIRT or competent authority',
      clocks: [{ afterSubmissionOf: 'incident-notification', deadline: { unit: 'months', value: 1, zone: 'Europe/Brussels' } }],
    },
  ],
  assumptions: [
    'Counted from awareness of the significant incident, confirmed for NIS2 on its own (confirm-regime): a significant incident need not involve personal data. Until it is confirmed, the personal-data awareness (else detection) stands in, provisionally.',
    'Dismissing the incident as not a personal-data breach does not end NIS2: the dismissal must name nis2-art23, or NIS2 is dismissed on its own (dismiss-regime).',
    'The final report is due one month after the incident notification was submitted (Art. 23(4)(d)): counted from the recorded submission; until it is recorded, provisionally from the notification\'s due time.',
    'A month ends with the last hour of the corresponding day, clamped to the month end (Regulation 1182/71 Art. 3(2)(c)), in Brussels time.',
  ],
};
