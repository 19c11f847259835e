import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { KmsTrailSigner, kmsPublicKeys } from '../adapters/trail/kms-trail-signer.js';
import { PublicKeyVerifier } from '../adapters/trail/public-key-verifier.js';
import { S3TrailAnchorLog } from '../adapters/trail/s3-trail-anchor-log.js';
import type { AnchorDeps, VerifyTrailDeps } from '../app/trail-anchoring.js';
import type { Config } from '../shared/config.js';

type Anchoring = NonNullable<Config['trailAnchors']>;

/** The writers' side (dispatcher, clock): kms:Sign and s3:PutObject. */
export function awsAnchorDeps<R extends AnchorDeps['reader']>(anchoring: Anchoring, reader: R): AnchorDeps & { readonly reader: R } {
  return { reader, signer: new KmsTrailSigner(new KMSClient({}), anchoring.signingKeyArn), log: new S3TrailAnchorLog(new S3Client({}), anchoring.bucket) };
}

/** The readers' side (API): the anchors and the configured key's public half (kms:GetPublicKey); no other key is trusted. */
export function awsTrailVerification(anchoring: Anchoring): NonNullable<VerifyTrailDeps['anchors']> {
  return { log: new S3TrailAnchorLog(new S3Client({}), anchoring.bucket), verifier: new PublicKeyVerifier(kmsPublicKeys(new KMSClient({}), [anchoring.signingKeyArn])) };
}
