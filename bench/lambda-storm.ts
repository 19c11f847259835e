/**
 * Alert storms with AWS Lambda's execution model (issue 14.1; docs/benchmarks.md).
 *
 *   npm run bench:lambda                          # 2,000 alerts of one fingerprint, then mixed, 16 instances
 *   npm run bench:lambda -- --alerts 1000 --instances 32
 *
 * Each "Lambda instance" is a worker thread with its own ingest handler and DynamoDB client, serving one
 * request at a time: its fingerprint cache and attach batcher are its own (a warm Lambda instance keeps them
 * between requests), nothing is shared with the other instances, as on AWS; --cold: no cache at all. All
 * run against one DynamoDB Local, whose raw PutItem throughput at the same concurrency is measured first in
 * the same run (the yardstick). Prints accepted, rejected (503), lost (accepted but not stored), transactions that lost a race
 * (retried), throughput ÷ raw PutItem, p50/p99 and how long until the incident's count is exact.
 *
 * The alert stream runs as its event source mapping does on AWS (ADR 0011): one reader of the table's stream
 * feeding the alert-stream consumer, which folds attached alerts into their incident's count. Here it shares
 * DynamoDB Local and the cores with the storm; with --fold-after it starts once a storm is answered (the hot
 * path alone, then how long the count takes to catch up).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startDynamoLocal, ensureTable, localDynamoClient } = await import('../local/dynamo-local.js');

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '2000' }, instances: { type: 'string', default: '16' }, mixed: { type: 'string', default: '1000' }, cold: { type: 'boolean', default: false }, 'fold-after': { type: 'boolean', default: false } } });
const ALERTS = Number(values.alerts);
const INSTANCES = Number(values.instances);
const MIXED = Number(values.mixed);
const TOKEN = 'bench-token';

const dynamo = await startDynamoLocal();
const client = localDynamoClient(dynamo.endpoint);
const tableName = 'bench-lambda';
await ensureTable(client, tableName);

// The alert stream's consumer, fed from the table's stream like Lambda's event source mapping.
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { DynamoIncidentStore } = await import('../lambdas/adapters/dynamo/dynamo-incident-store.js');
const { DynamoAlertBatchQueue } = await import('../lambdas/adapters/dynamo/dynamo-alert-batch-queue.js');
const { makeIngestBatchHandler } = await import('../lambdas/handlers/ingest-batch.handler.js');
const { randomIds } = await import('../lambdas/adapters/random-ids.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { DEFAULT_ROUTING } = await import('../lambdas/domain/routing.js');
const { StreamPoller } = await import('../local/stream-poller.js');
const streamDoc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
const alertStream = makeIngestBatchHandler({
  ingest: { store: new DynamoIncidentStore(streamDoc, tableName), clock: { now: () => new Date() }, ids: randomIds, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
  batches: new DynamoAlertBatchQueue(streamDoc, tableName),
});
// --fold-after: the alert stream holds back while a storm is being answered (the hot path alone, then the catch-up).
const FOLD_AFTER = values['fold-after'];
let holdBack = false;
const poller = new StreamPoller({
  endpoint: dynamo.endpoint,
  tableName,
  intervalMs: 250,
  consume: async (event) => {
    while (holdBack) await new Promise((resolve) => setTimeout(resolve, 50));
    return alertStream(event, { awsRequestId: 'bench' } as never);
  },
});
poller.start();

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** A plain table (a hash key, no stream, no index): the yardsticks' PutItems go to a fresh one. */
async function plainTable(): Promise<string> {
  const table = `bench-raw-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }] }));
  return table;
}

async function rawPut(count: number): Promise<number> {
  const table = await plainTable();
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: INSTANCES }, async () => {
    for (let i = next++; i < count; i = next++) await client.send(new PutItemCommand({ TableName: table, Item: { PK: { S: `ALERT#${i}` }, title: { S: 'Bulk export from customers table' }, severity: { S: 'high' } } }));
  }));
  return count / ((performance.now() - started) / 1000);
}

const workers = await Promise.all(
  Array.from({ length: INSTANCES }, () => new Promise<Worker>((resolve, reject) => {
    const worker = new Worker(new URL('./lambda-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'], workerData: { endpoint: dynamo.endpoint, tableName, token: TOKEN, cold: values.cold } });
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  })),
);

/** Each instance's running totals of DynamoDB calls, as last reported: a phase's cost is the difference of two snapshots. */
const latestCalls = new Map<Worker, Record<string, number>>();

