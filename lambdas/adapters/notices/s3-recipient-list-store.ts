import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { RecipientListStore } from '../../ports/notice-delivery.js';
import { S3RecipientListReader } from './s3-recipient-list-reader.js';

/**
 * The list of affected people in S3: SSE-KMS with the data key, an object tag the bucket's lifecycle rule
 * expires on, and an explicit delete when the list is replaced or the notice completes. Reading and deleting are
 * `S3RecipientListReader`'s (the planner uses only those).
 */
export class S3RecipientListStore extends S3RecipientListReader implements RecipientListStore {
  constructor(
    client: S3Client,
    bucket: string,
    private readonly kmsKeyArn?: string,
  ) {
    super(client, bucket);
  }

  async put(objectKey: string, body: Readable, expiresAt: Date): Promise<void> {
    await new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: body,
        ContentType: 'text/csv',
        ...(this.kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyArn, BucketKeyEnabled: true } : {}),
        Tagging: `expires=${expiresAt.toISOString().slice(0, 10)}`,
      },
    }).done();
  }

  /**
   * A presigned PUT for one object key. Encryption and expiry need nothing from the client: the bucket's
   * default encryption is SSE-KMS with the data key, and its lifecycle rule expires every list. The URL is
   * single-use: it signs `If-None-Match: *` (an S3 conditional write), so once the list is uploaded a second
   * PUT with it (to overwrite the list that was validated and attached) is refused with 412. No size limit:
   * a presigned PUT cannot bound the body (a POST policy with content-length-range could; docs/notices.md).
   */
  async uploadTarget(objectKey: string, validUntil: Date): Promise<{ url: string; method: 'PUT'; headers: Record<string, string> }> {
    const expiresIn = Math.max(60, Math.min(3600, Math.floor((validUntil.getTime() - Date.now()) / 1000)));
    const url = await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, ContentType: 'text/csv', IfNoneMatch: '*' }), { expiresIn });
    return { url, method: 'PUT', headers: { 'content-type': 'text/csv', 'if-none-match': '*' } };
  }
}
