import type { RulePackConfig } from '../rule-pack.js';

export const india: RulePackConfig = {
  id: 'india-dpdp',
  version: '2026-11',
  name: 'India DPDP Act s. 8(6): intimation to the Data Protection Board',
  legalSource: 'Digital Personal Data Protection Act 2023, s. 8(6); DPDP Rules 2025, rule 7',
  appliesWhen: { anyJurisdiction: ['IN'], roles: ['controller', 'joint-controller'] },
  obligations: [
    {
      id: 'board-report',
      label: 'Detailed report to the Data Protection Board',
      recipient: 'Data Protection Board of India',
      clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 72 } }],
    },
  ],
  assumptions: ['Intimation without delay, then the detailed report within 72 hours of becoming aware (longer if the Board allows).'],
};
