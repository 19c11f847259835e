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

/** Port for the clock: timers of an incident, the due index, and firing or skipping a step exactly once. */
export interface TimerStore {
  listTimers(incidentId: string): Promise<StoredTimer[]>;
  getTimer(incidentId: string, timerId: string): Promise<StoredTimer | undefined>;
  /**
   * Items due at or before `now`: timers and undelivered outbox messages, in due order. `after`: continue after
   * that item (the sweep's fan-out pages the whole index once, without re-reading what it already handed out).
   */
  findDue(now: Date, limit: number, after?: DueItem): Promise<DueItem[]>;
  /** Returns 'stale' when the timer already fired, moved or was cancelled; throws ConcurrentUpdateError if the incident moved. */
  fireTimer(write: FireTimerWrite): Promise<'fired' | 'stale'>;
  /** Takes a pending timer out of the due index without firing it (its condition no longer holds). */
  skipTimer(timer: StoredTimer, outcome: string, now: Date): Promise<'skipped' | 'stale'>;
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
