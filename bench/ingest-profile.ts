/**
 * Where a warm ingest request's CPU goes (issue 14.3; docs/benchmarks.md).
 *
 *   npm run bench:ingest-profile                     # 1,500 mixed requests (24 fingerprints), one at a time
 *   npm run bench:ingest-profile -- --requests 3000
 *
 * One warm "Lambda instance" in this process: the ingest handler with its own DynamoDB client and
 * fingerprint cache, serving one request at a time against DynamoDB Local (a separate JVM, so none of its
 * CPU is counted here). The yardstick, in the same run and through the same client: the hot path's own write
 * alone, the delivery record the handler put, put again under new keys on the same condition. Each phase runs
 * under V8's sampling profiler after a warm-up. Prints wall time and this process's CPU per request, and the
 * sampled CPU by what ran: our code, zod, RE2JS, the AWS SDK, Node's HTTP and streams, socket writes, GC.
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { values } = parseArgs({ options: { requests: { type: 'string', default: '1500' } } });
const REQUESTS = Number(values.requests);
const WARM_UP = 400;

const { startDynamoLocal, ensureTable, localDynamoClient } = await import('../local/dynamo-local.js');
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { DynamoIncidentStore } = await import('../lambdas/adapters/dynamo/dynamo-incident-store.js');
const { randomIds } = await import('../lambdas/adapters/random-ids.js');
const { makeIngestHandler } = await import('../lambdas/handlers/ingest-alert.handler.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { DEFAULT_ROUTING } = await import('../lambdas/domain/routing.js');
const { FingerprintCache } = await import('../lambdas/app/fingerprint-cache.js');
const { toApiGatewayEvent } = await import('../local/api-gateway-event.js');

const dynamo = await startDynamoLocal();
const tableName = 'bench-ingest-profile';
await ensureTable(localDynamoClient(dynamo.endpoint), tableName);
const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
// The handler's own put of a delivery record, kept to be replayed as the yardstick. (A document client's
// command reaches the stack's initialize step as PutItemCommand, its input not marshalled yet.)
let deliveryPut: PutCommandInput | undefined;
doc.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as PutCommandInput;
    if ((context as { commandName?: string }).commandName === 'PutItemCommand' && String(input.Item?.PK).startsWith('DELIVERY#')) deliveryPut = structuredClone(input);
    return next(args);
  },
  { step: 'initialize', name: 'benchCaptureDeliveryPut' },
);
const handler = makeIngestHandler({
  ingest: { store: new DynamoIncidentStore(doc, tableName), clock: { now: () => new Date() }, ids: randomIds, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, fingerprints: new FingerprintCache() },
  credentials: async () => ({ tokens: ['bench-token'], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
  maxBodyBytes: 1_048_576,
  snsAllowedTopicArns: [],
});
const context = { awsRequestId: 'bench', functionName: 'bench' } as never;

let sent = 0;
async function alertRequest(): Promise<void> {
  const i = sent++;
  const body = JSON.stringify({ title: `Mixed ${i % 24}`, severity: 'high', fingerprint: `mixed-${i % 24}`, id: `mix-${i}`, observedAt: new Date().toISOString() });
  const event = toApiGatewayEvent({ method: 'POST', url: '/alerts/generic', routeKey: 'POST /alerts/{source}', pathParameters: { source: 'generic' }, headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' }, body });
  const result = await handler(event, context);
  if (result.statusCode !== 202) throw new Error(`expected 202, got ${result.statusCode}: ${result.body}`);
}
let replayed = 0;
async function ownWriteAlone(): Promise<void> {
  if (!deliveryPut) throw new Error('the ingest phase put no delivery record to replay');
  await doc.send(new PutCommand({ ...deliveryPut, Item: { ...deliveryPut.Item, PK: `DELIVERY#yardstick#${replayed++}` } }));
}

interface ProfileNode { id: number; callFrame: { url: string; functionName: string } }
/** What a sampled frame belongs to. */
function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (/^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/.test(functionName)) return 'socket writes (the system call)';
    if (functionName === '(garbage collector)') return 'garbage collector';
    return 'V8 and native code';
  }
  if (url.includes('/lambdas/')) return 'our code (lambdas/)';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('/node_modules/re2js/')) return 'RE2JS';
  if (/\/node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(url)) return 'AWS SDK';
  if (url.includes('/node_modules/@aws-lambda-powertools/') || url.includes('/node_modules/@middy/')) return 'Powertools and middy';
  if (/^node:(internal\/)?(_?http|net|stream|internal\/streams|events|internal\/stream_base)/.test(url)) return "Node's HTTP, sockets and streams";
  if (url.startsWith('node:internal/crypto') || url === 'node:crypto') return "Node's crypto (request signing)";
  if (url.startsWith('node:')) return 'Node, other';
  if (url.includes('/bench/') || url.includes('/local/')) return 'the benchmark itself';
  return 'other';
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });

async function phase(name: string, request: () => Promise<void>) {
  for (let i = 0; i < WARM_UP; i++) await request();
  await session.post('Profiler.start');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) await request();
  const wallMs = (performance.now() - started) / REQUESTS;
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const groups = new Map<string, number>();
  let sampled = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    sampled += ms;
    const group = groupOf(frame);
    groups.set(group, (groups.get(group) ?? 0) + ms);
  });
  return { name, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / REQUESTS, sampled, groups };
}

const alerts = await phase('an ingest request (mixed, 24 fingerprints, warm instance)', alertRequest);
const yardstick = await phase("the hot path's own write alone (the same PutItem, same client)", ownWriteAlone);
session.disconnect();
await dynamo.stop();

console.log(`\n${REQUESTS} requests one at a time after ${WARM_UP} to warm up, against DynamoDB Local (its CPU is not counted here)\n`);
for (const p of [alerts, yardstick]) console.log(`${p.name}: ${p.wallMs.toFixed(2)} ms each, this process's CPU ${p.cpuMs.toFixed(2)} ms each`);
console.log(`the handler adds ${(alerts.cpuMs - yardstick.cpuMs).toFixed(2)} ms of CPU to its write (${(((alerts.cpuMs - yardstick.cpuMs) / alerts.cpuMs) * 100).toFixed(0)} % of a request's)\n`);
const names = [...new Set([...alerts.groups.keys(), ...yardstick.groups.keys()])].sort((a, b) => (alerts.groups.get(b) ?? 0) - (alerts.groups.get(a) ?? 0));
const perRequest = (p: typeof alerts, group: string) => ((p.groups.get(group) ?? 0) / REQUESTS).toFixed(3);
const share = (p: typeof alerts, group: string) => `${(((p.groups.get(group) ?? 0) / p.sampled) * 100).toFixed(1)} %`;
console.log('sampled CPU per request, by what ran:');
console.table(Object.fromEntries(names.map((group) => [group, { 'ingest, ms': perRequest(alerts, group), 'ingest, share': share(alerts, group), 'own write alone, ms': perRequest(yardstick, group), 'own write alone, share': share(yardstick, group) }])));
process.exit(0);
