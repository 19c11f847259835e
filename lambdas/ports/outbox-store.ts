import type { OutboxMessage } from '../domain/messages.js';

export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export interface StoredOutboxMessage extends OutboxMessage {
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly leaseUntil?: string;
  readonly deliveredAt?: string;
  readonly providerMessageId?: string;
  readonly lastError?: string;
}

/** Port for the outbox: claim, deliver once, record the delivery. */
export interface OutboxStore {
  getMessage(incidentId: string, messageId: string): Promise<StoredOutboxMessage | undefined>;
  /**
   * Claims a message for delivery with a lease; undefined when it is delivered, someone else holds the lease,
   * or (after a failed attempt) its retry time `dueNow` has not come yet: a stream redelivery does not burn an
   * attempt early. `now` is real time (leases); `dueNow` the domain's time (retries are scheduled on it).
   */
  claim(incidentId: string, messageId: string, now: Date, leaseMs: number, dueNow?: Date): Promise<StoredOutboxMessage | undefined>;
  markDelivered(incidentId: string, messageId: string, now: Date, providerMessageId: string | undefined): Promise<void>;
  /** Releases the lease after a failed attempt; the message is due again at retryAt (swept by the clock). */
  markFailed(incidentId: string, messageId: string, now: Date, error: string, retryAt: Date, giveUp: boolean): Promise<void>;
}
