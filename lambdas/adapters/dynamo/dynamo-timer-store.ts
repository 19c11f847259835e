import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, type DueItem, type FireTimerWrite, type StoredTimer, type TimerStore } from '../../ports/incident-store.js';
import { incidentUpdate } from './items/incident.js';
import { messagePut } from './items/outbox-message.js';
import { chained, eventPut } from './items/timeline-event.js';
import { timerKey, timerSettle } from './items/timer.js';
import type { StoreContext } from './store-context.js';
import { DUE_PARTITION, TABLE_KEYS as K } from './table-definition.js';
import { cancellationCodes, conditionFailed, stripKeys, writeTransaction, type TransactItem } from './transaction.js';

/** The clock's reads and writes: an incident's timers, the due index, firing or skipping a step exactly once. */
export class DynamoTimerStore implements TimerStore {
  constructor(private readonly ctx: StoreContext) {}

  async listTimers(incidentId: string): Promise<StoredTimer[]> {
    return (await this.ctx.reads.queryIncidentItems(incidentId, 'TIMER#')).map((item) => stripKeys<StoredTimer>(item));
  }

  async getTimer(incidentId: string, timerId: string): Promise<StoredTimer | undefined> {
    const result = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: timerKey(incidentId, timerId), ConsistentRead: true }),
    );
    return result.Item ? stripKeys<StoredTimer>(result.Item) : undefined;
  }

  async findDue(now: Date, limit: number, after?: DueItem): Promise<DueItem[]> {
    const items = await this.ctx.reads.queryAll(
      {
        IndexName: K.dueIndex,
        KeyConditionExpression: '#p = :due AND #d <= :now',
        ExpressionAttributeNames: { '#p': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: { ':due': DUE_PARTITION, ':now': now.toISOString() },
        Limit: limit,
        // The index's key and the table's: where the previous page ended.
        ...(after
          ? { ExclusiveStartKey: { [K.duePartitionKey]: DUE_PARTITION, [K.dueSortKey]: after.dueAt, PK: `INC#${after.incidentId}`, SK: after.kind === 'timer' ? `TIMER#${after.timerId}` : `MSG#${after.messageId}` } }
          : {}),
      },
      limit,
    );
    return items.flatMap((item): DueItem[] => {
      const incidentId = String(item.PK).slice('INC#'.length);
      const sk = String(item.SK);
      const dueAt = String(item[K.dueSortKey]);
      if (sk.startsWith('TIMER#')) return [{ kind: 'timer', incidentId, timerId: sk.slice('TIMER#'.length), dueAt }];
      if (sk.startsWith('MSG#')) return [{ kind: 'outbox', incidentId, messageId: sk.slice('MSG#'.length), dueAt }];
      return [];
    });
  }

  async fireTimer(write: FireTimerWrite): Promise<'fired' | 'stale'> {
    const { tableName } = this.ctx;
    const { timer } = write;
    const { incident, event } = chained(write.incident, write.event);
    const items: TransactItem[] = [
      timerSettle(tableName, timer, 'fired', event.at, event.summary),
      write.fenced === false
        ? incidentUpdate(tableName, incident, '#version = :expected', { ':expected': write.expectedVersion })
        : incidentUpdate(tableName, incident, '#version = :expected AND #planEpoch = :epoch', {
            ':expected': write.expectedVersion,
            ':epoch': timer.epoch,
          }),
      eventPut(tableName, incident.id, event, incident.version),
      ...write.outbox.map((message) => messagePut(tableName, message, this.ctx.outboxRedriveMs)),
    ];
    try {
      await writeTransaction(this.ctx.doc, items);
      return 'fired';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'stale';
      throw new ConcurrentUpdateError(incident.id, { cause: error });
    }
  }

  async skipTimer(timer: StoredTimer, outcome: string, now: Date): Promise<'skipped' | 'stale'> {
    const update = timerSettle(this.ctx.tableName, timer, 'skipped', now.toISOString(), outcome).Update!;
    try {
      await this.ctx.doc.send(new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]));
      return 'skipped';
    } catch (error) {
      if (conditionFailed(error)) return 'stale';
      throw error;
    }
  }
}
