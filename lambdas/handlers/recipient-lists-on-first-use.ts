import type { RecipientListStore } from '../ports/notice-delivery.js';
import { onFirstUse } from './on-first-use.js';

/**
 * The recipient lists in S3 as the planner and the sender use them: read and deleted, no upload code
 * (`S3RecipientListReader`), with the S3 client imported on the first call (ADR 0018). The planner reads a list
 * and deletes it when the notice is done; the sender deletes it when its chunk completes the notice (the
 * delivery records are the proof, the addresses go: data minimisation, not only the bucket's lifecycle rule).
 */
export function recipientListsOnFirstUse<M extends 'open' | 'delete'>(bucket: string, methods: readonly M[]): Pick<RecipientListStore, M> {
  return onFirstUse<Pick<RecipientListStore, M>>(async (): Promise<Pick<RecipientListStore, 'open' | 'delete'>> => {
    const [{ S3Client }, { S3RecipientListReader }] = await Promise.all([import('@aws-sdk/client-s3'), import('../adapters/notices/s3-recipient-list-reader.js')]);
    return new S3RecipientListReader(new S3Client({}), bucket);
  }, methods);
}
