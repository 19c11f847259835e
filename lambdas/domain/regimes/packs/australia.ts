import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const australia: RulePackConfig = {
  id: 'australia-ndb',
  version: '2026-11',
  name: 'Australia Notifiable Data Breaches scheme',
  legalSource: 'Privacy Act 1988 (Cth), s. 26WH (assessment) and s. 26WK–26WL (notification)',
  checkedOn: '2026-11-23',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['AU'] },
  obligations: [
    {
      id: 'assessment',
      label: 'Assess whether there is an eligible data breach',
      recipient: 'internal (reasonable and expeditious assessment)',
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'Australia/Sydney' } }],
    },
  ],
  assumptions: ['30 days to assess from being aware of reasonable grounds to suspect an eligible breach (detection); then notify the OAIC and individuals as soon as practicable.'],
};
