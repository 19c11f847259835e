import { LocalStackProcess } from '../support/local-stack-process.js';
import { waitFor } from '../support/wait.js';

const RECIPIENTS = 200;

/**
 * Issue 27.1: `npm start`'s process group is killed with SIGKILL in the middle of a notice's sends and started
 * again on the same data directory. Sending resumes by itself from the durable send queue; every affected
 * person is emailed exactly once or parked for review (never twice); the counters, the review list and the
 * mail the SES emulator captured (kept in the data directory) agree exactly.
 */
describe('a kill -9 during a send loses nobody (local stack as a process group)', () => {
  const stack = new LocalStackProcess('send-crash-e2e', {
    SES_SEND_RATE: '100',
    SEND_CONCURRENCY: '4',
    SEND_CHUNK_SIZE: '20',
    CLOCK_INTERVAL_MS: '1000',
    ORGANISATION: JSON.stringify({ name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } }),
  });
  const api = stack.api.bind(stack);

  afterAll(() => stack.stop(), 30_000);

  it('resumes after a restart: each person emailed once or parked for review, none twice, counters equal to the captured mail', async () => {
    await stack.start();
    const ingest = await fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
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
    await stack.killGroup();
    expect(before.sent).toBeLessThan(RECIPIENTS);

    // Same data directory; nothing re-planned by hand. Virtual time moves past the send queue's visibility
    // timeout and the send lease (as a later restart would find them passed).
    const restarted = await stack.start();
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