type Result = { status: number; body: string; ms: number; conflicts: number; calls: Record<string, number> };
/** Every request goes to a free instance; an instance takes the next only after answering (one at a time). */
async function storm(requests: readonly ({ source: string; body: string } | { rawPut: string; table: string; item?: Record<string, unknown> })[]): Promise<{ results: Result[]; seconds: number; conflicts: number; calls: Record<string, number> }> {
  const results: Result[] = new Array(requests.length);
  const conflictsBy = new Map<Worker, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(workers.map((worker) => new Promise<void>((resolve) => {
    const send = () => {
      if (next >= requests.length) return resolve();
      const i = next++;
      worker.once('message', (result: Result) => {
        results[i] = result;
        // Each instance reports its running total of races lost.
        conflictsBy.set(worker, result.conflicts);
        latestCalls.set(worker, result.calls);
        send();
      });
      worker.postMessage(requests[i]);
    };
    send();
  })));
  const calls: Record<string, number> = {};
  for (const perWorker of latestCalls.values()) for (const [name, n] of Object.entries(perWorker)) calls[name] = (calls[name] ?? 0) + n;
  return { results, seconds: (performance.now() - started) / 1000, conflicts: [...conflictsBy.values()].reduce((a, b) => a + b, 0), calls };
}

async function countAlerts(incidentId: string): Promise<number> {
  let stored = 0;
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await client.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)', ExpressionAttributeValues: { ':pk': { S: `INC#${incidentId}` }, ':a': { S: 'ALERT#' } }, Select: 'COUNT', ExclusiveStartKey: start }));
    stored += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return stored;
}

async function alertCount(incidentId: string): Promise<number> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: `INC#${incidentId}` }, SK: { S: 'META' } }, ConsistentRead: true }));
  return Number(Item?.alertCount?.N ?? 0);
}

console.log(`warming up (${INSTANCES} instances) ...`);
await rawPut(1000);
const warm = await storm(Array.from({ length: 400 }, (_, i) => ({ source: 'generic', body: JSON.stringify({ title: 'warm-up', severity: 'info', fingerprint: `warm-${i % 8}` }) })));
const raw = await rawPut(ALERTS);
// The same PutItem through the same instances (worker threads, messages, their clients): what the harness
// costs with no handler at all. The gap between the two yardsticks is this machine, not the design.
const rawTable = await plainTable();
const throughInstances = await storm(Array.from({ length: ALERTS }, (_, i) => ({ rawPut: `ALERT#${i}`, table: rawTable })));
const rawInstances = ALERTS / throughInstances.seconds;
// And the hot path's own write without the handler: an attached alert's delivery record (the alert inside,
// as ingest builds it), conditional, into the breachclock table (its stream on, as in the storm).
const sampleAlert = { alertId: randomUUID(), incidentId: 'INC-YARDSTICK', source: 'generic', fingerprint: 'yardstick', title: 'Credential stuffing on /login', severity: 'high', status: 'firing', outcome: 'attached', rule: 'generic-alerts-open', receivedAt: new Date().toISOString(), observedAt: new Date().toISOString(), senderEventId: 'evt-0', raw: JSON.stringify({ title: 'Credential stuffing on /login', severity: 'high', fingerprint: 'yardstick', id: 'evt-0', observedAt: new Date().toISOString() }) };
// (Its outcome is not "attached", so the alert stream passes over these records instead of counting them.)
const deliveryItem = { SK: 'DELIVERY', entity: 'Delivery', outcome: 'yardstick', alertId: sampleAlert.alertId, incidentId: sampleAlert.incidentId, alertKey: { PK: 'INC#INC-YARDSTICK', SK: 'ALERT#x' }, alert: sampleAlert, expiresAt: Math.floor(Date.now() / 1000) + 604_800 };
const hotPathOnly = await storm(Array.from({ length: ALERTS }, (_, i) => ({ rawPut: `DELIVERY#yardstick#evt-${i}`, table: tableName, item: deliveryItem })));
const hotPathRate = ALERTS / hotPathOnly.seconds;

console.log(`storm: ${ALERTS} alerts of one fingerprint, one request per instance at a time ...`);
const fingerprint = `storm-${randomUUID()}`;
holdBack = FOLD_AFTER;
const one = await storm(Array.from({ length: ALERTS }, (_, i) => ({ source: 'generic', body: JSON.stringify({ title: 'Credential stuffing on /login', severity: 'high', fingerprint, id: `evt-${i}`, observedAt: new Date().toISOString() }) })));
holdBack = false;
const accepted = one.results.filter((r) => r.status === 202);
const rejected = one.results.filter((r) => r.status === 503).length;
const incidentIds = new Set(accepted.map((r) => (JSON.parse(r.body) as { incidentId: string }).incidentId));
const [incidentId] = [...incidentIds];
const exactFrom = performance.now();
let counted = await alertCount(incidentId!);
while (counted !== accepted.length && performance.now() - exactFrom < 60_000) {
  await new Promise((r) => setTimeout(r, 100));
  counted = await alertCount(incidentId!);
}
const exactAfter = (performance.now() - exactFrom) / 1000;
// Lost: accepted but not kept as an instance once the alert stream has caught up.
const stored = await countAlerts(incidentId!);

