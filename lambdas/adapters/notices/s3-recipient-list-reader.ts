import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { RecipientListStore } from '../../ports/notice-delivery.js';

/**
 * The recipient list in S3, read and deleted: what the send planner needs of it. Apart from the upload code
 * (`S3RecipientListStore`: the multipart upload and the presigned PUT) so that the planner's bundle carries
 * neither (ADR 0018).
 */
export class S3RecipientListReader implements Pick<RecipientListStore, 'open' | 'delete'> {
  constructor(
    protected readonly client: S3Client,
    protected readonly bucket: string,
  ) {}

  async open(objectKey: string): Promise<Readable> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    return result.Body as Readable;
  }

  async delete(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }
}
