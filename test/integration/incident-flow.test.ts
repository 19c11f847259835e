import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { dispatchOutboxMessage } from '../../lambdas/app/dispatch-outbox.js';
import { ingestAlert, type NormalisedAlert } from '../../lambdas/app/ingest-alert.js';
import { sweepDueTimers, type SweepDeps } from '../../lambdas/app/sweep-due-timers.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { IllegalTransitionError } from '../../lambdas/domain/errors.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { FakeClock, RecordingSender, sequentialIds } from '../support/fakes.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';

const alert = (overrides: Partial<NormalisedAlert> = {}): NormalisedAlert => ({
  source: 'generic',
  fingerprint: 'db-export-customers',
  title: 'Unusual export of the customers table',
  severity: 'high',
  occurredAt: T0.toISOString(),
  details: { rows: 120_000 },
  ...overrides,
});

describe('incident flow on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let clock: FakeClock;
  let sender: RecordingSender;
  let deps: { store: DynamoIncidentStore; clock: FakeClock; ids: ReturnType<typeof sequentialIds>; ladder: typeof DEFAULT_LADDER; routing: typeof DEFAULT_ROUTING };
  let sweepDeps: SweepDeps;

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    clock = new FakeClock(T0);
    sender = new RecordingSender();
    deps = { store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
    sweepDeps = {
      store,
      clock,
      ladder: DEFAULT_LADDER,
      redeliver: (incidentId, messageId) => dispatchOutboxMessage({ outbox: store, sender, clock }, incidentId, messageId),
    };
  });

  async function deliverAll(): Promise<void> {
    // What the stream-fed dispatcher does: deliver every pending message.
    const open = await store.listOpenIncidents();
    const ids = new Set([...open.map((i) => i.id)]);
    for (const id of ids) {
      const detail = await store.getIncidentDetail(id);
      for (const message of detail!.messages) await dispatchOutboxMessage({ outbox: store, sender, clock }, id, message.messageId);
    }
  }

  it('opens one incident with its timers, timeline and outbox message in one write', async () => {
    const result = await ingestAlert(deps, alert());
    expect(result).toEqual({ alertId: 'ALR-1', incidentId: 'INC-T-1', deduplicated: false, duplicateDelivery: false, outcome: 'opened', rule: 'generic-alerts-open' });
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.incident).toMatchObject({ status: 'detected', alertCount: 1, detectedAt: T0.toISOString(), version: 1 });
    expect(detail!.timers.map((t) => [t.stepId, t.dueAt, t.status])).toEqual([
      ['no-approved-notice-48h', hoursAfter(T0, 48).toISOString(), 'pending'],
      ['no-risk-assessment-24h', hoursAfter(T0, 24).toISOString(), 'pending'],
      ['not-submitted-66h', hoursAfter(T0, 66).toISOString(), 'pending'],
      ['overdue-72h', hoursAfter(T0, 72).toISOString(), 'pending'],
      ['unacknowledged-15m', minutesAfter(T0, 15).toISOString(), 'pending'],
    ]);
    expect(detail!.timeline.map((e) => e.type)).toEqual(['incident.opened']);
    expect(detail!.messages).toHaveLength(1);
    expect(detail!.messages[0]).toMatchObject({ channel: 'slack', status: 'pending' });
    expect(detail!.recentAlerts[0]).toMatchObject({ alertId: 'ALR-1', details: { rows: 120_000 } });
  });

  it('attaches the same fingerprint to the open incident and counts it', async () => {
    await ingestAlert(deps, alert());
    const second = await ingestAlert(deps, alert());
    expect(second).toMatchObject({ incidentId: 'INC-T-1', deduplicated: true, duplicateDelivery: false });
    await drainAlertStream(tableName, doc);
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(2);
    expect(await store.listOpenIncidents()).toHaveLength(1);
  });

  it('50 concurrent posts of one fingerprint open exactly one incident counted 50 times', async () => {
    const ids = sequentialIds('RACE');
    const results = await Promise.all(Array.from({ length: 50 }, () => ingestAlert({ ...deps, ids }, alert())));
    const incidentIds = new Set(results.map((r) => r.incidentId));
    expect(incidentIds.size).toBe(1);
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
    const [incidentId] = [...incidentIds];
    await drainAlertStream(tableName, doc);
    expect((await store.getIncident(incidentId!))!.alertCount).toBe(50);
    expect(await store.listOpenIncidents()).toHaveLength(1);
  });

  it('does not count a repeated delivery of the same sender event id', async () => {
    const first = await ingestAlert(deps, alert({ senderEventId: 'evt-1' }));
    const again = await ingestAlert(deps, alert({ senderEventId: 'evt-1' }));
    const racing = await Promise.all([1, 2, 3].map(() => ingestAlert(deps, alert({ senderEventId: 'evt-2' }))));
    expect(again).toEqual({ alertId: first.alertId, incidentId: first.incidentId, deduplicated: true, duplicateDelivery: true, outcome: 'duplicate', rule: 'generic-alerts-open' });
    expect(racing.filter((r) => !r.duplicateDelivery)).toHaveLength(1);
    await drainAlertStream(tableName, doc);
    expect((await store.getIncident(first.incidentId!))!.alertCount).toBe(2);
  });

  it('acknowledging cancels the 15-minute step; a concurrent second acknowledgement is refused, not lost', async () => {
    await ingestAlert(deps, alert());
    clock.advanceMinutes(3);
    const outcomes = await Promise.allSettled([
      actOnIncident(deps, 'INC-T-1', { type: 'acknowledge' }, 'alice'),
      actOnIncident(deps, 'INC-T-1', { type: 'acknowledge' }, 'bob'),
    ]);
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(IllegalTransitionError);
    expect(String(refused[0]!.reason.message)).toMatch(/already acknowledged by (alice|bob)/);
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.incident.version).toBe(2);
    expect(detail!.timers.find((t) => t.stepId === 'unacknowledged-15m')!.status).toBe('cancelled');
    clock.advanceMinutes(20);
    const report = await sweepDueTimers(sweepDeps);
    expect(report.fired).toBe(0);
  });

  it('fires every step exactly once, even with concurrent sweeps, and turns overdue after 72 h', async () => {
    await ingestAlert(deps, alert());
    const steps: string[] = [];
    for (const minutes of [15, 24 * 60, 48 * 60, 66 * 60, 72 * 60]) {
      clock.set(minutesAfter(T0, minutes));
      const reports = await Promise.all([sweepDueTimers(sweepDeps), sweepDueTimers(sweepDeps), sweepDueTimers(sweepDeps)]);
      expect(reports.reduce((sum, r) => sum + r.fired, 0)).toBe(1);
      steps.push((await store.getIncident('INC-T-1'))!.lastEscalation!.stepId);
    }
    expect(steps).toEqual(['unacknowledged-15m', 'no-risk-assessment-24h', 'no-approved-notice-48h', 'not-submitted-66h', 'overdue-72h']);
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.incident.overdueAt).toBe(hoursAfter(T0, 72).toISOString());
    expect(detail!.timers.every((t) => t.status === 'fired')).toBe(true);
    expect(detail!.timeline.filter((e) => e.type === 'escalation.fired')).toHaveLength(5);
    // 1 opening message + 2 + 2 + 3 + 2 + 5 escalation targets of the default ladder
    expect(detail!.messages).toHaveLength(15);
    clock.advanceHours(1);
    expect((await sweepDueTimers(sweepDeps)).fired).toBe(0);
  });

  it('confirming with a justified later awareAt moves the deadline to awareAt + 72 h', async () => {
    await ingestAlert(deps, alert());
    clock.set(hoursAfter(T0, 30));
    await sweepDueTimers(sweepDeps); // both the 15m and the 24h step are due: one message (24h), the 15m step passed over
    const awareAt = hoursAfter(T0, 20).toISOString();
    const confirmed = await actOnIncident(deps, 'INC-T-1', { type: 'confirm', awareAt, justification: 'Forensics confirmed customer rows left at 20h' }, 'dpo');
    expect(confirmed.planEpoch).toBe(2);
    const timers = await store.listTimers('INC-T-1');
    const byStep = Object.fromEntries(timers.map((t) => [t.stepId, t]));
    expect(byStep['overdue-72h']).toMatchObject({ status: 'pending', dueAt: hoursAfter(T0, 92).toISOString(), epoch: 2 });
    expect(byStep['no-risk-assessment-24h']).toMatchObject({ status: 'pending', dueAt: hoursAfter(T0, 44).toISOString() });
    expect(byStep['unacknowledged-15m']).toMatchObject({ status: 'skipped', outcome: expect.stringMatching(/^passed over: level 3/) });
    expect(byStep['no-risk-assessment-24h']!.epoch).toBe(2); // re-armed for the new deadline
    clock.set(hoursAfter(T0, 72.5));
    await sweepDueTimers(sweepDeps);
    expect((await store.getIncident('INC-T-1'))!.overdueAt).toBeUndefined();
    clock.set(hoursAfter(T0, 92));
    await sweepDueTimers(sweepDeps);
    expect((await store.getIncident('INC-T-1'))!.overdueAt).toBe(hoursAfter(T0, 92).toISOString());
  });

  it('dismissing cancels the timers and releases the fingerprint: the next alert opens a new incident', async () => {
    await ingestAlert(deps, alert());
    await actOnIncident(deps, 'INC-T-1', { type: 'dismiss', reason: 'Scheduled export by the data team' }, 'bob');
    expect((await store.listTimers('INC-T-1')).every((t) => t.status === 'cancelled')).toBe(true);
    expect(await store.listOpenIncidents()).toHaveLength(0);
    const next = await ingestAlert(deps, alert());
    expect(next).toMatchObject({ incidentId: 'INC-T-2', deduplicated: false });
    clock.advanceHours(100);
    // Five steps due at once: one message at the most severe level, four passed over (issue 15.1).
    expect((await sweepDueTimers(sweepDeps))).toMatchObject({ fired: 1, skipped: 4 });
  });

  it('delivers each outbox message once; a redelivered record sends nothing; a failure is retried via the due index', async () => {
    await ingestAlert(deps, alert());
    await deliverAll();
    await deliverAll();
    expect(sender.sent).toHaveLength(1);
    clock.advanceMinutes(15);
    sender.failNext = 1;
    await sweepDueTimers(sweepDeps); // fires the 15-minute step: 2 messages, not delivered by the stream yet
    const messages = (await store.getIncidentDetail('INC-T-1'))!.messages.filter((m) => m.messageId.includes('escalation'));
    expect(messages).toHaveLength(2);
    await expect(dispatchOutboxMessage({ outbox: store, sender, clock }, 'INC-T-1', messages[0]!.messageId)).rejects.toThrow(/retry is scheduled/);
    await dispatchOutboxMessage({ outbox: store, sender, clock }, 'INC-T-1', messages[1]!.messageId);
    expect(sender.sent).toHaveLength(2);
    clock.advanceMinutes(3); // past the retry time: the sweep re-drives the failed one
    const report = await sweepDueTimers(sweepDeps);
    expect(report.redriven).toBe(1);
    expect(sender.sent).toHaveLength(3);
    expect(new Set(sender.sent.map((m) => m.messageId)).size).toBe(3);
    const final = (await store.getIncidentDetail('INC-T-1'))!.messages;
    expect(final.every((m) => m.status === 'delivered')).toBe(true);
    expect(final.find((m) => m.messageId === messages[0]!.messageId)!.attempts).toBe(2);
  });

  it('issue 15.1: a detection six days old fires one message at the most severe due level, naming the steps passed over', async () => {
    const old = hoursAfter(T0, -144).toISOString();
    const result = await ingestAlert(deps, alert({ observedAt: old, occurredAt: old }));
    const report = await sweepDueTimers(sweepDeps);
    expect(report).toMatchObject({ fired: 1, overdue: 1 });
    const detail = await store.getIncidentDetail(result.incidentId!);
    const fired = detail!.timeline.filter((e) => e.type === 'escalation.fired');
    expect(fired).toHaveLength(1);
    expect(fired[0]!.summary).toMatch(/^Escalation level 6: .*caught up: passed over level 2 unacknowledged-15m, level 3 no-risk-assessment-24h, level 4 no-approved-notice-48h, level 5 not-submitted-66h/);
    expect(detail!.timers.filter((t) => t.status === 'skipped').map((t) => [t.stepId, t.outcome?.slice(0, 11)])).toEqual(
      expect.arrayContaining([['unacknowledged-15m', 'passed over'], ['no-risk-assessment-24h', 'passed over'], ['no-approved-notice-48h', 'passed over'], ['not-submitted-66h', 'passed over']]),
    );
    // One escalation's messages (the overdue step's five targets), each saying what was passed over.
    const escalations = detail!.messages.filter((m) => m.kind === 'escalation');
    expect(escalations).toHaveLength(DEFAULT_LADDER.steps.at(-1)!.targets.length);
    expect(escalations.every((m) => /Caught up: level 2 .* passed over/.test(m.text))).toBe(true);
    // A second sweep fires nothing more.
    expect((await sweepDueTimers(sweepDeps)).fired).toBe(0);
  });

  it('issue 15.1: steps due one after another still each fire (catch-up only when several are due at once)', async () => {
    await ingestAlert(deps, alert());
    clock.set(hoursAfter(T0, 0.3));
    expect((await sweepDueTimers(sweepDeps)).fired).toBe(1);
    clock.set(hoursAfter(T0, 24.1));
    expect((await sweepDueTimers(sweepDeps)).fired).toBe(1);
  });

  it('issue 15.1: sample findings are recorded, never opened', async () => {
    const result = await ingestAlert(deps, alert({ source: 'guardduty', sample: true, fingerprint: 'sample-1' }));
    expect(result).toMatchObject({ outcome: 'recorded', incidentId: null, rule: '(sample finding: recorded, never opened)' });
    expect(await store.listOpenIncidents()).toEqual([]);
  });

  it('issue 12: storm protection: a rule opens at most its cap of incidents per window; later groups join one storm incident that pages once', async () => {
    const stormDeps = { ...deps, storm: { cap: 2, windowMs: 10 * 60_000 } };
    const results = [];
    for (let i = 1; i <= 5; i++) results.push(await ingestAlert(stormDeps, alert({ fingerprint: `attack-${i}`, title: `Attack ${i}` })));
    expect(results.map((r) => r.outcome)).toEqual(['opened', 'opened', 'opened', 'attached', 'attached']);
    await drainAlertStream(tableName, doc);
    const open = await store.listOpenIncidents();
    expect(open).toHaveLength(3);
    const storm = open.find((i) => i.fingerprint.startsWith('storm:'))!;
    expect(storm.title).toMatch(/^Alert storm: rule "generic-alerts-open" opened 2 incidents within 10 min; later groups join here \(first: Attack 3\)/);
    expect(storm.alertCount).toBe(3);
    const detail = await store.getIncidentDetail(storm.id);
    expect(detail!.recentAlerts.map((a) => a.labels?.stormJoinedFrom).sort()).toEqual(['attack-3', 'attack-4', 'attack-5']);
    // The storm incident pages once: one opening message, like any incident, not one per joined group.
    expect(detail!.messages).toHaveLength(1);
    // An alert of a group that already has its own incident still attaches there.
    expect((await ingestAlert(stormDeps, alert({ fingerprint: 'attack-1' }))).incidentId).toBe(results[0]!.incidentId);
    // The next window has a fresh budget.
    clock.set(minutesAfter(T0, 11));
    expect((await ingestAlert(stormDeps, alert({ fingerprint: 'attack-6' }))).outcome).toBe('opened');
    expect((await store.listOpenIncidents()).find((i) => i.fingerprint === 'attack-6')).toBeDefined();
  });
});

