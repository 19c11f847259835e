import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { waitFor } from '../support/wait.js';
import { SLACK_ACTIONS } from '../../lambdas/domain/slack-message.js';
import { buttonPress, slackRequest } from '../support/slack.js';

/** Alert → live Slack message posted → signed button press → incident acknowledged → message updated. */
describe('Slack on the local stack, end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-slack-e2e-'));
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      dataDir,
      port: 0,
      clockIntervalMs: 60_000,
      streamIntervalMs: 50,
      env: { SLACK_ROLES: JSON.stringify({ users: { U0RESPONDER: ['responder'] } }), SLACK_CHANNEL: 'C0SECURITY' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });


  it('posts one live message, acts on a signed button press and updates the message in place', async () => {
    const response = await fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bulk export from customers table', severity: 'high', fingerprint: 'db/export', observedAt: new Date().toISOString() }),
    });
    const { incidentId } = (await response.json()) as { incidentId: string };

    const live = await waitFor(() => stack.slack.messages.find((m) => !m.threadTs && m.text.includes(incidentId)), 'the live message');
    expect(live.channel).toBe('C0SECURITY');
    expect(JSON.stringify(live.blocks)).toContain(SLACK_ACTIONS.acknowledge);

    const { body, headers } = slackRequest(buttonPress({ id: 'U0RESPONDER', username: 'rita' }, SLACK_ACTIONS.acknowledge, incidentId, 'trig-e2e'), stack.slackSigningSecret, new Date());
    const started = performance.now();
    const press = await fetch(`${stack.url}/slack/actions`, { method: 'POST', headers, body });
    const answeredMs = performance.now() - started;
    expect(press.status).toBe(200);
    expect(answeredMs).toBeLessThan(3_000);

    await waitFor(() => (live.updates > 0 && JSON.stringify(live.blocks).includes('rita [slack:U0RESPONDER]') ? true : undefined), 'the updated live message');
    expect(JSON.stringify(live.blocks)).not.toContain(SLACK_ACTIONS.acknowledge);
    expect(stack.slack.messages.filter((m) => !m.threadTs && !m.deleted)).toHaveLength(1);

    const detail = (await (await fetch(`${stack.url}/api/incidents/${incidentId}`, { headers: { authorization: `Bearer ${stack.apiToken}` } })).json()) as {
      incident: { status: string; acknowledgedBy: string };
      timeline: { type: string; actor: string }[];
    };
    expect(detail.incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'rita [slack:U0RESPONDER]' });
    expect(detail.timeline.map((e) => e.type)).toEqual(['incident.opened', 'incident.acknowledged']);

    // A forged press is refused before anything happens.
    const forged = slackRequest(buttonPress({ id: 'U0RESPONDER', username: 'rita' }, SLACK_ACTIONS.takeOwnership, incidentId, 'trig-forged'), 'not-the-secret', new Date());
    expect((await fetch(`${stack.url}/slack/actions`, { method: 'POST', headers: forged.headers, body: forged.body })).status).toBe(401);

    // Virtual time moves on; Slack still signs with the real time, and that is what is checked (issue 15.5).
    const advanced = await fetch(`${stack.url}/local/clock/advance`, { method: 'POST', headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ by: '24h' }) });
    expect(advanced.status).toBe(200);
    const later = slackRequest({ command: '/breach', text: 'list', user_id: 'U0RESPONDER', user_name: 'rita' }, stack.slackSigningSecret, new Date());
    const listed = await fetch(`${stack.url}/slack/commands`, { method: 'POST', headers: later.headers, body: later.body });
    expect(listed.status).toBe(200);
  }, 60_000);
});
