import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const gdpr: RulePackConfig = {
  id: 'gdpr-art33',
  version: '2026-11',
  name: 'GDPR Art. 33: notification to the lead supervisory authority',
  legalSource: 'Regulation (EU) 2016/679, Art. 33(1); EDPB Guidelines 9/2022 on personal data breach notification',
  checkedOn: '2026-11-23',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['EU'], roles: ['controller', 'joint-controller'] },
  obligations: [
    {
      id: 'authority-notification',
      label: 'Notify the lead supervisory authority',
      recipient: 'lead supervisory authority (one-stop shop)',
      clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 72 } }],
    },
  ],
  assumptions: [
    '72 clock hours in UTC from awareness, weekends and holidays included.',
    'Until awareness is confirmed the clock runs from detection (conservative, "should have known").',
    'Unless the breach is unlikely to result in a risk (then documented only): decided by the risk assessment.',
  ],
};
