import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendChunk, SendQueue } from '../lambdas/ports/notice-delivery.js';

/** The queue's own table in DynamoDB Local (not the application's table: on AWS this is SQS). */
export const SEND_QUEUE_TABLE = 'breachclock-local-send-queue';
const BY_QUEUE = 'byQueue';

export interface DeadLetter {
  readonly id: string;
  readonly noticeId: string;
  readonly index: number;
  readonly receiveCount: number;
  readonly lastError?: string;
}

export interface DurableSendQueueOptions {
  readonly doc: DynamoDBDocumentClient;
  /** Default `breachclock-local-send-queue`. */
  readonly tableName?: string;
  /** File holding the AES-256 key that encrypts message bodies at rest (they carry addresses; SQS uses KMS on AWS). */
  readonly keyFile: string;
  /** Time of the stack (virtual locally): visibility deadlines are kept in it, so advancing it redelivers. */
  readonly clock: { now(): Date };
  /** Messages processed at once (the SQS event source's maximum concurrency on AWS). */
  readonly concurrency?: number;
  /** How long a received message stays invisible (SQS VisibilityTimeout; 900 s on AWS). */
  readonly visibilityTimeoutMs?: number;
  /** Receives before a message moves to the dead-letter queue (SQS maxReceiveCount; 8 on AWS). */
  readonly maxReceiveCount?: number;
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
  /** The dead-letter queue's alarm (on AWS: SendFailuresAlarm to the operators' topic). */
  readonly onDeadLetter?: (dead: DeadLetter) => void;
}

