import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const newYork: RulePackConfig = {
  id: 'new-york-899-aa',
  version: '2026-12',
  name: 'New York General Business Law 899-aa',
  legalSource: 'N.Y. Gen. Bus. Law 899-aa (as amended December 2024)',
  checkedOn: '2026-12-02',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['US-NY'] },
  obligations: [
    {
      id: 'resident-notice',
      label: 'Notify affected New York residents',
      recipient: 'affected New York residents',
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'America/New_York' } }],
    },
    {
      id: 'state-agencies',
      label: 'Notify the Attorney General, Department of State and Division of State Police',
      recipient: 'NY Attorney General, Department of State, State Police',
      // From the research record US-NY (docs/sources/jurisdictions/us-states-2b.json), kept with the hand-written pack.
      source: 'N.Y. Gen. Bus. Law § 899-aa(8)(a)',
      channel: { kind: 'form', value: 'https://ag.ny.gov/internet/data-breach' },
      contents: ['timing, content and distribution of the notices', 'approximate number of affected persons', 'copy of the template of the notice sent to affected persons'],
      contentsNote: 'the research read § 899-aa(8)(a) in summaries (general knowledge; not read verbatim); the Department of State and the State Police take the same content on the NYS reporting form',
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'America/New_York' } }],
    },
    {
      id: 'consumer-reporting-agencies',
      label: 'Tell the consumer reporting agencies the timing, content and distribution of the notices (more than 5,000 residents)',
      recipient: 'consumer reporting agencies (Equifax, Experian, TransUnion)',
      source: 'N.Y. Gen. Bus. Law § 899-aa(8)(b)',
      contents: ['timing, content and distribution of the notices and approximate number of affected persons'],
      whenAffectedAbove: { jurisdiction: 'US-NY', count: 5000 },
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'America/New_York' } }],
    },
  ],
  assumptions: [
    'Within 30 days after discovery, counted from detection; the agencies are told at the same time as residents.',
    'GBL 899-aa(8)(b): above 5,000 New York residents, the consumer reporting agencies are told as well; the statute sets no separate deadline, so breachclock asks for it by the residents\' deadline.',
  ],
};
