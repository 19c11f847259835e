import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const dora: RulePackConfig = {
  id: 'dora-art19',
  version: '2026-12',
  name: 'DORA Art. 19: major ICT-related incident reporting',
  legalSource: 'Regulation (EU) 2022/2554, Art. 19; Commission Delegated Regulation (EU) 2025/301 (time limits)',
  checkedOn: '2026-12-02',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['EU'], sector: 'dora' },
  subject: 'incident',
  obligations: [
    {
      id: 'initial-notification',
      label: 'Initial notification',
      recipient: 'competent authority',
      clocks: [
        { trigger: 'classifiedAt', deadline: { unit: 'hours', value: 4 } },
        { trigger: 'regimeAwareAt', deadline: { unit: 'hours', value: 24 } },
      ],
    },
    {
      id: 'intermediate-report',
      label: 'Intermediate report',
      recipient: 'competent authority',
      clocks: [{ afterSubmissionOf: 'initial-notification', deadline: { unit: 'hours', value: 72 } }],
    },
    {
      id: 'final-report',
      label: 'Final report',
      recipient: 'competent authority',
      clocks: [{ afterSubmissionOf: 'intermediate-report', deadline: { unit: 'months', value: 1, zone: 'Europe/Brussels' } }],
    },
  ],
  assumptions: [
    'Initial notification: 4 hours after classification as major, and no later than 24 hours after awareness of the incident: the earlier counts. Awareness is confirmed for DORA on its own (confirm-regime; a major ICT incident need not involve personal data); until then the personal-data awareness (else detection) stands in, provisionally.',
    'Intermediate report within 72 hours of submitting the initial notification, final report within one month of the (latest) intermediate report (RTS 2025/301 Art. 5): counted from the recorded submissions; until one is recorded, provisionally from the earlier report\'s due time (which already takes the earlier of classification + 4 h and awareness + 24 h).',
    'Not modelled: the RTS relief that lets entities other than significant ones submit reports falling on a weekend or holiday by noon of the next working day. breachclock always shows the stricter deadline.',
  ],
};
