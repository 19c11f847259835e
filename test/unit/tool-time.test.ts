import fc from 'fast-check';
import { DEFAULT_TOOL_TIME_WINDOW_MS, openIncident, TOOL_TIME_FLOOR } from '../../lambdas/domain/incident.js';

const NOW = new Date('2026-11-23T03:00:00Z');
const input = (observedAt?: string) => ({ id: 'INC-1', title: 'Finding', severity: 'high' as const, source: 'guardduty', fingerprint: 'f', ...(observedAt ? { observedAt } : {}) });

/** Issue 15.1: an old tool time does not open an incident already overdue. */
describe('the tool time plausibility window', () => {
  it('keeps an implausible tool time as first seen, on the timeline, and counts from receipt', () => {
    for (const observedAt of ['0001-01-01T00:00:00Z', '2017-08-01T10:00:00Z', '1999-12-31T23:59:59Z']) {
      const { incident, event } = openIncident(input(observedAt), NOW);
      expect(incident.detectedAt).toBe(NOW.toISOString());
      expect(incident.toolFirstSeenAt).toBe(new Date(observedAt).toISOString());
      expect(event.summary).toMatch(/outside the plausibility window .* the clock counts from receipt/);
    }
  });

  it('counts an earlier tool time inside the window (the conservative reading), and never a future one', () => {
    const twoDaysAgo = new Date(NOW.getTime() - 2 * 86_400_000).toISOString();
    expect(openIncident(input(twoDaysAgo), NOW).incident).toMatchObject({ detectedAt: twoDaysAgo });
    expect(openIncident(input(twoDaysAgo), NOW).incident.toolFirstSeenAt).toBeUndefined();
    expect(openIncident(input(twoDaysAgo), NOW, { toolTimeWindowMs: 86_400_000 }).incident.detectedAt).toBe(NOW.toISOString());
    expect(openIncident(input('2026-11-24T00:00:00Z'), NOW).incident.detectedAt).toBe(NOW.toISOString());
  });

  it('property: the detection time is the tool time exactly when it lies in [max(floor, now - window), now), else the receipt time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
        fc.integer({ min: 3_600_000, max: 366 * 86_400_000 }),
        (observed, window) => {
          const { incident } = openIncident(input(new Date(observed).toISOString()), NOW, { toolTimeWindowMs: window });
          const detected = Date.parse(incident.detectedAt);
          const inWindow = observed >= Math.max(Date.parse(TOOL_TIME_FLOOR), NOW.getTime() - window) && observed < NOW.getTime();
          expect(detected).toBe(inWindow ? observed : NOW.getTime());
          // Never before the window, never after receipt.
          expect(detected).toBeGreaterThanOrEqual(NOW.getTime() - window);
          expect(detected).toBeLessThanOrEqual(NOW.getTime());
        },
      ),
    );
    expect(DEFAULT_TOOL_TIME_WINDOW_MS).toBe(7 * 86_400_000);
  });
});
