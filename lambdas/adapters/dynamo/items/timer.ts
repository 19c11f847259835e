import type { PlannedTimer } from '../../../domain/escalation-ladder.js';
import type { StoredTimer } from '../../../ports/timer-store.js';
import { DUE_PARTITION, TABLE_KEYS as K } from '../table-definition.js';
import type { TransactItem } from '../transaction.js';

/** A timer item `INC#<id>/TIMER#<timerId>`: in the sparse due index while pending. */
export const timerKey = (incidentId: string, timerId: string) => ({ PK: `INC#${incidentId}`, SK: `TIMER#${timerId}` });

export function timerPut(tableName: string, incidentId: string, timer: PlannedTimer, epoch: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...timerKey(incidentId, timer.timerId),
        entity: 'Timer',
        incidentId,
        timerId: timer.timerId,
        stepId: timer.stepId,
        status: 'pending',
        epoch,
        [K.duePartitionKey]: DUE_PARTITION,
        [K.dueSortKey]: timer.dueAt,
      },
    },
  };
}

/** Takes a pending timer out of the due index as cancelled (the decision that cancels it is named). */
export function timerCancel(tableName: string, incidentId: string, timerId: string, outcome: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: timerKey(incidentId, timerId),
      UpdateExpression: 'SET #status = :cancelled, outcome = :outcome REMOVE #dp',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey },
      ExpressionAttributeValues: { ':cancelled': 'cancelled', ':pending': 'pending', ':outcome': outcome },
    },
  };
}

export function timerSettle(tableName: string, timer: StoredTimer, status: 'fired' | 'skipped', at: string, outcome: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: timerKey(timer.incidentId, timer.timerId),
      UpdateExpression: 'SET #status = :status, firedAt = :at, outcome = :outcome REMOVE #dp',
      // Fencing: only the pending timer of this epoch and due time settles; a repeat or stale sweep does nothing.
      ConditionExpression: '#status = :pending AND epoch = :epoch AND #d = :dueAt',
      ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
      ExpressionAttributeValues: {
        ':status': status,
        ':pending': 'pending',
        ':at': at,
        ':outcome': outcome,
        ':epoch': timer.epoch,
        ':dueAt': timer.dueAt,
      },
    },
  };
}
