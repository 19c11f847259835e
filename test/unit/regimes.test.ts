import fc from 'fast-check';
import { DateTime } from 'luxon';
import { deadlineFrom, isBusinessDay } from '../../lambdas/domain/regimes/deadline-time.js';
import { regimeClocks } from '../../lambdas/domain/regimes/engine.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { RULE_PACK_CONFIGS, RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import { jurisdictionPacks } from '../../lambdas/domain/regimes/packs/jurisdictions.js';
import { RULE_PACK_IDS } from '../../lambdas/domain/regimes/packs/ids.js';
import { parseRulePacks } from '../../lambdas/domain/regimes/rule-pack.js';
import { ConfigurationError } from '../../lambdas/domain/errors.js';
import { decide, type Incident } from '../../lambdas/domain/incident.js';
import { anIncident } from '../support/fixtures.js';

const DETECTED = new Date('2026-11-20T15:00:00Z'); // a Friday
const AWARE = '2026-11-21T09:00:00.000Z'; // Saturday
const NOW = new Date('2026-11-21T12:00:00Z');

function confirmedIncident(): Incident {
  return decide(anIncident({}, DETECTED), { type: 'confirm', awareAt: AWARE, justification: 'Forensics confirmed customer data left' }, 'dpo', NOW).incident;
}

const due = (facts: IncidentFacts, incident = confirmedIncident()) =>
  regimeClocks(RULE_PACKS, incident, facts, NOW).map((c) => [c.regime, c.obligation, c.dueAt, c.status] as const);

