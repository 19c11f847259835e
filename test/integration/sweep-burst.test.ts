import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { sweepDueTimers } from '../../lambdas/app/sweep-due-timers.js';
import { DEFAULT_LADDER, planTimers } from '../../lambdas/domain/escalation-ladder.js';
import { openIncident } from '../../lambdas/domain/incident.js';
import { seedOpenIncidents } from '../../bench/seed-incidents.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock } from '../support/fakes.js';
import { minutesAfter, T0 } from '../support/fixtures.js';

/** Issue 14.5: a burst of due steps (an outage ending, a ladder change) is drained in one sweep, within its budget. */
describe('the sweep drains a burst of due steps on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  const COUNT = 60;

  beforeEach(async () => {
    ({ store } = await freshTable());
    await seedOpenIncidents(store, COUNT, 8, (i) => {
      const opened = openIncident({ id: `INC-S-${i}`, title: `Incident ${i}`, severity: 'high', source: 'generic', fingerprint: `f-${i}` }, T0);
      return { ...opened, timers: planTimers(opened.incident, DEFAULT_LADDER) };
    });
  }, 60_000);

  it('fires every due step in one sweep, page after page; a second sweep finds nothing', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16)); // each incident's 15-minute step is due
    const report = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, batchSize: 15 });
    expect(report).toMatchObject({ due: COUNT, fired: COUNT, errors: 0, rounds: Math.ceil(COUNT / 15) });
    expect((await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, batchSize: 15 })).due).toBe(0);
  }, 60_000);

  it('stops starting new work when its time budget is spent, within a page too; the next sweep goes on where it stopped', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16));
    let fired = 0;
    const settle = store.settleTimers.bind(store);
    store.settleTimers = async (writes) => {
      const outcomes = await settle(writes);
      fired += outcomes.filter((outcome) => outcome === 'fired').length;
      return outcomes;
    };
    // The budget is spent once 20 steps have fired: in the second page of 15, settled in groups of 4.
    const first = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, batchSize: 15, groupSize: 4, budgetMs: 1_000, elapsedMs: () => (fired >= 20 ? 10_000 : 0) });
    expect(first.rounds).toBe(2);
    expect(first.fired).toBeGreaterThanOrEqual(20);
    expect(first.fired).toBeLessThanOrEqual(20 + 4); // the second page is cut short: only the group in flight finishes
    const rest = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, batchSize: 15 });
    expect(rest.fired).toBe(COUNT - first.fired);
  }, 60_000);

  it('an item that stays due (a message whose delivery keeps failing) is tried once per sweep, not in a loop', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16));
    const outbox = { incidentId: 'INC-S-0', messageId: 'stuck', channel: 'slack' as const, subject: 's', text: 't', createdAt: T0.toISOString() };
    const opened = openIncident({ id: 'INC-X', title: 'x', severity: 'high', source: 'generic', fingerprint: 'x' }, T0);
    await store.openIncident({ ...opened, timers: [], outbox: [{ ...outbox, incidentId: 'INC-X' }], alert: { alertId: 'AX', incidentId: 'INC-X', source: 'generic', fingerprint: 'x', title: 't', severity: 'high', status: 'firing', outcome: 'opened', rule: 'r', receivedAt: T0.toISOString() } });
    let redriven = 0;
    const report = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => void redriven++, batchSize: 15 });
    expect(redriven).toBe(1);
    expect(report.fired).toBe(COUNT);
  }, 60_000);
});
