import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const nydfs: RulePackConfig = {
  id: 'nydfs-500-17',
  version: '2026-12',
  name: 'NYDFS 23 NYCRR 500.17: notice of a cybersecurity incident to the Superintendent',
  legalSource: '23 NYCRR 500.17(a)(1) (Second Amendment, November 2023)',
  checkedOn: '2026-12-02',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { sector: 'nydfs' },
  subject: 'incident',
  obligations: [
    {
      id: 'superintendent-notice',
      label: 'Notify the Superintendent of Financial Services (DFS portal)',
      recipient: 'NY Department of Financial Services',
      clocks: [{ trigger: 'regimeAwareAt', deadline: { unit: 'hours', value: 72 } }],
    },
  ],
  assumptions: [
    'As promptly as possible and no later than 72 hours after determining that a cybersecurity incident has occurred (at the covered entity, an affiliate or a third-party service provider): 72 clock hours from the determination, confirmed for NYDFS on its own (confirm-regime); until then the earliest awareness stands in, provisionally.',
    'Applies to DFS-regulated covered entities (sector flag nydfsCovered), beside GBL 899-aa for New York residents.',
    'Updates the Superintendent asks for, and the annual certification, are not tracked.',
  ],
};
