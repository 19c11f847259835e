import { systemClock, type Clock } from '../ports/clock.js';
import type { OutboxStore, StoredOutboxMessage } from '../ports/incident-store.js';
import { PermanentDeliveryError, RetryLaterError, type MessageSender, type SendResult } from '../ports/message-sender.js';

export interface DispatchDeps {
  readonly outbox: OutboxStore;
  readonly sender: MessageSender;
  readonly clock: Clock;
  /**
   * Leases measure real elapsed time, whatever `clock` says: moving virtual time forward (local stack, tests)
   * must never expire a claim while a send is in flight. The system clock unless a test needs another.
   */
  readonly leaseClock?: Clock;
  /** How long a claim holds before another dispatcher may retry (longer than one send). */
  readonly leaseMs?: number;
  /** Attempts before a message is marked failed for good (it stays visible on the incident). */
  readonly maxAttempts?: number;
  /** Records on the incident's timeline that its live Slack message was gone and posted again. */
  readonly noteRepost?: (incidentId: string, reposted: NonNullable<SendResult['reposted']>) => Promise<void>;
}

export type DispatchOutcome = 'delivered' | 'already-handled' | 'retry-scheduled' | 'failed';

/** Backoff between attempts: 30 s, 1 min, 2 min … capped at 30 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers one outbox message at most once per successful send: claim with a lease (a redelivered stream
 * record or a concurrent sweep finds it claimed or delivered and does nothing), send, record the delivery.
 * A failed send releases the claim and schedules a retry through the due index; the error is rethrown so the
 * stream consumer reports the record as failed.
 */
export async function dispatchOutboxMessage(deps: DispatchDeps, incidentId: string, messageId: string): Promise<DispatchOutcome> {
  const message = await deps.outbox.claim(incidentId, messageId, (deps.leaseClock ?? systemClock).now(), deps.leaseMs ?? 60_000, deps.clock.now());
  if (!message) return 'already-handled';
  let sent: SendResult;
  try {
    sent = await deps.sender.send(message);
  } catch (error) {
    return failed(deps, message, error);
  }
  await deps.outbox.markDelivered(incidentId, messageId, deps.clock.now(), sent.providerMessageId);
  if (sent.reposted && deps.noteRepost) {
    // Best effort: the delivery happened; a lost note must not make the message be sent again.
    await deps.noteRepost(incidentId, sent.reposted).catch(() => undefined);
  }
  return 'delivered';
}

/** A failed send: a retry scheduled through the due index (not before Retry-After), or given up on for good. */
async function failed(deps: DispatchDeps, message: StoredOutboxMessage, error: unknown): Promise<DispatchOutcome> {
  const { incidentId, messageId } = message;
  const giveUp = error instanceof PermanentDeliveryError || message.attempts >= (deps.maxAttempts ?? 8);
  const failedAt = deps.clock.now();
  const waitMs = Math.max(retryDelayMs(message.attempts), error instanceof RetryLaterError ? error.retryAfterMs : 0);
  await deps.outbox.markFailed(incidentId, messageId, failedAt, error instanceof Error ? `${error.name}: ${error.message}` : String(error), new Date(failedAt.getTime() + waitMs), giveUp);
  if (giveUp) return 'failed';
  throw new DeliveryFailedError(incidentId, messageId, { cause: error });
}

export class DeliveryFailedError extends Error {
  constructor(readonly incidentId: string, readonly messageId: string, options?: { cause?: unknown }) {
    super(`Delivery of ${messageId} failed; a retry is scheduled`, options);
    this.name = 'DeliveryFailedError';
  }
}
