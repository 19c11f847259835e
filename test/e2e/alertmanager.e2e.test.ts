import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/dynamo-local.js';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { waitFor } from '../support/wait.js';

/** Debian's package (installed by the test preflight and .ci/run, like Java and Chromium). */
const ALERTMANAGER = process.env.ALERTMANAGER_PATH ?? '/usr/bin/prometheus-alertmanager';
const GROUP = 1_000;

/**
 * Issue 12: a real Alertmanager (Debian's prometheus-alertmanager) pointed at the local stack with a bearer
 * token and `group_by: [alertname]`. One credential-stuffing alert firing on 1,000 instances is one
 * notification group: it must become one incident with 1,000 alerts on the first try, its repeat
 * notifications must change no count, and Slack/SNS deliveries must stay a handful.
 */
describe('a real Alertmanager against the local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-am-e2e-'));
  let stack: LocalStack;
  let alertmanager: ChildProcess;
  let amUrl: string;
  let amLog = '';

  beforeAll(async () => {
    if (!existsSync(ALERTMANAGER)) throw new Error(`${ALERTMANAGER} not found: npm test installs prometheus-alertmanager (scripts/preflight.mjs), or set ALERTMANAGER_PATH`);
    stack = await startLocalStack({ dataDir, port: 0, clockIntervalMs: 500, streamIntervalMs: 100 });
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    const amDir = join(dataDir, 'alertmanager');
    mkdirSync(amDir, { recursive: true });
    writeFileSync(
      join(amDir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: breachclock',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 2s',
        '  repeat_interval: 4s',
        'receivers:',
        '  - name: breachclock',
        '    webhook_configs:',
        `      - url: ${stack.url}/alerts/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        `            credentials: ${stack.ingestToken}`,
        '',
      ].join('\n'),
    );
    alertmanager = spawn(ALERTMANAGER, [`--config.file=${join(amDir, 'alertmanager.yml')}`, `--storage.path=${amDir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'pipe' });
    alertmanager.stdout?.on('data', (chunk: Buffer) => (amLog += chunk.toString()));
    alertmanager.stderr?.on('data', (chunk: Buffer) => (amLog += chunk.toString()));
    await waitFor(async () => ((await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok ? true : undefined), `Alertmanager ready at ${amUrl}`, { timeoutMs: 20_000, intervalMs: 200 });
  }, 90_000);

  afterAll(async () => {
    alertmanager?.kill('SIGTERM');
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string) => (await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.apiToken}` } })).json() as Promise<any>;
  const postAlerts = async (alerts: unknown[]) => {
    const response = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(response.status).toBe(200);
  };

  it('one attack on 1,000 instances is one incident with 1,000 alerts; repeats count nothing; deliveries stay a handful', async () => {
    const startsAt = new Date().toISOString();
    const alerts = Array.from({ length: GROUP }, (_, i) => ({
      labels: { alertname: 'CredentialStuffing', breach_candidate: 'true', severity: 'critical', instance: `web-${i}:443` },
      annotations: { summary: 'Login failures from many addresses' },
      startsAt,
    }));
    await postAlerts(alerts);

    const incident = await waitFor(
      async () => {
        const { incidents } = await api('/api/incidents');
        return incidents.length === 1 && incidents[0].alertCount === GROUP ? incidents[0] : undefined;
      },
      `one incident with ${GROUP} alerts (Alertmanager log:\n${amLog.slice(-2_000)})`,
      { timeoutMs: 150_000, intervalMs: 500 },
    );
    // Repeat notifications (repeat_interval 4 s) and Alertmanager's own retries: no new incident, no count.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const { incidents } = await api('/api/incidents');
    expect(incidents).toHaveLength(1);
    expect(incidents[0].alertCount).toBe(GROUP);
    expect(incidents[0].id).toBe(incident.id);
    // Each instance is kept once, with first and last seen; the repeats moved last seen on (the first
    // instance is placed in the request; the rest of a large group, and its repeats, from the stream).
    const page = await api(`/api/incidents/${incident.id}/alerts?limit=100&order=oldest`);
    expect(page.alertCount).toBe(GROUP);
    expect(page.alerts).toHaveLength(100);
    expect(page.next).toEqual(expect.any(String));
    expect(page.alerts[0].repeats).toBeGreaterThan(0);
    expect(page.alerts[0].lastSeenAt > page.alerts[0].receivedAt).toBe(true);
    const { deliveries } = await api('/local/deliveries');
    expect(deliveries.length).toBeLessThanOrEqual(3);
    // Alertmanager saw every notification succeed on the first try: no timeouts, no retries, no give-ups.
    expect(amLog).not.toMatch(/Notify for alerts failed|context deadline exceeded|Notify attempt failed/);

    // One instance resolves: Alertmanager sends the group with it resolved; it is noted, nothing reopens.
    await postAlerts([{ ...alerts[0], endsAt: new Date().toISOString() }]);
    await waitFor(async () => ((await api(`/api/incidents/${incident.id}`)).timeline.some((e: { type: string }) => e.type === 'alert.resolved') ? true : undefined), 'the resolution noted', { timeoutMs: 30_000, intervalMs: 500 });
    expect((await api('/api/incidents')).incidents).toHaveLength(1);
  }, 240_000);
});
