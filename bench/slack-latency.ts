/**
 * How fast the local stack answers Slack (Slack's limit: 3 s; our target p99 < 300 ms locally).
 *
 *   npm run bench:slack                     # 300 button presses and 300 /breach list commands
 *   npm run bench:slack -- --requests 100
 *
 * Each request is signed like Slack signs it and goes over HTTP to /slack/actions or /slack/commands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signSlackRequest } from '../lambdas/shared/slack-signature.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startLocalStack } = await import('../local/local-stack.js');

const { values } = parseArgs({ options: { requests: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '8' } } });
const N = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);

const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-slack-bench-'));
const stack = await startLocalStack({ dataDir, port: 0, dynamoPort: 0, clockIntervalMs: 60_000, env: { SLACK_ROLES: JSON.stringify({ users: {}, defaultRoles: ['responder', 'dpo'] }) } });
try {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const response = await fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Incident ${i}`, severity: 'high', fingerprint: `slack-bench-${i}`, observedAt: new Date().toISOString() }),
    });
    ids.push(((await response.json()) as { incidentId: string }).incidentId);
  }

  const send = async (path: string, fields: Record<string, string>) => {
    const body = new URLSearchParams(fields).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const response = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(body, stack.slackSigningSecret, timestamp) },
      body,
    });
    await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return performance.now() - started;
  };

  const measure = async (label: string, request: (i: number) => Promise<number>) => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { for (let i = next++; i < N; i = next++) latencies.push(await request(i)); }));
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
    return { [label]: { requests: N, 'p50 ms': p(0.5), 'p95 ms': p(0.95), 'p99 ms': p(0.99), 'max ms': latencies.at(-1)!.toFixed(1) } };
  };

  const press = (i: number) =>
    send('/slack/actions', {
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: `U0BENCH${i % 7}`, username: `user${i % 7}` },
        trigger_id: `bench-${i}`,
        response_url: `https://hooks.slack.com/actions/T0/1/${i}`,
        actions: [{ action_id: 'bc.acknowledge', value: ids[i], action_ts: String(Date.now() / 1000) }],
      }),
    });
  const list = () => send('/slack/commands', { command: '/breach', text: 'list', user_id: 'U0BENCH1', user_name: 'user1', response_url: 'https://hooks.slack.com/commands/T0/1/x' });

  console.table({ ...(await measure('button press (acknowledge)', press)), ...(await measure(`/breach list (${N} open incidents)`, list)) });
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
