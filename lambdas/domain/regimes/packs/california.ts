import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const california: RulePackConfig = {
  id: 'california-1798-82',
  version: '2026-12',
  name: 'California Civil Code 1798.82',
  legalSource: 'Cal. Civ. Code 1798.82 (as amended by SB 446, 2025)',
  checkedOn: '2026-12-01',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['US-CA'] },
  obligations: [
    {
      id: 'resident-notice',
      label: 'Notify affected California residents',
      recipient: 'affected California residents',
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'America/Los_Angeles' } }],
    },
    {
      id: 'attorney-general',
      label: 'Submit a sample notice to the California Attorney General (more than 500 residents)',
      recipient: 'California Attorney General',
      source: '1798.82(f)',
      // From the research record US-CA (docs/sources/jurisdictions/us-states-1.json), kept with the hand-written pack.
      channel: { kind: 'form', value: 'https://oag.ca.gov/privacy/databreach/report-a-breach' },
      contents: ['a single sample copy of the security breach notification, excluding any personally identifiable information'],
      contentsNote: 'electronically submitted; the AG form also asks for breach dates, discovery dates, notice dates and types of PI (research record US-CA, secondary)',
      whenAffectedAbove: { jurisdiction: 'US-CA', count: 500 },
      clocks: [{ afterSubmissionOf: 'resident-notice', deadline: { unit: 'calendar-days', value: 15, zone: 'America/Los_Angeles' } }],
    },
  ],
  assumptions: [
    'Within 30 calendar days of discovery (SB 446), counted from detection.',
    'The Attorney General sample is due within 15 days of notifying residents (1798.82(f) as amended): counted from the recorded resident notice; until it is recorded, provisionally from the residents\' deadline.',
  ],
};
