import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const ukGdpr: RulePackConfig = {
  id: 'uk-gdpr-art33',
  version: '2026-11',
  name: 'UK GDPR Art. 33: notification to the ICO',
  legalSource: 'UK GDPR (retained Regulation (EU) 2016/679 as amended), Art. 33(1); Data Protection Act 2018',
  checkedOn: '2026-11-23',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['UK'], roles: ['controller', 'joint-controller'] },
  obligations: [
    {
      id: 'ico-notification',
      label: 'Notify the Information Commissioner\'s Office',
      recipient: 'ICO',
      clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 72 } }],
    },
  ],
  assumptions: ['72 clock hours from awareness, as under the EU GDPR; a separate regime and authority from the EU one-stop shop.'],
};
