import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { waitFor } from '../support/wait.js';

/**
 * The whole local stack as a user runs it: HTTP in, DynamoDB Local, the stream-fed dispatcher, the clock,
 * virtual time, and a restart that must lose nothing.
 */
describe('local stack end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-e2e-'));
  let stack: LocalStack;

  const logLines: string[] = [];
  const start = () => startLocalStack({ dataDir, port: 0, clockIntervalMs: 200, streamIntervalMs: 50, log: (line) => logLines.push(line) });
  const ingest = (body: unknown) =>
    fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json', 'x-actor': 'e2e-responder' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  type Delivery = { messageId: string; channel: string; topic?: string; subject: string };
  const allDeliveries = async () => (await api('GET', '/local/deliveries')).body.deliveries as Delivery[];
  /** The incident's messages and the ladder's escalations; overdue response tasks (issue 16) are counted apart. */
  const deliveries = async () => (await allDeliveries()).filter((d) => !d.messageId.includes('.task.'));

  beforeAll(async () => {
    stack = await start();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the 72-hour story: one incident from 51 alerts, each escalation once per target, overdue after 72 h, nothing lost on restart', async () => {
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const alert = { title: 'Bulk export from customers table', severity: 'high', fingerprint: 'db-prod/customers/export', occurredAt };

    const first = await ingest(alert);
    expect(first.status).toBe(202);
    const { incidentId } = (await first.json()) as { incidentId: string };
    const burst = await Promise.all(Array.from({ length: 50 }, () => ingest(alert).then((r) => r.json() as Promise<{ incidentId: string; deduplicated: boolean }>)));
    expect(new Set(burst.map((r) => r.incidentId))).toEqual(new Set([incidentId]));
    expect(burst.every((r) => r.deduplicated)).toBe(true);

    const listed = await api('GET', '/api/incidents');
    expect(listed.body.incidents).toHaveLength(1);
    // The alert stream counts the 50 attached alerts within a few polls (ADR 0011); exactly, never more.
    const detail = await waitFor(async () => {
      const body = (await api('GET', `/api/incidents/${incidentId}`)).body;
      return body.incident.alertCount === 51 ? body : undefined;
    }, 'the alert stream to count 51 alerts');
    expect(detail.incident.alertCount).toBe(51);
    const detectedAt = Date.parse(detail.incident.detectedAt);
    expect(Date.parse(detail.incident.clocks[0].dueAt) - detectedAt).toBe(72 * 3_600_000);

    // The opening message reaches Slack through the stream-fed dispatcher.
    await waitFor(async () => ((await deliveries()).length === 1 ? true : undefined), 'the opening Slack message');

    // 15 minutes without acknowledgement: level 2 fires once, to Slack and the responders topic.
    const advanced = await api('POST', '/local/clock/advance', { by: '16m' });
    expect(advanced.body.sweep.fired).toBe(1);
    await waitFor(async () => ((await deliveries()).length === 3 ? true : undefined), 'the level-2 escalation');

    // A responder acknowledges: no more "unacknowledged" escalation.
    const ack = await api('POST', `/api/incidents/${incidentId}/actions`, { action: 'acknowledge' });
    expect(ack.status).toBe(200);
    expect(ack.body.incident.acknowledgedBy).toBe('e2e-responder');
    await waitFor(async () => ((await deliveries()).length === 4 ? true : undefined), 'the acknowledgement message');

    for (const by of ['24h', '24h', '18h', '6h']) await api('POST', '/local/clock/advance', { by });
    // 4 state/escalation messages so far + 2 (24h) + 3 (48h) + 2 (66h) + 5 (72h) targets
    const all = await waitFor(async () => {
      const list = await deliveries();
      return list.length >= 16 ? list : undefined;
    }, 'every escalation delivered');
    await new Promise((r) => setTimeout(r, 500)); // ticks and stream polls keep running: nothing more may arrive
    expect(await deliveries()).toHaveLength(16);
    expect(new Set(all.map((d) => d.messageId)).size).toBe(16);
    expect(all.filter((d) => d.channel === 'sns').map((d) => d.topic).sort()).toEqual(
      ['dpo', 'dpo', 'dpo', 'executives', 'executives', 'legal', 'legal', 'responders', 'responders'].sort(),
    );

    // The response tasks of a data exfiltration went overdue on the way: each escalated once, several due
    // together in one message (catch-up): at 24 h six tasks at once (Slack, responders, DPO), at 48 h one (Slack, DPO).
    const taskMessages = (await allDeliveries()).filter((d) => d.messageId.includes('.task.'));
    expect(new Set(taskMessages.map((d) => d.messageId)).size).toBe(taskMessages.length);
    expect(taskMessages.map((d) => d.topic ?? d.channel).sort()).toEqual(['dpo', 'dpo', 'responders', 'slack', 'slack']);

    const overdue = (await api('GET', `/api/incidents/${incidentId}`)).body;
    expect(overdue.incident.clocks[0].status).toBe('overdue');
    expect(overdue.incident.clocks[0].reasonsForDelayRequired).toBe(true);
    expect(overdue.incident.overdueAt).toBeTruthy();
    expect(overdue.timers.filter((t: { timerId: string }) => t.timerId.startsWith('gdpr-art33.')).map((t: { status: string }) => t.status).sort()).toEqual(['fired', 'fired', 'fired', 'fired', 'fired']);
    expect(overdue.messages.every((m: { status: string }) => m.status === 'delivered')).toBe(true);

    // Restart: the incident, its timeline, virtual time and the recorded deliveries are all still there.
    const offset = stack.clock.offset;
    await stack.stop();
    stack = await start();
    expect(stack.clock.offset).toBe(offset);
    const after = (await api('GET', `/api/incidents/${incidentId}`)).body;
    expect(after.incident.alertCount).toBe(51);
    expect(after.timeline).toHaveLength(overdue.timeline.length);
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveries()).toHaveLength(16);

    // The local Slack workspace survived too: the next delivery updates the same live message (issue 15.3).
    const liveBefore = (await api('GET', '/local/slack')).body.messages.find((m: { threadTs?: string; deleted: boolean }) => !m.threadTs && !m.deleted);
    expect(liveBefore).toBeDefined();
    expect((await api('POST', `/api/incidents/${incidentId}/actions`, { action: 'take-ownership' })).status).toBe(200);
    await waitFor(async () => ((await deliveries()).length === 17 ? true : undefined), 'a delivery after the restart');
    const liveAfter = (await api('GET', '/local/slack')).body.messages.find((m: { ts: string }) => m.ts === liveBefore.ts);
    expect(liveAfter.updates).toBeGreaterThan(liveBefore.updates);
    const timeline = (await api('GET', `/api/incidents/${incidentId}`)).body.timeline as { type: string }[];
    expect(timeline.filter((e) => e.type === 'slack.reposted')).toEqual([]);
  }, 90_000);

  it('issue 27.5 (fuzz run): an empty map in an alert\'s details stops no count; a cut-off body is no "request failed"', async () => {
    // Only this test's lines; a stack stopped by the test before may still log a refused connection.
    const from = logLines.length;
    const alert = { title: 'Fuzzed alert', severity: 'high', fingerprint: 'fuzz/empty-map', occurredAt: new Date(Date.now() - 60_000).toISOString() };
    const first = await ingest(alert);
    expect(first.status).toBe(202);
    const { incidentId } = (await first.json()) as { incidentId: string };
    expect((await ingest({ ...alert, details: { a: {} } })).status).toBe(202);
    expect((await ingest({ ...alert, details: { b: 1 } })).status).toBe(202);
    await waitFor(async () => ((await api('GET', `/api/incidents/${incidentId}`)).body.incident.alertCount === 3 ? true : undefined), 'the alert stream to count 3 alerts');
    expect((await api('GET', '/local/stream/parked')).body.parked).toEqual([]);
    expect(logLines.slice(from).filter((line) => line.includes('stream poll failed') && !line.includes('ECONNREFUSED'))).toEqual([]);

    // A body cut off by the client: answered or dropped, never logged as our failure.
    const { connect } = await import('node:net');
    const { port } = new URL(stack.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /alerts/generic HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack.ingestToken}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(logLines.slice(from).filter((line) => line.startsWith('request failed'))).toEqual([]);
  }, 60_000);
});
