import type { Incident, TimelineEvent } from '../domain/incident.js';
import type { OutboxMessage } from '../domain/messages.js';

export type TimerStatus = 'pending' | 'fired' | 'skipped' | 'cancelled';

export interface StoredTimer {
  readonly incidentId: string;
  readonly timerId: string;
  readonly stepId: string;
  readonly dueAt: string;
  readonly status: TimerStatus;
  readonly epoch: number;
  readonly firedAt?: string;
  readonly outcome?: string;
}

export type DueItem =
  | { readonly kind: 'timer'; readonly incidentId: string; readonly timerId: string; readonly dueAt: string }
  | { readonly kind: 'outbox'; readonly incidentId: string; readonly messageId: string; readonly dueAt: string };

export interface FireTimerWrite {
  readonly timer: StoredTimer;
  /** Check the incident's plan epoch (ladder steps); regime steps check their due time instead. Default true. */
  readonly fenced?: boolean;
  readonly expectedVersion: number;
  readonly incident: Incident;
  readonly event: TimelineEvent;
  readonly outbox: readonly OutboxMessage[];
}

/** A settling of one due timer, committed with others in one transaction (the sweep's group of due steps). */
export type TimerSettleWrite =
  | { readonly kind: 'fire'; readonly write: FireTimerWrite }
  | { readonly kind: 'skip'; readonly timer: StoredTimer; readonly outcome: string; readonly at: Date };

/**
 * What became of a settling in a group: written ('fired', 'skipped'); found settled, moved or cancelled
 * ('stale'); or not written because something else failed or raced ('unsettled': settle it alone, with fresh
 * reads, as fireTimer does).
 */
export type TimerSettleOutcome = 'fired' | 'skipped' | 'stale' | 'unsettled';

/** Port for the clock: timers of an incident, the due index, and firing or skipping a step exactly once. */
export interface TimerStore {
  listTimers(incidentId: string): Promise<StoredTimer[]>;
  getTimer(incidentId: string, timerId: string): Promise<StoredTimer | undefined>;
  /** Several timers in one consistent read; those not found are absent. */
  getTimers(keys: readonly { readonly incidentId: string; readonly timerId: string }[]): Promise<StoredTimer[]>;
  /**
   * Items due at or before `now`: timers and undelivered outbox messages, in due order. `after`: continue after
   * that item (the sweep's fan-out pages the whole index once, without re-reading what it already handed out).
   */
  findDue(now: Date, limit: number, after?: DueItem): Promise<DueItem[]>;
  /** Returns 'stale' when the timer already fired, moved or was cancelled; throws ConcurrentUpdateError if the incident moved. */
  fireTimer(write: FireTimerWrite): Promise<'fired' | 'stale'>;
  /** Takes a pending timer out of the due index without firing it (its condition no longer holds). */
  skipTimer(timer: StoredTimer, outcome: string, now: Date): Promise<'skipped' | 'stale'>;
  /**
   * Settles the timers of different incidents (at most one write per incident) in as few transactions as the
   * limits allow, each settling all or nothing; one outcome per write, in order.
   */
  settleTimers(writes: readonly TimerSettleWrite[]): Promise<TimerSettleOutcome[]>;
}

/**
 * A slice of the due index handed to a worker (the clock function consuming its SQS sweep queue on AWS): ids
 * only, whole incidents together where the index page held them. Delivered at least once: a worker settles
 * each item with the same conditional writes as the sweep, so a redelivered or concurrently settled page fires
 * nothing twice.
 */
export interface DuePage {
  readonly items: readonly DueItem[];
}

/** Where the sweep fans out pages of a burst (SQS on AWS; in process on the local stack and in tests). */
export interface DuePageQueue {
  enqueue(pages: readonly DuePage[]): Promise<void>;
}
