import type { TrailAnchor } from '../domain/trail-anchor.js';

/** Where anchors are kept, outside the table: append only (S3 with Object Lock; locally an append-only file). */
export interface TrailAnchorLog {
  append(anchor: TrailAnchor): Promise<void>;
  /** The incident's anchors, newest first, at most `limit` of them. */
  list(incidentId: string, limit?: number): Promise<TrailAnchor[]>;
}

/** Signs an anchor statement with a key the table's writers do not hold (KMS; locally an Ed25519 key file). */
export interface TrailSigner {
  readonly keyId: string;
  sign(statement: string): Promise<string>;
}

/** Verifies an anchor's signature against the key it names (a key it does not know fails). */
export interface TrailSignatureVerifier {
  verify(statement: string, signature: string, keyId: string): Promise<boolean>;
}
