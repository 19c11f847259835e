/**
 * What an operator pays (issue 27.4; docs/benchmarks.md, docs/deploy.md "What it costs").
 *
 *   npm run bench:cost                       # measure (1,000 + 1,000 alerts, 1,000 recipients), write bench/results/cost.json, print
 *   npm run bench:cost -- --alerts 5000
 *   npm run bench:cost -- --render           # only re-render docs/deploy.md's section from bench/results/cost.json
 *
 * Runs the real handlers in one process against DynamoDB Local, every DynamoDB call through a client that
 * asks for and adds up the consumed capacity: alerts through the ingest function's HTTP handler, the table's
 * stream through the dispatcher and the alert-count consumer (as the local stack feeds them), one idle clock
 * tick, and a notice planned and sent to a list (SES through a no-op sender: SES is priced per email). Each
 * handler's warm wall time is its billed duration here. bench/cost-model.ts turns that into dollars.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { renderCostSection, scenarios, withCostSection, type CostMeasurements, type UnitCost } from './cost-model.js';

const ROOT = new URL('..', import.meta.url).pathname;
const RESULTS = join(ROOT, 'bench/results/cost.json');
const DEPLOY_DOC = join(ROOT, 'docs/deploy.md');
const { values } = parseArgs({ options: { alerts: { type: 'string', default: '1000' }, recipients: { type: 'string', default: '1000' }, render: { type: 'boolean', default: false } } });

function render(measured: CostMeasurements): void {
  writeFileSync(DEPLOY_DOC, withCostSection(readFileSync(DEPLOY_DOC, 'utf8'), renderCostSection(measured)));
  for (const s of scenarios(measured)) console.log(`${s.name}: $${s.total.toFixed(2)}`);
}

if (values.render) {
  render(JSON.parse(readFileSync(RESULTS, 'utf8')) as CostMeasurements);
  process.exit(0);
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { DynamoIncidentStore } = await import('../lambdas/adapters/dynamo/dynamo-incident-store.js');
const { DynamoNoticeStore } = await import('../lambdas/adapters/dynamo/dynamo-notice-store.js');
const { DynamoDeliveryStore } = await import('../lambdas/adapters/dynamo/dynamo-delivery-store.js');
const { DynamoAlertBatchQueue } = await import('../lambdas/adapters/dynamo/dynamo-alert-batch-queue.js');
const { actOnIncident } = await import('../lambdas/app/act-on-incident.js');
const { actOnNotice, draftNoticeFor, noticeView, planNoticeSends, sendChunk } = await import('../lambdas/app/notices.js');
const { AttachBatcher } = await import('../lambdas/app/attach-batcher.js');
const { FingerprintCache } = await import('../lambdas/app/fingerprint-cache.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { DEFAULT_ROUTING } = await import('../lambdas/domain/routing.js');
const { randomIds } = await import('../lambdas/adapters/random-ids.js');
const { systemClock } = await import('../lambdas/ports/clock.js');
const { makeIngestHandler } = await import('../lambdas/handlers/ingest-alert.handler.js');
const { makeIngestBatchHandler } = await import('../lambdas/handlers/ingest-batch.handler.js');
const { makeDispatchHandler } = await import('../lambdas/handlers/dispatch-outbox.handler.js');
const { makeSweepHandler } = await import('../lambdas/handlers/sweep-due-timers.handler.js');
const { toApiGatewayEvent } = await import('../local/api-gateway-event.js');
const { StreamPoller } = await import('../local/stream-poller.js');
const { EncryptedFileListStore } = await import('../local/encrypted-file-list-store.js');
const { ensureTable, localDynamoClient, startDynamoLocal } = await import('../local/dynamo-local.js');
type SendChunk = import('../lambdas/ports/notice-delivery.js').SendChunk;

const ALERTS = Number(values.alerts);
const RECIPIENTS = Number(values.recipients);
const TABLE = 'bench';
const dir = mkdtempSync(join(tmpdir(), 'breachclock-bench-cost-'));
const dynamo = await startDynamoLocal({ dbPath: join(dir, 'db') });
const admin = localDynamoClient(dynamo.endpoint);
await ensureTable(admin, TABLE);
admin.destroy();

// Every DynamoDB call asks for its consumed capacity (on-demand bills exactly these units) and is counted.
const totals = { calls: 0, write: 0, read: 0 };
const byCommand: Record<string, number> = {};
const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
doc.middlewareStack.add(
  (next, context) => async (args) => {
    const command = String((context as { commandName?: string }).commandName ?? '');
    const input = args.input as Record<string, unknown>;
    input.ReturnConsumedCapacity = 'TOTAL';
    const out = await next(args);
    totals.calls++;
    byCommand[command] = (byCommand[command] ?? 0) + 1;
    const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    for (const c of [consumed].flat().filter(Boolean) as { CapacityUnits?: number; WriteCapacityUnits?: number; ReadCapacityUnits?: number }[]) {
      const w = c.WriteCapacityUnits ?? 0;
      const r = c.ReadCapacityUnits ?? 0;
      if (w || r) {
        totals.write += w;
        totals.read += r;
      } else if (c.CapacityUnits) {
        // DynamoDB Local reports only a total (transactions already at two units per item and KB): a write command's units are writes, a read's reads.
        if (/^(Get|BatchGet|Query|Scan|TransactGet)/.test(command)) totals.read += c.CapacityUnits;
        else totals.write += c.CapacityUnits;
      }
    }
    return out;
  },
  { step: 'initialize', name: 'benchCapacity' },
);
// Commands that return no capacity at all would be priced at zero: say so rather than under-count.
let noCapacity = 0;
doc.middlewareStack.add(
  (next, context) => async (args) => {
    const out = await next(args);
    if (!(out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity) {
      noCapacity++;
      if (noCapacity === 1) console.error(`note: ${(context as { commandName?: string }).commandName} returned no ConsumedCapacity from DynamoDB Local (counted as a call only)`);
    }
    return out;
  },
  { step: 'initialize', name: 'benchCapacityCheck' },
);

const store = new DynamoIncidentStore(doc, TABLE);
const lambda = { invocations: 0, ms: 0 };
async function timed<T>(work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    lambda.invocations++;
    lambda.ms += performance.now() - started;
  }
}
function snapshot() {
  return { ...totals, invocations: lambda.invocations, ms: lambda.ms };
}
function per(before: ReturnType<typeof snapshot>, n: number, memoryMb: number, httpRequests: number): UnitCost {
  const now = snapshot();
  return {
    dynamoCalls: (now.calls - before.calls) / n,
    writeUnits: (now.write - before.write) / n,
    readUnits: (now.read - before.read) / n,
    lambdaInvocations: (now.invocations - before.invocations) / n,
    lambdaMs: (now.ms - before.ms) / n,
    memoryMb,
    httpRequests,
  };
}

const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30_000 } as never;
const ingestDeps = { store, clock: systemClock, ids: randomIds, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, fingerprints: new FingerprintCache(), batcher: new AttachBatcher(store) };
const batches = new DynamoAlertBatchQueue(doc, TABLE);
const ingest = makeIngestHandler({
  ingest: ingestDeps,
  credentials: async () => ({ tokens: ['bench'], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
  maxBodyBytes: 1_048_576,
  snsAllowedTopicArns: [],
  batches,
});
// The stream's consumers as on AWS: the dispatcher (outbox messages; a no-op channel: Slack and SNS are priced apart) and the alert stream (counts, large groups).
const dispatch = makeDispatchHandler({ outbox: store, sender: { send: async () => ({}) }, clock: systemClock });
const batchHandler = makeIngestBatchHandler({ ingest: ingestDeps, batches });
let streamRecords = 0;
const poller = new StreamPoller({
  endpoint: dynamo.endpoint,
  tableName: TABLE,
  intervalMs: 100,
  consume: async (event) => {
    streamRecords += event.Records.length;
    // Two functions on AWS, each invoked only for the records its event source mapping's filter passes
    // (lib/stateless-stack.ts): the outbox's inserts; large groups' chunks and attached deliveries.
    const image = (r: (typeof event.Records)[number]) => r.dynamodb?.NewImage as Record<string, { S?: string }> | undefined;
    const outbox = event.Records.filter((r) => r.eventName === 'INSERT' && image(r)?.entity?.S === 'Outbox');
    const alertStream = event.Records.filter((r) => r.eventName === 'INSERT' && (image(r)?.entity?.S === 'AlertBatch' || (image(r)?.entity?.S === 'Delivery' && image(r)?.outcome?.S === 'attached')));
    if (outbox.length) await timed(() => dispatch({ Records: outbox }, context) as Promise<unknown>);
    if (alertStream.length) await timed(() => batchHandler({ Records: alertStream }, context) as Promise<unknown>);
  },
  onError: (error) => console.error(`stream: ${(error as Error).message}`),
});
poller.start();

async function settle(): Promise<void> {
  // Until the stream has been quiet for a second.
  let last = -1;
  for (let quiet = 0; quiet < 10; ) {
    await new Promise((r) => setTimeout(r, 100));
    quiet = streamRecords === last ? quiet + 1 : 0;
    last = streamRecords;
  }
}

let lastIncidentId = '';
async function alerts(n: number, fingerprint: (i: number) => string, label: string): Promise<UnitCost> {
  await settle();
  const before = snapshot();
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify({ title: `${label} ${fingerprint(i)}`, severity: 'high', fingerprint: fingerprint(i), id: `${label}-${i}`, observedAt: new Date().toISOString() });
    const event = toApiGatewayEvent({ method: 'POST', url: '/alerts/generic', routeKey: 'POST /alerts/{source}', pathParameters: { source: 'generic' }, headers: { authorization: 'Bearer bench', 'content-type': 'application/json' }, body });
    const result = await timed(() => ingest(event, context));
    if (result.statusCode !== 202) throw new Error(`alert ${i}: ${result.statusCode} ${result.body}`);
    lastIncidentId = (JSON.parse(result.body ?? '{}') as { incidentId?: string }).incidentId ?? lastIncidentId;
  }
  await settle();
  return per(before, n, 512, 1);
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
try {
  // Warm-up (cold-start set-up is not what a million alerts pay).
  await alerts(50, (i) => `warm-${i % 4}`, 'warm');
  const alertStorm = await alerts(ALERTS, () => 'storm', 'storm');
  const alertMixed = await alerts(ALERTS, (i) => `mixed-${i % 24}`, 'mixed');

  // One clock tick with nothing due.
  const sweep = makeSweepHandler({ store, clock: systemClock, ladder: DEFAULT_LADDER, dispatch: { outbox: store, sender: { send: async () => ({}) }, clock: systemClock } });
  await settle();
  await sweep({}, context);
  const beforeSweep = snapshot();
  for (let i = 0; i < 20; i++) await timed(() => sweep({}, context) as Promise<unknown>);
  const idleSweep = per(beforeSweep, 20, 512, 0);

  // A notice to a list: planned (the planner) and sent chunk by chunk (the sender), each invocation timed.
  const lists = await EncryptedFileListStore.create(join(dir, 'lists'));
  let sent = 0;
  const chunks: SendChunk[] = [];
  const deps = {
    store,
    notices: new DynamoNoticeStore(doc, TABLE, store),
    deliveries: new DynamoDeliveryStore(doc, TABLE),
    clock: systemClock,
    ladder: DEFAULT_LADDER,
    organisation: { name: 'Bench Shop Ltd', dpo: { name: 'DPO', email: 'dpo@bench.example' } },
    lists,
    queue: { enqueue: async (batch: readonly SendChunk[]) => void chunks.push(...batch) },
    planner: { start: async () => undefined },
    email: { send: async () => ({ messageId: `ses-${++sent}` }) },
    sms: { send: async () => ({ messageId: 'x' }) },
    rate: { take: async () => undefined },
    listRetentionDays: 30,
  };
  const incident = await store.getIncident(lastIncidentId);
  const act = (action: Parameters<typeof actOnIncident>[2], actor: string) => actOnIncident(deps, incident!.id, action, actor);
  await act({ type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: RECIPIENTS }], dataCategories: ['credentials'] } }, 'rita');
  await act({ type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Bench: passwords leaked' }, 'dana');
  const notice = await draftNoticeFor(deps, incident!.id, { kind: 'gdpr-people', fields: { nature: 'Bench.', 'likely-consequences': 'Bench.', 'measures-taken': 'Bench.', 'what-to-do': 'Bench.' } }, 'dana');
  const csv = `email,name,language\n${Array.from({ length: RECIPIENTS }, (_, i) => `person${i}@bench.example,Person ${i},en`).join('\n')}\n`;
  const objectKey = `recipients/${incident!.id}/${notice.noticeId}/bench.csv`;
  await lists.put(objectKey, Readable.from([csv]), new Date(Date.now() + 86_400_000));
  await actOnNotice(deps, incident!.id, notice.noticeId, { type: 'attach-recipients', recipients: { objectKey, uploadedBy: 'bench', uploadedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(), rows: RECIPIENTS, valid: RECIPIENTS, invalid: 0, sha256: createHash('sha256').update(csv).digest('hex'), errors: [] } }, 'bench');
  const review = await noticeView(deps, incident!.id, notice.noticeId);
  await actOnNotice(deps, incident!.id, notice.noticeId, { type: 'approve', expectedVersion: 1, expectedContentHash: review.contentHash, expectedRecipientsHash: review.recipients!.sha256 }, 'lena');
  await actOnNotice(deps, incident!.id, notice.noticeId, { type: 'start-sending' }, 'dana');
  await settle();
  const beforeNotice = snapshot();
  await timed(() => planNoticeSends(deps, { incidentId: incident!.id, noticeId: notice.noticeId }));
  for (const chunk of chunks) await timed(() => sendChunk(deps, chunk));
  await settle();
  const noticeRecipient = per(beforeNotice, RECIPIENTS, 512, 0);
  const chunkSize = Math.max(...chunks.map((c) => c.recipients.length));

  const measured: CostMeasurements = {
    measuredAt: new Date().toISOString(),
    command: `npm run bench:cost -- --alerts ${ALERTS} --recipients ${RECIPIENTS}`,
    machine: `${cpus().length} cores, Node ${process.versions.node}, DynamoDB Local in the same machine`,
    alertStorm,
    alertMixed,
    idleSweep,
    noticeRecipient,
    chunkSize,
    sesRatePerSecond: 14,
    peakRssMb: Math.round(peakRss / 1_048_576),
  };
  if (noCapacity) console.error(`${noCapacity} calls returned no ConsumedCapacity`);
  console.log('DynamoDB calls by command, whole run:', byCommand);
  console.table({ alertStorm, alertMixed, idleSweep, noticeRecipient });
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(measured, null, 2)}\n`);
  render(measured);
} finally {
  clearInterval(sampler);
  poller.stop();
  doc.destroy();
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
}
