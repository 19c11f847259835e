import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDeliveryStore } from '../../lambdas/adapters/dynamo/dynamo-delivery-store.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DynamoNoticeLinkStore } from '../../lambdas/adapters/dynamo/dynamo-notice-link-store.js';
import { DynamoNoticeStore } from '../../lambdas/adapters/dynamo/dynamo-notice-store.js';
import { TokenBucket } from '../../lambdas/adapters/notices/token-bucket.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { actOnNotice, draftNoticeFor, noticeView, planNoticeSends, sendChunk, uploadRecipients, type NoticeDeliveryDeps } from '../../lambdas/app/notices.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import type { EmailSender, OutgoingEmail } from '../../lambdas/ports/notice-delivery.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { EncryptedFileListStore } from '../../local/encrypted-file-list-store.js';
import { LocalSendQueue } from '../../local/local-send-queue.js';
import { RecordingSmsSender } from '../../local/recording-sms-sender.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';
import { PDFDocument } from 'pdf-lib';
import { PdfLetterRenderer } from '../../lambdas/adapters/letters/pdf-letter-renderer.js';
import { EncryptedFileLetterStore } from '../../local/encrypted-file-letter-store.js';
import { RenderingLetterWriter } from '../../lambdas/app/letters.js';

const WORDS = {
  nature: 'An attacker used a stolen API key to export the customer table.',
  'likely-consequences': 'Phishing messages using your <name> & address.',
  'measures-taken': 'We revoked the key and reset all passwords.',
  'what-to-do': 'Change your password and watch out for phishing.',
};

class RecordingEmail implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return { messageId: `mail-${this.sent.length}` };
  }
}

