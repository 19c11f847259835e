import type { RulePackConfig } from '../rule-pack.js';

export const dora: RulePackConfig = {
  id: 'dora-art19',
  version: '2026-11',
  name: 'DORA Art. 19: major ICT-related incident reporting',
  legalSource: 'Regulation (EU) 2022/2554, Art. 19; Commission Delegated Regulation (EU) 2025/301 (time limits)',
  appliesWhen: { anyJurisdiction: ['EU'], sector: 'dora' },
  obligations: [
    {
      id: 'initial-notification',
      label: 'Initial notification',
      recipient: 'competent authority',
      clocks: [
        { trigger: 'classifiedAt', deadline: { unit: 'hours', value: 4 } },
        { trigger: 'awareAt', deadline: { unit: 'hours', value: 24 } },
      ],
    },
    {
      id: 'intermediate-report',
      label: 'Intermediate report',
      recipient: 'competent authority',
      clocks: [{ trigger: 'classifiedAt', afterHours: 4, deadline: { unit: 'hours', value: 72 } }],
    },
    {
      id: 'final-report',
      label: 'Final report',
      recipient: 'competent authority',
      clocks: [{ trigger: 'classifiedAt', afterHours: 76, deadline: { unit: 'months', value: 1, zone: 'Europe/Brussels' } }],
    },
  ],
  assumptions: [
    'Initial notification: 4 hours after classification as major, and no later than 24 hours after awareness: the earlier counts.',
    'Intermediate report 72 hours after the initial notification and final report one month after the intermediate one, each counted from the latest permissible earlier report.',
  ],
};
