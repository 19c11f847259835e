import fc from 'fast-check';
import { decide } from '../../lambdas/domain/incident.js';
import { gdprClock, GDPR_ART33_WINDOW_MS } from '../../lambdas/domain/gdpr-clock.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

describe('gdprClock', () => {
  it('runs provisionally from detectedAt until awareness is confirmed', () => {
    const clock = gdprClock(anIncident(), hoursAfter(T0, 1));
    expect(clock).toMatchObject({ trigger: 'detectedAt', provisional: true, status: 'running', dueAt: '2026-03-30T22:30:00.000Z' });
    expect(clock.timeLeftMs).toBe(71 * 3_600_000);
  });

  it('is due exactly 72 clock hours after awareAt, across the EU DST change (UTC, never local time + 3 days)', () => {
    // T0 = 2026-03-27 22:30 UTC; Europe switches to summer time on 2026-03-29. 72 h later is 2026-03-30 22:30 UTC,
    // which in Berlin is 00:30 local on the 31st (not 23:30 on the 30th as "local + 3 days" would give).
    const confirmed = decide(anIncident(), { type: 'confirm', awareAt: T0.toISOString(), justification: 'Confirmed by forensics' }, 'a', hoursAfter(T0, 2)).incident;
    expect(gdprClock(confirmed, hoursAfter(T0, 2)).dueAt).toBe('2026-03-30T22:30:00.000Z');
  });

  it('turns overdue after the deadline, requires reasons for delay, and stops when dismissed', () => {
    const incident = anIncident();
    expect(gdprClock(incident, hoursAfter(T0, 72)).status).toBe('running');
    const late = gdprClock(incident, hoursAfter(T0, 72.01));
    expect(late.status).toBe('overdue');
    expect(late.reasonsForDelayRequired).toBe(true);
    const dismissed = decide(incident, { type: 'dismiss', reason: 'A false positive from a scanner' }, 'a', hoursAfter(T0, 1)).incident;
    expect(gdprClock(dismissed, hoursAfter(T0, 80)).status).toBe('stopped');
  });

  it('property: due - trigger is always exactly 72 hours, whatever the instant (leap days, year ends, DST)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (detected) => {
        const incident = anIncident({}, detected);
        const clock = gdprClock(incident, detected);
        expect(Date.parse(clock.dueAt) - Date.parse(clock.triggerAt)).toBe(GDPR_ART33_WINDOW_MS);
        expect(clock.timeLeftMs).toBe(GDPR_ART33_WINDOW_MS);
      }),
    );
  });

  it('crosses a leap day and a year end in clock hours', () => {
    expect(gdprClock(anIncident({}, new Date('2028-02-27T12:00:00Z')), new Date('2028-02-27T12:00:00Z')).dueAt).toBe('2028-03-01T12:00:00.000Z');
    expect(gdprClock(anIncident({}, new Date('2026-12-30T23:59:59Z')), new Date('2026-12-30T23:59:59Z')).dueAt).toBe('2027-01-02T23:59:59.000Z');
  });
});
