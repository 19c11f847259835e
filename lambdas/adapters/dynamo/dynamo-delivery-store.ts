import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, DeliveryProgress, DeliveryRecord, DeliveryStatus, DeliveryStore, NoticeRef } from '../../ports/delivery-store.js';
import { cancellationCodes, conditionFailed, epochSeconds, stripKeys, type TransactItem } from './transaction.js';
import { TABLE_KEYS as K } from './table-definition.js';

/** Counters are spread over shards so a fast send does not write one hot item; progress sums them. */
const SHARDS = 10;
/** Delivery records are spread over 16 partitions per notice (first hex digit of the key). */
const BUCKETS = '0123456789abcdef';

const COUNTERS = ['sent', 'delivered', 'bounced', 'complained', 'failed', 'parked', 'duplicates'] as const satisfies readonly (keyof DeliveryProgress)[];

export const deliveryKeys = {
  record: (ref: NoticeRef, key: string) => ({ PK: `DLV#${ref.incidentId}#${ref.noticeId}#${key[0]}`, SK: `R#${key}` }),
  duplicate: (ref: NoticeRef, line: number) => ({ PK: `DLV#${ref.incidentId}#${ref.noticeId}#dup`, SK: `L#${String(line).padStart(9, '0')}` }),
  counter: (ref: NoticeRef, shard: number) => ({ PK: `DLV#${ref.incidentId}#${ref.noticeId}#progress`, SK: `SHARD#${shard}` }),
  message: (messageId: string) => ({ PK: `SESMSG#${messageId}`, SK: 'SESMSG' }),
};

function shardOf(key: string): number {
  return parseInt(key.slice(-4), 16) % SHARDS;
}

const isConditionFailure = (error: unknown) =>
  conditionFailed(error) || Boolean(cancellationCodes(error)?.includes('ConditionalCheckFailed'));

export interface DeliveryStoreOptions {
  /** How long delivery records (the proof of who was told) are kept, in days. */
  readonly retentionDays?: number;
}

