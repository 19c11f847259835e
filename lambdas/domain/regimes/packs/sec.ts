import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const sec8k: RulePackConfig = {
  id: 'sec-8k-105',
  version: '2026-12',
  name: 'SEC Form 8-K Item 1.05: material cybersecurity incident',
  legalSource: '17 CFR 229.106 and Form 8-K Item 1.05 (SEC Release 33-11216)',
  checkedOn: '2026-12-02',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { sector: 'sec' },
  subject: 'incident',
  obligations: [
    {
      id: 'form-8k',
      label: 'File Form 8-K Item 1.05',
      recipient: 'SEC (EDGAR)',
      clocks: [{ trigger: 'materialityDeterminedAt', deadline: { unit: 'business-days', value: 4, zone: 'America/New_York', calendar: 'US', cutoff: '17:30' } }],
    },
  ],
  assumptions: [
    'Four business days after the materiality determination (which must itself be made without unreasonable delay): the fourth US federal business day, New York time.',
    'Due by 17:30 New York time on that day: EDGAR dates a filing submitted after 17:30 Eastern as filed on the next business day (Regulation S-T Rule 13(a)(4)).',
    'Until materiality is determined the clock waits for its trigger.',
  ],
};
