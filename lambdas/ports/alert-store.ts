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

/** The fingerprint already belongs to an open incident (lost a race to open it). */
export class FingerprintTakenError extends Error {
  constructor(readonly source: string, readonly fingerprint: string) {
    super(`An open incident already holds fingerprint ${source}/${fingerprint}`);
    this.name = 'FingerprintTakenError';
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

export interface NoteWrite {
  readonly expectedVersion: number;
  readonly incident: Incident;
  readonly alert: StoredAlert;
  readonly event: TimelineEvent;
  readonly outbox: readonly OutboxMessage[];
}

/** Port for ingest: opening incidents, attaching, noting and recording alerts, exactly once per delivery. */
export interface AlertIntake {
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
   * A delivery of an event already kept (same sender event id): its instance's last-seen time moves on and
   * its repeat count grows; nothing is counted on the incident. Undefined when the event was never kept.
   */
  recordRepeat(source: string, senderEventId: string, now: Date): Promise<{ alertId: string; incidentId?: string } | undefined>;
  /** Keeps an alert that opens or attaches nothing. Throws DuplicateDeliveryError on a repeat. */
  recordAlert(alert: StoredAlert): Promise<void>;
  /** Records a source's resolution/acknowledgement on an open incident (timeline, alert, message). */
  noteOnIncident(write: NoteWrite): Promise<void>;
}

/** Port for the alert stream: keeping attached alerts as instances and counting them on their incident. */
export interface AlertCounter {
  /**
   * Keeps attached alerts as instances of their incident and folds them into its count and last-alert time,
   * exactly once each: an instance is written only if it is not kept yet, in the same transaction as the
   * count, so a redelivered stream record counts nothing twice. With `onlyIfOpen`, nothing is written and
   * 'not-open' is answered when the incident is no longer open.
   */
  countAlerts(incidentId: string, alerts: readonly StoredAlert[], options: { readonly onlyIfOpen: boolean }): Promise<'counted' | 'not-open'>;
  /** Keeps, on the closed incident it reached, an alert that was placed again elsewhere (never counted there). */
  keepMovedAlert(alert: StoredAlert & { readonly incidentId: string; readonly movedTo: NonNullable<StoredAlert['movedTo']> }): Promise<void>;
}

/** Port for reading an incident's alert instances. */
export interface AlertReader {
  /** One page of an incident's alert instances, newest or oldest first; `after` is the `next` of the page before. */
  listIncidentAlerts(incidentId: string, page: AlertPageRequest): Promise<AlertPage>;
}
