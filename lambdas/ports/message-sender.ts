import type { OutboxMessage } from '../domain/messages.js';

/** Sends one outbox message to its channel (Slack webhook, SNS topic). */
export interface MessageSender {
  send(message: OutboxMessage): Promise<SendResult>;
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
}

/** A delivery that will never succeed as configured (unknown topic, webhook gone): not retried. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