console.log(`mixed: ${MIXED} requests over 24 fingerprints ...`);
holdBack = FOLD_AFTER;
const mixed = await storm(Array.from({ length: MIXED }, (_, i) => ({ source: 'generic', body: JSON.stringify({ title: `Mixed ${i % 24}`, severity: 'high', fingerprint: `mixed-${i % 24}`, id: `mix-${i}`, observedAt: new Date().toISOString() }) })));
holdBack = false;
const mixedAccepted = mixed.results.filter((r) => r.status === 202).length;
const mixedIncidents = [...new Set(mixed.results.filter((r) => r.status === 202).map((r) => (JSON.parse(r.body) as { incidentId: string }).incidentId))];
const mixedFrom = performance.now();
const mixedCounted = async () => (await Promise.all(mixedIncidents.map(alertCount))).reduce((a, b) => a + b, 0);
let mixedTotal = await mixedCounted();
while (mixedTotal !== mixedAccepted && performance.now() - mixedFrom < 60_000) {
  await new Promise((r) => setTimeout(r, 100));
  mixedTotal = await mixedCounted();
}
const mixedExactAfter = (performance.now() - mixedFrom) / 1000;

/** DynamoDB calls per request in a phase (the instances report running totals). */
const perRequest = (after: Record<string, number>, before: Record<string, number>, requests: number) =>
  Object.entries(after).filter(([name]) => name !== 'cpuMicros').map(([name, n]) => [name, (n - (before[name] ?? 0)) / requests] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n.toFixed(2)}`).join(', ');
const rate = ALERTS / one.seconds;
const mixedRate = MIXED / mixed.seconds;
console.log('');
console.log(`${INSTANCES} instances${values.cold ? ', every request cold (no fingerprint cache)' : ', each with its own fingerprint cache'}; raw DynamoDB Local PutItem, ${INSTANCES} at a time: ${Math.round(raw)}/s; the same through the ${INSTANCES} instances (no handler): ${Math.round(rawInstances)}/s`);
console.log(`the hot path's own write alone (an attached alert's delivery record, conditional, into the breachclock table with its stream), through the instances: ${Math.round(hotPathRate)}/s`);
const ofInstances = (perSecond: number) => `${((perSecond / rawInstances) * 100).toFixed(0)} % of PutItem through the instances, ${((perSecond / hotPathRate) * 100).toFixed(0)} % of its own write alone`;
console.log(`one fingerprint: ${accepted.length}/${ALERTS} accepted, ${rejected} rejected (503), ${accepted.length - stored} lost, ${one.conflicts} transactions lost a race and were retried; ${incidentIds.size} incident; ${Math.round(rate)}/s = ${((rate / raw) * 100).toFixed(0)} % of raw PutItem, ${ofInstances(rate)}; p50 ${percentile(one.results.map((r) => r.ms), 50).toFixed(0)} ms, p99 ${percentile(one.results.map((r) => r.ms), 99).toFixed(0)} ms; count exact ${counted === accepted.length ? `${exactAfter.toFixed(1)} s after the last answer` : `NOT within 60 s (${counted} of ${accepted.length})`}`);
console.log(`mixed (24 fingerprints): ${mixedAccepted}/${MIXED} accepted, ${mixed.conflicts - one.conflicts} races retried; ${Math.round(mixedRate)}/s = ${((mixedRate / raw) * 100).toFixed(0)} % of raw PutItem, ${ofInstances(mixedRate)}; p50 ${percentile(mixed.results.map((r) => r.ms), 50).toFixed(0)} ms, p99 ${percentile(mixed.results.map((r) => r.ms), 99).toFixed(0)} ms; counts of its ${mixedIncidents.length} incidents exact ${mixedTotal === mixedAccepted ? `${mixedExactAfter.toFixed(1)} s after the last answer` : `NOT within 60 s (${mixedTotal} of ${mixedAccepted})`}`);
const cpuMs = (after: Record<string, number>, before: Record<string, number>, requests: number) => ((after.cpuMicros! - (before.cpuMicros ?? 0)) / 1000 / requests).toFixed(1);
const cores = (await import('node:os')).availableParallelism();
console.log(`CPU per request in the instances: PutItem alone ${cpuMs(throughInstances.calls, warm.calls, ALERTS)} ms; one fingerprint ${cpuMs(one.calls, hotPathOnly.calls, ALERTS)} ms, mixed ${cpuMs(mixed.calls, one.calls, MIXED)} ms (${INSTANCES} instances share ${cores} cores here with DynamoDB Local; on AWS each has its own)`);
console.log(`DynamoDB calls per request, one fingerprint: ${perRequest(one.calls, hotPathOnly.calls, ALERTS)}`);
console.log(`DynamoDB calls per request, mixed: ${perRequest(mixed.calls, one.calls, MIXED)}`);
for (const worker of workers) worker.postMessage('stop');
poller.stop();
client.destroy();
await dynamo.stop();
