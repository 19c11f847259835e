import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { sweepDueTimers } from '../../lambdas/app/sweep-due-timers.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';

describe('escalation for every regime clock, on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  const sweep = () => sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {} });
  const act = (action: Parameters<typeof actOnIncident>[2], actor = 'dana') => actOnIncident({ store, clock, ladder: DEFAULT_LADDER }, 'INC-T-1', action, actor);
  const regimeTimers = async () =>
    Object.fromEntries((await store.listTimers('INC-T-1')).filter((t) => t.timerId.startsWith('regime.')).map((t) => [t.timerId, [t.status, t.dueAt]]));

  beforeEach(async () => {
    ({ store } = await freshTable());
    clock = new FakeClock(T0);
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Marketplace data exposed', severity: 'high', observedAt: T0.toISOString() });
    await act({ type: 'acknowledge' }, 'rita');
  });

  it('plans "due soon" and "overdue" steps per obligation, fires each once, and drops them when the regime no longer applies', async () => {
    await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 20000 }], sectors: { nis2: 'essential' } } });
    const planned = await regimeTimers();
    expect(planned['regime.nis2-art23.early-warning.due-soon']).toEqual(['pending', hoursAfter(T0, 18).toISOString()]);
    expect(planned['regime.nis2-art23.early-warning.overdue']).toEqual(['pending', hoursAfter(T0, 24).toISOString()]);
    expect(planned['regime.nis2-art23.incident-notification.due-soon']).toEqual(['pending', hoursAfter(T0, 54).toISOString()]);

    clock.set(hoursAfter(T0, 18));
    const reports = await Promise.all([sweep(), sweep()]);
    expect(reports.reduce((n, r) => n + r.fired, 0)).toBe(1);
    let detail = await store.getIncidentDetail('INC-T-1');
    const fired = detail!.timeline.filter((e) => e.type === 'escalation.fired');
    expect(fired.at(-1)!.summary).toMatch(/^Due soon: Early warning \(CSIRT or competent authority\) by .*, 6h left$/);
    expect(detail!.messages.filter((m) => m.messageId.includes('regime.nis2-art23.early-warning.due-soon')).map((m) => [m.channel, m.topic ?? null])).toEqual([
      ['slack', null],
      ['sns', 'dpo'],
    ]);

    clock.set(hoursAfter(T0, 24));
    expect((await sweep()).fired).toBe(2); // the NIS2 early warning is overdue, and the GDPR ladder's 24-hour step
    detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.timeline.map((e) => e.summary)).toContainEqual(expect.stringMatching(/^OVERDUE: Early warning \(CSIRT or competent authority\) was due/));

    // The marketplace turns out not to be in NIS2 scope: its pending steps are cancelled with the recorded fact.
    await act({ type: 'record-facts', facts: {}, remove: ['sectors.nis2'] });
    const after = await regimeTimers();
    expect(after['regime.nis2-art23.incident-notification.due-soon']![0]).toBe('cancelled');
    expect(after['regime.nis2-art23.early-warning.overdue']![0]).toBe('fired');
    clock.set(hoursAfter(T0, 80));
    // Only the GDPR ladder remains: its 48 h, 66 h and 72 h steps are all due, so one message at 72 h (catch-up).
    expect(await sweep()).toMatchObject({ fired: 1, overdue: 1, skipped: 2 });
  });

  it('moves the steps when the trigger moves (awareness confirmed later), and skips a step the DPO decided away', async () => {
    await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'UK', affected: 300 }], role: 'controller' } });
    expect((await regimeTimers())['regime.uk-gdpr-art33.ico-notification.overdue']).toEqual(['pending', hoursAfter(T0, 72).toISOString()]);
    clock.set(hoursAfter(T0, 10));
    await act({ type: 'confirm', awareAt: hoursAfter(T0, 6).toISOString(), justification: 'Scope confirmed by forensics at 6h' });
    expect((await regimeTimers())['regime.uk-gdpr-art33.ico-notification.overdue']).toEqual(['pending', hoursAfter(T0, 78).toISOString()]);

    await act({ type: 'assess-risk', input: { breachTypes: ['availability'], easeOfIdentification: 'negligible', malicious: false }, rationale: 'Outage only, no data left the system' });
    await act({ type: 'propose-decision', regime: 'uk-gdpr-art33', notify: false, rationale: 'Outage only: unlikely to result in a risk to people' });
    await act({ type: 'confirm-decision', regime: 'uk-gdpr-art33' }, 'lena');
    expect((await regimeTimers())['regime.uk-gdpr-art33.ico-notification.overdue']![0]).toBe('cancelled');
  });
});
