import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, type DueItem, type FireTimerWrite, type StoredTimer, type TimerSettleOutcome, type TimerSettleWrite, type TimerStore } from '../../ports/incident-store.js';
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

  async getTimers(keys: readonly { readonly incidentId: string; readonly timerId: string }[]): Promise<StoredTimer[]> {
    if (!keys.length) return [];
    return (await this.ctx.reads.batchGet(keys.map((key) => timerKey(key.incidentId, key.timerId)))).map((item) => stripKeys<StoredTimer>(item));
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
    try {
      await writeTransaction(this.ctx.doc, this.fireItems(write));
      return 'fired';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'stale';
      throw new ConcurrentUpdateError(write.incident.id, { cause: error });
    }
  }

  /** A firing's items: the timer settled (first: its condition tells a stale timer), the incident, its event, its messages. */
  private fireItems(write: FireTimerWrite): TransactItem[] {
    const { tableName } = this.ctx;
    const { timer } = write;
    const { incident, event } = chained(write.incident, write.event);
    return [
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
  }

  async settleTimers(writes: readonly TimerSettleWrite[]): Promise<TimerSettleOutcome[]> {
    const outcomes: TimerSettleOutcome[] = writes.map(() => 'unsettled');
    const units = writes.map((write, index) => {
      const items = write.kind === 'fire' ? this.fireItems(write.write) : [timerSettle(this.ctx.tableName, write.timer, 'skipped', write.at.toISOString(), write.outcome)];
      return { index, done: (write.kind === 'fire' ? 'fired' : 'skipped') as TimerSettleOutcome, items, bytes: JSON.stringify(items).length };
    });
    await Promise.all(transactionGroups(units).map((group) => this.commitGroup(group, outcomes)));
    return outcomes;
  }

  /**
   * Commits a group in one transaction. Cancelled: a write whose timer condition failed is stale, one that
   * failed otherwise (its incident moved, a conflicting transaction) is left unsettled, and the rest (which
   * were not written) are committed again without them. Any other error leaves the whole group unsettled:
   * each is then settled alone with fresh reads, where its conditions decide (it may have been written).
   */
  private async commitGroup(group: readonly SettleUnit[], outcomes: TimerSettleOutcome[]): Promise<void> {
    for (let left = group; left.length; ) {
      try {
        await writeTransaction(this.ctx.doc, left.flatMap((unit) => unit.items));
        for (const unit of left) outcomes[unit.index] = unit.done;
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) return;
        let offset = 0;
        const kept: SettleUnit[] = [];
        for (const unit of left) {
          const own = codes.slice(offset, offset + unit.items.length);
          offset += unit.items.length;
          if (own.every((code) => code === undefined || code === 'None')) kept.push(unit);
          else outcomes[unit.index] = own[0] === 'ConditionalCheckFailed' ? 'stale' : 'unsettled';
        }
        // No write named as the cause: leave them all to be settled alone rather than try the same again.
        if (kept.length === left.length) return;
        left = kept;
      }
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

interface SettleUnit {
  readonly index: number;
  readonly done: TimerSettleOutcome;
  readonly items: readonly TransactItem[];
  /** The items' size as JSON: a transaction holds at most 4 MB. */
  readonly bytes: number;
}

/** DynamoDB's limits for one TransactWriteItems call: 100 actions, 4 MB (with room for the request's own overhead). */
const MAX_ITEMS = 100;
const MAX_BYTES = 3_500_000;

/** Packs the settlings into transactions within DynamoDB's limits, each settling's items always in one. */
function transactionGroups(units: readonly SettleUnit[]): SettleUnit[][] {
  const groups: SettleUnit[][] = [];
  let current: SettleUnit[] = [];
  let items = 0;
  let bytes = 0;
  for (const unit of units) {
    if (current.length && (items + unit.items.length > MAX_ITEMS || bytes + unit.bytes > MAX_BYTES)) {
      groups.push(current);
      current = [];
      items = 0;
      bytes = 0;
    }
    current.push(unit);
    items += unit.items.length;
    bytes += unit.bytes;
  }
  if (current.length) groups.push(current);
  return groups;
}
