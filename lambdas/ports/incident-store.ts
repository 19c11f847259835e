import type { AlertStatus } from '../domain/alert.js';
import type { PlannedTimer } from '../domain/escalation-ladder.js';
import type { Incident, TimelineEvent } from '../domain/incident.js';
import type { OutboxMessage } from '../domain/messages.js';

export type AlertOutcome = 'opened' | 'attached' | 'noted' | 'recorded';

export interface StoredAlert {
  readonly alertId: string;
  /** Unset for alerts only recorded (routing said "record", or nothing was open to attach to). */
  readonly incidentId?: string;
  readonly source: string;
  readonly fingerprint: string;
  readonly title: string;
  readonly severity: string;
  readonly status: AlertStatus;
  readonly outcome: AlertOutcome;
  /** The routing rule that decided. */
  readonly rule: string;
  readonly receivedAt: string;
  readonly occurredAt?: string;
  readonly observedAt?: string;
  /** The sender's own id for this delivery, when it gives one: a repeated delivery is not counted twice. */
  readonly senderEventId?: string;
  /** The instance's last sighting: a repeated delivery (re-notification, retry, redelivery) moves it on. Unset: receivedAt. */
  readonly lastSeenAt?: string;
  /** How many repeated deliveries of this instance arrived (none counted as new alerts). */
  readonly repeats?: number;
  /** Arrived after its incident closed and was placed again: the alert and incident it became. */
  readonly movedTo?: { readonly alertId: string; readonly incidentId: string | null };
  readonly category?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly link?: string;
  readonly description?: string;
  /** Free details and the raw payload. Stored encrypted at rest, expire with the retention period, never logged. */
  readonly details?: Record<string, unknown>;
  readonly raw?: string;
}

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

export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export interface StoredOutboxMessage extends OutboxMessage {
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly leaseUntil?: string;
  readonly deliveredAt?: string;
  readonly providerMessageId?: string;
  readonly lastError?: string;
}

export interface IncidentDetail {
  readonly incident: Incident;
  readonly timers: readonly StoredTimer[];
  readonly timeline: readonly TimelineEvent[];
  readonly messages: readonly StoredOutboxMessage[];
  readonly recentAlerts: readonly StoredAlert[];
}

export interface AlertPageRequest {
  readonly limit: number;
  readonly order: 'newest' | 'oldest';
  /** Opaque cursor from the previous page; a cursor that is not one throws InvalidCursorError. */
  readonly after?: string;
}

export interface AlertPage {
  readonly alerts: readonly StoredAlert[];
  /** Cursor for the next page; absent on the last page. */
  readonly next?: string;
}

/** A paging cursor that this list did not hand out (tampered, truncated, or from another list). */
export class InvalidCursorError extends Error {
  constructor(readonly detail: string) {
    super(`Not a cursor of this list (${detail}): pass the "next" value of the previous page unchanged`);
    this.name = 'InvalidCursorError';
  }
}

export type DueItem =
  | { readonly kind: 'timer'; readonly incidentId: string; readonly timerId: string; readonly dueAt: string }
  | { readonly kind: 'outbox'; readonly incidentId: string; readonly messageId: string; readonly dueAt: string };

/** The fingerprint already belongs to an open incident (lost a race to open it). */
export class FingerprintTakenError extends Error {
  constructor(readonly source: string, readonly fingerprint: string) {
    super(`An open incident already holds fingerprint ${source}/${fingerprint}`);
    this.name = 'FingerprintTakenError';
  }
}

/** The incident changed since it was read (optimistic locking) or is no longer in the expected state. */
export class ConcurrentUpdateError extends Error {
  constructor(readonly incidentId: string, options?: { cause?: unknown }) {
    super(`Incident ${incidentId} was changed by someone else at the same time`, options);
    this.name = 'ConcurrentUpdateError';
  }
}

/** The sender delivered this event before (same sender event id): nothing new is written. */
export class DuplicateDeliveryError extends Error {
  constructor(readonly alertId: string, readonly incidentId: string | undefined) {
    super(`Alert delivery already recorded as ${alertId}${incidentId ? ` on ${incidentId}` : ''}`);
    this.name = 'DuplicateDeliveryError';
  }
}

export interface OpenIncidentWrite {
  readonly incident: Incident;
  readonly alert: StoredAlert;
  readonly event: TimelineEvent;
  readonly timers: readonly PlannedTimer[];
  readonly outbox: readonly OutboxMessage[];
  /** Storm protection: this opening counts against the rule's budget for the window; refused beyond `cap`. */
  readonly stormBudget?: { readonly key: string; readonly cap: number; readonly expiresAt: string };
}

/** The rule already opened its cap of incidents in this window: the alert joins the storm incident instead. */
export class StormCapReachedError extends Error {
  constructor(readonly budgetKey: string) {
    super(`The storm budget ${budgetKey} is spent`);
    this.name = 'StormCapReachedError';
  }
}

