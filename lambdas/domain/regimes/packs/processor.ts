import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const processorToController: RulePackConfig = {
  id: 'processor-to-controller',
  version: '2026-11',
  name: 'Processor to controller (GDPR Art. 33(2) and the DPA)',
  legalSource: 'Regulation (EU) 2016/679, Art. 33(2) and Art. 28(3)(f); UK GDPR Art. 33(2); the data processing agreement',
  checkedOn: '2026-11-23',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { roles: ['processor'] },
  perController: { defaultHours: 24 },
  obligations: [
    {
      id: 'controller-notification',
      label: 'Notify the controller',
      recipient: 'controller',
      clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: 24 } }],
    },
  ],
  assumptions: [
    '"Without undue delay": the contractual deadline of each controller\'s DPA where there is one, else an internal target of 24 hours (configurable).',
    'The processor does not assess the risk for the controller.',
  ],
};
