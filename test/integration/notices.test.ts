import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DynamoDeliveryStore } from '../../lambdas/adapters/dynamo/dynamo-delivery-store.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DynamoNoticeStore } from '../../lambdas/adapters/dynamo/dynamo-notice-store.js';
import { SesEmailSender } from '../../lambdas/adapters/notices/ses-email-sender.js';
import { TokenBucket } from '../../lambdas/adapters/notices/token-bucket.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { actOnNotice, attachUploadedRecipients, draftNoticeFor, noticeView, planNoticeSends, RecipientListChangedError, recordProviderEvent, sendChunk, uploadRecipients, type NoticeDeliveryDeps } from '../../lambdas/app/notices.js';
import { RecipientsChangedError, type Notice } from '../../lambdas/domain/notices/notice.js';
import { createHash } from 'node:crypto';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { handleSlashCommand, runSlackJob, type SlackDeps } from '../../lambdas/app/slack-interactions.js';
import { parseRoleMap } from '../../lambdas/domain/roles.js';
import { RecordingSlackWebApi } from '../../local/recording-slack-api.js';
import { regimeClocks } from '../../lambdas/domain/regimes/engine.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import type { EmailSender } from '../../lambdas/ports/notice-delivery.js';
import { EncryptedFileListStore, ObjectExistsError } from '../../local/encrypted-file-list-store.js';
import { LocalSendQueue } from '../../local/local-send-queue.js';
import { startLocalSes, type LocalSes } from '../../local/local-ses.js';
import { RecordingSmsSender } from '../../local/recording-sms-sender.js';
import { freshTable } from '../support/dynamo.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';

const WORDS = {
  nature: 'An attacker used a stolen API key to export the customer table.',
  'likely-consequences': 'Phishing e-mails using your name and address.',
  'measures-taken': 'We revoked the key and reset all passwords.',
  'what-to-do': 'Change your password and watch out for phishing.',
};

async function capturedEmails(ses: LocalSes): Promise<{ destination: { to: string[] }; subject: string; body: { html?: string; text?: string } }[]> {
  return ((await (await fetch(`${ses.url}/store`)).json()) as { emails: never[] }).emails;
}

