import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);

/**
 * Notices as a compliance officer uses them on the local stack, over HTTP: alert → facts → risk → decision
 * → draft → approve → recipients → send → emails captured by the local SES v2 emulator → delivery events
 * recorded → progress at 100 %; and the authority notice recorded as submitted, which stops its clock.
 */
describe('notices end to end on the local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-notices-e2e-'));
  let stack: LocalStack;

  const api = async (method: string, path: string, body?: unknown, actor = 'dana.dpo', contentType = 'application/json') => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': contentType, 'x-actor': actor },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      dataDir,
      port: 0,
      clockIntervalMs: 200,
      streamIntervalMs: 50,
      env: { ORGANISATION: JSON.stringify({ name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } }), SES_SEND_RATE: '200' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drafts, approves with four eyes, sends to every affected person once through SES, records deliveries, and stops the clock on submission', async () => {
    // The local router: a malformed percent-encoding is a 400 (issue 15.5), not a 500.
    for (const target of ['/alerts/%ZZ', '/alerts/%E0%A4%A', '/api/incidents/%ff']) expect((await fetch(`${stack.url}${target}`, { method: 'POST' })).status).toBe(400);

    const ingest = await fetch(`${stack.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Customer table exported', severity: 'critical', fingerprint: 'db/customers/export', observedAt: new Date(Date.now() - 120_000).toISOString() }),
    });
    const ingested = (await ingest.json()) as { incidentId: string };
    expect(ingest.status).toBe(202);
    const { incidentId } = ingested;
    const act = (body: unknown, actor = 'dana.dpo') => api('POST', `/api/incidents/${incidentId}/actions`, body, actor);
    expect((await act({ action: 'confirm', awareAt: new Date(Date.now() - 60_000).toISOString(), justification: 'Forensics confirmed the export' })).status).toBe(200);
    expect((await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 40 }], dataCategories: ['contact', 'credentials'], peopleCategories: ['customers'] } })).status).toBe(200);
    expect((await act({ action: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords exfiltrated by an attacker' })).status).toBe(200);
    expect((await act({ action: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk to customers: notify' })).status).toBe(200);
    expect((await act({ action: 'confirm-decision', regime: 'gdpr-art33' }, 'lena.dpo')).status).toBe(200);

    const packs = await api('GET', '/api/notice-packs');
    expect(packs.body.packs.map((p: { kind: string }) => p.kind)).toContain('gdpr-people');

    // The notice to people, missing "what to do": it cannot be approved and says exactly why.
    const created = await api('POST', `/api/incidents/${incidentId}/notices`, {
      kind: 'gdpr-people',
      language: 'en',
      fields: { nature: 'An attacker exported our customer table.', 'likely-consequences': 'Phishing and password reuse attacks.', 'measures-taken': 'We revoked the key and reset passwords.' },
    });
    expect(created.status).toBe(201);
    const noticeId = created.body.notice.noticeId as string;
    expect(created.body.draft.missing).toEqual([expect.objectContaining({ id: 'what-to-do', label: 'What you can do' })]);
    // An approval names the content hash of the view the approver read (issue 24.2); without it the request is refused.
    const hashOf = async (id: string) => (await api('GET', `/api/incidents/${incidentId}/notices/${id}`)).body.contentHash as string;
    const unhashed = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 1 }, 'lena.dpo');
    expect(unhashed.status).toBe(400);
    expect(JSON.stringify(unhashed.body.error.details)).toMatch(/expectedContentHash/);
    const incomplete = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 1, expectedContentHash: await hashOf(noticeId) }, 'lena.dpo');
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.error.details).toEqual([expect.objectContaining({ path: 'fields.what-to-do' })]);

    const edited = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'edit', fields: { 'what-to-do': 'Change your password now.' }, expectedVersion: 1 });
    expect(edited.body.notice.version).toBe(2);
    expect((await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 2, expectedContentHash: await hashOf(noticeId) })).status).toBe(409); // four eyes
    const stale = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 2, expectedContentHash: 'e'.repeat(64) }, 'lena.dpo');
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('content_changed');
    expect((await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'send' })).body.error.message).toMatch(/not approved/);
    const approved = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 2, expectedContentHash: await hashOf(noticeId) }, 'lena.dpo');
    expect(approved.body.notice.status).toBe('approved');

    // A list too large for the API goes to its upload URL (a presigned S3 PUT on AWS), then is attached.
    const target = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/recipients/upload-url`, {});
    expect(target.body).toMatchObject({ method: 'PUT', objectKey: expect.stringMatching(new RegExp(`^recipients/${incidentId}/${noticeId}/`)) });
    const forged = new URL(target.body.url);
    forged.searchParams.set('key', `recipients/${incidentId}/${noticeId}/other.csv`);
    expect((await fetch(forged, { method: 'PUT', body: 'email\nx@example.com' })).status).toBe(403);
    expect((await fetch(target.body.url, { method: 'PUT', headers: target.body.headers, body: 'email\nearly@example.com\nlate@example.com\n' })).status).toBe(200);
    const attached = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/recipients`, { objectKey: target.body.objectKey });
    expect(attached.body.recipients).toMatchObject({ rows: 2, valid: 2, objectKey: target.body.objectKey, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The audience is part of what is approved (issue 24.3): a list attached after the approval voids it.
    expect(attached.body.status).toBe('draft');
    // The upload URL is single-use: it cannot overwrite the list it uploaded, and that upload is not attached twice.
    expect((await fetch(target.body.url, { method: 'PUT', headers: target.body.headers, body: 'email\nmallory@evil.example\ntrudy@evil.example\neve@evil.example\n' })).status).toBe(412);
    expect((await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/recipients`, { objectKey: target.body.objectKey })).status).toBe(409);
    expect((await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/recipients`, { objectKey: 'recipients/OTHER/x.csv' })).status).toBe(400);

    const rows = ['email,name', ...Array.from({ length: 40 }, (_, i) => `person${i}@example.com,Person ${i}`), 'person7@EXAMPLE.com,Again', 'broken-address,Nobody'].join('\n');
    const upload = await api('PUT', `/api/incidents/${incidentId}/notices/${noticeId}/recipients`, rows, 'dana.dpo', 'text/csv');
    expect(upload.status).toBe(200);
    expect(upload.body.recipients).toMatchObject({ rows: 42, valid: 41, invalid: 1, errors: [{ line: 43, message: 'not a valid email address' }] });
    // Approved again, naming the list the approver was shown: without its hash (or with another) it is refused.
    expect((await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'send' })).body.error.message).toMatch(/not approved/);
    const review = (await api('GET', `/api/incidents/${incidentId}/notices/${noticeId}`)).body;
    expect(review.recipients).toEqual({ sha256: upload.body.recipients.sha256, valid: 41, rows: 42 });
    const listless = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 2, expectedContentHash: review.contentHash }, 'lena.dpo');
    expect(listless.status).toBe(409);
    expect(listless.body.error).toMatchObject({ code: 'recipients_changed', details: [expect.objectContaining({ path: 'expectedRecipientsHash' })] });
    const reapproved = await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'approve', expectedVersion: 2, expectedContentHash: review.contentHash, expectedRecipientsHash: review.recipients.sha256 }, 'lena.dpo');
    expect(reapproved.body.notice.approval.recipients).toEqual({ sha256: review.recipients.sha256, valid: 41, rows: 42 });

    expect((await api('POST', `/api/incidents/${incidentId}/notices/${noticeId}/actions`, { action: 'send' })).status).toBe(200);
    const done = await waitFor(async () => {
      const view = await api('GET', `/api/incidents/${incidentId}/notices/${noticeId}`);
      return view.body.progress?.percent === 100 && view.body.progress.delivered === 40 ? view.body : undefined;
    }, 'all sends and their delivery events', { timeoutMs: 60_000, intervalMs: 100 });
    expect(done.notice.status).toBe('sent');
    expect(done.progress).toMatchObject({ planned: 41, sent: 40, delivered: 40, duplicates: 1, failed: 0, parked: 0 });
    const captured = await api('GET', '/local/ses');
    expect(captured.body.captured).toBe(40);
    expect(new Set(captured.body.emails.map((e: { destination: { to: string[] } }) => e.destination.to[0])).size).toBe(40);

    // The authority notice, submitted through the portal: recorded with the reference, its clock stops.
    const authority = await api('POST', `/api/incidents/${incidentId}/notices`, {
      kind: 'gdpr-authority',
      fields: {
        nature: 'An attacker exported our customer table.',
        'occurred-at': 'On the night of the alert (logs under review)',
        'approx-records': '40 rows',
        'likely-consequences': 'Phishing and password reuse.',
        'measures-taken': 'Key revoked, passwords reset.',
        'measures-proposed': 'Monthly key rotation.',
        safeguards: 'Passwords hashed with bcrypt.',
      },
    });
    const authorityId = authority.body.notice.noticeId as string;
    expect(authority.body.draft.missing).toEqual([]);
    await api('POST', `/api/incidents/${incidentId}/notices/${authorityId}/actions`, { action: 'approve', expectedVersion: 1, expectedContentHash: await hashOf(authorityId) }, 'lena.dpo');
    const submitted = await api('POST', `/api/incidents/${incidentId}/notices/${authorityId}/actions`, { action: 'record-submission', submittedAt: new Date().toISOString(), reference: 'DPC-2026-0815' });
    expect(submitted.body.notice.status).toBe('submitted');
    const incident = await api('GET', `/api/incidents/${incidentId}`);
    expect(incident.body.incident.clocks[0].status).toBe('met');
    expect(incident.body.incident.regimeClocks.find((c: { regime: string }) => c.regime === 'gdpr-art33')).toMatchObject({ status: 'submitted', submission: { reference: 'DPC-2026-0815' } });
    expect(incident.body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['notice.approved', 'notice.sent', 'notice.submitted', 'incident.submission-recorded']));

    // The same from the command line (npx breachclock), as JSON, with exit codes.
    const cli = (...args: string[]) => run(process.execPath, ['bin/breachclock.mjs', '--url', stack.url, '--token', stack.apiToken, ...args], { encoding: 'utf8' });
    const listed = JSON.parse((await cli('--json', 'notices', incidentId)).stdout) as { notices: { noticeId: string; status: string }[] };
    expect(listed.notices.map((n) => [n.noticeId, n.status])).toEqual([[noticeId, 'sent'], [authorityId, 'submitted']]);
    expect((await cli('verify', incidentId)).stdout).toMatch(/^trail intact: \d+ events/);
    // The approvals, the send and the submission were anchored outside the table (signed, append-only file), from
    // the outbox: once the stream has delivered them, verify says the trail agrees with its newest anchor.
    const anchored = async () => JSON.parse((await cli('--json', 'verify', incidentId)).stdout) as { ok: boolean; anchoring: { configured: boolean; anchors: number; newest: { agrees: boolean } | null } };
    let verified = await anchored();
    for (let i = 0; i < 50 && (verified.anchoring.anchors ?? 0) < 3; i++) verified = await new Promise((r) => setTimeout(r, 200)).then(anchored);
    expect(verified).toMatchObject({ ok: true, anchoring: { configured: true, newest: { agrees: true } } });
    expect(verified.anchoring.anchors).toBeGreaterThanOrEqual(3);

    // The deployment smoke test, here against the local stack: every check passes and the test incident is dismissed.
    const smoke = JSON.parse((await cli('--json', 'smoke', '--ingest-token', stack.ingestToken)).stdout) as { ok: boolean; dismissed: boolean; checks: { check: string; ok: boolean }[] };
    expect(smoke.checks.filter((c) => !c.ok)).toEqual([]);
    expect(smoke).toMatchObject({ ok: true, dismissed: true });
    expect(smoke.checks.map((c) => c.check)).toEqual(['GET /api/me', 'GET /api/openapi.json', 'GET /dashboard', 'POST /alerts/generic', 'GET the incident and its GDPR clock', 'verify its audit trail', 'dismiss the test incident']);
    // Response tasks from the command line (issue 16): take, "my tasks", complete with a note, a refused double completion.
    await cli('take', incidentId, 'common.scope');
    const mine = JSON.parse((await cli('--json', 'mytasks')).stdout) as { tasks: { id: string; incidentId: string }[] };
    expect(mine.tasks.map((t) => `${t.incidentId}/${t.id}`)).toEqual([`${incidentId}/common.scope`]);
    await cli('done', incidentId, 'common.scope', 'Scoped:', '40', 'customer', 'rows');
    expect((await cli('tasks', incidentId)).stdout).toMatch(/common\.scope\s+done .*\n\s+Establish what happened.* · done by .*: Scoped: 40 customer rows/);
    await expect(cli('done', incidentId, 'common.scope', 'again')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/409 task_conflict/) });
    // Approving from the CLI shows the notice as it would be sent and its hash; not at a terminal, it approves nothing without --hash.
    const shown = await cli('approve', incidentId, authorityId).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(shown).toMatchObject({ code: 2, stdout: expect.stringMatching(/An attacker|content hash [0-9a-f]{64}/), stderr: expect.stringMatching(/Not approved: .*--hash [0-9a-f]{64}/) });
    await expect(cli('approve', incidentId, noticeId, '--hash', await hashOf(noticeId))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/409 illegal_transition/) });
    await expect(cli('draft')).rejects.toMatchObject({ code: 2 });

    // A list with a region column (issue 28.1): the CLI shows the people per jurisdiction against the facts
    // and the command that would record them; the facts stay as they were until an officer runs it.
    const second = await api('POST', `/api/incidents/${incidentId}/notices`, { kind: 'gdpr-people', language: 'en', fields: { nature: 'An attacker exported our customer table.', 'likely-consequences': 'Phishing.', 'measures-taken': 'Key revoked.', 'what-to-do': 'Change your password.' } });
    const listFile = join(dataDir, 'regions.csv');
    writeFileSync(listFile, 'email,region\nr1@example.com,DE\nr2@example.com,IE\nr3@example.com,US-TX\nr4@example.com,\n');
    const factsBefore = (await api('GET', `/api/incidents/${incidentId}`)).body.incident.facts;
    const regions = (await cli('recipients', incidentId, second.body.notice.noticeId, listFile)).stdout;
    expect(regions).toMatch(/^by region: EU 2, US-TX 1; 1 without a region/m);
    expect(regions).toMatch(/^  US-TX: 1 in the list, not in the facts$/m);
    expect(regions).toMatch(new RegExp(`^to record the list's counts .*: breachclock facts ${incidentId} --affected .*US-TX=1`, 'm'));
    expect((await api('GET', `/api/incidents/${incidentId}`)).body.incident.facts).toEqual(factsBefore);

    // Another terminal needs no --url, PORT or token (issue 25.3): the CLI finds the stack running on the data
    // directory (its stack.json: URL and pid) and its token (local-settings.json).
    const env = { ...process.env };
    for (const name of ['PORT', 'BREACHCLOCK_URL', 'BREACHCLOCK_API_TOKEN']) delete env[name];
    const found = await run(process.execPath, ['bin/breachclock.mjs', '--data-dir', dataDir, 'list'], { encoding: 'utf8', env });
    expect(found.stdout).toContain(incidentId);
  }, 240_000);
});
