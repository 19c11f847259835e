import { LiveSlackSender } from '../../lambdas/adapters/delivery/live-slack-sender.js';
import { dispatchOutboxMessage } from '../../lambdas/app/dispatch-outbox.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { sweepDueTimers } from '../../lambdas/app/sweep-due-timers.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { parseLadder, DEFAULT_LADDER_CONFIG } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { RecordingSlackWebApi } from '../../local/recording-slack-api.js';
import { noteRepostWith } from '../../lambdas/handlers/delivery-runtime.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';

describe('the live Slack message, on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  let web: RecordingSlackWebApi;
  let sender: LiveSlackSender;
  const ladder = parseLadder({
    ...DEFAULT_LADDER_CONFIG,
    steps: DEFAULT_LADDER_CONFIG.steps.map((step) =>
      step.id === 'unacknowledged-15m' ? { ...step, targets: [{ kind: 'slack', mention: '<@U0ONCALL>' }, { kind: 'slack', slackChannel: 'C0EXECS' }] } : step,
    ),
  });

  beforeEach(async () => {
    ({ store } = await freshTable());
    clock = new FakeClock(T0);
    web = new RecordingSlackWebApi(clock);
    sender = new LiveSlackSender({ web, channel: 'C0SECURITY', store, clock });
  });

  const deliverAll = async () => {
    const detail = await store.getIncidentDetail('INC-T-1');
    for (const m of detail!.messages.filter((x) => x.status === 'pending')) await dispatchOutboxMessage({ outbox: store, sender, clock }, 'INC-T-1', m.messageId);
  };

  it('posts once, updates in place from the current state, threads escalations and posts a step to its own channel', async () => {
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Export', severity: 'high', observedAt: T0.toISOString() });
    await deliverAll();
    expect(web.messages).toHaveLength(1);
    expect((await store.getIncident('INC-T-1'))!.slackMessage).toEqual({ channel: 'C0SECURITY', ts: web.messages[0]!.ts });

    clock.advanceMinutes(16);
    await sweepDueTimers({ store, clock, ladder, redeliver: async () => {} });
    await deliverAll();
    const [live, thread, execs] = web.messages;
    expect(live!.updates).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(live!.blocks)).toContain('level 2');
    expect(thread).toMatchObject({ channel: 'C0SECURITY', threadTs: live!.ts, text: expect.stringMatching(/^<@U0ONCALL> Escalation level 2/) });
    expect(execs).toMatchObject({ channel: 'C0EXECS', text: expect.stringMatching(/^Escalation level 2/) });
    expect(execs!.threadTs).toBeUndefined();

    await actOnIncident({ store, clock, ladder }, 'INC-T-1', { type: 'acknowledge' }, 'rita');
    await deliverAll();
    expect(web.messages.filter((m) => !m.threadTs && m.channel === 'C0SECURITY')).toHaveLength(1);
    expect(JSON.stringify(web.messages[0]!.blocks)).toContain('*Acknowledged by:* rita');
  });

  it('keeps a single live message when two deliveries race to post it', async () => {
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Export', severity: 'high', observedAt: T0.toISOString() });
    const [opened] = (await store.getIncidentDetail('INC-T-1'))!.messages;
    await Promise.all([sender.send(opened!), sender.send(opened!)]);
    expect(web.messages.filter((m) => !m.deleted)).toHaveLength(1);
    expect((await store.getIncident('INC-T-1'))!.slackMessage!.ts).toBe(web.messages.find((m) => !m.deleted)!.ts);
  });

  it('issue 15.3: a deleted live message is posted again, the escalation still goes out, and the timeline says so', async () => {
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Export', severity: 'high', observedAt: T0.toISOString() });
    await deliverAll();
    const first = (await store.getIncident('INC-T-1'))!.slackMessage!;
    await web.deleteMessage(first); // someone deleted the bot's message
    clock.advanceMinutes(16);
    await sweepDueTimers({ store, clock, ladder, redeliver: async () => {} });
    const noteRepost = noteRepostWith({ store, clock, ladder });
    const detail = await store.getIncidentDetail('INC-T-1');
    for (const m of detail!.messages.filter((x) => x.status === 'pending')) {
      expect(await dispatchOutboxMessage({ outbox: store, sender, clock, noteRepost }, 'INC-T-1', m.messageId)).toBe('delivered');
    }
    const now = (await store.getIncident('INC-T-1'))!.slackMessage!;
    expect(now.ts).not.toBe(first.ts);
    expect(web.messages.filter((m) => !m.deleted && !m.threadTs && m.channel === 'C0SECURITY')).toHaveLength(1);
    expect(web.messages.some((m) => m.threadTs === now.ts && /^<@U0ONCALL> Escalation level 2/.test(m.text))).toBe(true);
    const timeline = (await store.getIncidentDetail('INC-T-1'))!.timeline;
    expect(timeline.filter((e) => e.type === 'slack.reposted')).toEqual([expect.objectContaining({ actor: 'breachclock', summary: expect.stringMatching(/posted again/) })]);
  });
});
