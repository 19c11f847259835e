/**
 * Alert-storm benchmark on the local stack (docs/benchmarks.md).
 *
 *   npm run bench:storm                      # 10,000 alerts of one fingerprint, then a mixed storm
 *   npm run bench:storm -- --alerts 2000 --concurrency 16 --mixed 1000
 *
 * 1. Raw DynamoDB Local PutItem throughput on this machine, same concurrency (the yardstick).
 * 2. Storm: N alerts of one fingerprint over HTTP → must be exactly 1 incident, counted N, 0 lost, 0 duplicates.
 * 3. Mixed storm across sources (Alertmanager groups, Grafana, Datadog, PagerDuty, GuardDuty, generic).
 * Prints throughput, the ingest/raw ratio (target ≥ 50 %), and p50/p95/p99 latency. Exits 1 if a
 * correctness check fails.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../local/dynamo-local.js';

// Quiet handlers (set before the logger module loads).
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { startLocalStack } = await import('../local/local-stack.js');

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    mixed: { type: 'string', default: '2000' },
    group: { type: 'string', default: '1000' },
  },
});
const GROUP = Number(values.group);
const ALERTS = Number(values.alerts);
const CONCURRENCY = Number(values.concurrency);
const MIXED = Number(values.mixed);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<{ results: T[]; seconds: number; latencies: number[] }> {
  const results: T[] = new Array(count);
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        results[i] = await task(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { results, seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function rawPutThroughput(client: DynamoDBClient, count: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  const table = `bench-raw-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
    }),
  );
  const item = (i: number) => ({ PK: { S: `ALERT#${i}` }, title: { S: 'Bulk export from customers table' }, severity: { S: 'high' }, n: { N: String(i) } });
  const { seconds, latencies } = await pool(count, CONCURRENCY, (i) => client.send(new PutItemCommand({ TableName: table, Item: item(i) })));
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-storm-'));
const stack = await startLocalStack({ dataDir, port: 0, dynamoPort: 0, clockIntervalMs: 60_000, log: (line) => console.error(`[local stack] ${line}`) });
const failures: string[] = [];
try {
  const client = localDynamoClient(stack.dynamoEndpoint);
  const ingestHeaders = { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' };
  const apiHeaders = { authorization: `Bearer ${stack.apiToken}` };
  const post = async (source: string, body: unknown, headers: Record<string, string> = ingestHeaders) => {
    const response = await fetch(`${stack.url}/alerts/${source}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const payload = (await response.json()) as { incidentId?: string; results?: { incidentId: string | null; outcome: string }[] };
    return { status: response.status, payload };
  };

  // Warm up DynamoDB Local's JVM, the handlers and the connections, so both figures are taken warm.
  console.log('warming up ...');
  await rawPutThroughput(client, 3000);
  await pool(1000, CONCURRENCY, (i) => post('generic', { title: 'warm-up', severity: 'info', fingerprint: `warm-${i % 4}`, observedAt: new Date().toISOString() }));
  console.log(`raw DynamoDB Local PutItem: ${ALERTS} items, concurrency ${CONCURRENCY} ...`);
  const raw = await rawPutThroughput(client, ALERTS);

  console.log(`storm: ${ALERTS} alerts of one fingerprint over HTTP, concurrency ${CONCURRENCY} ...`);
  const fingerprint = `storm-${randomUUID()}`;
  const storm = await pool(ALERTS, CONCURRENCY, () =>
    post('generic', { title: 'Credential stuffing on /login', severity: 'high', fingerprint, observedAt: new Date().toISOString(), details: { ip: '203.0.113.7' } }),
  );
  const accepted = storm.results.filter((r) => r.status === 202).length;
  const incidents = new Set(storm.results.map((r) => r.payload.incidentId));
  const [incidentId] = [...incidents];
  // The alert stream keeps and counts attached alerts (ADR 0011): wait until the count is exact (or 2 min).
  const answeredAt = performance.now();
  const readDetail = async () => (await (await fetch(`${stack.url}/api/incidents/${incidentId}`, { headers: apiHeaders })).json()) as { incident: { alertCount: number } };
  let detail = await readDetail();
  while (detail.incident.alertCount < ALERTS && performance.now() - answeredAt < 120_000) {
    await new Promise((r) => setTimeout(r, 100));
    detail = await readDetail();
  }
  const countedAfter = (performance.now() - answeredAt) / 1000;
  let stored = 0;
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: 'breachclock-local',
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
        ExpressionAttributeValues: { ':pk': { S: `INC#${incidentId}` }, ':alert': { S: 'ALERT#' } },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    stored += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  const stormRate = ALERTS / storm.seconds;
  if (accepted !== ALERTS) failures.push(`storm: ${ALERTS - accepted} requests not accepted`);
  if (incidents.size !== 1) failures.push(`storm: ${incidents.size} incidents instead of 1`);
  if (detail.incident.alertCount !== ALERTS) failures.push(`storm: alertCount ${detail.incident.alertCount} instead of ${ALERTS}`);
  if (stored !== ALERTS) failures.push(`storm: ${stored} alert records instead of ${ALERTS}`);

  console.log(`mixed storm: ${MIXED} requests across sources ...`);
  const now = () => new Date().toISOString();
  // Request i goes to kind i % 6; r = its round, which spreads the fingerprints of each kind.
  const r = (i: number) => Math.floor(i / 6);
  const mixedKinds = [
    (i: number) => post('alertmanager', {
      version: '4', groupKey: `g${r(i) % 5}`, status: 'firing', receiver: 'breachclock', groupLabels: {}, commonLabels: {}, commonAnnotations: {},
      alerts: [0, 1].map((k) => ({ status: 'firing', labels: { alertname: `Exfil${r(i) % 5}`, breach_candidate: 'true', shard: String(k) }, annotations: {}, startsAt: now(), fingerprint: `am-${r(i) % 5}-${k}` })),
    }),
    (i: number) => post('grafana', { receiver: 'b', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: `G${r(i) % 3}`, category: 'security' }, annotations: {}, startsAt: now(), fingerprint: `gf-${r(i) % 3}` }] }),
    (i: number) => post('datadog', { id: `dd-${i}`, aggreg_key: `agg-${r(i) % 4}`, title: `[Triggered] Logins ${r(i) % 4}`, tags: 'security:true', alert_priority: 'P2', date: String(Date.now()) }),
    (i: number) => post('pagerduty', { routing_key: 'unused', event_action: 'trigger', dedup_key: `pd-${r(i) % 2}`, payload: { summary: `WAF ${r(i) % 2}`, source: 'waf', severity: 'error', class: 'security' } }),
    (i: number) => post('guardduty', { 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', id: `gd-event-${i}`, detail: { id: `gd-${r(i) % 3}`, type: 'UnauthorizedAccess:IAMUser/ConsoleLogin', accountId: '1', region: 'eu-west-1', severity: 8, title: 'Console login', createdAt: now() } }),
    (i: number) => post('generic', { title: 'CPU high', severity: 'low', fingerprint: `cpu-${r(i) % 2}`, observedAt: now() }),
  ];
  const mixed = await pool(MIXED, CONCURRENCY, (i) => mixedKinds[i % mixedKinds.length]!(i));
  const mixedAccepted = mixed.results.filter((r) => r.status === 202).length;
  const mixedIncidents = new Set(mixed.results.flatMap((r) => (r.payload.results ?? []).map((x) => x.incidentId)).filter(Boolean));
  // 5 Alertmanager groups (one incident per groupKey) + 3 Grafana + 4 Datadog + 2 PagerDuty + 3 GuardDuty + 2 generic fingerprints
  const expectedIncidents = 5 + 3 + 4 + 2 + 3 + 2;
  if (mixedAccepted !== MIXED) failures.push(`mixed: ${MIXED - mixedAccepted} requests not accepted`);
  if (mixedIncidents.size !== expectedIncidents) failures.push(`mixed: ${mixedIncidents.size} incidents instead of ${expectedIncidents}`);

  // 4. One Alertmanager notification carrying a group of GROUP alerts (one attack on many instances), then the
  //    same notification again (repeat_interval, or a retry after a timeout): one incident, GROUP alerts counted.
  const groupBody = {
    version: '4', groupKey: '{}:{alertname="CredentialStuffing"}', status: 'firing', receiver: 'breachclock', groupLabels: { alertname: 'CredentialStuffing' }, commonLabels: {}, commonAnnotations: {},
    alerts: Array.from({ length: GROUP }, (_, k) => ({ status: 'firing', labels: { alertname: 'CredentialStuffing', breach_candidate: 'true', instance: `web-${k}:443` }, annotations: { summary: 'Login failures from many IPs' }, startsAt: now(), fingerprint: `cs-${k}` })),
  };
  const groupStarted = performance.now();
  const groupFirst = await post('alertmanager', groupBody);
  const groupMs = performance.now() - groupStarted;
  const repeatStarted = performance.now();
  const groupRepeat = await post('alertmanager', groupBody);
  const repeatMs = performance.now() - repeatStarted;
  const groupIncidents = new Set((groupFirst.payload.results ?? []).map((x) => x.incidentId));
  const [groupIncident] = [...groupIncidents];
  // A large group is answered at once and placed from the table's stream: wait until every alert is counted.
  const readGroup = async () => (await (await fetch(`${stack.url}/api/incidents/${groupIncident}`, { headers: apiHeaders })).json()) as { incident: { alertCount: number } };
  let groupDetail = await readGroup();
  // (Placing waits behind the stream records the earlier phases wrote: the local poller reads them in order.)
  for (const until = performance.now() + 300_000; groupDetail.incident.alertCount < GROUP && performance.now() < until; groupDetail = await readGroup()) await new Promise((r) => setTimeout(r, 100));
  const placedMs = performance.now() - groupStarted;
  if (groupFirst.status !== 202 || groupRepeat.status !== 202) failures.push(`group: answered ${groupFirst.status} / ${groupRepeat.status}`);
  if (groupIncidents.size !== 1) failures.push(`group: ${groupIncidents.size} incidents instead of 1`);
  if (groupDetail.incident.alertCount !== GROUP) failures.push(`group: alertCount ${groupDetail.incident.alertCount} instead of ${GROUP}`);

  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log('');
  console.table({
    'raw PutItem': { 'per second': Math.round(raw.perSecond), p50: ms(raw.p50), p95: '', p99: ms(raw.p99) },
    'storm (1 fingerprint)': {
      'per second': Math.round(stormRate),
      p50: ms(percentile(storm.latencies, 50)),
      p95: ms(percentile(storm.latencies, 95)),
      p99: ms(percentile(storm.latencies, 99)),
    },
    'mixed sources': {
      'per second': Math.round(MIXED / mixed.seconds),
      p50: ms(percentile(mixed.latencies, 50)),
      p95: ms(percentile(mixed.latencies, 95)),
      p99: ms(percentile(mixed.latencies, 99)),
    },
  });
  console.log(`storm: ${accepted}/${ALERTS} accepted, ${incidents.size} incident, alertCount ${detail.incident.alertCount} (exact ${countedAfter.toFixed(1)} s after the last answer), ${stored} alert records`);
  console.log(`mixed: ${mixedAccepted}/${MIXED} accepted, ${mixedIncidents.size} incidents (expected ${expectedIncidents})`);
  console.log(`group: ${GROUP} Alertmanager alerts in one notification answered in ${Math.round(groupMs)} ms (repeat: ${Math.round(repeatMs)} ms), all placed after ${(placedMs / 1000).toFixed(1)} s, ${groupIncidents.size} incident, alertCount ${groupDetail.incident.alertCount}`);
  console.log(`ingest / raw PutItem throughput: ${((stormRate / raw.perSecond) * 100).toFixed(0)} % (target ≥ 50 %)`);
  client.destroy();
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
