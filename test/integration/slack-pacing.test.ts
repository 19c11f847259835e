import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { digestOwner } from '../../lambdas/adapters/dynamo/dynamo-slack-pacing-store.js';
import { dispatchOutboxMessage, type DispatchDeps } from '../../lambdas/app/dispatch-outbox.js';
import { openIncident } from '../../lambdas/domain/incident.js';
import type { OutboxMessage } from '../../lambdas/domain/messages.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';

/** Issue 27.2: Slack takes ~1 post a second per channel; a burst of escalations for one channel is one digest post, not hours of throttling. */
describe('Slack pacing per channel (DynamoDB Local)', () => {
  let store: DynamoIncidentStore;
  const COUNT = 30;
  const sent: OutboxMessage[] = [];
  const clock = new FakeClock(T0);
  const wall = new FakeClock(new Date('2026-12-05T08:00:00.200Z'));
  const deps = (): DispatchDeps => ({ outbox: store, sender: { send: async (m) => (sent.push(m), {}) }, clock, leaseClock: wall, slackPacing: store });

  beforeAll(async () => {
    ({ store } = await freshTable());
    for (let i = 0; i < COUNT; i++) {
      const opened = openIncident({ id: `INC-P-${i}`, title: `Incident ${i}`, severity: 'high', source: 'generic', fingerprint: `p-${i}` }, T0);
      const escalation: OutboxMessage = { messageId: `INC-P-${i}.escalation.x`, incidentId: `INC-P-${i}`, channel: 'slack', kind: 'escalation', subject: `breachclock L2 INC-P-${i}: not acknowledged`, text: `<!here> Escalation level 2 INC-P-${i}`, createdAt: T0.toISOString() };
      await store.openIncident({ ...opened, timers: [], outbox: [escalation], alert: { alertId: `AP-${i}`, incidentId: `INC-P-${i}`, source: 'generic', fingerprint: `p-${i}`, title: 't', severity: 'high', status: 'firing', outcome: 'opened', rule: 'r', receivedAt: T0.toISOString() } });
    }
  }, 60_000);

  it('one escalation takes the second, the rest of the burst joins the channel digest; redelivered records send nothing', async () => {
    const outcomes = await Promise.all(Array.from({ length: COUNT }, (_, i) => dispatchOutboxMessage(deps(), `INC-P-${i}`, `INC-P-${i}.escalation.x`)));
    expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'merged')).toHaveLength(COUNT - 1);
    expect(sent).toHaveLength(1);
    const again = await Promise.all(Array.from({ length: COUNT }, (_, i) => dispatchOutboxMessage(deps(), `INC-P-${i}`, `INC-P-${i}.escalation.x`)));
    expect(again.every((o) => o === 'already-handled')).toBe(true);
    expect(sent).toHaveLength(1);
  }, 60_000);

  it('the digest is posted once when its window has ended, listing every merged escalation with its mention; the clock finds it due', async () => {
    const merged = (await Promise.all(Array.from({ length: COUNT }, (_, i) => store.getMessage(`INC-P-${i}`, `INC-P-${i}.escalation.x`)))).filter((m) => m?.providerMessageId?.startsWith('merged:'));
    expect(merged).toHaveLength(COUNT - 1);
    const digestId = merged[0]!.providerMessageId!.slice('merged:'.length);
    expect(new Set(merged.map((m) => m!.providerMessageId)).size).toBe(1); // one digest for the burst
    // Before its window ends nobody claims it (a stream record of its insert finds it not yet due).
    expect(await dispatchOutboxMessage(deps(), digestOwner('default'), digestId)).toBe('already-handled');
    clock.set(new Date(T0.getTime() + 12_000));
    wall.set(new Date(wall.now().getTime() + 12_000));
    const due = await store.findDue(clock.now(), 100);
    expect(due).toContainEqual(expect.objectContaining({ kind: 'outbox', incidentId: digestOwner('default'), messageId: digestId }));
    expect(await dispatchOutboxMessage(deps(), digestOwner('default'), digestId)).toBe('delivered');
    expect(await dispatchOutboxMessage(deps(), digestOwner('default'), digestId)).toBe('already-handled');
    expect(sent).toHaveLength(2);
    const digest = sent[1]!;
    expect(digest.kind).toBe('digest');
    expect(digest.text.startsWith('<!here>')).toBe(true);
    expect(digest.text).toContain(`${COUNT - 1} escalations for this channel at once`);
    expect(digest.text.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(COUNT - 1);
  }, 60_000);
});