describe('which clocks apply, and when they are due (example incidents)', () => {
  it('an EU-only controller: the GDPR 72 hours from awareness, nothing else', () => {
    expect(due({ jurisdictions: [{ code: 'EU', affected: 1200 }], role: 'controller' })).toEqual([
      ['gdpr-art33', 'authority-notification', '2026-11-24T09:00:00.000Z', 'running'],
    ]);
  });

  it('an EU + UK + California retailer: two 72-hour clocks and California\'s 30 days, with the AG above 500 residents', () => {
    expect(due({ jurisdictions: [{ code: 'EU', affected: 5000 }, { code: 'UK', affected: 800 }, { code: 'US-CA', affected: 650 }], role: 'controller' })).toEqual([
      ['gdpr-art33', 'authority-notification', '2026-11-24T09:00:00.000Z', 'running'],
      ['uk-gdpr-art33', 'ico-notification', '2026-11-24T09:00:00.000Z', 'running'],
      // detected 07:00 on 20 Nov in Los Angeles; end of 20 Dec Pacific time
      ['california-1798-82', 'resident-notice', '2026-12-21T07:59:59.999Z', 'running'],
      // 15 days after the resident notice (provisionally after its deadline, 20 Dec): end of 4 Jan 2027, Pacific time
      ['california-1798-82', 'attorney-general', '2027-01-05T07:59:59.999Z', 'running'],
    ]);
    const smaller = due({ jurisdictions: [{ code: 'US-CA', affected: 500 }], role: 'controller' });
    expect(smaller.map((c) => c[1])).toEqual(['resident-notice']);
  });

  it('a processor for three merchants: one controller clock each (contractual hours, else the 24-hour internal target), no authority clock', () => {
    expect(
      due({
        jurisdictions: [{ code: 'EU', affected: 30000 }],
        role: 'processor',
        controllers: [{ name: 'Shop A', contractualHours: 24 }, { name: 'Shop B', contractualHours: 48 }, { name: 'Shop C' }],
      }),
    ).toEqual([
      ['processor-to-controller', 'controller-notification:Shop A', '2026-11-22T09:00:00.000Z', 'running'],
      ['processor-to-controller', 'controller-notification:Shop C', '2026-11-22T09:00:00.000Z', 'running'],
      ['processor-to-controller', 'controller-notification:Shop B', '2026-11-23T09:00:00.000Z', 'running'],
    ]);
    // Past 24 hours: the DPA's 24 hours are a deadline that binds (overdue); Shop C's 24 hours are only our target
    // (seen: labelled "(internal target)" yet marked legal and shown overdue).
    const later = regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'EU', affected: 30000 }], role: 'processor', controllers: [{ name: 'Shop A', contractualHours: 24 }, { name: 'Shop C' }] }, new Date('2026-11-22T10:00:00Z'));
    expect(later.map((c) => [c.obligation, c.deadlineKind, c.status])).toEqual([
      ['controller-notification:Shop A', 'legal', 'overdue'],
      ['controller-notification:Shop C', 'target', 'target-passed'],
    ]);
  });

  it('a NIS2 marketplace: early warning 24 h, notification 72 h, final report one month after the notification, plus GDPR', () => {
    expect(due({ jurisdictions: [{ code: 'EU', affected: 90000 }], role: 'controller', sectors: { nis2: 'essential' } })).toEqual([
      ['nis2-art23', 'early-warning', '2026-11-22T09:00:00.000Z', 'running'],
      ['gdpr-art33', 'authority-notification', '2026-11-24T09:00:00.000Z', 'running'],
      ['nis2-art23', 'incident-notification', '2026-11-24T09:00:00.000Z', 'running'],
      // one month after the notification's due time (provisional until its submission is recorded): end of 24 Dec, Brussels
      ['nis2-art23', 'final-report', '2026-12-24T22:59:59.999Z', 'running'],
    ]);
  });

  it('runs provisionally from detection until awareness is confirmed', () => {
    const [clock] = regimeClocks(RULE_PACKS, anIncident({}, DETECTED), { jurisdictions: [{ code: 'EU', affected: 1 }] }, NOW);
    expect(clock).toMatchObject({ trigger: 'awareAt', triggerAt: DETECTED.toISOString(), provisional: true, dueAt: '2026-11-23T15:00:00.000Z' });
  });

  it('DORA: the earlier of 4 h after classification and 24 h after awareness; waits for the classification otherwise', () => {
    const dora = (facts: IncidentFacts) => regimeClocks(RULE_PACKS, confirmedIncident(), facts, NOW).filter((c) => c.regime === 'dora-art19');
    const classified = dora({ jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { doraFinancialEntity: true }, classifiedAt: '2026-11-21T10:00:00Z' });
    expect(classified.map((c) => [c.obligation, c.dueAt, c.trigger, c.provisional])).toEqual([
      ['initial-notification', '2026-11-21T14:00:00.000Z', 'classifiedAt', false],
      ['intermediate-report', '2026-11-24T14:00:00.000Z', 'earlier-report', true],
      ['final-report', '2026-12-24T22:59:59.999Z', 'earlier-report', true],
    ]);
    const unclassified = dora({ jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { doraFinancialEntity: true } });
    expect(unclassified[0]).toMatchObject({ obligation: 'initial-notification', trigger: 'regimeAwareAt', provisional: true, dueAt: '2026-11-22T09:00:00.000Z' });
    // the initial notification is due 24 h after awareness anyway, so the chained reports count from that
    expect(unclassified[1]).toMatchObject({ obligation: 'intermediate-report', dueAt: '2026-11-25T09:00:00.000Z', provisional: true, chainedTo: { obligation: 'initial-notification', submitted: false } });
  });

  it('DORA: a late classification cannot push the intermediate report past 72 h after the capped initial notification (issue 9.3)', () => {
    const facts: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { doraFinancialEntity: true }, classifiedAt: '2026-11-22T07:00:00Z' };
    const clocks = regimeClocks(RULE_PACKS, confirmedIncident(), facts, new Date('2026-11-22T08:00:00Z')).filter((c) => c.regime === 'dora-art19');
    // initial: min(classified + 4 h = 11:00, aware + 24 h = 09:00) → 09:00; intermediate 72 h after that, not after 11:00
    expect(clocks.map((c) => [c.obligation, c.dueAt])).toEqual([
      ['initial-notification', '2026-11-22T09:00:00.000Z'],
      ['intermediate-report', '2026-11-25T09:00:00.000Z'],
      ['final-report', '2026-12-25T22:59:59.999Z'],
    ]);
  });

  it('chained reports count from the recorded submission, not from the latest permissible date (issue 9.4)', () => {
    const facts: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 90000 }], role: 'controller', sectors: { nis2: 'essential' } };
    const submitted = decide(
      { ...confirmedIncident(), facts },
      { type: 'record-submission', regime: 'nis2-art23', obligation: 'incident-notification', submittedAt: '2026-11-21T11:30:00Z', reference: 'CSIRT-2026-0042' },
      'dpo2',
      NOW,
    ).incident;
    const nis2 = regimeClocks(RULE_PACKS, submitted, facts, NOW).filter((c) => c.regime === 'nis2-art23');
    expect(nis2.find((c) => c.obligation === 'incident-notification')).toMatchObject({ status: 'submitted', submission: { reference: 'CSIRT-2026-0042', late: false } });
    expect(nis2.find((c) => c.obligation === 'final-report')).toMatchObject({
      dueAt: '2026-12-21T22:59:59.999Z', // end of 21 Dec in Brussels: one month after the real submission on 21 Nov
      provisional: false,
      chainedTo: { obligation: 'incident-notification', submitted: true },
    });
  });

  it('California: the Attorney General sample is due 15 days after the residents were actually told (issue 9.4)', () => {
    const facts: IncidentFacts = { jurisdictions: [{ code: 'US-CA', affected: 900 }] };
    const told = decide(
      { ...confirmedIncident(), facts },
      { type: 'record-submission', regime: 'california-1798-82', obligation: 'resident-notice', submittedAt: '2026-11-21T11:00:00Z', reference: 'mailing batch 1' },
      'dpo2',
      NOW,
    ).incident;
    const ag = regimeClocks(RULE_PACKS, told, facts, NOW).find((c) => c.obligation === 'attorney-general');
    expect(ag).toMatchObject({ dueAt: '2026-12-07T07:59:59.999Z', provisional: false }); // 21 Nov 03:00 PST + 15 days → end of 6 Dec
  });

  it('SEC 8-K: four US business days after the materiality determination, skipping Thanksgiving', () => {
    const sec = (at: string) =>
      regimeClocks(RULE_PACKS, confirmedIncident(), { sectors: { secRegistrant: true }, materialityDeterminedAt: at }, NOW).find((c) => c.regime === 'sec-8k-105')!.dueAt;
    // EDGAR dates filings after 17:30 Eastern the next business day: due 17:30 New York time (issue 9.5)
    expect(sec('2026-11-19T20:00:00Z')).toBe('2026-11-25T22:30:00.000Z'); // Thu → Fri, Mon, Tue, Wed 17:30 EST
    expect(sec('2026-11-24T15:00:00Z')).toBe('2026-12-01T22:30:00.000Z'); // Tue → Wed, (Thanksgiving), Fri, Mon, Tue
    expect(sec('2026-06-01T15:00:00Z')).toBe('2026-06-05T21:30:00.000Z'); // summer: 17:30 EDT
    expect(regimeClocks(RULE_PACKS, confirmedIncident(), { sectors: { secRegistrant: true } }, NOW).find((c) => c.regime === 'sec-8k-105')).toMatchObject({ status: 'waiting-for-trigger' });
  });

  it('LGPD: three Brazilian business days from awareness (São Paulo), skipping the weekend', () => {
    const [clock] = regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'BR', affected: 40 }] }, NOW);
    // aware Sat 21 Nov → Mon 23, Tue 24, Wed 25; end of Wed in São Paulo (UTC-3)
    expect(clock).toMatchObject({ regime: 'lgpd-art48', dueAt: '2026-11-26T02:59:59.999Z' });
  });

  it('HIPAA: 60 days from discovery, in the entity\'s zone or else the earliest US zone (issue 9.1); HHS at 500 or more, media above 500', () => {
    const hipaa = (affected: number, entityTimeZone?: string) =>
      regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'US', affected }], sectors: { hipaaCoveredEntity: true }, ...(entityTimeZone ? { entityTimeZone } : {}) }, NOW)
        .filter((c) => c.regime === 'hipaa-breach')
        .map((c) => [c.obligation, c.dueAt]);
    // detected 20 Nov 11:00 in Puerto Rico (UTC-4, the earliest end of day 60 of all US zones here) → end of 19 Jan 2027 there
    expect(hipaa(499)).toEqual([['individual-notice', '2027-01-20T03:59:59.999Z']]);
    // a covered entity in Chicago: end of 19 Jan in Chicago
    expect(hipaa(499, 'America/Chicago')).toEqual([['individual-notice', '2027-01-20T05:59:59.999Z']]);
    expect(hipaa(500).map((c) => c[0])).toEqual(['individual-notice', 'hhs-notice']);
    expect(hipaa(501).map((c) => c[0])).toEqual(['individual-notice', 'hhs-notice', 'media-notice']);

    // 164.406: more than 500 residents of one State, not of the US (issue 26.4): 400 in each of three states is no media notice.
    const states = (jurisdictions: { code: 'US-CA' | 'US-TX' | 'US-FL'; affected: number }[]) =>
      regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions, sectors: { hipaaCoveredEntity: true } }, NOW).filter((c) => c.regime === 'hipaa-breach').map((c) => c.obligation);
    expect(states([{ code: 'US-CA', affected: 400 }, { code: 'US-TX', affected: 400 }, { code: 'US-FL', affected: 400 }])).toEqual(['individual-notice', 'hhs-notice']);
    expect(states([{ code: 'US-CA', affected: 501 }, { code: 'US-TX', affected: 1 }])).toEqual(['individual-notice', 'hhs-notice', 'media-notice']);
  });

  it('HIPAA media notice: more than 500 residents of one State, counted per State, not the US total (45 CFR 164.406(a); issue 26.4)', () => {
    const obligations = (jurisdictions: { code: 'US' | 'US-CA' | 'US-NY'; affected: number }[]) =>
      regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions, sectors: { hipaaCoveredEntity: true } }, NOW)
        .filter((c) => c.regime === 'hipaa-breach')
        .map((c) => c.obligation);
    // 800 people, 400 in California and 400 in New York: HHS (500 or more in all), no State above 500, no media notice.
    expect(obligations([{ code: 'US-CA', affected: 400 }, { code: 'US-NY', affected: 400 }])).toEqual(['individual-notice', 'hhs-notice']);
    expect(obligations([{ code: 'US-CA', affected: 501 }, { code: 'US-NY', affected: 10 }])).toEqual(['individual-notice', 'hhs-notice', 'media-notice']);
    expect(obligations([{ code: 'US-CA', affected: 500 }])).toEqual(['individual-notice', 'hhs-notice']);
    // People recorded only as "US" may all live in one State: more than 500 of them counts (conservative).
    expect(obligations([{ code: 'US', affected: 501 }])).toEqual(['individual-notice', 'hhs-notice', 'media-notice']);
  });

  it.each([
    ['New York: residents and agencies within 30 days (New York time)', { jurisdictions: [{ code: 'US-NY' as const, affected: 20 }] }, [['new-york-899-aa', 'resident-notice', '2026-12-21T04:59:59.999Z'], ['new-york-899-aa', 'state-agencies', '2026-12-21T04:59:59.999Z']]],
    ['Singapore: assessment within 30 days; the PDPC 3 days after the assessment', { jurisdictions: [{ code: 'SG' as const, affected: 20 }], assessedAt: '2026-11-21T02:00:00Z' }, [['singapore-pdpa-26d', 'pdpc-notification', '2026-11-24T15:59:59.999Z'], ['singapore-pdpa-26d', 'assessment', '2026-12-20T15:59:59.999Z']]],
    ['Australia: 30 days to assess (Sydney)', { jurisdictions: [{ code: 'AU' as const, affected: 20 }] }, [['australia-ndb', 'assessment', '2026-12-21T12:59:59.999Z']]],
    ['UK only: the ICO 72 hours', { jurisdictions: [{ code: 'UK' as const, affected: 20 }] }, [['uk-gdpr-art33', 'ico-notification', '2026-11-24T09:00:00.000Z']]],
  ])('known deadline: %s', (_name, facts, expected) => {
    expect(regimeClocks(RULE_PACKS, confirmedIncident(), facts, NOW).map((c) => [c.regime, c.obligation, c.dueAt])).toEqual(expected);
  });

  it('US-wide laws count people in every state, DC and territory (issue 28.1): HIPAA\'s HHS threshold from TX + FL + PR', () => {
    const hhs = (facts: IncidentFacts) => regimeClocks(RULE_PACKS, confirmedIncident(), { ...facts, sectors: { hipaaCoveredEntity: true } }, NOW).filter((c) => c.regime === 'hipaa-breach').map((c) => c.obligation);
    expect(hhs({ jurisdictions: [{ code: 'US-TX', affected: 300 }, { code: 'US-FL', affected: 150 }, { code: 'US-PR', affected: 49 }] })).toEqual(['individual-notice']);
    expect(hhs({ jurisdictions: [{ code: 'US-TX', affected: 300 }, { code: 'US-FL', affected: 150 }, { code: 'US-PR', affected: 50 }] })).toEqual(['individual-notice', 'hhs-notice']);
    // Canada's code is not a US state: people there do not count towards HHS's 500
    expect(hhs({ jurisdictions: [{ code: 'US-TX', affected: 499 }, { code: 'CA', affected: 5000 }] })).toEqual(['individual-notice']);
  });

  it('marks a clock overdue once its deadline has passed', () => {
    const late = regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'BR', affected: 3 }] }, new Date('2026-11-27T00:00:00Z'));
    expect(late[0]).toMatchObject({ regime: 'lgpd-art48', status: 'overdue' });
  });

  it('India DPDP: before rule 7 commences the clock says "not in force" with the date; after, 72 hours (issue 9)', () => {
    const before = regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'IN', affected: 3 }] }, NOW)[0];
    expect(before).toMatchObject({ regime: 'india-dpdp', status: 'not-in-force', inForceFrom: '2027-05-13' });
    const later = decide(anIncident({}, new Date('2027-06-01T00:00:00Z')), { type: 'confirm', awareAt: '2027-06-01T06:00:00Z', justification: 'Forensics confirmed customer data left' }, 'dpo', new Date('2027-06-01T07:00:00Z')).incident;
    expect(regimeClocks(RULE_PACKS, later, { jurisdictions: [{ code: 'IN', affected: 3 }] }, new Date('2027-06-01T07:00:00Z'))[0]).toMatchObject({ status: 'running', dueAt: '2027-06-04T06:00:00.000Z' });
  });
});

