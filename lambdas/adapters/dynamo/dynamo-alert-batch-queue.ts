import { DeleteCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertBatchChunk, AlertBatchQueue } from '../../ports/alert-batch-queue.js';
import { TABLE_KEYS as K } from './table-definition.js';

const key = (batchId: string, chunk: number) => ({ PK: `BATCH#${batchId}`, SK: `CHUNK#${String(chunk).padStart(4, '0')}` });

/** Chunks of a large alert group as items of the one table (entity AlertBatch); the stream hands them on. */
export class DynamoAlertBatchQueue implements AlertBatchQueue {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionMs = 7 * 86_400_000,
  ) {}

  async enqueue(chunks: readonly AlertBatchChunk[]): Promise<void> {
    const expiresAt = Math.floor((Date.now() + this.retentionMs) / 1000);
    // At most 100 items per transaction; a group of 5 MiB is well under that many 300 kB chunks.
    for (let at = 0; at < chunks.length; at += 100) {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: chunks.slice(at, at + 100).map((c) => ({
            Put: {
              TableName: this.tableName,
              Item: { ...key(c.batchId, c.chunk), entity: 'AlertBatch', batchId: c.batchId, chunk: c.chunk, alerts: JSON.stringify(c.alerts), [K.ttlAttribute]: expiresAt },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          })),
        }),
      );
    }
  }

  async get(batchId: string, chunk: number): Promise<AlertBatchChunk | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key(batchId, chunk), ConsistentRead: true }));
    if (!result.Item) return undefined;
    return { batchId, chunk, alerts: JSON.parse(String(result.Item.alerts)) as AlertBatchChunk['alerts'] };
  }

  async done(batchId: string, chunk: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key(batchId, chunk) }));
  }
}