/** Creates the queue's table (idempotent) and waits until it is active. */
export async function ensureSendQueueTable(client: DynamoDBClient, tableName = SEND_QUEUE_TABLE): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'queue', AttributeType: 'S' },
          { AttributeName: 'visibleAt', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: BY_QUEUE,
            KeySchema: [
              { AttributeName: 'queue', KeyType: 'HASH' },
              { AttributeName: 'visibleAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await delay(100);
  }
}

interface QueueItem {
  readonly id: string;
  readonly queue: 'send' | 'dead';
  readonly visibleAt: number;
  readonly receiveCount: number;
  readonly body: string;
  readonly noticeId: string;
  readonly index: number;
  readonly receipt?: string;
  readonly lastError?: string;
}

/**
 * The local send queue, durable and with SQS's semantics, kept in a table of its own in DynamoDB Local (so in
 * the data directory): a received message is invisible for the visibility timeout and deleted only when its
 * consumer succeeds; a failed or interrupted one (an error, a crash, a kill -9) is received again once the
 * timeout has passed; after `maxReceiveCount` receives it moves to the dead-letter queue and raises the alarm.
 * After a restart, sending resumes by itself. Delivery is at least once, as with SQS: the consumer (the same
 * `sendChunk` as on AWS) makes every recipient's send idempotent and parks interrupted ones for review.
 */
export class DurableSendQueue implements SendQueue {
  private readonly key: Buffer;
  private readonly table: string;
  private consumer?: (chunk: SendChunk) => Promise<unknown>;
  private readonly running = new Set<Promise<void>>();
  private polling?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: DurableSendQueueOptions) {
    let key: Buffer | undefined;
    try {
      key = Buffer.from(readFileSync(options.keyFile, 'utf8'), 'base64');
    } catch {
      // first start
    }
    if (!key || key.length !== 32) {
      key = randomBytes(32);
      writeFileSync(options.keyFile, key.toString('base64'), { mode: 0o600 });
    }
    this.key = key;
    this.table = options.tableName ?? SEND_QUEUE_TABLE;
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 4;
  }

  private seal(chunk: SendChunk): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(chunk), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  private open(body: string): SendChunk {
    const raw = Buffer.from(body, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as SendChunk;
  }

  async enqueue(chunks: readonly SendChunk[]): Promise<void> {
    for (const chunk of chunks) {
      // Same size limit as SQS (256 KiB per message): a chunk that would not fit there must not pass here.
      if (Buffer.byteLength(JSON.stringify(chunk)) > 262_144) throw new Error(`send chunk ${chunk.index} exceeds the 256 KiB message limit`);
    }
    for (const chunk of chunks) {
      const item: QueueItem = { id: randomUUID(), queue: 'send', visibleAt: this.options.clock.now().getTime(), receiveCount: 0, body: this.seal(chunk), noticeId: chunk.noticeId, index: chunk.index };
      await this.options.doc.send(new PutCommand({ TableName: this.table, Item: item }));
    }
  }

  /** Starts receiving: messages left by an earlier run are received too, once visible. */
  consume(consumer: (chunk: SendChunk) => Promise<unknown>): void {
    this.consumer = consumer;
    this.polling ??= this.poll();
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.running.size < this.concurrency) await this.receive(this.concurrency - this.running.size);
      } catch (error) {
        if (!this.stopped) this.options.log?.(`send queue receive failed: ${(error as Error).message}`);
      }
      await delay(this.options.pollMs ?? 100);
    }
  }

  private async receive(max: number): Promise<void> {
    const now = this.options.clock.now().getTime();
    const { Items = [] } = await this.options.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_QUEUE,
        KeyConditionExpression: '#q = :send AND visibleAt <= :now',
        ExpressionAttributeNames: { '#q': 'queue' },
        ExpressionAttributeValues: { ':send': 'send', ':now': now },
        Limit: max,
      }),
    );
    for (const seen of Items as QueueItem[]) {
      if (this.stopped) return;
      if (seen.receiveCount >= (this.options.maxReceiveCount ?? 8)) {
        await this.deadLetter(seen);
        continue;
      }
      const receipt = randomUUID();
      const taken = await this.options.doc
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: { id: seen.id },
            UpdateExpression: 'SET visibleAt = :next, receipt = :receipt ADD receiveCount :one',
            ConditionExpression: '#q = :send AND visibleAt = :seen',
            ExpressionAttributeNames: { '#q': 'queue' },
            ExpressionAttributeValues: { ':next': now + (this.options.visibilityTimeoutMs ?? 180_000), ':receipt': receipt, ':one': 1, ':send': 'send', ':seen': seen.visibleAt },
          }),
        )
        .then(
          () => true,
          (error: unknown) => {
            if ((error as Error).name === 'ConditionalCheckFailedException') return false;
            throw error;
          },
        );
      if (!taken) continue;
      const work = this.process(seen, receipt).finally(() => this.running.delete(work));
      this.running.add(work);
    }
  }

  private async process(item: QueueItem, receipt: string): Promise<void> {
    try {
      await this.consumer!(this.open(item.body));
    } catch (error) {
      // Left invisible until its visibility timeout passes, then received again (as SQS does).
      const message = String((error as Error).message).slice(0, 300);
      await this.options.doc
        .send(new UpdateCommand({ TableName: this.table, Key: { id: item.id }, UpdateExpression: 'SET lastError = :e', ConditionExpression: 'receipt = :r', ExpressionAttributeValues: { ':e': message, ':r': receipt } }))
        .catch(() => undefined);
      return;
    }
    // Deleted only with the receipt of this receive: a message received again meanwhile is not lost.
    await this.options.doc
      .send(new DeleteCommand({ TableName: this.table, Key: { id: item.id }, ConditionExpression: 'receipt = :r', ExpressionAttributeValues: { ':r': receipt } }))
      .catch((error: unknown) => {
        if ((error as Error).name !== 'ConditionalCheckFailedException') this.options.log?.(`send queue delete failed: ${(error as Error).message}`);
      });
  }

  private async deadLetter(item: QueueItem): Promise<void> {
    const moved = await this.options.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: item.id },
          UpdateExpression: 'SET #q = :dead REMOVE receipt',
          ConditionExpression: '#q = :send AND visibleAt = :seen',
          ExpressionAttributeNames: { '#q': 'queue' },
          ExpressionAttributeValues: { ':dead': 'dead', ':send': 'send', ':seen': item.visibleAt },
        }),
      )
      .then(
        () => true,
        () => false,
      );
    if (!moved) return;
    const dead: DeadLetter = { id: item.id, noticeId: item.noticeId, index: item.index, receiveCount: item.receiveCount, ...(item.lastError ? { lastError: item.lastError } : {}) };
    this.options.log?.(`send chunk ${item.noticeId}#${item.index} dead-lettered after ${item.receiveCount} receives: ${item.lastError ?? 'no error recorded'}`);
    this.options.onDeadLetter?.(dead);
  }

  private async count(queue: 'send' | 'dead'): Promise<number> {
    const { Count = 0 } = await this.options.doc.send(
      new QueryCommand({ TableName: this.table, IndexName: BY_QUEUE, KeyConditionExpression: '#q = :q', ExpressionAttributeNames: { '#q': 'queue' }, ExpressionAttributeValues: { ':q': queue }, Select: 'COUNT' }),
    );
    return Count;
  }

  /** Messages waiting or in flight, and dead-lettered (SQS's ApproximateNumberOfMessages of both queues). */
  async depth(): Promise<{ queued: number; inFlight: number; dead: number }> {
    return { queued: await this.count('send'), inFlight: this.running.size, dead: await this.count('dead') };
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const { Items = [] } = await this.options.doc.send(
      new QueryCommand({ TableName: this.table, IndexName: BY_QUEUE, KeyConditionExpression: '#q = :q', ExpressionAttributeNames: { '#q': 'queue' }, ExpressionAttributeValues: { ':q': 'dead' } }),
    );
    return (Items as QueueItem[]).map((item) => ({ id: item.id, noticeId: item.noticeId, index: item.index, receiveCount: item.receiveCount, ...(item.lastError ? { lastError: item.lastError } : {}) }));
  }

  /** Resolves when nothing is queued or in flight (dead letters aside). */
  async idle(): Promise<void> {
    while ((await this.count('send')) > 0 || this.running.size) await delay(100);
  }

  /** Stops receiving and lets the messages in flight finish (their sends are recorded, not parked). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.polling;
    await Promise.allSettled([...this.running]);
  }
}
