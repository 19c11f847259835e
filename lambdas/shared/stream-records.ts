import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';

/**
 * The loop of a stream consumer: each record this consumer acts on (`select`), one at a time; a record whose
 * work throws (after `onError` says so) or returns false is reported alone (ReportBatchItemFailures), so it is
 * retried and then sent to the dead-letter destination without holding back or repeating the others.
 */
export async function settleRecords<K>(
  records: readonly DynamoDBRecord[],
  select: (record: DynamoDBRecord) => K | undefined,
  work: (key: K) => Promise<boolean | void>,
  onError: (key: K, error: unknown) => void,
): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    const key = select(record);
    if (key === undefined) continue;
    const fail = () => batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    try {
      if ((await work(key)) === false) fail();
    } catch (error) {
      onError(key, error);
      fail();
    }
  }
  return { batchItemFailures };
}
