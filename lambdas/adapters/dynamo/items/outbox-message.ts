import type { OutboxMessage } from '../../../domain/messages.js';
import { DUE_PARTITION, TABLE_KEYS as K } from '../table-definition.js';
import type { TransactItem } from '../transaction.js';

/** An outbox message `INC#<id>/MSG#<messageId>`: due for the sweeper (a redrive) until delivered. */
export const messageKey = (incidentId: string, messageId: string) => ({ PK: `INC#${incidentId}`, SK: `MSG#${messageId}` });

export function messagePut(tableName: string, message: OutboxMessage, redriveMs: number): TransactItem {
  const redriveAt = new Date(Date.parse(message.createdAt) + redriveMs).toISOString();
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...messageKey(message.incidentId, message.messageId),
        entity: 'Outbox',
        ...message,
        status: 'pending',
        attempts: 0,
        [K.duePartitionKey]: DUE_PARTITION,
        [K.dueSortKey]: redriveAt,
      },
      // A deterministic id: the same message is never written twice.
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}
