import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TableReads } from './table-reads.js';

export interface DynamoStoreOptions {
  /** How long raw alert details are kept (days). */
  readonly alertRetentionDays?: number;
  /** How long a sender event id is remembered for duplicate-delivery detection (days). */
  readonly deliveryDedupDays?: number;
  /** An undelivered outbox message becomes due for the sweeper this long after it was written. */
  readonly outboxRedriveMs?: number;
}

/** What the stores of the single table share: the client, the table, its read helpers and the item lifetimes. */
export interface StoreContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly reads: TableReads;
  readonly alertRetentionMs: number;
  readonly deliveryDedupMs: number;
  readonly outboxRedriveMs: number;
}

export function storeContext(doc: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}): StoreContext {
  return {
    doc,
    tableName,
    reads: new TableReads(doc, tableName),
    alertRetentionMs: (options.alertRetentionDays ?? 400) * 86_400_000,
    deliveryDedupMs: (options.deliveryDedupDays ?? 7) * 86_400_000,
    outboxRedriveMs: options.outboxRedriveMs ?? 120_000,
  };
}