describe('risk, decisions and escalations together on DynamoDB Local', () => {
  it('a confirmed decision not to notify stops the notice escalations (cancelled with the decision); nothing fires', async () => {
    const { store } = await freshTable();
    const clock = new FakeClock(T0);
    const deps = { store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
    await ingestAlert(deps, { source: 'generic', fingerprint: 'f', title: 'Mail to the wrong partner', severity: 'low', observedAt: T0.toISOString() });
    const act = (action: Parameters<typeof actOnIncident>[2], actor: string) => actOnIncident(deps, 'INC-T-1', action, actor);
    await act({ type: 'acknowledge' }, 'rita');
    await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 3 }], dataCategories: ['contact'] } }, 'rita');
    await act({ type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'limited', malicious: false, unknownRecipients: false }, rationale: 'Known partner deleted the mail at once' }, 'dana');
    await act({ type: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'Unlikely to result in a risk: documented only' }, 'dana');
    await act({ type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena');
    clock.advanceHours(73);
    const report = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {} });
    expect(report).toMatchObject({ fired: 0 });
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.incident.overdueAt).toBeUndefined();
    // Each decision cancels the timers whose reason it removed: acknowledgement, risk assessment, the decision.
    expect(Object.fromEntries(detail!.timers.map((t) => [t.stepId, [t.status, t.outcome]]))).toEqual({
      'unacknowledged-15m': ['cancelled', 'cancelled by incident.acknowledged'],
      'no-risk-assessment-24h': ['cancelled', 'cancelled by incident.risk-assessed'],
      'no-approved-notice-48h': ['cancelled', 'cancelled by incident.decision-confirmed'],
      'not-submitted-66h': ['cancelled', 'cancelled by incident.decision-confirmed'],
      'overdue-72h': ['cancelled', 'cancelled by incident.decision-confirmed'],
    });
    expect(detail!.timeline.map((e) => e.type)).toEqual([
      'incident.opened',
      'incident.acknowledged',
      'incident.facts-recorded',
      'incident.risk-assessed',
      'incident.decision-proposed',
      'incident.decision-confirmed',
    ]);
  });

});

describe('outbox leases', () => {
  it('a message in flight is not sent again when (virtual) time jumps: leases run on real time', async () => {
    const { store } = await freshTable();
    const clock = new FakeClock(T0);
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, alert());
    const [message] = (await store.getIncidentDetail('INC-T-1'))!.messages;
    let release!: () => void;
    const sent: string[] = [];
    const slowSender = {
      send: async (m: { messageId: string }) => {
        sent.push(m.messageId);
        if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return {};
      },
    };
    const deps = { outbox: store, sender: slowSender, clock };
    const first = dispatchOutboxMessage(deps, 'INC-T-1', message!.messageId);
    await new Promise((r) => setTimeout(r, 100));
    clock.advanceHours(24);
    expect(await dispatchOutboxMessage(deps, 'INC-T-1', message!.messageId)).toBe('already-handled');
    release();
    expect(await first).toBe('delivered');
    expect(sent).toHaveLength(1);
  });

});
