import fc from 'fast-check';
import { DateTime } from 'luxon';
import { deadlineFrom, isBusinessDay } from '../../lambdas/domain/regimes/deadline-time.js';
import { regimeClocks } from '../../lambdas/domain/regimes/engine.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
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
      ['california-1798-82', 'attorney-general', '2026-12-21T07:59:59.999Z', 'running'],
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
  });

  it('a NIS2 marketplace: early warning 24 h, notification 72 h, final report one month after the notification, plus GDPR', () => {
    expect(due({ jurisdictions: [{ code: 'EU', affected: 90000 }], role: 'controller', sectors: { nis2: 'essential' } })).toEqual([
      ['nis2-art23', 'early-warning', '2026-11-22T09:00:00.000Z', 'running'],
      ['gdpr-art33', 'authority-notification', '2026-11-24T09:00:00.000Z', 'running'],
      ['nis2-art23', 'incident-notification', '2026-11-24T09:00:00.000Z', 'running'],
      ['nis2-art23', 'final-report', '2026-12-24T09:00:00.000Z', 'running'],
    ]);
  });

  it('runs provisionally from detection until awareness is confirmed', () => {
    const [clock] = regimeClocks(RULE_PACKS, anIncident({}, DETECTED), { jurisdictions: [{ code: 'EU', affected: 1 }] }, NOW);
    expect(clock).toMatchObject({ trigger: 'awareAt', triggerAt: DETECTED.toISOString(), provisional: true, dueAt: '2026-11-23T15:00:00.000Z' });
  });

  it('DORA: the earlier of 4 h after classification and 24 h after awareness; waits for the classification otherwise', () => {
    const dora = (facts: IncidentFacts) => regimeClocks(RULE_PACKS, confirmedIncident(), facts, NOW).filter((c) => c.regime === 'dora-art19');
    const classified = dora({ jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { doraFinancialEntity: true }, classifiedAt: '2026-11-21T10:00:00Z' });
    expect(classified.map((c) => [c.obligation, c.dueAt, c.trigger])).toEqual([
      ['initial-notification', '2026-11-21T14:00:00.000Z', 'classifiedAt'],
      ['intermediate-report', '2026-11-24T14:00:00.000Z', 'classifiedAt'],
      ['final-report', '2026-12-24T14:00:00.000Z', 'classifiedAt'],
    ]);
    const unclassified = dora({ jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { doraFinancialEntity: true } });
    expect(unclassified[0]).toMatchObject({ obligation: 'initial-notification', trigger: 'awareAt', dueAt: '2026-11-22T09:00:00.000Z' });
    expect(unclassified[1]).toMatchObject({ status: 'waiting-for-trigger', waitingFor: ['classifiedAt'], dueAt: null });
  });

  it('SEC 8-K: four US business days after the materiality determination, skipping Thanksgiving', () => {
    const sec = (at: string) => regimeClocks(RULE_PACKS, confirmedIncident(), { sectors: { secRegistrant: true }, materialityDeterminedAt: at }, NOW)[0]!.dueAt;
    expect(sec('2026-11-19T20:00:00Z')).toBe('2026-11-26T04:59:59.999Z'); // Thu → Fri, Mon, Tue, Wed (end, New York)
    expect(sec('2026-11-24T15:00:00Z')).toBe('2026-12-02T04:59:59.999Z'); // Tue → Wed, (Thanksgiving), Fri, Mon, Tue
    expect(regimeClocks(RULE_PACKS, confirmedIncident(), { sectors: { secRegistrant: true } }, NOW)[0]).toMatchObject({ status: 'waiting-for-trigger' });
  });

  it('LGPD: three Brazilian business days from awareness (São Paulo), skipping the weekend', () => {
    const [clock] = regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'BR', affected: 40 }] }, NOW);
    // aware Sat 21 Nov → Mon 23, Tue 24, Wed 25; end of Wed in São Paulo (UTC-3)
    expect(clock).toMatchObject({ regime: 'lgpd-art48', dueAt: '2026-11-26T02:59:59.999Z' });
  });

  it('HIPAA: 60 days from discovery in the earliest zone; HHS at 500 or more, media above 500', () => {
    const hipaa = (affected: number) =>
      regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'US', affected }], sectors: { hipaaCoveredEntity: true } }, NOW)
        .filter((c) => c.regime === 'hipaa-breach')
        .map((c) => [c.obligation, c.dueAt]);
    // detected 21 Nov 05:00 in Kiritimati (UTC+14) → end of 20 Jan 2027 there
    expect(hipaa(499)).toEqual([['individual-notice', '2027-01-20T09:59:59.999Z']]);
    expect(hipaa(500).map((c) => c[0])).toEqual(['individual-notice', 'hhs-notice']);
    expect(hipaa(501).map((c) => c[0])).toEqual(['individual-notice', 'hhs-notice', 'media-notice']);
  });

  it.each([
    ['New York: residents and agencies within 30 days (New York time)', { jurisdictions: [{ code: 'US-NY' as const, affected: 20 }] }, [['new-york-899-aa', 'resident-notice', '2026-12-21T04:59:59.999Z'], ['new-york-899-aa', 'state-agencies', '2026-12-21T04:59:59.999Z']]],
    ['Singapore: assessment within 30 days; the PDPC 3 days after the assessment', { jurisdictions: [{ code: 'SG' as const, affected: 20 }], assessedAt: '2026-11-21T02:00:00Z' }, [['singapore-pdpa-26d', 'pdpc-notification', '2026-11-24T15:59:59.999Z'], ['singapore-pdpa-26d', 'assessment', '2026-12-20T15:59:59.999Z']]],
    ['Australia: 30 days to assess (Sydney)', { jurisdictions: [{ code: 'AU' as const, affected: 20 }] }, [['australia-ndb', 'assessment', '2026-12-21T12:59:59.999Z']]],
    ['UK only: the ICO 72 hours', { jurisdictions: [{ code: 'UK' as const, affected: 20 }] }, [['uk-gdpr-art33', 'ico-notification', '2026-11-24T09:00:00.000Z']]],
  ])('known deadline: %s', (_name, facts, expected) => {
    expect(regimeClocks(RULE_PACKS, confirmedIncident(), facts, NOW).map((c) => [c.regime, c.obligation, c.dueAt])).toEqual(expected);
  });

  it('marks a clock overdue once its deadline has passed', () => {
    const late = regimeClocks(RULE_PACKS, confirmedIncident(), { jurisdictions: [{ code: 'IN', affected: 3 }] }, new Date('2026-11-25T00:00:00Z'));
    expect(late[0]).toMatchObject({ regime: 'india-dpdp', status: 'overdue', timeLeftMs: -15 * 3_600_000 });
  });
});

