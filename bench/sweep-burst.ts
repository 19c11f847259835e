/**
 * Due-burst benchmark (issue 14.5; docs/benchmarks.md).
 *
 *   npm run bench:sweep                      # 2,000 incidents whose 15-minute step falls due at once
 *   npm run bench:sweep -- --incidents 500 --concurrency 8
 *
 * Seeds the incidents on DynamoDB Local (each with its escalation ladder), moves the clock past the first
 * step, and runs the sweep as the clock function does: reading page after page of the due index within its
 * budget (40 s of the function's 55 s). For comparison, the sweep as it was (one page of 500 a minute) is
 * timed on a second table of 500: the burst then takes ceil(N / 500) sweeps a minute apart. Prints steps
 * fired per sweep, the sweep's duration, and how late the last step fires. Exits 1 unless every step fires
 * in the first sweep, within a minute. (DynamoDB Local slows as its single due partition grows, so seeding
 * 2,000 takes a few minutes.)
 */
import { parseArgs } from 'node:util';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { startDynamoLocal } = await import('../local/dynamo-local.js');
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { openIncident } = await import('../lambdas/domain/incident.js');
const { DEFAULT_LADDER, planTimers } = await import('../lambdas/domain/escalation-ladder.js');
const { sweepDueTimers } = await import('../lambdas/app/sweep-due-timers.js');
const { benchStore, seedOpenIncidents } = await import('./seed-incidents.js');

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const COUNT = Number(values.incidents);
const CONCURRENCY = Number(values.concurrency);
const T0 = new Date('2026-11-23T02:00:00Z');
const DUE = new Date(T0.getTime() + 16 * 60_000);

const dynamo = await startDynamoLocal(); // in memory: seeding on disk is slow and measures the disk
const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });

async function seed(tableName: string, count: number) {
  const store = await benchStore(dynamo.endpoint, doc, tableName);
  await seedOpenIncidents(store, count, 8, (i) => {
    const opened = openIncident({ id: `INC-B-${i}`, title: `Incident ${i}`, severity: 'high', source: 'generic', fingerprint: `f-${i}` }, T0);
    return { ...opened, timers: planTimers(opened.incident, DEFAULT_LADDER) };
  });
  return store;
}

console.log('seeding …');
// The small table first: DynamoDB Local slows down for a table created after a large burst was swept.
const before = await seed('bench-before', Math.min(500, COUNT));
let t = performance.now();
const drained = await seed('bench-drain', COUNT);
console.log(`seeded ${COUNT} incidents in ${((performance.now() - t) / 1000).toFixed(1)} s; the 15-minute step of each is due`);
const clock = { now: () => DUE };

// Now: one sweep drains the burst within its budget.
console.log('sweeping …');
t = performance.now();
const report = await sweepDueTimers({ store: drained, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, concurrency: CONCURRENCY });
const sweepSeconds = (performance.now() - t) / 1000;
console.log(`now: one sweep fired ${report.fired} of ${COUNT} in ${sweepSeconds.toFixed(1)} s (${report.rounds} pages of the due index, ${((sweepSeconds * 1000) / Math.max(1, report.fired)).toFixed(1)} ms per step with ${CONCURRENCY} incidents in parallel); errors ${report.errors}`);

// Before: one page of 500 per sweep (8 in parallel), one sweep a minute.
t = performance.now();
// Its table holds one page (500): the sweep reads it and finds no more, as the old sweep stopped after one page.
const page = await sweepDueTimers({ store: before, clock, ladder: DEFAULT_LADDER, redeliver: async () => {}, batchSize: 500, concurrency: 8 });
const pageSeconds = (performance.now() - t) / 1000;
const sweeps = Math.ceil(COUNT / 500);
console.log(`before: a sweep settled one page of ${page.fired} in ${pageSeconds.toFixed(1)} s; ${COUNT} due take ${sweeps} sweeps a minute apart, the last step about ${(sweeps - 1 + pageSeconds / 60).toFixed(1)} min after it was due`);

doc.destroy();
await dynamo.stop();
if (report.fired !== COUNT || sweepSeconds > 55) process.exit(1);