describe('notices on DynamoDB Local and the local SES v2 emulator', () => {
  let ses: LocalSes;
  let store: DynamoIncidentStore;
  let deps: NoticeDeliveryDeps;
  let queue: LocalSendQueue;
  let clock: FakeClock;
  let listDir: string;
  let planning: Promise<unknown>[];

  beforeAll(async () => {
    ses = await startLocalSes();
  });
  afterAll(async () => {
    await ses.stop();
  });

  beforeEach(async () => {
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    const table = await freshTable();
    store = table.store;
    clock = new FakeClock(T0);
    listDir = mkdtempSync(join(tmpdir(), 'lists-'));
    queue = new LocalSendQueue({ concurrency: 2, retryDelayMs: 20 });
    planning = [];
    deps = {
      store,
      notices: new DynamoNoticeStore(table.doc, table.tableName, store),
      deliveries: new DynamoDeliveryStore(table.doc, table.tableName),
      clock,
      ladder: DEFAULT_LADDER,
      organisation: { name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } },
      lists: await EncryptedFileListStore.create(listDir),
      queue,
      planner: { start: async (ref) => void planning.push(planNoticeSends(deps, ref)) },
      email: new SesEmailSender(ses.client, { from: 'privacy@shopwise.example', configurationSet: 'breachclock' }),
      sms: new RecordingSmsSender(undefined, clock),
      rate: new TokenBucket(1000),
      listRetentionDays: 30,
      chunkSize: 3,
    };
    queue.consume((chunk) => sendChunk(deps, chunk));
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Customer table exported', severity: 'critical', observedAt: T0.toISOString() });
  });

  afterEach(() => rmSync(listDir, { recursive: true, force: true }));

  /** An approval of the notice as its view shows it now (what the approver reads), naming the version read. */
  async function approving(incidentId: string, noticeId: string, expectedVersion: number) {
    const view = await noticeView(deps, incidentId, noticeId);
    return { type: 'approve' as const, expectedVersion, expectedContentHash: view.contentHash, ...(view.recipients ? { expectedRecipientsHash: view.recipients.sha256 } : {}) };
  }

  const act = (action: Parameters<typeof actOnIncident>[2], actor: string) => actOnIncident({ ...deps, store }, 'INC-T-1', action, actor);

  async function decidedHighRisk(): Promise<void> {
    clock.set(hoursAfter(T0, 1));
    await act({ type: 'confirm', awareAt: hoursAfter(T0, 1).toISOString(), justification: 'Forensics confirmed the export' }, 'dana');
    await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 6 }], dataCategories: ['contact', 'credentials', 'payment'], peopleCategories: ['customers'] } }, 'rita');
    await act({ type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords and card data exfiltrated' }, 'dana');
    await act({ type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk: notify the authority and the people' }, 'dana');
    await act({ type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena');
  }

  /** A people notice with its list uploaded, then approved: the list is part of what is approved (issue 24.3). */
  async function approvedPeopleNotice(list: string): Promise<{ noticeId: string; uploaded: Notice }> {
    await decidedHighRisk();
    const draft = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', language: 'en', fields: WORDS }, 'dana');
    const uploaded = await uploadRecipients(deps, 'INC-T-1', draft.noticeId, Readable.from([list]), 'rita');
    await actOnNotice(deps, 'INC-T-1', draft.noticeId, await approving('INC-T-1', draft.noticeId, 1), 'lena');
    return { noticeId: draft.noticeId, uploaded };
  }

  const csv = [
    'email,name,language',
    'Anna@Example.com,Anna,en',
    'not-an-address,Bob,en',
    'carl@example.com,Carl,',
    'anna@example.com,Anna again,en', // the same address: one send
    'dora@example.org,Dora,fr', // another language: its own notice
    'emil@example.net,"Emil, Jr.",en',
    'fay@example.net,Fay,en',
    'gus@example.net,Gus,en',
  ].join('\n');

  it("a list's region column is counted per jurisdiction for the officer to confirm; the facts stay as recorded (issue 28.1)", async () => {
    await decidedHighRisk();
    const draft = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', language: 'en', fields: WORDS }, 'dana');
    const list = ['email,region', 'a@example.com,DE', 'b@example.com,fr', 'c@example.com,US-TX', 'd@example.com,TX', 'e@example.com,', 'f@example.com,IE'].join('\n');
    const uploaded = await uploadRecipients(deps, 'INC-T-1', draft.noticeId, Readable.from([list]), 'rita');
    expect(uploaded.recipients).toMatchObject({ rows: 6, valid: 5, invalid: 1, errors: [{ line: 5, column: 'region', message: 'region "TX": a US state is written as its ISO 3166-2 code, US-TX' }] });
    expect(uploaded.recipients!.regions).toEqual({ byJurisdiction: { EU: 3, 'US-TX': 1 }, withoutRegion: 1, readAsCountries: { DE: 1 } });
    // Stored with the notice; the incident's facts are not changed by an upload.
    const view = await noticeView(deps, 'INC-T-1', draft.noticeId);
    expect(view.notice.recipients!.regions!.byJurisdiction).toEqual({ EU: 3, 'US-TX': 1 });
    // The view says where the list and the facts differ; the incident's facts are not changed by an upload.
    expect(view.recipients!.regions!.differFromFacts).toEqual([{ code: 'EU', list: 3, facts: 6 }, { code: 'US-TX', list: 1, facts: null }]);
    expect((await store.getIncident('INC-T-1'))!.facts!.jurisdictions).toEqual([{ code: 'EU', affected: 6 }]);
  });

  it('alert → facts → risk → decision → draft → upload → approve → send: each person emailed once, deliveries recorded, 100 %', async () => {
    const { noticeId, uploaded } = await approvedPeopleNotice(csv);
    expect(uploaded.recipients).toMatchObject({ rows: 8, valid: 6, invalid: 2 });
    expect(uploaded.recipients!.errors).toEqual([
      { line: 3, column: 'email', message: 'not a valid email address' },
      { line: 6, column: 'language', message: 'this notice is not available in "fr" (available: en); draft the notice in that language for these rows' },
    ]);

    await actOnNotice(deps, 'INC-T-1', noticeId, { type: 'start-sending' }, 'dana');
    await Promise.all(planning);
    await queue.idle();

    const emails = await capturedEmails(ses);
    expect(emails.map((e) => e.destination.to[0]).sort()).toEqual(['anna@example.com', 'carl@example.com', 'emil@example.net', 'fay@example.net', 'gus@example.net']);
    expect(emails[0]!.subject).toBe('Important: a data breach affecting your personal data (Shopwise GmbH)');
    expect(emails[0]!.body.html).toContain('Change your password and watch out for phishing.');

    expect(await ses.relay((event) => recordProviderEvent(deps, event))).toBe(5);
    const view = await noticeView(deps, 'INC-T-1', noticeId);
    expect(view.notice.status).toBe('sent');
    expect(view.progress).toMatchObject({ planned: 6, sent: 5, delivered: 5, duplicates: 1, failed: 0, parked: 0, percent: 100 });
    // A bounce reported after the delivery replaces it in the count, once.
    const bounced = { eventType: 'Bounce', mail: { messageId: (emails[0] as unknown as { messageId: string }).messageId }, bounce: { bounceType: 'Permanent', bounceSubType: 'General' } };
    expect(await recordProviderEvent(deps, bounced)).toBe('recorded');
    await recordProviderEvent(deps, bounced);
    expect((await noticeView(deps, 'INC-T-1', noticeId)).progress).toMatchObject({ sent: 5, delivered: 4, bounced: 1 });
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['notice.drafted', 'notice.approved', 'notice.recipients-uploaded', 'notice.sending', 'notice.queued', 'notice.sent']));
    // the list is deleted once sent: the delivery records are the proof
    await expect(deps.lists.open(uploaded.recipients!.objectKey)).rejects.toThrow();

    // A redelivered chunk and a second planning run send nothing more.
    await sendChunk(deps, { incidentId: 'INC-T-1', noticeId, index: 0, recipients: [{ line: 2, email: 'anna@example.com' }] });
    expect(await capturedEmails(ses)).toHaveLength(5);
  });

  it('a crash between send and record never sends twice: the outcome is parked for review, and SES settles it', async () => {
    const { noticeId } = await approvedPeopleNotice('email\nanna@example.com\nbert@example.com\n');
    const real = deps.email;
    let calls = 0;
    // The first send reaches SES, then the connection drops before its answer arrives.
    const flaky: EmailSender = {
      async send(email) {
        calls++;
        const result = await real.send(email);
        if (calls === 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return result;
      },
    };
    deps = { ...deps, email: flaky };
    queue.consume((chunk) => sendChunk(deps, chunk));
    await actOnNotice(deps, 'INC-T-1', noticeId, { type: 'start-sending' }, 'dana');
    await Promise.all(planning);
    await queue.idle();
    // again, as a redelivery would
    await sendChunk(deps, { incidentId: 'INC-T-1', noticeId, index: 0, recipients: [{ line: 2, email: 'anna@example.com' }, { line: 3, email: 'bert@example.com' }] });

    expect((await capturedEmails(ses)).map((e) => e.destination.to[0])).toEqual(['anna@example.com', 'bert@example.com']);
    let view = await noticeView(deps, 'INC-T-1', noticeId);
    expect(view.progress).toMatchObject({ sent: 1, parked: 1, percent: 100 });
    expect(view.notice.status).toBe('sent');
    const parked = await deps.deliveries.listDeliveries({ incidentId: 'INC-T-1', noticeId }, { statuses: ['unknown'] });
    expect(parked).toEqual([expect.objectContaining({ line: 2, maskedAddress: 'a***@example.com', lastError: 'outcome unknown: TimeoutError' })]);

    // A worker that died while holding a claim: after the lease its send is parked too, not repeated.
    const ref = { incidentId: 'INC-T-1', noticeId };
    expect(await deps.deliveries.claim(ref, 'f'.repeat(40), { line: 9, channel: 'email', maskedAddress: 'z***@x.example' }, clock.now(), 60_000)).toEqual({ outcome: 'claimed', attempts: 1 });
    expect(await deps.deliveries.claim(ref, 'f'.repeat(40), { line: 9, channel: 'email', maskedAddress: 'z***@x.example' }, clock.now(), 60_000)).toEqual({ outcome: 'busy' });
    clock.set(new Date(clock.now().getTime() + 61_000));
    expect(await deps.deliveries.claim(ref, 'f'.repeat(40), { line: 9, channel: 'email', maskedAddress: 'z***@x.example' }, clock.now(), 60_000)).toEqual({ outcome: 'parked' });

    // The relay reports line 3's delivery (its message id was recorded); line 2's id was never recorded.
    await ses.relay((event) => recordProviderEvent(deps, event));
    view = await noticeView(deps, 'INC-T-1', noticeId);
    expect(view.progress).toMatchObject({ sent: 1, delivered: 1, parked: 2 }); // line 2, and the expired lease of line 9 above
    // SES's own event for line 2 carries the tags the sender set (as on AWS): it settles the parked send once.
    const anna = (await capturedEmails(ses)).find((e) => e.destination.to[0] === 'anna@example.com') as unknown as { messageId: string };
    const tags = { incidentId: ['INC-T-1'], noticeId: [noticeId], recipient: [parked[0]!.key] };
    const event = { eventType: 'Delivery', mail: { messageId: anna.messageId, tags }, delivery: { timestamp: clock.now().toISOString() } };
    expect(await recordProviderEvent(deps, event)).toBe('recorded');
    expect(await recordProviderEvent(deps, event)).toBe('recorded'); // a repeat changes nothing
    view = await noticeView(deps, 'INC-T-1', noticeId);
    expect(view.progress).toMatchObject({ sent: 2, delivered: 2, parked: 1 });
    expect((await deps.deliveries.listDeliveries({ incidentId: 'INC-T-1', noticeId }, { statuses: ['delivered'] })).map((d) => [d.line, d.messageId])).toContainEqual([2, anna.messageId]);
  });

  it('the audience is part of what is approved: an overwritten or replaced list is never sent to (issue 24.3, the reported defect)', async () => {
    await decidedHighRisk();
    const { noticeId } = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', language: 'en', fields: WORDS }, 'dana');
    // A one-person list, uploaded to its upload target and attached from there.
    const onePerson = 'email,name\nanna@example.com,Anna\n';
    const objectKey = `recipients/INC-T-1/${noticeId}/target-1.csv`;
    await (deps.lists as EncryptedFileListStore).put(objectKey, Readable.from([onePerson]), hoursAfter(T0, 720), { ifAbsent: true });
    const attached = await attachUploadedRecipients(deps, 'INC-T-1', noticeId, objectKey, 'rita');
    expect(attached.recipients).toMatchObject({ valid: 1, rows: 1, sha256: createHash('sha256').update(onePerson).digest('hex') });
    const view = await noticeView(deps, 'INC-T-1', noticeId);
    expect(view.recipients).toEqual({ sha256: attached.recipients!.sha256, valid: 1, rows: 1 });

    // An approval names the list it reviewed: none, or another, is a refusal that gives the list's hash.
    const contentOnly = { type: 'approve' as const, expectedVersion: 1, expectedContentHash: view.contentHash };
    await expect(actOnNotice(deps, 'INC-T-1', noticeId, contentOnly, 'lena')).rejects.toThrow(RecipientsChangedError);
    await expect(actOnNotice(deps, 'INC-T-1', noticeId, { ...contentOnly, expectedRecipientsHash: 'c'.repeat(64) }, 'lena')).rejects.toThrow(/changed since you reviewed it/);
    const approved = await actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'lena');
    expect(approved.approval?.recipients).toEqual({ sha256: attached.recipients!.sha256, valid: 1, rows: 1 });

    // The upload URL used again: the store refuses to overwrite the uploaded list, and the same upload is not attached twice.
    const attackers = 'email,name\nmallory@evil.example,M\ntrudy@evil.example,T\neve@evil.example,E\n';
    await expect((deps.lists as EncryptedFileListStore).put(objectKey, Readable.from([attackers]), hoursAfter(T0, 720), { ifAbsent: true })).rejects.toThrow(ObjectExistsError);
    await expect(attachUploadedRecipients(deps, 'INC-T-1', noticeId, objectKey, 'rita')).rejects.toThrow(/already attached/);
    expect((await noticeView(deps, 'INC-T-1', noticeId)).notice.status).toBe('approved');

    // Overwritten anyway (someone with write access to the store): planning checks the approved hash first and queues nothing.
    await deps.lists.put(objectKey, Readable.from([attackers]), hoursAfter(T0, 720));
    await actOnNotice(deps, 'INC-T-1', noticeId, { type: 'start-sending' }, 'dana');
    await expect(Promise.all(planning)).rejects.toThrow(RecipientListChangedError);
    await queue.idle();
    expect(await capturedEmails(ses)).toEqual([]);
    expect((await noticeView(deps, 'INC-T-1', noticeId)).notice.sending?.planned).toBeUndefined();
  });

  it('a list attached after approval voids the approval, said on the timeline; sending needs a new approval of that list', async () => {
    const { noticeId } = await approvedPeopleNotice('email\nanna@example.com\n');
    const three = await uploadRecipients(deps, 'INC-T-1', noticeId, Readable.from(['email\nmallory@evil.example\ntrudy@evil.example\neve@evil.example\n']), 'rita');
    expect(three.status).toBe('draft');
    expect(three.approval).toBeUndefined();
    await expect(actOnNotice(deps, 'INC-T-1', noticeId, { type: 'start-sending' }, 'dana')).rejects.toThrow(/not approved/);
    const timeline = (await store.getIncidentDetail('INC-T-1'))!.timeline.filter((e) => e.type === 'notice.recipients-uploaded');
    expect(timeline.at(-1)).toMatchObject({ summary: expect.stringMatching(/3 valid.*list hash [0-9a-f]{64}; the approval by lena no longer holds/), data: expect.objectContaining({ approvalVoided: true, sha256: three.recipients!.sha256 }) });
    expect(await capturedEmails(ses)).toEqual([]);
  });

  it('POST record-submission without submittedAt records it at the API clock\'s now, the virtual time locally, not the caller\'s (issue 25.4)', async () => {
    await decidedHighRisk();
    const fields = { ...WORDS, 'approx-records': '6 rows', 'measures-proposed': 'Rotate keys monthly', 'how-discovered': 'Datadog alert', safeguards: 'bcrypt', 'occurred-at': 'unknown yet' };
    const { noticeId } = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-authority', fields }, 'dana');
    // The local stack's clock runs days ahead of the machine's (npx breachclock advance 3d): approval at virtual time.
    clock.set(hoursAfter(T0, 30));
    await actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'lena');
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, notices: deps });
    const answer = await api(
      httpEvent('POST', `/api/incidents/INC-T-1/notices/${noticeId}/actions`, { body: { action: 'record-submission', reference: 'DPC-2026-0815' }, headers: { authorization: 'Bearer t', 'x-actor': 'dana' }, routeKey: 'ANY /api/{proxy+}' }),
      lambdaContext,
    );
    expect(answer.statusCode).toBe(200);
    expect(parse(answer).notice.submission).toMatchObject({ submittedAt: hoursAfter(T0, 30).toISOString(), reference: 'DPC-2026-0815' });
  });

  it('a German notice whose text was copied from the English one cannot be approved: 409 naming each element and language (issue 26.2)', async () => {
    await decidedHighRisk();
    await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', language: 'en', fields: WORDS }, 'dana');
    const german = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', language: 'de', fields: { ...WORDS, 'what-to-do': 'Ändern Sie Ihr Passwort und achten Sie auf Phishing.' } }, 'dana');
    const view = await noticeView(deps, 'INC-T-1', german.noticeId);
    expect(view.draft.missing.map((m) => `${m.id} ${m.language} ${m.written}`)).toEqual(['nature de en', 'likely-consequences de en', 'measures-taken de en']);
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, notices: deps });
    const refused = parse(
      await api(httpEvent('POST', `/api/incidents/INC-T-1/notices/${german.noticeId}/actions`, { body: { action: 'approve', expectedVersion: 1, expectedContentHash: view.contentHash }, headers: { authorization: 'Bearer t', 'x-actor': 'lena' }, routeKey: 'ANY /api/{proxy+}' }), lambdaContext),
    );
    expect(refused.error.code).toBe('incomplete');
    expect(refused.error.details).toContainEqual({ path: 'fields.nature', message: expect.stringMatching(/^missing: What happened \(GDPR Art\. 34\(2\) \(nature of the breach\)\) in de, not en$/) });
  });

  it('lateness is judged at submission through the API (issue 26.4): approved at 60 h, submitted at 90 h without reasons is 409, on the notice and on the incident', async () => {
    await decidedHighRisk(); // aware at 1 h: due at 73 h
    const fields = { ...WORDS, 'approx-records': '6 rows', 'measures-proposed': 'Rotate keys monthly', 'how-discovered': 'Datadog alert', safeguards: 'bcrypt', 'occurred-at': 'unknown yet' };
    const { noticeId } = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-authority', fields }, 'dana');
    clock.set(hoursAfter(T0, 60));
    await actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'lena');
    clock.set(hoursAfter(T0, 91));
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, notices: deps });
    const post = (path: string, body: Record<string, unknown>) =>
      api(httpEvent('POST', path, { body, headers: { authorization: 'Bearer t', 'x-actor': 'dana' }, routeKey: 'ANY /api/{proxy+}' }), lambdaContext);
    const submittedAt = hoursAfter(T0, 90).toISOString();

    const onNotice = await post(`/api/incidents/INC-T-1/notices/${noticeId}/actions`, { action: 'record-submission', submittedAt, reference: 'DPC-2026-0815' });
    expect(onNotice.statusCode).toBe(409);
    expect(JSON.stringify(parse(onNotice))).toMatch(/after its deadline .*no reasons for the delay/);
    // The incident's own record-submission (a report made outside breachclock) is judged the same way.
    const incidentPath = '/api/incidents/INC-T-1/actions';
    const bare = await post(incidentPath, { action: 'record-submission', regime: 'gdpr-art33', obligation: 'authority-notification', submittedAt, reference: 'DPC-2026-0815' });
    expect(bare.statusCode).toBe(409);
    expect(JSON.stringify(parse(bare))).toMatch(/after its deadline .*GDPR Art\. 33\(1\).*reasons for the delay.*reasonsForDelay/);
    // Nothing was written: the clock still runs (overdue), no submission.
    expect((await store.getIncident('INC-T-1'))!.submissions).toBeUndefined();

    const withReasons = await post(incidentPath, { action: 'record-submission', regime: 'gdpr-art33', obligation: 'authority-notification', submittedAt, reference: 'DPC-2026-0815', reasonsForDelay: 'The hosting provider took four days to hand over the forensic image.' });
    expect(withReasons.statusCode).toBe(200);
    const incident = (await store.getIncident('INC-T-1'))!;
    expect(incident.submissions?.['gdpr-art33/authority-notification']).toMatchObject({ submittedAt, reasonsForDelay: 'The hosting provider took four days to hand over the forensic image.' });
    expect(regimeClocks(RULE_PACKS, incident, incident.facts, clock.now())[0]).toMatchObject({ regime: 'gdpr-art33', status: 'submitted', submission: { late: true } });
  });

  it('US residents in CA, TX, FL and MA (issue 28.5): the API lists the variants, a draft per variant, MA\'s variant without the nature of the breach or the number of residents', async () => {
    clock.set(hoursAfter(T0, 1));
    await act({ type: 'confirm', awareAt: hoursAfter(T0, 1).toISOString(), justification: 'Forensics confirmed the export' }, 'dana');
    const jurisdictions = [{ code: 'US-CA', affected: 900 }, { code: 'US-TX', affected: 300 }, { code: 'US-FL', affected: 600 }, { code: 'US-MA', affected: 120 }] as const;
    await act({ type: 'record-facts', facts: { jurisdictions: [...jurisdictions], dataCategories: ['contact', 'government-id'], role: 'controller', lawEnforcementDelay: false } }, 'rita');
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, notices: deps });
    const call = (method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) =>
      api(httpEvent(method, path, { ...(body ? { body } : {}), headers: { authorization: 'Bearer t', 'x-actor': 'dana' }, routeKey: 'ANY /api/{proxy+}' }), lambdaContext);

    const listed = parse(await call('GET', '/api/incidents/INC-T-1/notices')) as { usResidentVariants: { variants: { states: string[]; why: string; omits: { id: string }[] }[]; ownPacks: unknown[] } };
    expect(listed.usResidentVariants.ownPacks).toEqual([{ code: 'US-CA', kind: 'california-resident' }]);
    expect(listed.usResidentVariants.variants.map((v) => v.states)).toEqual([['US-FL', 'US-MA', 'US-TX']]);
    expect(listed.usResidentVariants.variants[0]!.why).toContain('US-MA forbids `nature`');

    const refused = await call('POST', '/api/incidents/INC-T-1/notices', { kind: 'us-resident', states: ['US-FL', 'US-MA', 'US-TX'], fields: { nature: 'An attacker exported the customer table.' } });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(parse(refused))).toMatch(/must not carry `nature`/);

    // Text for an element none of the three states asks for would be kept and never printed (the reported defect): refused.
    const dropped = await call('POST', '/api/incidents/INC-T-1/notices', { kind: 'us-resident', states: ['US-FL', 'US-MA', 'US-TX'], fields: { 'what-to-do': WORDS['what-to-do'] } });
    expect(dropped.statusCode).toBe(400);
    expect(JSON.stringify(parse(dropped))).toMatch(/fields\.what-to-do.*is not an element of .*Florida, Massachusetts, Texas: it would not be printed/);
    const created = await call('POST', '/api/incidents/INC-T-1/notices', { kind: 'us-resident', states: ['US-FL', 'US-MA', 'US-TX'], fields: { 'parent-company': 'Shopwise Holdings Inc.' } });
    expect(created.statusCode).toBe(201);
    const view = parse(created) as { pack: { name: string }; draft: { elements: { id: string }[]; missing: { id: string }[]; rendered: { text: string } } };
    expect(view.pack.name).toMatch(/Florida, Massachusetts, Texas/);
    expect(view.draft.elements.map((e) => e.id)).not.toContain('nature');
    expect(view.draft.elements.map((e) => e.id)).not.toContain('approx-people');
    expect(view.draft.missing.map((m) => m.id)).toEqual(expect.arrayContaining(['police-report', 'security-freeze']));
    expect(view.draft.rendered.text).not.toMatch(/What Happened|Number of individuals/);
    // California's residents: its own hand-written pack, beside the variant.
    expect((await call('POST', '/api/incidents/INC-T-1/notices', { kind: 'california-resident' })).statusCode).toBe(201);
  });

  it('the authority notice: submission recorded with the reference stops the GDPR clock in the same write', async () => {
    await decidedHighRisk();
    const { noticeId } = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-authority', fields: { ...WORDS, 'approx-records': '6 rows', 'measures-proposed': 'Rotate keys monthly', 'how-discovered': 'Datadog alert on export volume' } }, 'dana');
    await expect(actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'dana')).rejects.toThrow(/Four eyes/);
    await expect(actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'lena')).rejects.toThrow(/Safeguards in place/);
    await actOnNotice(deps, 'INC-T-1', noticeId, { type: 'edit', fields: { safeguards: 'Passwords were hashed with bcrypt; card data tokenised', 'occurred-at': 'Between 26 March 2026 and the detection (logs under review)' }, expectedVersion: 1 }, 'dana');
    await actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 2), 'lena');
    // the approval is on the incident in the same write: the ladder's 48-hour "no approved notice" step is cancelled
    expect((await store.getIncident('INC-T-1'))!.noticeApprovedAt).toBeDefined();
    expect((await store.listTimers('INC-T-1')).find((t) => t.stepId === 'no-approved-notice-48h')!.status).toBe('cancelled');
    clock.set(hoursAfter(T0, 20));
    await actOnNotice(deps, 'INC-T-1', noticeId, { type: 'record-submission', submittedAt: hoursAfter(T0, 19).toISOString(), reference: 'DPC-2026-0815' }, 'dana');

    const incident = (await store.getIncident('INC-T-1'))!;
    expect(incident.notifiedAt).toBe(hoursAfter(T0, 19).toISOString());
    expect(regimeClocks(RULE_PACKS, incident, incident.facts, clock.now())[0]).toMatchObject({ regime: 'gdpr-art33', status: 'submitted', submission: { reference: 'DPC-2026-0815', noticeId } });
    const versions = await deps.notices.listVersions('INC-T-1', noticeId);
    expect(versions.map((v) => [v.version, v.by, v.changed])).toEqual([
      [1, 'dana', ['nature', 'likely-consequences', 'measures-taken', 'what-to-do', 'approx-records', 'measures-proposed', 'how-discovered']],
      [2, 'dana', ['safeguards', 'occurred-at']],
    ]);
    // the ladder's "not submitted" steps are cancelled with the submission
    const timers = await store.listTimers('INC-T-1');
    expect(timers.filter((t) => ['not-submitted-66h', 'overdue-72h'].includes(t.stepId)).map((t) => t.status)).toEqual(expect.not.arrayContaining(['pending']));
  });

  it('two approvals at once: one wins, the other is told who approved', async () => {
    await decidedHighRisk();
    const { noticeId } = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', fields: WORDS }, 'dana');
    const results = await Promise.allSettled([
      actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'lena'),
      actOnNotice(deps, 'INC-T-1', noticeId, await approving('INC-T-1', noticeId, 1), 'omar'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/already approved by (lena|omar)/);
  });

  it('Slack: /breach approve and /breach submitted act on a notice, with roles, four eyes and the answer in the thread', async () => {
    await decidedHighRisk();
    const fields = { ...WORDS, 'approx-records': '6 rows', 'measures-proposed': 'Rotate keys', safeguards: 'bcrypt', 'occurred-at': 'unknown yet' };
    const { noticeId } = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-authority', fields }, 'Dana [cognito:dana-sub]');
    const web = new RecordingSlackWebApi(clock);
    const slack: SlackDeps = {
      store,
      clock,
      ladder: DEFAULT_LADDER,
      roles: parseRoleMap({ users: { U0DPO1: ['dpo'], U0DPO2: ['dpo'], U0DPO3: ['dpo'], U0RESP: ['responder'] }, accounts: { U0DPO1: 'cognito:dana-sub', U0DPO2: 'cognito:omar-sub' } }),
      web,
      once: async () => true,
      notices: deps,
      enqueue: async (job) => runSlackJob(slack, job),
    };
    const command = (user: string, text: string) =>
      handleSlashCommand(slack, new URLSearchParams({ user_id: user, user_name: user === 'U0DPO1' ? 'Dana' : 'Omar', text, response_url: 'https://hooks.slack.test/r' }));

    expect((await command('U0RESP', `approve INC-T-1 ${noticeId}`)).text).toMatch(/Only the DPO may approve notice/);
    // A Slack user not linked to a breachclock account may not take a four-eyes step in Slack (issue 11.1).
    expect((await command('U0DPO3', `approve INC-T-1 ${noticeId}`)).text).toMatch(/link your Slack user to your breachclock account/);
    // Without a hash the answer is the notice as it would be sent and its content hash: reading comes first (issue 24.2).
    const review = (await command('U0DPO2', `approve INC-T-1 ${noticeId}`)).text;
    const { contentHash } = await noticeView(deps, 'INC-T-1', noticeId);
    expect(review).toContain(`*Content hash:* \`${contentHash}\``);
    expect(review).toContain(WORDS.nature);
    expect(review).toContain(`/breach approve INC-T-1 ${noticeId} ${contentHash}`);
    expect((await store.getIncident('INC-T-1'))!.noticeApprovedAt).toBeUndefined();
    expect((await command('U0DPO2', `approve INC-T-1 ${noticeId} abc`)).text).toMatch(/is not a content hash/);
    await command('U0DPO1', `approve INC-T-1 ${noticeId} ${contentHash}`);
    expect(web.responses.at(-1)!.text).toMatch(/Four eyes: Dana \[cognito:dana-sub\] created or edited this notice/);
    await command('U0DPO2', `approve INC-T-1 ${noticeId} ${'0'.repeat(64)}`);
    expect(web.responses.at(-1)!.text).toMatch(/not what you reviewed/);
    await command('U0DPO2', `approve INC-T-1 ${noticeId} ${contentHash}`);
    expect(web.responses.at(-1)!.text).toMatch(/^Done: approve on notice .* \(now approved\)/);
    await command('U0DPO2', `submitted INC-T-1 ${noticeId} DPC-2026-0815`);
    expect(web.responses.at(-1)!.text).toMatch(/now submitted/);
    expect((await command('U0DPO1', 'notices INC-T-1')).text).toMatch(/gdpr-authority \(en\) · submitted · version 1 · approved by Omar \[cognito:omar-sub\] · ref DPC-2026-0815/);
    expect((await store.getIncident('INC-T-1'))!.submissions!['gdpr-art33/authority-notification']!.reference).toBe('DPC-2026-0815');

    // One person across channels: Dana writes a notice in the API (her Cognito account) and tries to approve
    // it from Slack, where her Slack user is linked to the same account: refused as four eyes.
    const second = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-authority', fields }, 'dana@shop.example [cognito:dana-sub]');
    await command('U0DPO1', `approve INC-T-1 ${second.noticeId} ${(await noticeView(deps, 'INC-T-1', second.noticeId)).contentHash}`);
    expect(web.responses.at(-1)!.text).toMatch(/Four eyes: .*\[cognito:dana-sub\] created or edited this notice .* and cannot also approve it/);
  });

  it('the local SES relay offers an email again until its send is recorded (a relay tick between capture and record)', async () => {
    const { messageId } = await deps.email.send({ to: 'early@example.com', subject: 'Notice', text: 'A notice body', tags: {} });
    // Captured by the emulator, not yet recorded by the sender: nothing to record yet, but not forgotten.
    expect(await ses.relay((event) => recordProviderEvent(deps, event))).toBe(0);
    const ref = { incidentId: 'INC-T-1', noticeId: 'NTC-gdpr-people-relay' };
    const key = 'a'.repeat(40);
    await deps.deliveries.claim(ref, key, { line: 2, channel: 'email', maskedAddress: 'e***@example.com' }, clock.now(), 60_000);
    await deps.deliveries.markSent(ref, key, messageId, clock.now());
    expect(await ses.relay((event) => recordProviderEvent(deps, event))).toBe(1);
    expect(await deps.deliveries.progress(ref)).toMatchObject({ sent: 1, delivered: 1 });
  });
});
