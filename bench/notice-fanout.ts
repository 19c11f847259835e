/**
 * Notice fan-out benchmark (docs/benchmarks.md): a list of affected people from CSV to queued sends.
 *
 *   npm run bench:notices                              # 100,000 then 1,000,000 recipients
 *   npm run bench:notices -- --sizes 1000000 --rate 14
 *
 * For each size: writes a CSV (email, name, language; 1 % malformed rows, 1 % repeated addresses), stores it
 * through the encrypted list store, then runs the real planner (planNoticeSends: decrypt → csv-parse →
 * validate → chunks of 100 → queue) against DynamoDB Local, with a queue adapter that serialises each chunk
 * like SQS would and counts it. Reports rows/s, chunks, queued bytes and the process's peak RSS (sampled
 * every 20 ms; target < 256 MB at any size). The yardstick, measured in the same run: csv-parse alone over
 * the same plain file. Then the time the configured SES rate needs to send that many emails, the physical
 * limit of a notice (sends are paced by the rate, nothing else).
 *
 * The npm script caps V8's old space at 128 MB, as a Lambda's memory setting bounds its heap: without a cap V8
 * grows the heap because it can (RSS then says more about V8's policy than about the planner's needs).
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { once } from 'node:events';
import { parse } from 'csv-parse';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { DynamoIncidentStore } = await import('../lambdas/adapters/dynamo/dynamo-incident-store.js');
const { DynamoNoticeStore } = await import('../lambdas/adapters/dynamo/dynamo-notice-store.js');
const { DynamoDeliveryStore } = await import('../lambdas/adapters/dynamo/dynamo-delivery-store.js');
const { actOnIncident } = await import('../lambdas/app/act-on-incident.js');
const { ingestAlert } = await import('../lambdas/app/ingest-alert.js');
const { actOnNotice, draftNoticeFor, noticeView, planNoticeSends } = await import('../lambdas/app/notices.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { DEFAULT_ROUTING } = await import('../lambdas/domain/routing.js');
const { randomIds } = await import('../lambdas/adapters/random-ids.js');
const { systemClock } = await import('../lambdas/ports/clock.js');
const { EncryptedFileListStore } = await import('../local/encrypted-file-list-store.js');
const { ensureTable, localDynamoClient, startDynamoLocal } = await import('../local/dynamo-local.js');
type SendChunk = import('../lambdas/ports/notice-delivery.js').SendChunk;

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,1000000' }, rate: { type: 'string', default: '14' } } });
const SIZES = values.sizes.split(',').map(Number);
const SES_RATE = Number(values.rate);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,name,language\n');
  for (let i = 0; i < rows; i++) {
    const line = i % 100 === 37 ? `not-an-address-${i},Broken ${i},en\n` : i % 100 === 71 ? `person${i - 1}@example.com,Repeat ${i},en\n` : `person${i}@example.com,"Person ${i}, Customer",en\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function yardstick(file: string): Promise<number> {
  const started = performance.now();
  let rows = 0;
  for await (const _record of createReadStream(file).pipe(parse({ columns: true }))) rows++;
  return rows / ((performance.now() - started) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'breachclock-bench-notices-'));
const dynamo = await startDynamoLocal({ dbPath: join(dir, 'db') });
const admin = localDynamoClient(dynamo.endpoint);
await ensureTable(admin, 'bench');
admin.destroy();
const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
const store = new DynamoIncidentStore(doc, 'bench');
const lists = await EncryptedFileListStore.create(join(dir, 'lists'));

const results: Record<string, unknown>[] = [];
try {
  for (const size of SIZES) {
    const csvFile = join(dir, `list-${size}.csv`);
    await writeCsv(csvFile, size);
    const raw = await yardstick(csvFile);

    let chunks = 0;
    let queued = 0;
    let bytes = 0;
    const deps = {
      store,
      notices: new DynamoNoticeStore(doc, 'bench', store),
      deliveries: new DynamoDeliveryStore(doc, 'bench'),
      clock: systemClock,
      ladder: DEFAULT_LADDER,
      organisation: { name: 'Bench Shop Ltd', dpo: { name: 'DPO', email: 'dpo@bench.example' } },
      lists,
      queue: {
        async enqueue(batch: readonly SendChunk[]) {
          for (const chunk of batch) {
            bytes += Buffer.byteLength(JSON.stringify(chunk)); // what SQS would carry
            chunks++;
            queued += chunk.recipients.length;
          }
        },
      },
      planner: { start: async () => undefined },
      email: { send: async () => ({ messageId: 'x' }) },
      sms: { send: async () => ({ messageId: 'x' }) },
      rate: { take: async () => undefined },
      listRetentionDays: 30,
    };
    const { incidentId } = await ingestAlert(
      { store, clock: systemClock, ids: randomIds, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      { source: 'generic', fingerprint: `bench-${size}`, title: 'Bench breach', severity: 'critical', observedAt: new Date(Date.now() - 60_000).toISOString() },
    );
    const act = (action: Parameters<typeof actOnIncident>[2], actor: string) => actOnIncident(deps, incidentId!, action, actor);
    await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: size }], dataCategories: ['credentials'] } }, 'rita');
    await act({ type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Bench: passwords leaked' }, 'dana');
    const fields = { nature: 'Bench.', 'likely-consequences': 'Bench.', 'measures-taken': 'Bench.', 'what-to-do': 'Bench.' };
    const notice = await draftNoticeFor(deps, incidentId!, { kind: 'gdpr-people', fields }, 'dana');
    const objectKey = `recipients/${incidentId}/${notice.noticeId}/bench.csv`;
    await lists.put(objectKey, createReadStream(csvFile), new Date(Date.now() + 86_400_000));
    // The list is attached as the upload would (its validation is what the planner repeats below).
    await actOnNotice(deps, incidentId!, notice.noticeId, { type: 'attach-recipients', recipients: { objectKey, uploadedBy: 'bench', uploadedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(), rows: size, valid: size, invalid: 0, sha256: createHash('sha256').update(readFileSync(csvFile)).digest('hex'), errors: [] } }, 'bench');
    // The list is part of what is approved (issue 24.3): approve after attaching, naming its hash.
    const review = await noticeView(deps, incidentId!, notice.noticeId);
    await actOnNotice(deps, incidentId!, notice.noticeId, { type: 'approve', expectedVersion: 1, expectedContentHash: review.contentHash, expectedRecipientsHash: review.recipients!.sha256 }, 'lena');
    await actOnNotice(deps, incidentId!, notice.noticeId, { type: 'start-sending' }, 'dana');

    global.gc?.();
    peakRss = process.memoryUsage.rss();
    const started = performance.now();
    const planned = await planNoticeSends(deps, { incidentId: incidentId!, noticeId: notice.noticeId });
    const seconds = (performance.now() - started) / 1000;
    const sendHours = planned.planned / SES_RATE / 3600;
    results.push({
      recipients: size,
      'csv MB': mb(statSync(csvFile).size),
      queued,
      chunks,
      'queued MB': mb(bytes),
      'plan s': Math.round(seconds * 10) / 10,
      'rows/s': Math.round(size / seconds),
      'csv-parse rows/s (yardstick)': Math.round(raw),
      'vs yardstick': `${Math.round((size / seconds / raw) * 100)} %`,
      'peak RSS MB': mb(peakRss),
      [`send at ${SES_RATE}/s`]: sendHours >= 1 ? `${Math.round(sendHours * 10) / 10} h` : `${Math.round(sendHours * 60)} min`,
    });
    if (planned.planned !== queued) throw new Error(`planned ${planned.planned} but queued ${queued}`);
    rmSync(csvFile);
  }
  console.table(results);
  const over = results.filter((r) => (r['peak RSS MB'] as number) >= 256);
  if (over.length) {
    console.error('Peak RSS reached the 256 MB target');
    process.exitCode = 1;
  }
} finally {
  clearInterval(sampler);
  doc.destroy();
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
}
