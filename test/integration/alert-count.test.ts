import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoAlertBatchQueue } from '../../lambdas/adapters/dynamo/dynamo-alert-batch-queue.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { ingestAlert, type IngestDeps, type NormalisedAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { attachedAlertOf, makeIngestBatchHandler } from '../../lambdas/handlers/ingest-batch.handler.js';
import { StreamPoller } from '../../local/stream-poller.js';
import { drainAlertStream, freshTable, testEndpoint } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { lambdaContext } from '../support/http-events.js';
import { T0 } from '../support/fixtures.js';

/**
 * Issue 14.2 (ADR 0011): an attached alert is one conditional put of its delivery record, and the alert
 * stream keeps the instance and folds it into the count. The stream delivers at least once, in any batch shape, and two consumers may fold the
 * same records at once (a retried batch next to its successor): the count must come out exact anyway.
 */
describe('the alert stream counts every attached alert exactly once', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let clock: FakeClock;
  let deps: IngestDeps;

  const alert = (fingerprint: string, n: number): NormalisedAlert => ({ source: 'generic', fingerprint, title: `Attack ${fingerprint}`, severity: 'high', observedAt: T0.toISOString(), senderEventId: `${fingerprint}-${n}` });

  /** Every record the table's stream holds (as DynamoDB Local's stream gives them, in order). */
  async function streamRecords(): Promise<DynamoDBRecord[]> {
    const records: DynamoDBRecord[] = [];
    const reader = new StreamPoller({ endpoint: testEndpoint(), tableName, consume: async (event) => void records.push(...event.Records) });
    while ((await reader.pollOnce()) > 0);
    reader.stop();
    return records;
  }

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    clock = new FakeClock(T0);
    deps = { store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
  });

  it('under redelivery, duplicates within a batch, shuffled batches and two consumers at once', async () => {
    // Lambda's execution model: no batcher, no cache; 3 incidents, 60 alerts each, 8 requests at a time.
    const fingerprints = ['a', 'b', 'c'];
    for (const fingerprint of fingerprints) await ingestAlert(deps, alert(fingerprint, 0));
    const work = fingerprints.flatMap((fingerprint) => Array.from({ length: 59 }, (_, i) => ({ fingerprint, n: i + 1 })));
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let at = next++; at < work.length; at = next++) {
        clock.set(new Date(T0.getTime() + at * 1_000));
        await ingestAlert(deps, alert(work[at]!.fingerprint, work[at]!.n));
      }
    }));
    const open = await store.listOpenIncidents();
    // The hot path wrote one delivery record per alert: nothing counted, no instance kept yet.
    expect(open.map((i) => i.alertCount)).toEqual([1, 1, 1]);
    expect((await store.listIncidentAlerts(open[0]!.id, { limit: 100, order: 'oldest' })).alerts).toHaveLength(1);

    const records = (await streamRecords()).filter((record) => attachedAlertOf(record));
    expect(records).toHaveLength(177);
    const handler = makeIngestBatchHandler({ ingest: deps, batches: new DynamoAlertBatchQueue(doc, tableName) });
    const fold = async (batch: DynamoDBRecord[]) => expect((await handler({ Records: batch }, lambdaContext)).batchItemFailures).toEqual([]);

    // The newest records first, in odd batch sizes, some twice within a batch.
    const reversed = [...records].reverse();
    for (let at = 0; at < 60; at += 17) await fold([...reversed.slice(at, at + 17), ...reversed.slice(at, at + 3)]);
    // The rest, each batch by two consumers at once (a retry next to its successor), then all of it again.
    const rest = reversed.slice(60);
    for (let at = 0; at < rest.length; at += 41) {
      const batch = rest.slice(at, at + 41);
      await Promise.all([fold(batch), fold([...batch].reverse())]);
    }
    await fold(records);

    for (const fingerprint of fingerprints) {
      const incident = open.find((i) => i.fingerprint === fingerprint)!;
      const counted = await store.getIncident(incident.id);
      expect(counted!.alertCount).toBe(60);
      // lastAlertAt: the latest alert's time, although the newest were folded first (it never moves back).
      const newest = (await store.listIncidentAlerts(incident.id, { limit: 1, order: 'newest' })).alerts[0]!;
      expect(counted!.lastAlertAt).toBe(newest.receivedAt);
      expect(counted!.version).toBe(incident.version); // counting is not a decision: no version, no chain link
    }
    // Each instance kept once, next to the count (the opening alert was kept when the incident opened).
    const kept = (await store.listIncidentAlerts(open[0]!.id, { limit: 100, order: 'oldest' })).alerts;
    expect(kept).toHaveLength(60);
    expect(new Set(kept.map((a) => a.alertId)).size).toBe(60);
  }, 180_000);

  it('a decision racing the count keeps both: the count is exact and the decision is not undone', async () => {
    await ingestAlert(deps, alert('a', 0));
    for (let n = 1; n <= 30; n++) await ingestAlert(deps, alert('a', n));
    const records = (await streamRecords()).filter((record) => attachedAlertOf(record));
    const handler = makeIngestBatchHandler({ ingest: deps, batches: new DynamoAlertBatchQueue(doc, tableName) });
    const { actOnIncident } = await import('../../lambdas/app/act-on-incident.js');
    await Promise.all([
      ...[0, 10, 20].map(async (at) => expect((await handler({ Records: records.slice(at, at + 10) }, lambdaContext)).batchItemFailures).toEqual([])),
      actOnIncident({ store, clock, ladder: DEFAULT_LADDER }, 'INC-T-1', { type: 'acknowledge' }, 'ana'),
    ]);
    expect(await store.getIncident('INC-T-1')).toMatchObject({ alertCount: 31, status: 'acknowledged', acknowledgedBy: 'ana' });
  });
});

