/**
 * List-latency benchmark (issue 14.4; docs/benchmarks.md).
 *
 *   npm run bench:list                       # 100 vs 10,000 open incidents
 *   npm run bench:list -- --large 3000 --runs 40
 *
 * Seeds two tables on DynamoDB Local (one with `--small` open incidents, one with `--large`), then times
 * `GET /api/incidents` through the API handler, interleaved: the first page (100, the paged list) and, for the
 * record, reading every open incident (what the list did before paging). Prints medians, p95, the answer's
 * size and the large ÷ small ratios (target for the paged list: ≤ 1.5×). Exits 1 if the target is missed or a
 * page is not in deadline order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { startDynamoLocal } = await import('../local/dynamo-local.js');
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { openIncident } = await import('../lambdas/domain/incident.js');
const { clockSummary } = await import('../lambdas/domain/urgency.js');
const { makeApiHandler } = await import('../lambdas/handlers/api.handler.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { toApiGatewayEvent } = await import('../local/api-gateway-event.js');
const { benchStore, seedOpenIncidents } = await import('./seed-incidents.js');

const { values } = parseArgs({ options: { small: { type: 'string', default: '100' }, large: { type: 'string', default: '10000' }, runs: { type: 'string', default: '30' } } });
const SMALL = Number(values.small);
const LARGE = Number(values.large);
const RUNS = Number(values.runs);
const NOW = new Date('2026-11-23T12:00:00Z');

const dir = mkdtempSync(join(tmpdir(), 'breachclock-bench-list-'));
const dynamo = await startDynamoLocal({ dbPath: dir });
const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });

async function seed(tableName: string, count: number) {
  const store = await benchStore(dynamo.endpoint, doc, tableName);
  const started = performance.now();
  await seedOpenIncidents(store, count, 16, (i) => {
    // Detected over the last 70 hours, in no particular order: the list must sort by deadline.
    const detected = new Date(NOW.getTime() - ((i * 7_919) % (70 * 60)) * 60_000);
    const opened = openIncident({ id: `INC-B-${i}`, title: `Incident ${i} with a title of usual length`, severity: 'high', source: 'generic', fingerprint: `f-${i}`, observedAt: detected.toISOString() }, detected);
    return { ...opened, incident: { ...opened.incident, nextDeadlineAt: clockSummary(opened.incident, NOW).nextDeadlineAt } };
  });
  return { store, seconds: (performance.now() - started) / 1000 };
}

const small = await seed('bench-small', SMALL);
const large = await seed('bench-large', LARGE);
console.log(`seeded ${SMALL} open incidents in ${small.seconds.toFixed(1)} s and ${LARGE} in ${large.seconds.toFixed(1)} s`);

const clock = { now: () => NOW };
const handlerFor = (store: Awaited<ReturnType<typeof benchStore>>) => makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] } });
const handlers = { small: handlerFor(small.store), large: handlerFor(large.store) };
const context = { awsRequestId: 'bench', functionName: 'bench' } as never;

async function timePage(which: 'small' | 'large'): Promise<{ ms: number; bytes: number; ordered: boolean }> {
  const event = toApiGatewayEvent({ method: 'GET', url: '/api/incidents', routeKey: 'GET /api/incidents', headers: { authorization: 'Bearer t' } });
  const t = performance.now();
  const result = await handlers[which](event, context);
  const ms = performance.now() - t;
  const body = JSON.parse(result.body ?? '{}') as { incidents: { clocks: { dueAt: string }[] }[] };
  const dues = body.incidents.map((i) => i.clocks[0]!.dueAt);
  return { ms, bytes: (result.body ?? '').length, ordered: dues.every((d, k) => k === 0 || dues[k - 1]! <= d) };
}

async function timeAll(which: 'small' | 'large'): Promise<{ ms: number; count: number }> {
  const t = performance.now();
  const all = await (which === 'small' ? small.store : large.store).listOpenIncidents();
  return { ms: performance.now() - t, count: all.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

// Warm up, then interleave so both sizes see the same machine noise.
for (let i = 0; i < 3; i++) await Promise.all([timePage('small'), timePage('large')]);
const page = { small: [] as number[], large: [] as number[] };
const all = { small: [] as number[], large: [] as number[] };
let bytes = { small: 0, large: 0 };
let ordered = true;
for (let i = 0; i < RUNS; i++) {
  for (const which of ['small', 'large'] as const) {
    const r = await timePage(which);
    page[which].push(r.ms);
    bytes = { ...bytes, [which]: r.bytes };
    ordered &&= r.ordered;
  }
}
for (let i = 0; i < Math.max(3, Math.floor(RUNS / 6)); i++) for (const which of ['small', 'large'] as const) all[which].push((await timeAll(which)).ms);

const ratio = median(page.large) / median(page.small);
console.log(`GET /api/incidents, first page (${RUNS} runs each, interleaved):`);
console.log(`  ${SMALL} open: median ${median(page.small).toFixed(1)} ms, p95 ${p95(page.small).toFixed(1)} ms, ${(bytes.small / 1024).toFixed(0)} kB`);
console.log(`  ${LARGE} open: median ${median(page.large).toFixed(1)} ms, p95 ${p95(page.large).toFixed(1)} ms, ${(bytes.large / 1024).toFixed(0)} kB`);
console.log(`  ratio large ÷ small: ${ratio.toFixed(2)}× (target ≤ 1.5×); pages in deadline order: ${ordered}`);
console.log(`reading every open incident (the list before paging), for the record:`);
console.log(`  ${SMALL}: median ${median(all.small).toFixed(0)} ms; ${LARGE}: median ${median(all.large).toFixed(0)} ms (${(median(all.large) / median(all.small)).toFixed(1)}×)`);

doc.destroy();
await dynamo.stop();
rmSync(dir, { recursive: true, force: true });
if (ratio > 1.5 || !ordered) process.exit(1);
