import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { repairEmptyMaps } from '../lambdas/shared/stream-records.js';

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  /** Where the last processed sequence number per shard is kept, so a restart resumes instead of replaying. */
  readonly checkpointFile?: string;
  readonly intervalMs?: number;
  readonly consume: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /**
   * Where a record that keeps failing is parked (one JSON line each: when, shard, sequence number, the error
   * and the record itself), to be looked at and replayed (`replayParked`); on AWS, the on-failure destination.
   * Without it such a record is only logged and passed over.
   */
  readonly parkedFile?: string;
  readonly onError?: (error: unknown) => void;
}

/** A record parked after it kept failing (a line of `parkedFile`). */
export interface ParkedRecord {
  readonly parkedAt: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly error: string;
  readonly record: DynamoDBRecord;
}

/**
 * Feeds DynamoDB Local's stream to the consumers the way the Lambda event source mapping does on AWS:
 * batches of records in order per shard, at least once (the consumers are idempotent); a record a consumer
 * reports failed is read again with those after it, up to 5 times, then parked. A batch whose consumer throws
 * (a fault outside its per-record settling) is read again up to 5 times, then record by record (as bisect on
 * error does), parking each record that still fails: one bad record never stops the stream.
 */
export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | undefined>();
  private readonly checkpoints: Record<string, string>;
  private streamArn?: string;
  private timer?: NodeJS.Timeout;
  private running = false;
  private lastDescribe = 0;
  private stopped = false;
  /** Attempts of a failed record (its sequence number), so a record that always fails is passed over. */
  private readonly failures = new Map<string, number>();

  constructor(private readonly options: StreamPollerOptions) {
    this.client = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    this.checkpoints = {};
    if (options.checkpointFile) {
      try {
        Object.assign(this.checkpoints, JSON.parse(readFileSync(options.checkpointFile, 'utf8')));
      } catch {
        // first start
      }
    }
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      if (!this.running) {
        this.running = true;
        try {
          await this.pollOnce();
        } catch (error) {
          this.options.onError?.(error);
        } finally {
          this.running = false;
        }
      }
      // Like the event source mapping's batching window: records that came meanwhile go in the next batch.
      if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 200);
    };
    void tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.client.destroy();
  }

  private async discoverShards(): Promise<void> {
    if (!this.streamArn) {
      const { Streams } = await this.client.send(new ListStreamsCommand({ TableName: this.options.tableName }));
      this.streamArn = Streams?.[0]?.StreamArn;
      if (!this.streamArn) throw new Error(`Table ${this.options.tableName} has no stream`);
    }
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (this.iterators.has(shardId)) continue;
      const after = this.checkpoints[shardId];
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      this.iterators.set(shardId, ShardIterator);
    }
    this.lastDescribe = Date.now();
  }

  private async iteratorAt(shardId: string, sequenceNumber: string): Promise<string | undefined> {
    const { ShardIterator } = await this.client.send(new GetShardIteratorCommand({ StreamArn: this.streamArn!, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: sequenceNumber }));
    return ShardIterator;
  }

  /** Reads every shard once and hands each non-empty batch to the consumer. Returns the number of records. */
  async pollOnce(): Promise<number> {
    if (this.iterators.size === 0 || Date.now() - this.lastDescribe > 5_000) await this.discoverShards();
    let total = 0;
    for (const [shardId, iterator] of this.iterators) {
      if (!iterator) continue;
      let page;
      try {
        // Up to 1,000 a read (GetRecords' maximum): a storm's alerts are counted in few, large batches.
        page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
        // The iterator points before what DynamoDB Local still keeps, or expired: take a new one for this shard
        // on the next poll (from the checkpoint; from the oldest record if the checkpoint itself was trimmed:
        // consumers are idempotent, so a redelivery is harmless). Other shards go on.
        this.iterators.delete(shardId);
        if (name === 'TrimmedDataAccessException') delete this.checkpoints[shardId];
        this.lastDescribe = 0;
        this.options.onError?.(error);
        continue;
      }
      const { Records, NextShardIterator } = page;
      if (Records?.length) {
        const records = Records.map(toLambdaRecord);
        let failed: string | undefined;
        try {
          failed = failedSequence(await this.options.consume({ Records: records }));
        } catch (error) {
          const first = records[0]!.dynamodb!.SequenceNumber!;
          const attempts = (this.failures.get(first) ?? 0) + 1;
          if (attempts <= MAX_RETRIES) {
            // The whole batch failed: read it again from its first record.
            this.failures.set(first, attempts);
            this.iterators.set(shardId, await this.iteratorAt(shardId, first));
            this.options.onError?.(new Error(`stream batch from record ${first} failed (attempt ${attempts} of ${MAX_RETRIES}, ${(error as Error).name}); reading again from it`));
            total += 1;
            continue;
          }
          // Still failing: each record alone, parking those that fail alone.
          for (const record of records) {
            try {
              const alone = failedSequence(await this.options.consume({ Records: [record] }));
              if (alone !== undefined) this.park(shardId, record, new Error(`reported failed (after ${MAX_RETRIES} failed batches)`));
            } catch (aloneError) {
              this.park(shardId, record, aloneError);
            }
          }
          this.failures.clear();
          this.checkpoint(shardId, records[records.length - 1]!.dynamodb!.SequenceNumber!);
          total += records.length;
          this.iterators.set(shardId, NextShardIterator);
          continue;
        }
        const at = failed === undefined ? -1 : records.findIndex((record) => record.dynamodb?.SequenceNumber === failed);
        const attempts = at < 0 ? 0 : (this.failures.get(failed!) ?? 0) + 1;
        if (at >= 0 && attempts <= MAX_RETRIES) {
          // As Lambda's event source mapping does with ReportBatchItemFailures: the records before the first
          // failed one are done; from it on, the batch is read again (consumers are idempotent).
          this.failures.set(failed!, attempts);
          if (at > 0) this.checkpoint(shardId, records[at - 1]!.dynamodb!.SequenceNumber!);
          this.iterators.set(shardId, await this.iteratorAt(shardId, failed!));
          this.options.onError?.(new Error(`stream record ${failed} failed (attempt ${attempts} of ${MAX_RETRIES}); reading again from it`));
          total += Math.max(at, 1);
          continue;
        }
        if (at >= 0) this.park(shardId, records[at]!, new Error(`reported failed ${MAX_RETRIES + 1} times`));
        this.failures.clear();
        this.checkpoint(shardId, records[records.length - 1]!.dynamodb!.SequenceNumber!);
        total += records.length;
      }
      this.iterators.set(shardId, NextShardIterator);
    }
    return total;
  }

  private checkpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    if (this.options.checkpointFile) writeFileSync(this.options.checkpointFile, JSON.stringify(this.checkpoints));
  }

  /** Keeps a record that kept failing aside; the log line names it by sequence number and error kind only (no content). */
  private park(shardId: string, record: DynamoDBRecord, error: unknown): void {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    const entry: ParkedRecord = { parkedAt: new Date().toISOString(), shardId, sequenceNumber, error: String(error), record };
    if (this.options.parkedFile) appendFileSync(this.options.parkedFile, `${JSON.stringify(entry)}\n`);
    const where = this.options.parkedFile ? `parked in ${this.options.parkedFile}` : 'passed over';
    this.options.onError?.(new Error(`stream record ${sequenceNumber} parked (${(error as Error).name ?? 'Error'}): ${where}; on AWS, the on-failure destination`));
  }

  /** The records parked so far. */
  parked(): ParkedRecord[] {
    const file = this.options.parkedFile;
    if (!file || !existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ParkedRecord);
  }

  /** Hands each parked record to the consumer again, alone; those that still fail stay parked (with their new error). */
  async replayParked(): Promise<{ replayed: number; stillFailing: number }> {
    const file = this.options.parkedFile;
    if (!file) return { replayed: 0, stillFailing: 0 };
    const still: ParkedRecord[] = [];
    let replayed = 0;
    for (const entry of this.parked()) {
      try {
        if (failedSequence(await this.options.consume({ Records: [entry.record] })) !== undefined) still.push({ ...entry, error: 'reported failed on replay' });
        else replayed++;
      } catch (error) {
        still.push({ ...entry, error: String(error) });
      }
    }
    writeFileSync(file, still.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    return { replayed, stillFailing: still.length };
  }
}

const MAX_RETRIES = 5;

/**
 * The first failed record a consumer reported (ReportBatchItemFailures), from one response or several (the
 * local stack hands each batch to all its consumers at once). Sequence numbers of one shard grow in order.
 */
function failedSequence(result: unknown): string | undefined {
  const responses = (Array.isArray(result) ? result : [result]) as ({ batchItemFailures?: { itemIdentifier: string }[] } | undefined)[];
  const failed = responses.flatMap((response) => response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier).filter(Boolean);
  return failed.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))[0];
}

function toLambdaRecord(record: _Record): DynamoDBRecord {
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    dynamodb: {
      // DynamoDB Local's stream gives a nested empty map as `{}` (AWS: `{"M":{}}`): the consumers see what AWS sends.
      Keys: (record.dynamodb?.Keys && repairEmptyMaps(record.dynamodb.Keys)) as never,
      NewImage: (record.dynamodb?.NewImage && repairEmptyMaps(record.dynamodb.NewImage)) as never,
      SequenceNumber: record.dynamodb?.SequenceNumber,
      SizeBytes: record.dynamodb?.SizeBytes,
      StreamViewType: record.dynamodb?.StreamViewType,
    },
  };
}