describe('the local stream poller honours reported failures, as the event source mapping does', () => {
  it('reads a failed record again with those after it, until it succeeds; nothing before it twice, nothing lost', async () => {
    const { doc, tableName } = await freshTable();
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    for (let i = 0; i < 12; i++) await doc.send(new PutCommand({ TableName: tableName, Item: { PK: `P#${String(i).padStart(2, '0')}`, SK: 'X', n: i } }));
    const seen: number[] = [];
    let failuresLeft = 2;
    const poller = new StreamPoller({
      endpoint: testEndpoint(),
      tableName,
      consume: async (event) => {
        const batchItemFailures: { itemIdentifier: string }[] = [];
        for (const record of event.Records) {
          const n = Number(record.dynamodb?.NewImage?.n?.N);
          if (n === 7 && failuresLeft > 0) {
            failuresLeft--;
            batchItemFailures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
            break;
          }
          seen.push(n);
        }
        return [{ batchItemFailures }, { batchItemFailures: [] }];
      },
    });
    for (let polls = 0; polls < 10 && (await poller.pollOnce()) > 0; polls++);
    poller.stop();
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(failuresLeft).toBe(0);
  });
});

describe('one bad record never stops the alert stream (issue 27.5, fuzz run)', () => {
  it('an attached alert with an empty map in its details is counted, and so is every alert after it', async () => {
    const { store, doc, tableName } = await freshTable();
    const deps: IngestDeps = { store, clock: new FakeClock(T0), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
    const base = { source: 'generic', fingerprint: 'empty-map', title: 'Attack', severity: 'high' as const, observedAt: T0.toISOString() };
    await ingestAlert(deps, { ...base, senderEventId: 'e-0' });
    // DynamoDB Local's stream gives the empty map back as `{}`: unmarshalling it threw outside the per-record settling.
    await ingestAlert(deps, { ...base, senderEventId: 'e-1', details: { a: {} } });
    await ingestAlert(deps, { ...base, senderEventId: 'e-2', details: { b: [], c: {} } });
    await ingestAlert(deps, { ...base, senderEventId: 'e-3' });
    await drainAlertStream(tableName, doc, deps);
    const [incident] = await store.listOpenIncidents();
    expect(incident!.alertCount).toBe(4);
    const kept = (await store.listIncidentAlerts(incident!.id, { limit: 10, order: 'oldest' })).alerts;
    expect(kept.map((a) => a.senderEventId)).toEqual(['e-0', 'e-1', 'e-2', 'e-3']);
  });
});

describe('the local stream poller parks a record that keeps failing (issue 27.5)', () => {
  it('a consumer that throws on one record every time: the others are consumed, the record is parked with its error, and can be replayed', async () => {
    const { doc, tableName } = await freshTable();
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    for (let i = 0; i < 12; i++) await doc.send(new PutCommand({ TableName: tableName, Item: { PK: `P#${String(i).padStart(2, '0')}`, SK: 'X', n: i } }));
    const parkedFile = join(mkdtempSync(join(tmpdir(), 'parked-')), 'parked-stream-records.jsonl');
    const seen = new Set<number>();
    let poisoned = true;
    const errors: string[] = [];
    const poller = new StreamPoller({
      endpoint: testEndpoint(),
      tableName,
      parkedFile,
      // The whole batch throws (as the alert consumer did on `{}`), not a reported item failure.
      consume: async (event) => {
        const numbers = event.Records.map((record) => Number(record.dynamodb?.NewImage?.n?.N));
        if (poisoned && numbers.includes(7)) throw new Error('No value defined: {}');
        for (const n of numbers) seen.add(n);
      },
      onError: (error) => errors.push((error as Error).message),
    });
    for (let polls = 0; polls < 40 && (await poller.pollOnce()) > 0; polls++);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11]);
    const parked = readFileSync(parkedFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { sequenceNumber: string; error: string; record: { dynamodb: { NewImage: { n: { N: string } } } } });
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ error: 'Error: No value defined: {}', record: { dynamodb: { NewImage: { n: { N: '7' } } } } });
    expect(errors.some((message) => message.includes(`stream record ${parked[0]!.sequenceNumber} parked`))).toBe(true);
    // Fixed consumer: replaying the parked records consumes them and empties the file.
    poisoned = false;
    expect(await poller.replayParked()).toEqual({ replayed: 1, stillFailing: 0 });
    expect(seen.has(7)).toBe(true);
    expect(readFileSync(parkedFile, 'utf8')).toBe('');
    poller.stop();
  }, 60_000);
});
