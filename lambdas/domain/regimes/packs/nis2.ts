import type { RulePackConfig } from '../rule-pack.js';

export const nis2: RulePackConfig = {
  id: 'nis2-art23',
  version: '2026-11',
  name: 'NIS2 Art. 23: significant incident reporting to the CSIRT / competent authority',
  legalSource: 'Directive (EU) 2022/2555, Art. 23(4); national transposition',
  appliesWhen: { anyJurisdiction: ['EU'], sector: 'nis2' },
  obligations: [
    { id: 'early-warning', label: 'Early warning', recipient: 'CSIRT or competent authority', clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 24 } }] },
    { id: 'incident-notification', label: 'Incident notification', recipient: 'CSIRT or competent authority', clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 72 } }] },
    {
      id: 'final-report',
      label: 'Final report',
      recipient: 'CSIRT or competent authority',
      clocks: [{ trigger: 'awareAt', afterHours: 72, deadline: { unit: 'months', value: 1, zone: 'Europe/Brussels' } }],
    },
  ],
  assumptions: [
    'Counted from awareness of the significant incident (the GDPR awareness fact; detection until confirmed).',
    'The final report is due one month after the incident notification; counted from the latest permissible notification (awareness + 72 h), month-end clamped.',
  ],
};
