/**
 * Due-burst benchmark with Lambda's execution model (issues 14.5 and 27.2; docs/benchmarks.md).
 *
 *   npm run bench:sweep -- --due 10000                 # 10,000 due steps, 10 clock instances, pages of 50
 *   npm run bench:sweep -- --due 2000 --instances 4 --redeliver 0.2
 *   npm run bench:sweep -- --due 2000 --inline         # the tick settling everything itself (no fan-out), for comparison
 *   npm run bench:sweep -- --due 10000 --group-size 1  # each step settled alone (three calls a step, as before groups)
 *
 * Seeds the incidents on DynamoDB Local (each with its escalation ladder; `--overdue-steps 2` puts the clock
 * past two steps of each, so the catch-up rule has work), then runs one clock tick as the clock function does
 * on AWS: it pages the due index and hands the burst out in pages to the sweep queue (ADR 0016). The queue is
 * SQS's semantics in this process: each page goes to one free "Lambda instance" (a worker thread with its own
 * sweep handler and DynamoDB client, nothing shared, one SQS event at a time: bench/sweep-worker.ts); a page
 * reported failed is received again; `--redeliver` sends that share of the pages twice, back to back, so two
 * instances settle the same page at once (SQS is at least once). Prints the time until every step fired and
 * then checks the table: steps fired, escalation events per step (more than one is a duplicate), messages per
 * incident. Exits 1 unless every due step fired within 60 s with no duplicate.
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startDynamoLocal } = await import('../local/dynamo-local.js');
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { openIncident } = await import('../lambdas/domain/incident.js');
const { DEFAULT_LADDER, planTimers } = await import('../lambdas/domain/escalation-ladder.js');
const { sweepDueTimers } = await import('../lambdas/app/sweep-due-timers.js');
const { benchStore, seedOpenIncidentsFast } = await import('./seed-incidents.js');

const { values } = parseArgs({
  options: {
    due: { type: 'string' },
    incidents: { type: 'string' },
    instances: { type: 'string', default: '10' },
    'page-size': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '16' },
    'group-size': { type: 'string', default: '50' },
    redeliver: { type: 'string', default: '0.1' },
    'overdue-steps': { type: 'string', default: '1' },
    inline: { type: 'boolean', default: false },
  },
});
const STEPS_EACH = Number(values['overdue-steps']);
if (STEPS_EACH !== 1 && STEPS_EACH !== 2) throw new Error('--overdue-steps is 1 (the 15-minute step) or 2 (also the 24-hour step)');
const DUE_STEPS = Number(values.due ?? (values.incidents ? Number(values.incidents) * STEPS_EACH : 10_000));
const COUNT = Math.ceil(DUE_STEPS / STEPS_EACH);
const INSTANCES = Number(values.instances);
const PAGE_SIZE = Number(values['page-size']);
const CONCURRENCY = Number(values.concurrency);
const GROUP_SIZE = Number(values['group-size']);
const REDELIVER = Number(values.redeliver);
const T0 = new Date('2026-11-23T02:00:00Z');
// Past the 15-minute step; with --overdue-steps 2 also past the 24-hour one (one message per incident: catch-up).
const NOW = new Date(T0.getTime() + (STEPS_EACH === 2 ? 25 * 3_600_000 : 16 * 60_000));

const dynamo = await startDynamoLocal(); // in memory: seeding on disk is slow and measures the disk
const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
const tableName = 'bench-burst';
const store = await benchStore(dynamo.endpoint, doc, tableName);

console.log(`seeding ${COUNT} incidents …`);
let t = performance.now();
await seedOpenIncidentsFast(doc, tableName, COUNT, 4, (i) => {
  const opened = openIncident({ id: `INC-B-${i}`, title: `Incident ${i}`, severity: 'high', source: 'generic', fingerprint: `f-${i}` }, T0);
  return { ...opened, timers: planTimers(opened.incident, DEFAULT_LADDER) };
});
console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; ${COUNT * STEPS_EACH} steps due (${STEPS_EACH} per incident)`);
const clock = { now: () => NOW };

// The yardstick in the same run: DynamoDB Local's own rate of single PutItems at the instances' combined
// concurrency, into a plain table. A step costs two reads and a transaction of five items (timer, incident,
// timeline event, two messages), so DynamoDB Local's rate bounds what any number of instances can reach here.
const { CreateTableCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
const { localDynamoClient } = await import('../local/dynamo-local.js');
const raw = localDynamoClient(dynamo.endpoint);
await raw.send(new CreateTableCommand({ TableName: 'bench-raw', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }] }));
const RAW = 3_000;
let rawNext = 0;
t = performance.now();
await Promise.all(Array.from({ length: Math.min(64, INSTANCES * CONCURRENCY) }, async () => {
  for (let i = rawNext++; i < RAW; i = rawNext++) await raw.send(new PutItemCommand({ TableName: 'bench-raw', Item: { PK: { S: `P#${i}` }, title: { S: 'Escalation level 2' } } }));
}));
const rawRate = RAW / ((performance.now() - t) / 1000);
console.log(`yardstick: DynamoDB Local takes ${Math.round(rawRate)} PutItem/s at ${Math.min(64, INSTANCES * CONCURRENCY)} at a time`);

// The second yardstick: the steps' DynamoDB calls alone, without the handler, in the same shape as the run's
// groups of incidents: a consistent BatchGetItem of the group's incidents, a Query of each one's timers (16 at
// once), and transactions of up to 100 items, five a step (the timer, the incident, a timeline event and two
// messages); with --group-size 1 a read, a query and a transaction a step. Small items in a plain table: the
// real items (indexes, a stream, larger incidents) cost DynamoDB Local more, so this is a floor no fan-out beats.
const { BatchGetItemCommand, QueryCommand, TransactWriteItemsCommand } = await import('@aws-sdk/client-dynamodb');
await raw.send(new CreateTableCommand({ TableName: 'bench-floor', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
const FLOOR = Math.min(2_000, DUE_STEPS);
const floorItem = (pk: string, sk: string) => ({ Put: { TableName: 'bench-floor', Item: { pk: { S: pk }, sk: { S: sk }, summary: { S: 'Escalation level 2: notify the DPO' }, at: { S: NOW.toISOString() }, version: { N: '2' } } } });
const floorGroups = Array.from({ length: Math.ceil(FLOOR / GROUP_SIZE) }, (_, g) => Array.from({ length: Math.min(GROUP_SIZE, FLOOR - g * GROUP_SIZE) }, (_, k) => `INC#F-${g * GROUP_SIZE + k}`));
let floorNext = 0;
t = performance.now();
// As many groups in flight as the run has: one per instance, or with --group-size 1 up to 64 steps at a time.
await Promise.all(Array.from({ length: GROUP_SIZE === 1 ? Math.min(64, INSTANCES * CONCURRENCY) : INSTANCES }, async () => {
  for (let g = floorNext++; g < floorGroups.length; g = floorNext++) {
    const pks = floorGroups[g]!;
    const queries = [...pks];
    await Promise.all([
      raw.send(new BatchGetItemCommand({ RequestItems: { 'bench-floor': { Keys: pks.map((pk) => ({ pk: { S: pk }, sk: { S: 'INCIDENT' } })), ConsistentRead: true } } })),
      ...Array.from({ length: Math.min(CONCURRENCY, queries.length) }, async () => {
        for (let pk = queries.shift(); pk; pk = queries.shift()) await raw.send(new QueryCommand({ TableName: 'bench-floor', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)', ExpressionAttributeValues: { ':pk': { S: pk }, ':t': { S: 'TIMER#' } }, ConsistentRead: true }));
      }),
    ]);
    const writes = pks.map((pk) => [floorItem(pk, 'TIMER#esc-15m'), floorItem(pk, 'INCIDENT'), floorItem(pk, 'EVT#1'), floorItem(pk, 'MSG#slack'), floorItem(pk, 'MSG#sns')]);
    await Promise.all(Array.from({ length: Math.ceil(writes.length / 20) }, (_, k) => raw.send(new TransactWriteItemsCommand({ TransactItems: writes.slice(k * 20, k * 20 + 20).flat() }))));
  }
}));
const floorRate = FLOOR / ((performance.now() - t) / 1000);
raw.destroy();
console.log(`yardstick: the steps' DynamoDB calls alone, in groups of ${GROUP_SIZE}: ${Math.round(floorRate)} steps/s (${FLOOR} steps); ${DUE_STEPS} of them would take ${(DUE_STEPS / floorRate).toFixed(1)} s`);

let tickSeconds = 0;
let settledSeconds = 0;
let pages = 0;
let redelivered = 0;
let receivedAgain = 0;
let fannedOut = 0;
let firedByWorkers = 0;
let staleByWorkers = 0;
let tickFired = 0;
const pageMs: number[] = [];
if (values.inline) {
  console.log('one tick settling everything itself (no fan-out) …');
  t = performance.now();
  const report = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, concurrency: CONCURRENCY, groupSize: GROUP_SIZE });
  tickSeconds = settledSeconds = (performance.now() - t) / 1000;
  tickFired = report.fired;
  console.log(`inline: the tick fired ${report.fired} (skipped ${report.skipped}) in ${tickSeconds.toFixed(1)} s, ${report.rounds} pages of the index within its 40 s budget; errors ${report.errors}`);
} else {
  console.log(`starting ${INSTANCES} clock instances …`);
  const workers = await Promise.all(
    Array.from({ length: INSTANCES }, () => new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(new URL('./sweep-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], workerData: { endpoint: dynamo.endpoint, tableName, now: NOW.toISOString(), groupSize: GROUP_SIZE } });
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    })),
  );
  // The sweep queue: SQS semantics in this process. Each free instance takes one message at a time.
  const queue: { messageId: string; body: string; receives: number }[] = [];
  const idle = new Set(workers);
  const stats = new Map<Worker, { fired: number; stale: number }>();
  let inFlight = 0;
  let drained: () => void = () => {};
  const done = new Promise<void>((resolve) => (drained = resolve));
  let tickDone = false;
  const pump = () => {
    while (idle.size && queue.length) {
      const worker = idle.values().next().value!;
      idle.delete(worker);
      const message = queue.shift()!;
      message.receives++;
      inFlight++;
      worker.once('message', (result: { failed: number; ms: number; fired: number; stale: number }) => {
        pageMs.push(result.ms);
        stats.set(worker, { fired: result.fired, stale: result.stale });
        inFlight--;
        idle.add(worker);
        // Reported failed: received again (on AWS after the visibility timeout; here at once).
        if (result.failed) {
          receivedAgain++;
          queue.push(message);
        }
        pump();
        if (tickDone && !queue.length && !inFlight) drained();
      });
      worker.postMessage({ messageId: message.messageId, body: message.body });
    }
  };
  let sequence = 0;
  const pageQueue = {
    async enqueue(slices: readonly { items: readonly unknown[] }[]) {
      for (const slice of slices) {
        const body = JSON.stringify(slice);
        queue.push({ messageId: `m-${++sequence}`, body, receives: 0 });
        pages++;
        // At least once: this share of the pages is delivered twice, the copies side by side (two instances at once).
        if (pages * REDELIVER >= redelivered + 1) {
          redelivered++;
          queue.push({ messageId: `m-${sequence}-again`, body, receives: 0 });
        }
      }
      pump();
    },
  };
  console.log('one tick: page the due index and fan out …');
  t = performance.now();
  const report = await sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, fanOut: { queue: pageQueue, pageSize: PAGE_SIZE } });
  tickSeconds = (performance.now() - t) / 1000;
  fannedOut = report.fannedOut ?? 0;
  tickFired = report.fired;
  tickDone = true;
  if (!queue.length && !inFlight) drained();
  await done;
  settledSeconds = (performance.now() - t) / 1000;
  for (const s of stats.values()) {
    firedByWorkers += s.fired;
    staleByWorkers += s.stale;
  }
  for (const worker of workers) worker.postMessage('stop');
  console.log(`fan-out: the tick handed out ${fannedOut} due items in ${pages} pages (${report.rounds} reads of the index) in ${tickSeconds.toFixed(2)} s; ${redelivered} pages delivered twice, ${receivedAgain} received again after a failure`);
}

// What the table says: every step fired once, one escalation event per step, messages per incident.
console.log('checking the table …');
const timersFired = new Map<string, number>();
const eventsPerStep = new Map<string, number>();
const messagesPerIncident = new Map<string, number>();
let skipped = 0;
let start: Record<string, unknown> | undefined;
do {
  const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ProjectionExpression: 'PK, SK, #s, #t, #d, kind, outcome', ExpressionAttributeNames: { '#s': 'status', '#t': 'type', '#d': 'data' } }));
  for (const item of page.Items ?? []) {
    const sk = String(item.SK);
    if (sk.startsWith('TIMER#') && item.status === 'fired') timersFired.set(`${item.PK}|${sk}`, 1);
    if (sk.startsWith('TIMER#') && item.status === 'skipped') skipped++;
    if (sk.startsWith('EVT#') && item.type === 'escalation.fired') {
      const key = `${item.PK}|${(item.data as { stepId?: string } | undefined)?.stepId}`;
      eventsPerStep.set(key, (eventsPerStep.get(key) ?? 0) + 1);
    }
    if (sk.startsWith('MSG#') && item.kind === 'escalation') messagesPerIncident.set(String(item.PK), (messagesPerIncident.get(String(item.PK)) ?? 0) + 1);
  }
  start = page.LastEvaluatedKey;
} while (start);
const duplicates = [...eventsPerStep.values()].reduce((sum, n) => sum + n - 1, 0);
const settled = timersFired.size + skipped;
const targets = DEFAULT_LADDER.steps[STEPS_EACH - 1]!.targets.length;
const extraMessages = [...messagesPerIncident.values()].filter((n) => n !== targets).length;
const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);

console.log('');
console.log(`${DUE_STEPS} due steps on ${COUNT} incidents${values.inline ? ', the tick alone' : `, ${INSTANCES} instances, pages of ${PAGE_SIZE}`}, settled in groups of ${GROUP_SIZE} incident${GROUP_SIZE === 1 ? '' : 's'} (${CONCURRENCY} reads at once):`);
console.log(`  all settled ${settledSeconds.toFixed(1)} s after the tick started${values.inline ? '' : ` (the tick itself ${tickSeconds.toFixed(2)} s; a page p50 ${percentile(pageMs, 50).toFixed(0)} ms, p99 ${percentile(pageMs, 99).toFixed(0)} ms)`}`);
console.log(`  fired ${timersFired.size}, skipped ${skipped} (passed over: ${STEPS_EACH === 2 ? 'the 15-minute step of each incident' : 'none expected'}), settled ${settled} of ${DUE_STEPS}${values.inline ? '' : `; the instances fired ${firedByWorkers} and found ${staleByWorkers} already fired (redelivered pages)`}`);
console.log(`  ${Math.round(settled / settledSeconds)} steps settled a second: ${Math.round((100 * settled) / settledSeconds / floorRate)} % of the steps' DynamoDB calls alone (${Math.round(floorRate)}/s); DynamoDB Local's raw PutItem in this run ${Math.round(rawRate)}/s`);
console.log(`  duplicates: ${duplicates} (escalation events beyond one per step); incidents with other than ${targets} escalation messages: ${extraMessages} (one message per target and incident)`);
doc.destroy();
await dynamo.stop();
const exactlyOnce = settled === DUE_STEPS && timersFired.size === COUNT && duplicates === 0 && extraMessages === 0 && (values.inline ? tickFired === COUNT : true);
const inTime = settledSeconds <= 60;
console.log(`every due step fired or passed over, each once: ${exactlyOnce ? 'yes' : 'NO'}; within 60 s: ${inTime ? 'yes' : `NO (${settledSeconds.toFixed(0)} s)`}`);
if (!exactlyOnce || !inTime) process.exit(1);
