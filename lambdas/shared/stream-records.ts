import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';

/**
 * The loop of a stream consumer: each record this consumer acts on (`select`), one at a time; a record whose
 * selection or work throws (after `onError` says so) or whose work returns false is reported alone
 * (ReportBatchItemFailures), so it is retried and then sent to the dead-letter destination without holding
 * back or repeating the others. Nothing a single record holds makes the whole batch throw.
 */
export async function settleRecords<K>(
  records: readonly DynamoDBRecord[],
  select: (record: DynamoDBRecord) => K | undefined,
  work: (key: K) => Promise<boolean | void>,
  onError: (key: K | undefined, error: unknown) => void,
): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    const fail = () => batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    let key: K | undefined;
    try {
      key = select(record);
      if (key === undefined) continue;
      if ((await work(key)) === false) fail();
    } catch (error) {
      onError(key, error);
      fail();
    }
  }
  return { batchItemFailures };
}

/**
 * A map of a stream image as plain values. An attribute value without a type is read as the empty map: DynamoDB
 * Local's stream (through the SDK) gives `{}` for a nested empty map where AWS gives `{"M":{}}`, and
 * `unmarshall` throws on it ("No value defined: {}").
 */
export function unmarshallImage(image: Record<string, unknown>): Record<string, unknown> {
  return unmarshall(repairEmptyMaps(image) as Record<string, AttributeValue>);
}

/** A stream image with every untyped attribute value (`{}`) read as the empty map it stands for. */
export function repairEmptyMaps(map: Record<string, unknown>): Record<string, unknown> {
  const repaired: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) repaired[name] = repairValue(value);
  return repaired;
}

function repairValue(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const attribute = value as { M?: Record<string, unknown>; L?: unknown[] };
  if (Object.keys(attribute).length === 0) return { M: {} };
  if (attribute.M) return { M: repairEmptyMaps(attribute.M) };
  if (attribute.L) return { L: attribute.L.map(repairValue) };
  return value;
}
