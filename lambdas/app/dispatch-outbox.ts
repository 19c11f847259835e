import { systemClock, type Clock } from '../ports/clock.js';
import { digestText } from '../domain/messages.js';
import type { OutboxStore, SlackPacing, StoredOutboxMessage } from '../ports/incident-store.js';
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
  /** Records on the incident's timeline that one of its pages was parked as `unconfirmed` (best effort). */
  readonly noteUnconfirmed?: (incidentId: string, message: StoredOutboxMessage) => Promise<void>;
  /**
   * Slack's ~1 post a second per channel: an escalation that finds its channel's slot taken joins the
   * channel's digest (one post when its window ends) instead of waiting its turn. Unset: every escalation
   * is posted, and Slack's 429 Retry-After paces them.
   */
  readonly slackPacing?: SlackPacing;
  /** The slot per channel (default 1 s) and a digest's window (default 10 s). */
  readonly slackIntervalMs?: number;
  readonly digestWindowMs?: number;
}

/**
 * `confirmed`: an attempt cut off by a crash had gone out (the provider has it), so it was recorded, not sent again.
 * `unconfirmed`: a page cut off by a crash whose provider cannot say whether it went out: parked for review.
 */
export type DispatchOutcome = 'delivered' | 'confirmed' | 'unconfirmed' | 'merged' | 'already-handled' | 'retry-scheduled' | 'failed';

/**
 * A page: a second copy pages people a second time. A state change only brings the live message up to date and a
 * trail anchor is written once per chain position, so sending either of those again changes nothing.
 */
const pagesPeople = (message: StoredOutboxMessage): boolean => message.kind === 'escalation' || message.kind === 'digest';

/** Backoff between attempts: 30 s, 1 min, 2 min … capped at 30 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers one outbox message at most once per successful send: claim with a lease (a redelivered stream
 * record or a concurrent sweep finds it claimed or delivered and does nothing), send, record the delivery.
 * A failed send releases the claim and schedules a retry through the due index; the error is rethrown so the
 * stream consumer reports the record as failed.
 *
 * A claim that finds the previous attempt cut off (`outcomeUnknown`: still `sending` when its lease ran out, a crash
 * or a timeout between the send and its record) never sends a page blindly, as a notice send that finds an
 * interrupted send parks it (app/notices.ts): the provider is asked (Slack: the post's metadata); a post it has is
 * recorded (`confirmed`), one it does not have is sent; when the provider cannot say (SNS has no lookup, Slack
 * without the history scope) the page is parked as `unconfirmed` for review, counted and noted on the incident's
 * timeline, and not sent again: 0 pages twice, none lost silently. The ladder's later steps fire as planned.
 */
export async function dispatchOutboxMessage(deps: DispatchDeps, incidentId: string, messageId: string): Promise<DispatchOutcome> {
  const claimed = await deps.outbox.claim(incidentId, messageId, (deps.leaseClock ?? systemClock).now(), deps.leaseMs ?? 60_000, deps.clock.now());
  if (!claimed) return 'already-handled';
  if (claimed.outcomeUnknown && pagesPeople(claimed)) {
    // The previous attempt was cut off between its send and its record (a crash, a timeout): ask the provider
    // before sending again, so nobody is paged twice for one escalation.
    let confirmed: Awaited<ReturnType<NonNullable<MessageSender['confirm']>>>;
    try {
      confirmed = deps.sender.confirm ? await deps.sender.confirm(claimed) : { outcome: 'unknown' };
    } catch (error) {
      // The lookup failed for now (Slack unreachable): the claim is kept, so the message stays cut off and the next
      // attempt after the lease (the clock's re-drive) asks again. It cannot be asked at all (no history scope), or
      // every attempt is used: parked.
      if (!(error instanceof PermanentDeliveryError) && claimed.attempts < (deps.maxAttempts ?? 8)) throw new DeliveryFailedError(incidentId, messageId, { cause: error });
      confirmed = { outcome: 'unknown' };
    }
    if (confirmed.outcome === 'delivered') {
      await deps.outbox.markDelivered(incidentId, messageId, deps.clock.now(), confirmed.providerMessageId);
      return 'confirmed';
    }
    if (confirmed.outcome === 'unknown') return parkUnconfirmed(deps, claimed);
  }
  let message: StoredOutboxMessage = claimed;
  const pacing = deps.slackPacing;
  if (pacing && message.channel === 'slack' && (message.kind === 'escalation' || message.kind === 'digest')) {
    const channel = message.slackChannel ?? 'default';
    // Real time: Slack's limit is on the wall clock, whatever the stack's (virtual) clock says.
    const slot = await pacing.takeSlot(channel, (deps.leaseClock ?? systemClock).now(), deps.slackIntervalMs ?? 1_000).catch((error: unknown) => error as Error);
    if (slot instanceof Error) return failed(deps, message, slot);
    if (!slot && message.kind === 'digest') return failed(deps, message, new RetryLaterError(`Slack channel ${channel} is busy`, 1_000));
    if (!slot) {
      // One line in the channel's digest instead of a post of its own; the message is settled by it.
      const mention = /^<!(here|channel)>/.exec(message.text)?.[0];
      try {
        const digest = await pacing.joinDigest(channel, { line: message.subject, ...(mention ? { mention } : {}) }, deps.clock.now(), deps.digestWindowMs ?? 10_000);
        await deps.outbox.markDelivered(incidentId, messageId, deps.clock.now(), `merged:${digest.messageId}`);
      } catch (error) {
        return failed(deps, message, error);
      }
      return 'merged';
    }
    if (message.kind === 'digest') message = { ...message, text: digestText([...(message.lines ?? [])], [...(message.mentions ?? [])]) };
  }
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

/** A cut-off page nobody can confirm: `unconfirmed`, out of the due index, noted on its incident's timeline. */
async function parkUnconfirmed(deps: DispatchDeps, message: StoredOutboxMessage): Promise<DispatchOutcome> {
  const { incidentId, messageId } = message;
  const why = `Cut off between its send and its record; ${message.channel === 'sns' ? 'SNS' : 'Slack'} cannot say whether it went out: parked for review, not sent again`;
  if (!(await deps.outbox.markUnconfirmed(incidentId, messageId, deps.clock.now(), why))) return 'already-handled';
  // A digest belongs to a channel, not to an incident: its status is the record.
  if (message.kind === 'escalation' && deps.noteUnconfirmed) {
    // Best effort: the message's status already says it; a lost note must not make it be sent.
    await deps.noteUnconfirmed(incidentId, message).catch(() => undefined);
  }
  return 'unconfirmed';
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
