import type { Readable } from 'node:stream';
import type { Recipient } from '../domain/notices/recipients.js';
import type { NoticeRef } from './delivery-store.js';

/** The uploaded list of affected people: stored encrypted, deleted on expiry, never logged. */
export interface RecipientListStore {
  put(objectKey: string, body: Readable, expiresAt: Date): Promise<void>;
  /**
   * Where a client uploads a list too large for the API (a presigned S3 PUT on AWS): the URL, the headers to
   * send, and until when the URL works.
   */
  uploadTarget(objectKey: string, validUntil: Date): Promise<{ url: string; method: 'PUT'; headers: Record<string, string> }>;
  open(objectKey: string): Promise<Readable>;
  delete(objectKey: string): Promise<void>;
}

/** A slice of the list, sent by one queue message (SQS on AWS); carries addresses, so the queue is encrypted. */
export interface SendChunk extends NoticeRef {
  readonly index: number;
  readonly recipients: readonly Recipient[];
}

export interface SendQueue {
  enqueue(chunks: readonly SendChunk[]): Promise<void>;
}

/** Starts the planning of a notice's sends away from the request (on AWS the table's stream does it). */
export interface SendPlanner {
  start(ref: NoticeRef): Promise<void>;
}

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Per-recipient tags (SES message tags): notice id and recipient key, for the provider's events. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SmsSender {
  send(sms: { readonly phone: string; readonly text: string; readonly tags: Readonly<Record<string, string>> }): Promise<{ messageId: string }>;
}

/** The send will never succeed as addressed (rejected recipient, unverified sender): not retried. */
export class PermanentSendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentSendError';
  }
}

/**
 * The provider refused the send before accepting it (throttled, quota, expired credentials): nothing was
 * sent, so trying again later is safe. Any other error (a timeout, a reset connection, a 5xx) may come after
 * the provider accepted the message: such a send is parked for review, never retried.
 */
export class SendNotAcceptedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SendNotAcceptedError';
  }
}

/** Paces sends to the configured provider rate. */
export interface RateLimiter {
  take(): Promise<void>;
}