export interface DecisionWrite {
  /** The version the decision was taken on; the write fails with ConcurrentUpdateError if it moved. */
  readonly expectedVersion: number;
  readonly incident: Incident;
  readonly event: TimelineEvent;
  readonly upsertTimers: readonly PlannedTimer[];
  readonly cancelTimers: readonly string[];
  readonly releaseFingerprint: boolean;
  readonly outbox: readonly OutboxMessage[];
}

export interface NoteWrite {
  readonly expectedVersion: number;
  readonly incident: Incident;
  readonly alert: StoredAlert;
  readonly event: TimelineEvent;
  readonly outbox: readonly OutboxMessage[];
}

export interface FireTimerWrite {
  readonly timer: StoredTimer;
  /** Check the incident's plan epoch (ladder steps); regime steps check their due time instead. Default true. */
  readonly fenced?: boolean;
  readonly expectedVersion: number;
  readonly incident: Incident;
  readonly event: TimelineEvent;
  readonly outbox: readonly OutboxMessage[];
}

/** Port for incident state. Every method that changes state writes state, timers, timeline and outbox atomically. */
export interface IncidentStore {
  findOpenIncidentId(source: string, fingerprint: string): Promise<string | undefined>;
  /** Throws FingerprintTakenError if another open incident holds the fingerprint, DuplicateDeliveryError on a repeat. */
  openIncident(write: OpenIncidentWrite): Promise<void>;
  /**
   * Attaches an alert to an open incident as one conditional put of its delivery record, never writing the
   * incident item (the hot path: writers of a storm cannot conflict, ADR 0011). The alert stream then keeps
   * the instance and counts it (`countAlerts`). Throws DuplicateDeliveryError on a repeat.
   */
  attachAlert(alert: StoredAlert & { readonly incidentId: string }): Promise<void>;
  /** Attaches several alerts of one incident in one transaction (all or nothing), like attachAlert. */
  attachAlerts(alerts: readonly (StoredAlert & { readonly incidentId: string })[]): Promise<void>;
  /**
   * Keeps attached alerts as instances of their incident and folds them into its count and last-alert time,
   * exactly once each: an instance is written only if it is not kept yet, in the same transaction as the
   * count, so a redelivered stream record counts nothing twice. With `onlyIfOpen`, nothing is written and
   * 'not-open' is answered when the incident is no longer open.
   */
  countAlerts(incidentId: string, alerts: readonly StoredAlert[], options: { readonly onlyIfOpen: boolean }): Promise<'counted' | 'not-open'>;
  /** Keeps, on the closed incident it reached, an alert that was placed again elsewhere (never counted there). */
  keepMovedAlert(alert: StoredAlert & { readonly incidentId: string; readonly movedTo: NonNullable<StoredAlert['movedTo']> }): Promise<void>;
  /**
   * A delivery of an event already kept (same sender event id): its instance's last-seen time moves on and
   * its repeat count grows; nothing is counted on the incident. Undefined when the event was never kept.
   */
  recordRepeat(source: string, senderEventId: string, now: Date): Promise<{ alertId: string; incidentId?: string } | undefined>;
  /** One page of an incident's alert instances, newest or oldest first; `after` is the `next` of the page before. */
  listIncidentAlerts(incidentId: string, page: AlertPageRequest): Promise<AlertPage>;
  /** Keeps an alert that opens or attaches nothing. Throws DuplicateDeliveryError on a repeat. */
  recordAlert(alert: StoredAlert): Promise<void>;
  /** Records a source's resolution/acknowledgement on an open incident (timeline, alert, message). */
  noteOnIncident(write: NoteWrite): Promise<void>;
  getIncident(incidentId: string): Promise<Incident | undefined>;
  getIncidentDetail(incidentId: string): Promise<IncidentDetail | undefined>;
  /** Every open incident, most urgent deadline first (internal uses; people's lists are paged). */
  listOpenIncidents(): Promise<Incident[]>;
  /** One page of open incidents, most urgent deadline first; `after` is the previous page's `next`. */
  pageOpenIncidents(page: { readonly limit: number; readonly after?: string }): Promise<{ readonly incidents: readonly Incident[]; readonly next?: string }>;
  /** Every incident detected in [from, to), open or not, oldest first (the Art. 33(5) register). */
  registerIncidents(from: string, to: string): AsyncIterable<Incident>;
  listTimers(incidentId: string): Promise<StoredTimer[]>;
  getTimer(incidentId: string, timerId: string): Promise<StoredTimer | undefined>;
  /** Throws ConcurrentUpdateError when the incident's version moved. */
  applyDecision(write: DecisionWrite): Promise<void>;
  /** Items due at or before `now`: timers and undelivered outbox messages. */
  findDue(now: Date, limit: number): Promise<DueItem[]>;
  /** Returns 'stale' when the timer already fired, moved or was cancelled; throws ConcurrentUpdateError if the incident moved. */
  fireTimer(write: FireTimerWrite): Promise<'fired' | 'stale'>;
  /** Takes a pending timer out of the due index without firing it (its condition no longer holds). */
  skipTimer(timer: StoredTimer, outcome: string, now: Date): Promise<'skipped' | 'stale'>;
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