describe('people without email get the whole notice (issue 26.5), on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let deps: NoticeDeliveryDeps;
  let table: Awaited<ReturnType<typeof freshTable>>;
  let queue: LocalSendQueue;
  let clock: FakeClock;
  let listDir: string;
  let planning: Promise<unknown>[];
  let email: RecordingEmail;
  let sms: RecordingSmsSender;
  let links: DynamoNoticeLinkStore;
  let letters: EncryptedFileLetterStore;

  beforeEach(async () => {
    table = await freshTable();
    store = table.store;
    clock = new FakeClock(T0);
    listDir = mkdtempSync(join(tmpdir(), 'reach-'));
    queue = new LocalSendQueue({ concurrency: 1, retryDelayMs: 20 });
    planning = [];
    email = new RecordingEmail();
    sms = new RecordingSmsSender(undefined, clock);
    links = new DynamoNoticeLinkStore(table.doc, table.tableName);
    letters = await EncryptedFileLetterStore.create(join(listDir, 'letters'), 30, clock);
    deps = {
      store,
      notices: new DynamoNoticeStore(table.doc, table.tableName, store),
      deliveries: new DynamoDeliveryStore(table.doc, table.tableName),
      clock,
      ladder: DEFAULT_LADDER,
      organisation: { name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' }, postalAddress: 'Hauptstraße 1, 10115 Berlin' },
      lists: await EncryptedFileListStore.create(listDir),
      queue,
      planner: { start: async (ref) => void planning.push(planNoticeSends(deps, ref)) },
      email,
      sms,
      rate: new TokenBucket(1000),
      listRetentionDays: 30,
      pages: { links, baseUrl: 'https://breach.example/n', linkDays: 90 },
      letters: new RenderingLetterWriter(letters, new PdfLetterRenderer()),
    };
    queue.consume((chunk) => sendChunk(deps, chunk));
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Customer table exported', severity: 'critical', observedAt: T0.toISOString() });
  });

  afterEach(() => rmSync(listDir, { recursive: true, force: true }));

  const act = (action: Parameters<typeof actOnIncident>[2], actor: string) => actOnIncident({ ...deps, store }, 'INC-T-1', action, actor);

  async function sentPeopleNotice(list: string): Promise<string> {
    clock.set(hoursAfter(T0, 1));
    await act({ type: 'confirm', awareAt: hoursAfter(T0, 1).toISOString(), justification: 'Forensics confirmed the export' }, 'dana');
    await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 3 }], dataCategories: ['contact', 'credentials'], peopleCategories: ['customers'] } }, 'rita');
    await act({ type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords exfiltrated' }, 'dana');
    await act({ type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk: notify the people' }, 'dana');
    await act({ type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena');
    const draft = await draftNoticeFor(deps, 'INC-T-1', { kind: 'gdpr-people', language: 'en', fields: WORDS }, 'dana');
    await uploadRecipients(deps, 'INC-T-1', draft.noticeId, Readable.from([list]), 'rita');
    const view = await noticeView(deps, 'INC-T-1', draft.noticeId);
    await actOnNotice(deps, 'INC-T-1', draft.noticeId, { type: 'approve', expectedVersion: 1, expectedContentHash: view.contentHash, expectedRecipientsHash: view.recipients!.sha256 }, 'lena');
    await actOnNotice(deps, 'INC-T-1', draft.noticeId, { type: 'start-sending' }, 'dana');
    await Promise.all(planning);
    await queue.idle();
    return draft.noticeId;
  }

  const page = (api: ReturnType<typeof makeApiHandler>, path: string) => api(httpEvent('GET', path, { routeKey: 'GET /n/{token}' }), lambdaContext);

  it('a phone-only person gets an SMS linking to their own page with the approved notice; the token is stored hashed and expires', async () => {
    const noticeId = await sentPeopleNotice(['email,phone,name', 'anna@example.com,+491701111111,Anna', ',+491702222222,Bert', ',+491703333333,Cleo'].join('\n'));
    // Anna has an email: she is emailed, not texted. Bert and Cleo get an SMS each, with a link of their own.
    expect(email.sent.map((e) => e.to)).toEqual(['anna@example.com']);
    expect(sms.sent).toHaveLength(2);
    const urls = sms.sent.map((s) => /https:\/\/breach\.example\/n\/([A-Za-z0-9_-]{43})/.exec(s.text)?.[0]);
    expect(urls.every(Boolean)).toBe(true);
    expect(new Set(urls).size).toBe(2);
    for (const { text } of sms.sent) {
      expect(text).not.toMatch(/e-?mail/i);
      expect(text).toContain('Read the whole notice');
    }
    const view = await noticeView(deps, 'INC-T-1', noticeId);
    expect(view.notice.status).toBe('sent');
    expect(view.progress).toMatchObject({ planned: 3, sent: 3, failed: 0, parked: 0 });

    // The page: exactly the approved content (escaped), its hash, no-store, no referrer, a strict CSP; no credentials needed.
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, notices: deps, noticeLinks: links });
    const token = urls[0]!.split('/').pop()!;
    const answer = await page(api, `/n/${token}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-type': 'text/html; charset=utf-8' });
    expect(answer.headers!['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    const approved = view.notice.approval!;
    expect(answer.body).toContain(approved.rendered.html!);
    expect(answer.body).toContain(approved.contentHash);
    expect(answer.body).toContain('Phishing messages using your &lt;name&gt; &amp; address.');
    expect(answer.body).not.toContain('<name>');

    // Only the hash of a token is stored, never the token.
    const items = (await table.doc.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
    const dump = JSON.stringify(items);
    for (const url of urls) expect(dump).not.toContain(url!.split('/').pop()!);
    expect(items.filter((i) => i.entity === 'notice-link')).toHaveLength(2);

    // Unknown and malformed tokens: a plain 404 page; after NOTICE_LINK_DAYS (90): 410.
    const unknown = await page(api, `/n/${'A'.repeat(43)}`);
    expect([unknown.statusCode, unknown.headers!['cache-control']]).toEqual([404, 'no-store']);
    expect(unknown.body).toContain('This link is not valid');
    expect((await page(api, '/n/short')).statusCode).toBe(404);
    clock.set(new Date(hoursAfter(T0, 1).getTime() + 91 * 86_400_000));
    const expired = await page(api, `/n/${token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
  });

  it('a person with only a postal address gets a letter: one PDF each and a batch, listed with hashes and opened through the API', async () => {
    const noticeId = await sentPeopleNotice(['email,name,address1,city,postcode,country', 'anna@example.com,Anna,,,,', ',Jürgen Groß,Lindenallee 7,München,80331,DE', ',Eve Roe,1 Main St,Toronto,M5V 2T6,CA'].join('\n'));
    expect(email.sent.map((e) => e.to)).toEqual(['anna@example.com']);
    expect(sms.sent).toEqual([]);
    const view = await noticeView(deps, 'INC-T-1', noticeId);
    expect([view.notice.status, view.progress?.sent]).toEqual(['sent', 3]);
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, notices: deps, letters });
    const get = (path: string) => api(httpEvent('GET', path, { headers: { authorization: 'Bearer t', 'x-actor': 'dana' }, routeKey: 'ANY /api/{proxy+}' }), lambdaContext);
    const listing = parse(await get(`/api/incidents/INC-T-1/notices/${noticeId}/letters`));
    expect(listing.letters).toHaveLength(2);
    expect(listing.batch).toMatchObject({ name: 'batch.pdf', sha256: expect.stringMatching(/^[a-f0-9]{64}$/) });
    const opened = await get(`/api/incidents/INC-T-1/notices/${noticeId}/letters/${listing.letters[0].name}`);
    expect([opened.statusCode, opened.headers!['content-type']]).toEqual([200, 'application/pdf']);
    const pdf = Buffer.from(opened.body!, 'base64');
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getSubject()).toBe(`sha256:${view.notice.approval!.contentHash}`);
    const sizes = await Promise.all(listing.letters.map(async (l: { name: string }) => (await PDFDocument.load(Buffer.from((await get(`/api/incidents/INC-T-1/notices/${noticeId}/letters/${l.name}`)).body!, 'base64'))).getPage(0).getWidth()));
    expect(sizes.map(Math.round).sort()).toEqual([595, 612]); // A4 for Munich, US Letter for Toronto
    expect((await get(`/api/incidents/INC-T-1/notices/${noticeId}/letters/..%2Fx.pdf`)).statusCode).toBe(400);
  });
});
