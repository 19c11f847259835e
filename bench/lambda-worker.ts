/**
 * One "Lambda instance" of bench/lambda-storm.ts: its own ingest handler (own DynamoDB client, own
 * fingerprint cache and attach batcher: nothing shared with the other instances), serving one request at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
const { DynamoIncidentStore } = await import('../lambdas/adapters/dynamo/dynamo-incident-store.js');
const { randomIds } = await import('../lambdas/adapters/random-ids.js');
const { makeIngestHandler } = await import('../lambdas/handlers/ingest-alert.handler.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { DEFAULT_ROUTING } = await import('../lambdas/domain/routing.js');
const { toApiGatewayEvent } = await import('../local/api-gateway-event.js');
const { ConcurrentUpdateError, FingerprintTakenError } = await import('../lambdas/ports/incident-store.js');

const { FingerprintCache } = await import('../lambdas/app/fingerprint-cache.js');
const { AttachBatcher } = await import('../lambdas/app/attach-batcher.js');
const { endpoint, tableName, token, cold } = workerData as { endpoint: string; tableName: string; token: string; cold: boolean };
const doc = createDocumentClient({ endpoint, region: 'local' });
// What each request costs in DynamoDB calls, by command (GetItem, Query, UpdateItem, TransactWriteItems …).
const calls: Record<string, number> = {};
doc.middlewareStack.add((next, context) => async (args) => {
  const name = String((context as { commandName?: string }).commandName ?? 'unknown').replace(/Command$/, '');
  calls[name] = (calls[name] ?? 0) + 1;
  return next(args);
}, { step: 'initialize', name: 'benchCallCounter' });
const store = new DynamoIncidentStore(doc, tableName);
let conflicts = 0;
// Count the transactions that lost a race (each is retried by the ingest loop).
for (const method of ['attachAlerts', 'openIncident'] as const) {
  const original = store[method].bind(store) as (arg: never) => Promise<void>;
  (store as unknown as Record<string, unknown>)[method] = async (arg: never) => {
    try {
      return await original(arg);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError || error instanceof FingerprintTakenError) conflicts++;
      throw error;
    }
  };
}
// As the runtime builds it at cold start (ingestDepsFor): the instance's own fingerprint cache and attach
// batcher, kept across the requests it serves one after another; with --cold, none (every request cold).
const handler = makeIngestHandler({
  ingest: { store, clock: { now: () => new Date() }, ids: randomIds, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, ...(cold ? {} : { fingerprints: new FingerprintCache(), batcher: new AttachBatcher(store) }) },
  credentials: async () => ({ tokens: [token], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
  maxBodyBytes: 1_048_576,
  snsAllowedTopicArns: [],
});
const context = { awsRequestId: 'bench', functionName: 'bench' } as never;

parentPort!.on('message', async (message: { source: string; body: string } | { rawPut: string; table: string; item?: Record<string, unknown> } | 'stop') => {
  if (message === 'stop') return process.exit(0);
  if ('rawPut' in message) {
    // The yardsticks through the same instances: one PutItem per request and nothing else (with `item`: the
    // hot path's own put, conditional, into the breachclock table).
    const started = performance.now();
    const item = message.item ? { ...message.item, PK: message.rawPut } : { PK: message.rawPut, title: 'Bulk export from customers table', severity: 'high' };
    await doc.send(new PutCommand({ TableName: message.table, Item: item, ...(message.item ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}) }));
    const cpu = process.threadCpuUsage();
    return parentPort!.postMessage({ status: 202, body: '{}', ms: performance.now() - started, conflicts, calls: { ...calls, cpuMicros: cpu.user + cpu.system } });
  }
  const event = toApiGatewayEvent({ method: 'POST', url: `/alerts/${message.source}`, routeKey: 'POST /alerts/{source}', pathParameters: { source: message.source }, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: message.body });
  const started = performance.now();
  const result = await handler(event, context);
  // The thread's own CPU time so far (what one instance spends handling, apart from waiting on DynamoDB).
  const cpu = process.threadCpuUsage();
  parentPort!.postMessage({ status: result.statusCode, body: result.body, ms: performance.now() - started, conflicts, calls: { ...calls, cpuMicros: cpu.user + cpu.system } });
});
parentPort!.postMessage('ready');
