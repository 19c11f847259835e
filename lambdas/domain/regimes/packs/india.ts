import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const india: RulePackConfig = {
  id: 'india-dpdp',
  version: '2026-12',
  name: 'India DPDP Act s. 8(6): intimation to the Data Protection Board',
  legalSource: 'Digital Personal Data Protection Act 2023, s. 8(6); DPDP Rules 2025, rule 7',
  checkedOn: '2026-12-01',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['IN'], roles: ['controller', 'joint-controller'] },
  inForceFrom: '2027-05-13',
  obligations: [
    {
      id: 'board-report',
      label: 'Detailed report to the Data Protection Board',
      recipient: 'Data Protection Board of India',
      clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 72 } }],
    },
  ],
  assumptions: [
    'Intimation without delay, then the detailed report within 72 hours of becoming aware (longer if the Board allows).',
    'Rule 7 commences eighteen months after the Rules\' publication in the Gazette (notified 13 November 2025; rule 1(3): rules 3, 5-16, 22 and 23 after eighteen months). breachclock takes 13 May 2027, the earlier of the dates reported (some count from 14 November). A breach whose trigger falls before then shows "not in force" with that date, not a running clock; the statute\'s s. 8(6) duty to intimate is itself not yet enforceable before then.',
  ],
};
