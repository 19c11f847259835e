import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

/** Every US time zone, states and territories: without the entity's own zone, the earliest deadline of them counts. */
export const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'America/Puerto_Rico', 'Pacific/Guam', 'Pacific/Pago_Pago'];

export const hipaa: RulePackConfig = {
  id: 'hipaa-breach',
  version: '2026-12',
  name: 'HIPAA Breach Notification Rule',
  legalSource: '45 CFR 164.404 (individuals), 164.406 (media), 164.408 (HHS)',
  checkedOn: '2026-12-01',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { sector: 'hipaa' },
  obligations: [
    {
      id: 'individual-notice',
      label: 'Notify affected individuals',
      recipient: 'affected individuals',
      clocks: [{ trigger: 'detectedAt', entityZone: true, deadline: { unit: 'calendar-days', value: 60, zone: US_ZONES } }],
    },
    {
      id: 'hhs-notice',
      label: 'Notify the HHS Secretary (500 or more individuals)',
      recipient: 'HHS OCR',
      whenAffectedAtLeast: { jurisdiction: 'US', count: 500 },
      clocks: [{ trigger: 'detectedAt', entityZone: true, deadline: { unit: 'calendar-days', value: 60, zone: US_ZONES } }],
    },
    {
      id: 'media-notice',
      label: 'Notify prominent media (more than 500 residents of a state)',
      recipient: 'prominent media outlets',
      // 164.406(a): "more than 500 residents of a State or jurisdiction": counted per state, not over the US.
      whenAffectedAbove: { jurisdiction: 'US', count: 500, inAnyOneState: true },
      clocks: [{ trigger: 'detectedAt', entityZone: true, deadline: { unit: 'calendar-days', value: 60, zone: US_ZONES } }],
    },
  ],
  assumptions: [
    'No later than 60 calendar days after discovery; discovery is the first day the breach is known or would have been known with reasonable diligence, so the clock runs from detection.',
    'The rule names no time zone: counted in the covered entity\'s own zone when the fact entityTimeZone is recorded; until then, the earliest of the deadlines counted in every US state and territory zone (conservative).',
    'US affected people are the sum of the US jurisdictions recorded (HHS: 500 or more in all); the media threshold is counted per State (164.406(a)): people recorded only as US count as one State, since they may all live in one.',
    'Fewer than 500 individuals: HHS is told within 60 days of the end of the calendar year (not yet tracked).',
  ],
};
