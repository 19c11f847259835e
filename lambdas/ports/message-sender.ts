import type { OutboxMessage } from '../domain/messages.js';

/** Sends one outbox message to its channel (Slack webhook, SNS topic). */
export interface MessageSender {
  send(message: OutboxMessage): Promise<SendResult>;
  /**
   * After a crash between a send and its record (the claim's lease ran out with no outcome): whether the message
   * did go out, asked of the provider. `delivered` with the provider's id, `not-found`, or `unknown` when the
   * provider cannot say (SNS has no lookup; Slack without the history scope): then it is sent again.
   */
  confirm?(message: OutboxMessage): Promise<{ readonly outcome: 'delivered'; readonly providerMessageId: string } | { readonly outcome: 'not-found' | 'unknown' }>;
}

export interface SendResult {
  readonly providerMessageId?: string;
  /** The live Slack message was gone (deleted, or a channel's history lost) and was posted again. */
  readonly reposted?: { readonly channel: string; readonly ts: string; readonly reason: string };
}

/** The provider asked to wait (HTTP 429 Retry-After): the next attempt is not made before then. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = 'RetryLaterError';
  }

  /** From a 429's Retry-After header (seconds): at most an hour; a minute when absent or unreadable. */
  static fromRetryAfter(header: string | null, describe: (seconds: number) => string): RetryLaterError {
    const seconds = Number(header);
    const waitMs = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3_600) * 1000 : 60_000;
    return new RetryLaterError(describe(waitMs / 1000), waitMs);
  }
}

/** A delivery that will never succeed as configured (unknown topic, webhook gone): not retried. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
