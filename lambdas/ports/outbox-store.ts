import type { OutboxMessage } from '../domain/messages.js';

/**
 * `unconfirmed`: a page (escalation or digest) whose attempt was cut off between its send and its record, and
 * whose provider cannot say whether it went out (SNS; Slack without the history scope). Parked for review,
 * never sent again by itself (docs/architecture.md, Delivery).
 */
export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'unconfirmed';

export interface StoredOutboxMessage extends OutboxMessage {
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly leaseUntil?: string;
  readonly deliveredAt?: string;
  readonly providerMessageId?: string;
  readonly lastError?: string;
  /** When an attempt cut off by a crash was parked as `unconfirmed`. */
  readonly unconfirmedAt?: string;
  /** A digest's merged escalations (their subjects) and the mentions they carried. */
  readonly lines?: readonly string[] | ReadonlySet<string>;
  readonly mentions?: readonly string[] | ReadonlySet<string>;
}

/** A claimed message; `outcomeUnknown` when the previous attempt's lease ran out with no outcome recorded (a crash). */
export interface ClaimedOutboxMessage extends StoredOutboxMessage {
  readonly outcomeUnknown: boolean;
}

/**
 * Slack takes about one post a second per channel. A channel's escalation takes the channel's slot if it is
 * free and is posted; otherwise it joins the channel's digest for the current window, one post when the
 * window ends (a burst is merged, not throttled into hours).
 */
export interface SlackPacing {
  /** Takes the channel's slot until `now + intervalMs` if it is free (real time); false when another post holds it. */
  takeSlot(channel: string, now: Date, intervalMs: number): Promise<boolean>;
  /**
   * Adds an escalation to the channel's digest of the window holding `now` (created if none, due when the
   * window ends): idempotent, a message joining twice is one line. Returns the digest's outbox ref.
   */
  joinDigest(channel: string, entry: { readonly line: string; readonly mention?: string }, now: Date, windowMs: number): Promise<{ readonly incidentId: string; readonly messageId: string }>;
}

/** Port for the outbox: claim, deliver once, record the delivery. */
export interface OutboxStore {
  getMessage(incidentId: string, messageId: string): Promise<StoredOutboxMessage | undefined>;
  /**
   * Claims a message for delivery with a lease; undefined when it is delivered, someone else holds the lease,
   * or (after a failed attempt) its retry time `dueNow` has not come yet: a stream redelivery does not burn an
   * attempt early. `now` is real time (leases); `dueNow` the domain's time (retries are scheduled on it).
   */
  claim(incidentId: string, messageId: string, now: Date, leaseMs: number, dueNow?: Date): Promise<ClaimedOutboxMessage | undefined>;
  markDelivered(incidentId: string, messageId: string, now: Date, providerMessageId: string | undefined): Promise<void>;
  /**
   * Parks a message whose cut-off attempt may or may not have gone out: `unconfirmed`, out of the due index (never
   * claimed again by itself), `why` kept as its last error. Only from `sending`: a message another attempt settled
   * meanwhile keeps that outcome (false then).
   */
  markUnconfirmed(incidentId: string, messageId: string, now: Date, why: string): Promise<boolean>;
  /** Releases the lease after a failed attempt; the message is due again at retryAt (swept by the clock). */
  markFailed(incidentId: string, messageId: string, now: Date, error: string, retryAt: Date, giveUp: boolean): Promise<void>;
}
