import type { RulePackConfig } from '../rule-pack.js';
import { US_ZONES } from './hipaa.js';

/**
 * 45 CFR 164.410, read 2026-12-05 in the HHS rule text (as amended January 2013) reproduced by Bricker Graydon;
 * eCFR not reachable here.
 */
export const hipaaBusinessAssociate: RulePackConfig = {
  id: 'hipaa-business-associate',
  version: '2026-12',
  name: 'HIPAA Breach Notification Rule: business associate to covered entity',
  legalSource: '45 CFR 164.410(a), (b) (notification by a business associate)',
  checkedOn: '2026-12-05',
  confidence: 'secondary',
  confidenceNote: 'the HHS rule text (as amended January 2013) read in a reproduction by Bricker Graydon; eCFR not reachable here',
  appliesWhen: { sector: 'hipaa-business-associate' },
  obligations: [
    {
      id: 'covered-entity-notice',
      label: 'Notify the covered entity',
      recipient: 'covered entity',
      source: '45 CFR 164.410(a)(1), (b)',
      triggerWords: 'the first day on which such breach is known to the business associate or, by exercising reasonable diligence, would have been known to the business associate',
      clocks: [{ trigger: 'detectedAt', entityZone: true, deadline: { unit: 'calendar-days', value: 60, zone: US_ZONES } }],
    },
  ],
  assumptions: [
    'Without unreasonable delay and no later than 60 calendar days after discovery (164.410(b)); discovery is the first day the breach is known to the business associate or would have been known with reasonable diligence (164.410(a)(2)), so the clock runs from detection. The 60 days are the outer limit, not a target.',
    'Counted like the covered entity\'s 60 days: in the business associate\'s own zone when entityTimeZone is recorded, else the earliest of the US zones.',
    'One covered entity per incident; a law-enforcement delay (164.412) is not modelled.',
  ],
};