describe('deadline arithmetic', () => {
  it('ends "one month" with the last hour of the corresponding day, clamped to the month end (Reg. 1182/71 Art. 3(2)(c))', () => {
    const month = (at: string) => deadlineFrom(at, { unit: 'months', value: 1, zone: 'Europe/Brussels' });
    expect(month('2027-01-31T09:00:00Z')).toBe('2027-02-28T22:59:59.999Z');
    expect(month('2028-01-31T09:00:00Z')).toBe('2028-02-29T22:59:59.999Z');
    // issue 9.2: a trigger 27 h later no longer gives an earlier deadline at a month end …
    expect(month('2027-01-30T06:00:00Z') <= month('2027-01-31T09:00:00Z')).toBe(true);
    // … and one minute later across the spring DST change no longer gives one hour earlier
    expect(month('2026-02-28T23:59:00Z') <= month('2026-03-01T00:00:00Z')).toBe(true);
  });

  it('property: a later trigger never gives an earlier deadline, for every kind of count (issue 9.2)', () => {
    const units = fc.constantFrom(
      { unit: 'hours' as const, value: 72 },
      { unit: 'months' as const, value: 1, zone: 'Europe/Brussels' },
      { unit: 'months' as const, value: 1, zone: 'America/New_York' },
      { unit: 'calendar-days' as const, value: 30, zone: 'America/Los_Angeles' },
      { unit: 'calendar-days' as const, value: 60, zone: ['America/New_York', 'Pacific/Guam', 'Pacific/Honolulu'] },
      { unit: 'business-days' as const, value: 4, zone: 'America/New_York', calendar: 'US', cutoff: '17:30' },
      { unit: 'business-days' as const, value: 3, zone: 'America/Sao_Paulo', calendar: 'BR' },
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2044-12-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 40 * 86_400_000 }), units, (trigger, laterMs, unit) => {
        const later = new Date(trigger.getTime() + laterMs);
        expect(deadlineFrom(later.toISOString(), unit) >= deadlineFrom(trigger.toISOString(), unit)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('property: for every rule pack clock, a later trigger never gives an earlier deadline (issue 9.2)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 90 * 86_400_000 }), (detected, laterMs) => {
        const facts: IncidentFacts = {
          jurisdictions: [
            { code: 'EU', affected: 600 }, { code: 'US-CA', affected: 600 }, { code: 'US-NY', affected: 600 }, { code: 'BR', affected: 1 }, { code: 'SG', affected: 1 }, { code: 'AU', affected: 1 }, { code: 'UK', affected: 1 }, { code: 'IN', affected: 1 },
            // every imported jurisdiction, above every threshold
            ...jurisdictionPacks.flatMap((p) => p.appliesWhen.anyJurisdiction ?? []).map((code) => ({ code, affected: 100_000 })),
          ],
          sectors: { nis2: 'essential', doraFinancialEntity: true, hipaaCoveredEntity: true, secRegistrant: true },
        };
        const at = (d: Date) => ({ ...facts, classifiedAt: d.toISOString(), materialityDeterminedAt: d.toISOString(), assessedAt: d.toISOString() });
        const early = anIncident({}, detected);
        const late = anIncident({}, new Date(detected.getTime() + laterMs));
        const now = new Date(detected.getTime() + laterMs);
        const a = new Map(regimeClocks(RULE_PACKS, early, at(detected), now).map((c) => [`${c.regime}/${c.obligation}`, c.dueAt]));
        for (const clock of regimeClocks(RULE_PACKS, late, at(new Date(detected.getTime() + laterMs)), now)) {
          expect(clock.dueAt! >= a.get(`${clock.regime}/${clock.obligation}`)!).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: HIPAA\'s default count is never later than the count in any US zone (issue 9.1)', () => {
    const zones = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Pacific/Honolulu', 'America/Puerto_Rico', 'Pacific/Guam'];
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), (detected) => {
        const clock = (entityTimeZone?: string) =>
          regimeClocks(RULE_PACKS, anIncident({}, detected), { jurisdictions: [{ code: 'US', affected: 1 }], sectors: { hipaaCoveredEntity: true }, ...(entityTimeZone ? { entityTimeZone } : {}) }, detected).find((c) => c.regime === 'hipaa-breach')!.dueAt!;
        const fallback = clock();
        for (const zone of zones) expect(fallback <= clock(zone)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: hour clocks are exact across DST, and business-day deadlines land on business days', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2044-12-01T00:00:00Z'), noInvalidDate: true }), (trigger) => {
        expect(Date.parse(deadlineFrom(trigger.toISOString(), { unit: 'hours', value: 72 })) - trigger.getTime()).toBe(72 * 3_600_000);
        const sec = DateTime.fromISO(deadlineFrom(trigger.toISOString(), { unit: 'business-days', value: 4, zone: 'America/New_York', calendar: 'US', cutoff: '17:30' }), { zone: 'America/New_York' });
        expect([sec.hour, sec.minute, isBusinessDay(sec, 'US')]).toEqual([17, 30, true]);
      }),
      { numRuns: 200 },
    );
  });

  it('counts calendar days to the end of the day across a DST change (local wall time, not +24 h steps)', () => {
    // 2 Mar 2026 in New York + 30 days → end of 1 Apr, after the 8 Mar switch to EDT (UTC-4)
    expect(deadlineFrom('2026-03-02T12:00:00Z', { unit: 'calendar-days', value: 30, zone: 'America/New_York' })).toBe('2026-04-02T03:59:59.999Z');
  });

  it('counts business days over a year end with holidays (Brazil: New Year)', () => {
    expect(deadlineFrom('2026-12-30T12:00:00Z', { unit: 'business-days', value: 3, zone: 'America/Sao_Paulo', calendar: 'BR' })).toBe('2027-01-06T02:59:59.999Z'); // Thu 31 Dec, (1 Jan), Mon 4, Tue 5 Jan: end of Tuesday in São Paulo
  });

  it('refuses to guess outside the holiday table and names the fix', () => {
    expect(() => deadlineFrom('2070-01-05T12:00:00Z', { unit: 'business-days', value: 3, zone: 'America/New_York', calendar: 'US' })).toThrow(/npm run holidays:update/);
  });

  it('property: the Nth business day ends a business day, with exactly N business days after the trigger day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2044-12-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 10 }), fc.constantFrom('US', 'BR'), (trigger, n, calendar) => {
        const zone = calendar === 'US' ? 'America/New_York' : 'America/Sao_Paulo';
        const due = DateTime.fromISO(deadlineFrom(trigger.toISOString(), { unit: 'business-days', value: n, zone, calendar }), { zone });
        expect(due.hour * 3600 + due.minute * 60 + due.second).toBe(86_399);
        expect(isBusinessDay(due, calendar)).toBe(true);
        let count = 0;
        for (let day = DateTime.fromJSDate(trigger, { zone }).startOf('day').plus({ days: 1 }); day <= due; day = day.plus({ days: 1 })) if (isBusinessDay(day, calendar)) count++;
        expect(count).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('property: hours are clock hours in UTC, whatever the date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 720 }), (trigger, hours) => {
        expect(Date.parse(deadlineFrom(trigger.toISOString(), { unit: 'hours', value: hours })) - trigger.getTime()).toBe(hours * 3_600_000);
      }),
    );
  });
});