/**
 * DynamoDB adapter for per-recipient deliveries. Every status change and its counter increment are one
 * conditional transaction, so each recipient is counted once however often a chunk is redelivered.
 */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly retentionMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DeliveryStoreOptions = {},
  ) {
    this.retentionMs = (options.retentionDays ?? 1825) * 86_400_000;
  }

  private counter(ref: NoticeRef, key: string, field: (typeof COUNTERS)[number]): TransactItem {
    return this.counters(ref, key, { [field]: 1 });
  }

  /** Several counter changes of one recipient as one update (a transaction may touch its shard only once). */
  private counters(ref: NoticeRef, key: string, deltas: Partial<Record<(typeof COUNTERS)[number], number>>): TransactItem {
    const fields = Object.keys(deltas) as (typeof COUNTERS)[number][];
    return {
      Update: {
        TableName: this.tableName,
        Key: deliveryKeys.counter(ref, shardOf(key)),
        UpdateExpression: `ADD ${fields.map((f, i) => `#f${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])),
        ExpressionAttributeValues: Object.fromEntries(fields.map((f, i) => [`:d${i}`, deltas[f]!])),
      },
    };
  }

  private async transact(items: TransactItem[]): Promise<boolean> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async get(ref: NoticeRef, key: string): Promise<(DeliveryRecord & { line: number }) | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: deliveryKeys.record(ref, key), ConsistentRead: true }));
    return result.Item ? stripKeys<DeliveryRecord>(result.Item) : undefined;
  }

  async claim(ref: NoticeRef, key: string, entry: { line: number; channel: 'email' | 'sms' | 'letter'; maskedAddress: string }, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    const created = await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...deliveryKeys.record(ref, key),
            entity: 'Delivery',
            key,
            line: entry.line,
            channel: entry.channel,
            maskedAddress: entry.maskedAddress,
            status: 'sending',
            attempts: 1,
            leaseUntil: lease,
            [K.ttlAttribute]: epochSeconds(new Date(now.getTime() + this.retentionMs)),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
    if (created) return { outcome: 'claimed', attempts: 1 };
    const existing = await this.get(ref, key);
    if (!existing) return { outcome: 'busy' }; // deleted meanwhile (expiry): try again later
    if (existing.line !== entry.line) {
      // Another line of the list has the same address: counted once as a duplicate, never sent twice.
      await this.transact([
        { Put: { TableName: this.tableName, Item: { ...deliveryKeys.duplicate(ref, entry.line), entity: 'DeliveryDuplicate', key, [K.ttlAttribute]: epochSeconds(new Date(now.getTime() + this.retentionMs)) }, ConditionExpression: 'attribute_not_exists(PK)' } },
        this.counter(ref, key, 'duplicates'),
      ]);
      return { outcome: 'duplicate' };
    }
    switch (existing.status) {
      case 'retry': {
        const attempts = existing.attempts + 1;
        const taken = await this.transact([
          {
            Update: {
              TableName: this.tableName,
              Key: deliveryKeys.record(ref, key),
              UpdateExpression: 'SET #s = :sending, leaseUntil = :lease, attempts = :attempts',
              ConditionExpression: '#s = :retry AND attempts = :previous',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':sending': 'sending', ':retry': 'retry', ':lease': lease, ':attempts': attempts, ':previous': existing.attempts },
            },
          },
        ]);
        return taken ? { outcome: 'claimed', attempts } : { outcome: 'busy' };
      }
      case 'sending': {
        if (existing.leaseUntil && existing.leaseUntil > now.toISOString()) return { outcome: 'busy' };
        // The earlier attempt may have sent and crashed before recording: sending again could tell the
        // person twice. Park it for review (the provider's own events can still settle it).
        await this.transact([
          {
            Update: {
              TableName: this.tableName,
              Key: deliveryKeys.record(ref, key),
              UpdateExpression: 'SET #s = :unknown, lastError = :why REMOVE leaseUntil',
              ConditionExpression: '#s = :sending AND leaseUntil = :lease',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':unknown': 'unknown', ':sending': 'sending', ':lease': existing.leaseUntil ?? '', ':why': 'an earlier attempt stopped between sending and recording; not re-sent' },
            },
          },
          this.counter(ref, key, 'parked'),
        ]);
        return { outcome: 'parked' };
      }
      case 'unknown':
        return { outcome: 'parked' };
      default:
        return { outcome: 'done' };
    }
  }

  /**
   * The one way out of "sending": to `to`, setting `set`, dropping the lease (and the last error when
   * `clearError`), only if the recipient is still being sent (a late or repeated settle does nothing).
   */
  private fromSending(ref: NoticeRef, key: string, to: DeliveryStatus, set: Readonly<Record<string, string>>, clearError = false): TransactItem {
    const fields = Object.keys(set);
    return {
      Update: {
        TableName: this.tableName,
        Key: deliveryKeys.record(ref, key),
        UpdateExpression: `SET #s = :to${fields.map((f) => `, ${f} = :${f}`).join('')} REMOVE leaseUntil${clearError ? ', lastError' : ''}`,
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':to': to, ':sending': 'sending', ...Object.fromEntries(fields.map((f) => [`:${f}`, set[f]])) },
      },
    };
  }

  async markSent(ref: NoticeRef, key: string, messageId: string, now: Date): Promise<void> {
    await this.transact([
      this.fromSending(ref, key, 'sent', { messageId, sentAt: now.toISOString() }, true),
      {
        Put: {
          TableName: this.tableName,
          Item: { ...deliveryKeys.message(messageId), entity: 'DeliveryMessage', incidentId: ref.incidentId, noticeId: ref.noticeId, key, [K.ttlAttribute]: epochSeconds(new Date(now.getTime() + this.retentionMs)) },
        },
      },
      this.counter(ref, key, 'sent'),
    ]);
  }

  async park(ref: NoticeRef, key: string, why: string, _now: Date): Promise<void> {
    await this.transact([this.fromSending(ref, key, 'unknown', { lastError: why.slice(0, 300) }), this.counter(ref, key, 'parked')]);
  }

  async release(ref: NoticeRef, key: string, error: string, _now: Date): Promise<void> {
    await this.transact([this.fromSending(ref, key, 'retry', { lastError: error.slice(0, 300) })]);
  }

  async markFailed(ref: NoticeRef, key: string, error: string, now: Date): Promise<void> {
    await this.transact([this.fromSending(ref, key, 'failed', { lastError: error.slice(0, 300), eventAt: now.toISOString() }), this.counter(ref, key, 'failed')]);
  }

  async recordEvent(messageId: string, type: 'delivered' | 'bounced' | 'complained', at: Date, detail: string | undefined, tagged?: { ref: NoticeRef; key: string }): Promise<boolean> {
    const pointer = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: deliveryKeys.message(messageId), ConsistentRead: true }));
    const found = pointer.Item ? { ref: { incidentId: String(pointer.Item.incidentId), noticeId: String(pointer.Item.noticeId) }, key: String(pointer.Item.key) } : tagged;
    if (!found) return false;
    const { ref, key } = found;
    // Delivered only from sent; a bounce or complaint may follow a delivery (and replaces it in the count).
    const from: Record<typeof type, DeliveryStatus[]> = { delivered: ['sent', 'unknown'], bounced: ['sent', 'delivered', 'unknown'], complained: ['sent', 'delivered', 'unknown'] };
    const current = await this.get(ref, key);
    if (!current || !from[type].includes(current.status)) return true;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: deliveryKeys.record(ref, key),
          UpdateExpression: `SET #s = :status, eventAt = :at, messageId = :mid${detail ? ', lastError = :detail' : ''}`,
          ConditionExpression: '#s = :current',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':status': type, ':current': current.status, ':at': at.toISOString(), ':mid': messageId, ...(detail ? { ':detail': detail.slice(0, 300) } : {}) },
        },
      },
      // A bounce after a delivery replaces it in the count; a parked send that the provider reports was sent once.
      this.counters(ref, key, {
        [type]: 1,
        ...(current.status === 'delivered' ? { delivered: -1 } : {}),
        ...(current.status === 'unknown' ? { parked: -1, sent: 1 } : {}),
      }),
    ];
    await this.transact(items);
    return true;
  }

  async progress(ref: NoticeRef): Promise<DeliveryProgress> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': deliveryKeys.counter(ref, 0).PK },
        ConsistentRead: true,
      }),
    );
    const totals = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<(typeof COUNTERS)[number], number>;
    for (const item of result.Items ?? []) for (const c of COUNTERS) totals[c] += Number(item[c] ?? 0);
    return totals;
  }

  async listDeliveries(ref: NoticeRef, options: { statuses?: readonly DeliveryStatus[]; limit?: number } = {}): Promise<DeliveryRecord[]> {
    const limit = options.limit ?? 100;
    const out: DeliveryRecord[] = [];
    for (const bucket of BUCKETS) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': `DLV#${ref.incidentId}#${ref.noticeId}#${bucket}`, ...(options.statuses ? Object.fromEntries(options.statuses.map((s, i) => [`:s${i}`, s])) : {}) },
            ...(options.statuses ? { FilterExpression: `#s IN (${options.statuses.map((_, i) => `:s${i}`).join(', ')})`, ExpressionAttributeNames: { '#s': 'status' } } : {}),
            ExclusiveStartKey: start,
          }),
        );
        out.push(...(page.Items ?? []).map((item) => stripKeys<DeliveryRecord>(item)));
        start = page.LastEvaluatedKey;
      } while (start && out.length < limit);
      if (out.length >= limit) break;
    }
    return out.slice(0, limit).sort((a, b) => a.line - b.line);
  }
}
