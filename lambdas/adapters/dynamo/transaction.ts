import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What every DynamoDB store shares: the transaction item type, one way to write a transaction, and how a
 * failed condition is told apart. The item modules (`items/`) build the items; the stores compose them into
 * one TransactWriteItems call per state change.
 */
export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Writes the items in one TransactWriteItems call (all or nothing). */
export async function writeTransaction(doc: DynamoDBDocumentClient, items: readonly TransactItem[]): Promise<void> {
  await doc.send(new TransactWriteCommand({ TransactItems: [...items] }));
}

/** A single-item write whose condition did not hold. */
export function conditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** The cancellation code of each item of a cancelled transaction, in order; undefined for any other error. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (error instanceof TransactionCanceledException || (error as { name?: string })?.name === 'TransactionCanceledException') {
    return ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code ?? undefined);
  }
  return undefined;
}

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** An item without its table keys and index attributes: the record it holds. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const { PK: _pk, SK: _sk, entity: _entity, duePartition: _dp, openPartition: _op, openSort: _os, expiresAt: _ex, registerPartition: _rp, registerSort: _rs, ...rest } = item;
  return rest as T;
}