describe('rule packs', () => {
  it('load and validate the fifteen hand-written packs and every imported jurisdiction pack', () => {
    expect(RULE_PACKS.map((p) => p.id)).toHaveLength(15 + jurisdictionPacks.length);
    // The ids configuration checks use without loading the packs (lambdas/domain/regimes/packs/ids.ts).
    expect(RULE_PACK_IDS).toEqual(RULE_PACKS.map((p) => p.id));
  });

  it('reject a pack with an unknown zone, holiday calendar or field, naming each', () => {
    let error: unknown;
    try {
      parseRulePacks([
        {
          id: 'x',
          version: '2026-11',
          name: 'Broken',
          legalSource: 'none',
          appliesWhen: {},
          obligations: [{ id: 'a', label: 'aaa', recipient: 'bb', clocks: [{ trigger: 'awareAt', deadline: { unit: 'business-days', value: 3, zone: 'Mars/Olympus', calendar: 'XX' } }] }],
          assumptions: ['none'],
          extra: true,
        },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues.join('\n')).toMatch(/not an IANA time zone[\s\S]*Unrecognized key/);
  });
});

describe('the rule packs as they run', () => {
  it('are exactly what validation makes of them (validated here, not at every cold start: issue 14.6)', () => {
    expect(RULE_PACKS).toEqual(parseRulePacks(RULE_PACK_CONFIGS));
  });
});
