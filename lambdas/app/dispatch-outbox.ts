import { systemClock, type Clock } from '../ports/clock.js';
import type { OutboxStore } from '../ports/incident-store.js';
import { PermanentDeliveryError, type MessageSender } from '../ports/message-sender.js';

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
  const message = await deps.outbox.claim(incidentId, messageId, (deps.leaseClock ?? systemClock).now(), deps.leaseMs ?? 60_000);
  if (!message) return 'already-handled';
  try {
    const { providerMessageId } = await deps.sender.send(message);
    await deps.outbox.markDelivered(incidentId, messageId, deps.clock.now(), providerMessageId);
    return 'delivered';
  } catch (error) {
    const permanent = error instanceof PermanentDeliveryError;
    const giveUp = permanent || message.attempts >= (deps.maxAttempts ?? 8);
    const failedAt = deps.clock.now();
    await deps.outbox.markFailed(
      incidentId,
      messageId,
      failedAt,
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      new Date(failedAt.getTime() + retryDelayMs(message.attempts)),
      giveUp,
    );
    if (giveUp) return 'failed';
    throw new DeliveryFailedError(incidentId, messageId, { cause: error });
  }
}

export class DeliveryFailedError extends Error {
  constructor(readonly incidentId: string, readonly messageId: string, options?: { cause?: unknown }) {
    super(`Delivery of ${messageId} failed; a retry is scheduled`, options);
    this.name = 'DeliveryFailedError';
  }
}
