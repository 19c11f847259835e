import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TrailAnchor } from '../../domain/trail-anchor.js';
import type { TrailAnchorLog } from '../../ports/trail-anchors.js';

const prefix = (incidentId: string) => `anchors/${encodeURIComponent(incidentId)}/`;

/** One key per anchor, in chain order then time: `anchors/<incident>/<seq>/<anchoredAt>.json`. */
export const anchorObjectKey = (anchor: Pick<TrailAnchor, 'incidentId' | 'seq' | 'anchoredAt'>) => `${prefix(anchor.incidentId)}${String(anchor.seq).padStart(7, '0')}/${anchor.anchoredAt}.json`;

function parseAnchor(text: string): TrailAnchor | undefined {
  try {
    const a = JSON.parse(text) as Partial<TrailAnchor>;
    const strings = [a.incidentId, a.hash, a.anchoredAt, a.reason, a.keyId, a.signature];
    return strings.every((s) => typeof s === 'string') && Number.isInteger(a.seq) ? (a as TrailAnchor) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Anchors in an S3 bucket with Object Lock in compliance mode (default retention set on the bucket by the
 * stack): no one, the account's root included, can overwrite or delete a stored anchor before its retention
 * ends. A write never replaces an existing key (If-None-Match).
 */
export class S3TrailAnchorLog implements TrailAnchorLog {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async append(anchor: TrailAnchor): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: anchorObjectKey(anchor), Body: JSON.stringify(anchor), ContentType: 'application/json', IfNoneMatch: '*', ChecksumAlgorithm: 'SHA256' }),
    );
  }

  async list(incidentId: string, limit = 1): Promise<TrailAnchor[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix(incidentId), ...(token ? { ContinuationToken: token } : {}) }));
      keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const newest = keys.sort().reverse().slice(0, limit);
    const anchors: TrailAnchor[] = [];
    // A few at a time: an incident has one anchor per decision, approval, submission and moved hour.
    for (let i = 0; i < newest.length; i += 8) {
      const batch = await Promise.all(
        newest.slice(i, i + 8).map(async (Key) => {
          const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
          return parseAnchor((await out.Body?.transformToString()) ?? '');
        }),
      );
      anchors.push(...batch.filter((a): a is TrailAnchor => a !== undefined && a.incidentId === incidentId));
    }
    return anchors.sort((a, b) => b.anchoredAt.localeCompare(a.anchoredAt) || b.seq - a.seq);
  }
}
