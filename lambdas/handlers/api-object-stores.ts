import { S3Client } from '@aws-sdk/client-s3';
import { S3LetterStore } from '../adapters/notices/s3-letter-store.js';
import { S3RecipientListStore } from '../adapters/notices/s3-recipient-list-store.js';
import type { LetterStore } from '../ports/letters.js';
import type { RecipientListStore } from '../ports/notice-delivery.js';

export { awsTrailVerification } from './trail-anchor-runtime.js';

/**
 * The API's S3 adapters (recipient lists, letters; the trail anchors through awsTrailVerification), in a module
 * of their own: the API imports it on the first request that needs one (api.handler.ts), so the S3 client, the
 * CSV parser and the multipart upload are not compiled at every cold start (ADR 0018, session 11).
 */
export function s3RecipientLists(bucket: string, kmsKeyArn: string | undefined): RecipientListStore {
  return new S3RecipientListStore(new S3Client({}), bucket, kmsKeyArn);
}

export function s3Letters(bucket: string, kmsKeyArn: string | undefined): LetterStore {
  return new S3LetterStore(new S3Client({}), bucket, kmsKeyArn);
}
