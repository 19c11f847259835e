import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const singapore: RulePackConfig = {
  id: 'singapore-pdpa-26d',
  version: '2026-11',
  name: 'Singapore PDPA s. 26C-26D: data breach notification',
  legalSource: 'Personal Data Protection Act 2012, s. 26C (assessment) and s. 26D (notification)',
  checkedOn: '2026-11-23',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['SG'] },
  obligations: [
    {
      id: 'assessment',
      label: 'Assess whether the breach is notifiable',
      recipient: 'internal (documented assessment)',
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'Asia/Singapore' } }],
    },
    {
      id: 'pdpc-notification',
      label: 'Notify the PDPC',
      recipient: 'PDPC',
      clocks: [{ trigger: 'assessedAt', deadline: { unit: 'calendar-days', value: 3, zone: 'Asia/Singapore' } }],
    },
  ],
  assumptions: ['The assessment is expected within 30 days of becoming aware of a suspected breach; the PDPC is notified within 3 calendar days of assessing that it is notifiable.'],
};
