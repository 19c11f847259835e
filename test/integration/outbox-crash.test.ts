import { LiveSlackSender } from '../../lambdas/adapters/delivery/live-slack-sender.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DeliveryFailedError, dispatchOutboxMessage, type DispatchDeps } from '../../lambdas/app/dispatch-outbox.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { noteUnconfirmedWith } from '../../lambdas/handlers/delivery-runtime.js';
import { openIncident } from '../../lambdas/domain/incident.js';
import type { OutboxMessage } from '../../lambdas/domain/messages.js';
import { PermanentDeliveryError, type MessageSender } from '../../lambdas/ports/message-sender.js';
import { RecordingSlackWebApi } from '../../local/recording-slack-api.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';

const LEASE_MS = 60_000;

/**
 * Issue 27.1, the outbox: a crash between an escalation's post and its record (kill -9, a Lambda timeout) leaves
 * the message `sending` with a lease that runs out. The next attempt asks Slack whether the post is there (its
 * metadata names the outbox message) and records it instead of posting it again; a crash before the post sends it;
 * a channel that cannot be asked (SNS) is parked as `unconfirmed` for review, with a note on the incident's
 * timeline: never published twice, never dropped silently.
 */
describe('outbox: an attempt cut off by a crash is confirmed, not sent twice (DynamoDB Local)', () => {
  let store: DynamoIncidentStore;
  const clock = new FakeClock(T0);
  const wall = new FakeClock(new Date('2026-12-05T08:00:00Z'));
  let slack: RecordingSlackWebApi;
  let live: LiveSlackSender;
  const deps = (sender: MessageSender = live): DispatchDeps => ({ outbox: store, sender, clock, leaseClock: wall, leaseMs: LEASE_MS });

  const escalation = (incidentId: string, n: number, channel: OutboxMessage['channel'] = 'slack'): OutboxMessage => ({
    messageId: `${incidentId}.escalation.${n}`,
    incidentId,
    channel,
    kind: 'escalation',
    ...(channel === 'sns' ? { topic: 'dpo' } : {}),
    subject: `breachclock L${n} ${incidentId}: not acknowledged`,
    text: `<!here> Escalation level ${n} ${incidentId}`,
    createdAt: T0.toISOString(),
  });

  async function open(incidentId: string, outbox: OutboxMessage[]): Promise<void> {
    const opened = openIncident({ id: incidentId, title: `Incident ${incidentId}`, severity: 'high', source: 'generic', fingerprint: incidentId }, T0);
    const state: OutboxMessage = { messageId: `${incidentId}.opened`, incidentId, channel: 'slack', kind: 'state', subject: 'opened', text: 'opened', createdAt: T0.toISOString() };
    await store.openIncident({ ...opened, timers: [], outbox: [state, ...outbox], alert: { alertId: `A-${incidentId}`, incidentId, source: 'generic', fingerprint: incidentId, title: 't', severity: 'high', status: 'firing', outcome: 'opened', rule: 'r', receivedAt: T0.toISOString() } });
    expect(await dispatchOutboxMessage(deps(), incidentId, state.messageId)).toBe('delivered'); // the live message
  }

  /** What a crash leaves: the claim taken (and, with `posted`, the post made), no outcome recorded. */
  async function crash(message: OutboxMessage, posted: boolean): Promise<void> {
    const claimed = await store.claim(message.incidentId, message.messageId, wall.now(), LEASE_MS, clock.now());
    expect(claimed).toMatchObject({ status: 'sending', outcomeUnknown: false });
    if (posted) await live.send(message);
  }

  const posts = (message: OutboxMessage) => slack.messages.filter((m) => !m.deleted && m.metadata?.payload.outbox_message === message.messageId);

  beforeAll(async () => {
    ({ store } = await freshTable());
    slack = new RecordingSlackWebApi(clock);
    live = new LiveSlackSender({ web: slack, channel: 'C-BREACH', store, clock });
  }, 60_000);

  it('posted, then the process died: the next attempt finds the post in the thread and records it; one post', async () => {
    const message = escalation('INC-C-1', 2);
    await open('INC-C-1', [message]);
    await crash(message, true);
    // While the lease holds, a redelivered stream record does nothing.
    expect(await dispatchOutboxMessage(deps(), message.incidentId, message.messageId)).toBe('already-handled');
    wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
    expect(await dispatchOutboxMessage(deps(), message.incidentId, message.messageId)).toBe('confirmed');
    expect(posts(message)).toHaveLength(1);
    const stored = await store.getMessage(message.incidentId, message.messageId);
    expect(stored).toMatchObject({ status: 'delivered', providerMessageId: posts(message)[0]!.ts });
    expect(await dispatchOutboxMessage(deps(), message.incidentId, message.messageId)).toBe('already-handled');
    expect(posts(message)).toHaveLength(1);
  }, 60_000);

  it('claimed, then the process died before the post: the next attempt posts it; one post', async () => {
    const message = escalation('INC-C-2', 2);
    await open('INC-C-2', [message]);
    await crash(message, false);
    wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
    expect(await dispatchOutboxMessage(deps(), message.incidentId, message.messageId)).toBe('delivered');
    expect(posts(message)).toHaveLength(1);
  }, 60_000);

  it('an escalation to its own channel is looked for in that channel', async () => {
    const message = { ...escalation('INC-C-3', 3), slackChannel: 'C-EXECUTIVES' };
    await open('INC-C-3', [message]);
    await crash(message, true);
    wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
    expect(await dispatchOutboxMessage(deps(), message.incidentId, message.messageId)).toBe('confirmed');
    expect(posts(message).map((m) => m.channel)).toEqual(['C-EXECUTIVES']);
  }, 60_000);

  describe('a channel that cannot be asked (SNS): parked as unconfirmed after the lease, never published twice', () => {
    const published: OutboxMessage[] = [];
    const sns: MessageSender = { send: async (m) => (published.push(m), { providerMessageId: `sns-${published.length}` }) };
    const snsDeps = (): DispatchDeps => ({ ...deps(sns), noteUnconfirmed: noteUnconfirmedWith({ store, clock, ladder: DEFAULT_LADDER }) });

    it.each([
      ['published, then the process died', 'INC-C-4', true],
      ['claimed, then the process died before the publish', 'INC-C-5', false],
    ])('%s: unconfirmed, out of the due index, on the timeline; nothing published again', async (_case, incidentId, wasPublished) => {
      published.length = 0;
      const message = escalation(incidentId, 2, 'sns');
      await open(incidentId, [message]);
      const claimed = await store.claim(message.incidentId, message.messageId, wall.now(), LEASE_MS, clock.now());
      expect(claimed?.outcomeUnknown).toBe(false);
      if (wasPublished) await sns.send(message);
      const before = published.length;
      // While the lease holds, nothing happens; after it, the page is parked: SNS cannot say whether it went out.
      expect(await dispatchOutboxMessage(snsDeps(), message.incidentId, message.messageId)).toBe('already-handled');
      wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
      expect(await dispatchOutboxMessage(snsDeps(), message.incidentId, message.messageId)).toBe('unconfirmed');
      expect(published).toHaveLength(before);
      const stored = await store.getMessage(message.incidentId, message.messageId);
      expect(stored).toMatchObject({ status: 'unconfirmed', unconfirmedAt: clock.now().toISOString(), lastError: expect.stringMatching(/SNS cannot say whether it went out/) });
      expect(stored).not.toHaveProperty('leaseUntil');
      // Never taken again by itself: not by a redelivered stream record, not by the clock's re-drive.
      wall.set(new Date(wall.now().getTime() + 10 * LEASE_MS));
      expect(await dispatchOutboxMessage(snsDeps(), message.incidentId, message.messageId)).toBe('already-handled');
      expect(published).toHaveLength(before);
      const due = await store.findDue(new Date(clock.now().getTime() + 86_400_000), 1_000);
      expect(due.filter((item) => item.kind === 'outbox' && item.messageId === message.messageId)).toEqual([]);
      // Where operators look: the incident's messages (status) and its timeline (who may not have been paged).
      const detail = (await store.getIncidentDetail(incidentId))!;
      expect(detail.messages.find((m) => m.messageId === message.messageId)).toMatchObject({ status: 'unconfirmed', channel: 'sns', topic: 'dpo' });
      expect(detail.timeline.filter((e) => e.type === 'delivery.unconfirmed')).toEqual([
        expect.objectContaining({ actor: 'breachclock', summary: expect.stringMatching(/may or may not have gone out.*sns topic dpo.*parked for review, not sent again/), data: { messageId: message.messageId, channel: 'sns', topic: 'dpo' } }),
      ]);
    }, 60_000);
  });

  it('Slack that cannot be asked (no history scope: a permanent lookup error) parks the escalation too; a lookup that fails for now keeps the claim and asks again', async () => {
    const message = escalation('INC-C-6', 2);
    await open('INC-C-6', [message]);
    await crash(message, true);
    let lookups = 0;
    const flaky: MessageSender = {
      send: (m) => live.send(m),
      confirm: async () => {
        lookups++;
        throw lookups === 1 ? new Error('Slack conversations.replies answered HTTP 503') : new PermanentDeliveryError('Slack conversations.replies failed: missing_scope');
      },
    };
    wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
    await expect(dispatchOutboxMessage(deps(flaky), message.incidentId, message.messageId)).rejects.toThrow(DeliveryFailedError);
    expect(await store.getMessage(message.incidentId, message.messageId)).toMatchObject({ status: 'sending' });
    wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
    expect(await dispatchOutboxMessage(deps(flaky), message.incidentId, message.messageId)).toBe('unconfirmed');
    expect(posts(message)).toHaveLength(1);
    expect(await store.getMessage(message.incidentId, message.messageId)).toMatchObject({ status: 'unconfirmed', lastError: expect.stringMatching(/Slack cannot say/) });
  }, 60_000);

  it('a state change cut off by a crash is sent again (it only brings the live message up to date), never parked', async () => {
    const incidentId = 'INC-C-7';
    const opened = openIncident({ id: incidentId, title: `Incident ${incidentId}`, severity: 'high', source: 'generic', fingerprint: incidentId }, T0);
    const state: OutboxMessage = { messageId: `${incidentId}.opened`, incidentId, channel: 'slack', kind: 'state', subject: 'opened', text: 'opened', createdAt: T0.toISOString() };
    await store.openIncident({ ...opened, timers: [], outbox: [state], alert: { alertId: `A-${incidentId}`, incidentId, source: 'generic', fingerprint: incidentId, title: 't', severity: 'high', status: 'firing', outcome: 'opened', rule: 'r', receivedAt: T0.toISOString() } });
    await crash(state, true); // the live message posted, then the process died
    wall.set(new Date(wall.now().getTime() + LEASE_MS + 1_000));
    expect(await dispatchOutboxMessage(deps(), incidentId, state.messageId)).toBe('delivered');
    const live = (await store.getIncident(incidentId))!.slackMessage!;
    expect(slack.messages.filter((m) => !m.deleted && !m.threadTs && m.channel === 'C-BREACH' && m.ts === live.ts)).toHaveLength(1);
    expect(slack.messages.find((m) => m.ts === live.ts)!.updates).toBe(1);
  }, 60_000);
});
