import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/dynamo-local.js';
import { waitFor } from '../support/wait.js';

const RECIPIENTS = 200;

/**
 * Issue 27.1: `npm start`'s process group is killed with SIGKILL in the middle of a notice's sends and started
 * again on the same data directory. Sending resumes by itself from the durable send queue; every affected
 * person is emailed exactly once or parked for review (never twice); the counters, the review list and the
 * mail the SES emulator captured (kept in the data directory) agree exactly.
 */
describe('a kill -9 during a send loses nobody (local stack as a process group)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-send-crash-e2e-'));
  let child: ChildProcess | undefined;
  let ports: { port: number; dynamo: number; ses: number };
  let url = '';
  let apiToken = '';
  let ingestToken = '';

  const start = async () => {
    const output: string[] = [];
    // Its own process group (detached), as a terminal runs `npm start`: DynamoDB Local's JVM is in it.
    const started = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BREACHCLOCK_DATA_DIR: dataDir,
        PORT: String(ports.port),
        DYNAMODB_PORT: String(ports.dynamo),
        SES_PORT: String(ports.ses),
        SES_SEND_RATE: '100',
        SEND_CONCURRENCY: '4',
        SEND_CHUNK_SIZE: '20',
        CLOCK_INTERVAL_MS: '1000',
        ORGANISATION: JSON.stringify({ name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } }),
      },
    });
    child = started;
    started.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    started.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitFor(() => (output.join('').includes('local stack is running') ? true : undefined), `the local stack to start:\n${output.join('')}`, { timeoutMs: 60_000, intervalMs: 100 });
    const settings = (await import('node:fs')).readFileSync(join(dataDir, 'local-settings.json'), 'utf8');
    ({ apiToken, ingestToken } = JSON.parse(settings) as { apiToken: string; ingestToken: string });
    url = `http://127.0.0.1:${ports.port}`;
    return output;
  };

  const killGroup = async () => {
    const pid = child!.pid!;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    // Freeze the whole group (DynamoDB Local included) first, so the moment is not a clean one, then kill it.
    process.kill(-pid, 'SIGSTOP');
    process.kill(-pid, 'SIGKILL');
    await exited;
    // The JVM is in the group too: wait until its port is free again.
    await waitFor(async () => ((await import('../../local/dynamo-local.js')).portIsFree(ports.dynamo).then((free) => (free ? true : undefined))), 'DynamoDB Local to be gone', { timeoutMs: 10_000, intervalMs: 100 });
    child = undefined;
  };

  const api = async (method: string, path: string, body?: unknown, actor = 'dana.dpo', contentType = 'application/json') => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': contentType, 'x-actor': actor },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    ports = { port: await freePort(), dynamo: await freePort(), ses: await freePort() };
  });

  afterAll(async () => {
    if (child?.pid) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('resumes after a restart: each person emailed once or parked for review, none twice, counters equal to the captured mail', async () => {
    await start();
    const ingest = await fetch(`${url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Customer table exported', severity: 'critical', fingerprint: 'db/customers/crash', observedAt: new Date(Date.now() - 120_000).toISOString() }),
    });
    expect(ingest.status).toBe(202);
    const { incidentId } = (await ingest.json()) as { incidentId: string };
    const act = (body: unknown, actor = 'dana.dpo') => api('POST', `/api/incidents/${incidentId}/actions`, body, actor);
    expect((await act({ action: 'confirm', awareAt: new Date(Date.now() - 60_000).toISOString(), justification: 'Forensics confirmed the export' })).status).toBe(200);
    expect((await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: RECIPIENTS }], dataCategories: ['contact', 'credentials'], peopleCategories: ['customers'] } })).status).toBe(200);
    expect((await act({ action: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords exfiltrated' })).status).toBe(200);
    expect((await act({ action: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk: notify' })).status).toBe(200);
    expect((await act({ action: 'confirm-decision', regime: 'gdpr-art33' }, 'lena.dpo')).status).toBe(200);
    const created = await api('POST', `/api/incidents/${incidentId}/notices`, {
      kind: 'gdpr-people',
      language: 'en',
      fields: { nature: 'An attacker exported our customer table.', 'likely-consequences': 'Phishing.', 'measures-taken': 'We reset passwords.', 'what-to-do': 'Change your password now.' },
    });
    expect(created.status).toBe(201);
    const noticeId = created.body.notice.noticeId as string;
    const notice = `/api/incidents/${incidentId}/notices/${noticeId}`;
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `person${i}@example.com`);
    const upload = await api('PUT', `${notice}/recipients`, ['email', ...addresses].join('\n'), 'dana.dpo', 'text/csv');
    expect(upload.body.recipients).toMatchObject({ valid: RECIPIENTS });
    const review = (await api('GET', notice)).body;
    const approved = await api('POST', `${notice}/actions`, { action: 'approve', expectedVersion: review.notice.version, expectedContentHash: review.contentHash, expectedRecipientsHash: review.recipients.sha256 }, 'lena.dpo');
    expect(approved.body.notice.status).toBe('approved');
    expect((await api('POST', `${notice}/actions`, { action: 'send' })).status).toBe(200);

    // Mid-send: some sent, most not.
    const before = await waitFor(async () => {
      const progress = (await api('GET', notice)).body.progress;
      return progress && progress.sent >= 30 ? progress : undefined;
    }, 'the first sends', { timeoutMs: 30_000, intervalMs: 20 });
    await killGroup();
    expect(before.sent).toBeLessThan(RECIPIENTS);

    // Same data directory; nothing re-planned by hand. Virtual time moves past the send queue's visibility
    // timeout and the send lease (as a later restart would find them passed).
    const restarted = await start();
    expect((await api('POST', '/local/clock/advance', { by: '10m' })).status).toBe(200);
    let last: any;
    const done = await waitFor(async () => {
      const view = (last = (await api('GET', notice)).body);
      return view.notice.status === 'sent' && view.progress.delivered === view.progress.sent ? view : undefined;
    }, 'the send to finish after the restart', { timeoutMs: 180_000, intervalMs: 200 }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify({ status: last?.notice?.status, progress: last?.progress, queue: (await api('GET', '/local/send-queue')).body })}\n${restarted.join('').slice(-3000)}`);
    });

    const emails = (await api('GET', '/local/ses')).body.emails as { destination: { to: string[] } }[];
    const timesEmailed = new Map<string, number>();
    for (const email of emails) for (const to of email.destination.to) timesEmailed.set(to, (timesEmailed.get(to) ?? 0) + 1);
    const parked = new Set((done.needsReview as { line: number; status: string }[]).filter((entry) => entry.status === 'unknown').map((entry) => addresses[entry.line - 2]!));

    expect([...timesEmailed.values()].filter((times) => times > 1)).toEqual([]);
    expect(addresses.filter((address) => !timesEmailed.has(address) && !parked.has(address))).toEqual([]);
    expect(done.progress).toMatchObject({ planned: RECIPIENTS, failed: 0, duplicates: 0, parked: parked.size, percent: 100 });
    expect(done.progress.sent + done.progress.parked).toBe(RECIPIENTS);
    // Counted sent = emailed and not parked: the captured mail and the counters agree exactly.
    expect(done.progress.sent).toBe([...timesEmailed.keys()].filter((address) => !parked.has(address)).length);
    // Delivery confirmations of the emails captured before the kill were not lost.
    expect(done.progress.delivered).toBe(done.progress.sent);
    expect((await api('GET', '/local/send-queue')).body).toMatchObject({ queued: 0, dead: 0 });
  }, 300_000);
});
