import type { OutboxMessage } from '../domain/messages.js';

/** Sends one outbox message to its channel (Slack webhook, SNS topic). */
export interface MessageSender {
  send(message: OutboxMessage): Promise<{ providerMessageId?: string }>;
}

/** A delivery that will never succeed as configured (unknown topic, webhook gone): not retried. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
