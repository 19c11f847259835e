import type { NoticeRef } from './delivery-store.js';

/**
 * A private link to one person's copy of a notice (issue 26.5): the SMS to a person without email links to the
 * whole notice on breachclock's page. Only the SHA-256 of the token is stored, never the token itself.
 */
export interface NoticeLinkRecord extends NoticeRef {
  /** The approved version the link shows (an approval binds the rendered content's hash). */
  readonly version: number;
  /** The recipient's idempotency key (a hash: no address). */
  readonly recipientKey: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface NoticeLinkStore {
  /** Stores a link under the hash of its token (a conditional write: a hash is never reused). */
  put(tokenHash: string, record: NoticeLinkRecord): Promise<void>;
  /** One keyed read by the token's hash: no scan, no comparison of secrets in code. */
  get(tokenHash: string): Promise<NoticeLinkRecord | undefined>;
}
