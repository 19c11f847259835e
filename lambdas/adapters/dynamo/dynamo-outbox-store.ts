import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimedOutboxMessage, OutboxStore, StoredOutboxMessage } from '../../ports/outbox-store.js';
import { messageKey } from './items/outbox-message.js';
import type { StoreContext } from './store-context.js';
import { DUE_PARTITION, TABLE_KEYS as K } from './table-definition.js';
import { conditionFailed, stripKeys } from './transaction.js';

/** The dispatcher's outbox: claim a message with a lease, deliver it once, record the outcome. */
export class DynamoOutboxStore implements OutboxStore {
  constructor(private readonly ctx: StoreContext) {}

  async getMessage(incidentId: string, messageId: string): Promise<StoredOutboxMessage | undefined> {
    const result = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: messageKey(incidentId, messageId), ConsistentRead: true }),
    );
    return result.Item ? stripKeys<StoredOutboxMessage>(result.Item) : undefined;
  }

  async claim(incidentId: string, messageId: string, now: Date, leaseMs: number, dueNow: Date = now): Promise<ClaimedOutboxMessage | undefined> {
    try {
      const result = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: messageKey(incidentId, messageId),
          UpdateExpression: 'SET #status = :sending, leaseUntil = :lease ADD attempts :one',
          // A pending message with a scheduled retry (retryAt) waits for it; one given up on (failed) can be re-driven by hand.
          ConditionExpression:
            'attribute_exists(PK) AND ((#status = :pending AND (attribute_not_exists(retryAt) OR retryAt <= :dueNow)) OR #status = :failed OR (#status = :sending AND leaseUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':failed': 'failed',
            ':now': now.toISOString(),
            ':dueNow': dueNow.toISOString(),
            ':lease': new Date(now.getTime() + leaseMs).toISOString(),
            ':one': 1,
          },
          // The item before: whether the previous attempt ended (pending, failed) or was cut off (sending).
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!result.Attributes) return undefined;
      const before = stripKeys<StoredOutboxMessage>(result.Attributes);
      return { ...before, status: 'sending', attempts: (before.attempts ?? 0) + 1, leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), outcomeUnknown: before.status === 'sending' };
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }

  async markDelivered(incidentId: string, messageId: string, now: Date, providerMessageId: string | undefined): Promise<void> {
    await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: messageKey(incidentId, messageId),
        UpdateExpression: `SET #status = :delivered, deliveredAt = :now${providerMessageId ? ', providerMessageId = :pid' : ''} REMOVE leaseUntil, #dp, #d, lastError, retryAt`,
        ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: { ':delivered': 'delivered', ':now': now.toISOString(), ...(providerMessageId ? { ':pid': providerMessageId } : {}) },
      }),
    );
  }

  async markUnconfirmed(incidentId: string, messageId: string, now: Date, why: string): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: messageKey(incidentId, messageId),
          // Out of the due index: the clock does not re-drive it, and claim() never takes an unconfirmed message.
          UpdateExpression: 'SET #status = :unconfirmed, unconfirmedAt = :now, lastError = :why REMOVE leaseUntil, #dp, #d, retryAt',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
          ExpressionAttributeValues: { ':sending': 'sending', ':unconfirmed': 'unconfirmed', ':now': now.toISOString(), ':why': why.slice(0, 500) },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async markFailed(incidentId: string, messageId: string, now: Date, error: string, retryAt: Date, giveUp: boolean): Promise<void> {
    await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: messageKey(incidentId, messageId),
        UpdateExpression: giveUp
          ? 'SET #status = :failed, lastError = :error, failedAt = :now REMOVE leaseUntil, #dp, #d'
          : 'SET #status = :pending, lastError = :error, #dp = :due, #d = :retryAt, retryAt = :retryAt REMOVE leaseUntil',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':error': error.slice(0, 500),
          ...(giveUp ? { ':failed': 'failed', ':now': now.toISOString() } : { ':pending': 'pending', ':due': DUE_PARTITION, ':retryAt': retryAt.toISOString() }),
        },
      }),
    );
  }
}
