import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { RecipientListStore } from '../../ports/notice-delivery.js';

/**
 * The list of affected people in S3: SSE-KMS with the data key, an object tag the bucket's lifecycle rule
 * expires on, and an explicit delete when the list is replaced or the notice completes.
 */
export class S3RecipientListStore implements RecipientListStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyArn?: string,
  ) {}

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

  async open(objectKey: string): Promise<Readable> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    return result.Body as Readable;
  }

  async delete(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }
}
