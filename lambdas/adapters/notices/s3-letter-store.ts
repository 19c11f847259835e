import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LetterStore, StoredLetter } from '../../ports/letters.js';

/**
 * Letters in the recipient-list bucket under `letters/` (SSE-KMS with the data key; the bucket's lifecycle rule
 * expires them with the lists: print them within RECIPIENT_LIST_RETENTION_DAYS). The SHA-256 is kept as object
 * metadata, read back with a HEAD per letter when listing.
 */
export class S3LetterStore implements LetterStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyArn?: string,
  ) {}

  async put(objectKey: string, pdf: Uint8Array): Promise<StoredLetter> {
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: pdf,
        ContentType: 'application/pdf',
        Metadata: { sha256 },
        ...(this.kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyArn, BucketKeyEnabled: true } : {}),
      }),
    );
    return { objectKey, sha256, bytes: pdf.byteLength };
  }

  async get(objectKey: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return result.Body ? await result.Body.transformToByteArray() : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** The first 1,000 letters of a notice (one page of ListObjectsV2): the desk's list; the batch file holds them all. */
  async list(prefix: string): Promise<StoredLetter[]> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 1000 }));
    const letters: StoredLetter[] = [];
    for (const object of listed.Contents ?? []) {
      if (!object.Key?.endsWith('.pdf')) continue;
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: object.Key }));
      letters.push({ objectKey: object.Key, sha256: head.Metadata?.sha256 ?? '', bytes: object.Size ?? 0 });
    }
    return letters;
  }
}