describe('deadline arithmetic', () => {
  it('clamps "one month" to the month end, in leap and common years', () => {
    expect(deadlineFrom('2027-01-31T09:00:00Z', { unit: 'months', value: 1, zone: 'Europe/Brussels' })).toBe('2027-02-28T09:00:00.000Z');
    expect(deadlineFrom('2028-01-31T09:00:00Z', { unit: 'months', value: 1, zone: 'Europe/Brussels' })).toBe('2028-02-29T09:00:00.000Z');
  });

  it('counts calendar days to the end of the day across a DST change (local wall time, not +24 h steps)', () => {
    // 2 Mar 2026 in New York + 30 days → end of 1 Apr, after the 8 Mar switch to EDT (UTC-4)
    expect(deadlineFrom('2026-03-02T12:00:00Z', { unit: 'calendar-days', value: 30, zone: 'America/New_York' })).toBe('2026-04-02T03:59:59.999Z');
  });

  it('counts business days over a year end with holidays (Brazil: New Year)', () => {
    expect(deadlineFrom('2026-12-30T12:00:00Z', { unit: 'business-days', value: 3, zone: 'America/Sao_Paulo', calendar: 'BR' })).toBe('2027-01-06T02:59:59.999Z'); // Thu 31 Dec, (1 Jan), Mon 4, Tue 5 Jan: end of Tuesday in São Paulo
  });

  it('refuses to guess outside the holiday table and names the fix', () => {
    expect(() => deadlineFrom('2050-01-03T12:00:00Z', { unit: 'business-days', value: 3, zone: 'America/New_York', calendar: 'US' })).toThrow(/npm run holidays:update/);
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
  it('load and validate all thirteen packs', () => {
    expect(RULE_PACKS.map((p) => p.id)).toHaveLength(13);
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
