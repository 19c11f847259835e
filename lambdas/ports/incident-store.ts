import type { PlannedTimer } from '../domain/escalation-ladder.js';
import type { Incident, TimelineEvent } from '../domain/incident.js';
import type { OutboxMessage } from '../domain/messages.js';
import type { AlertCounter, AlertIntake, AlertReader, StoredAlert } from './alert-store.js';
import type { StoredOutboxMessage } from './outbox-store.js';
import type { StoredTimer, TimerStore } from './timer-store.js';

// The ports of the incident aggregate's neighbours, for callers that import them from here.
export * from './alert-store.js';
export * from './outbox-store.js';
export * from './timer-store.js';

export interface IncidentDetail {
  readonly incident: Incident;
  readonly timers: readonly StoredTimer[];
  readonly timeline: readonly TimelineEvent[];
  readonly messages: readonly StoredOutboxMessage[];
  readonly recentAlerts: readonly StoredAlert[];
}

/** A paging cursor that this list did not hand out (tampered, truncated, or from another list). */
export class InvalidCursorError extends Error {
  constructor(readonly detail: string) {
    super(`Not a cursor of this list (${detail}): pass the "next" value of the previous page unchanged`);
    this.name = 'InvalidCursorError';
  }
}

/** The incident changed since it was read (optimistic locking) or is no longer in the expected state. */
export class ConcurrentUpdateError extends Error {
  constructor(readonly incidentId: string, options?: { cause?: unknown }) {
    super(`Incident ${incidentId} was changed by someone else at the same time`, options);
    this.name = 'ConcurrentUpdateError';
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

/** Port for reading incidents: one, its detail, the open ones (paged) and the register. */
export interface IncidentReader {
  getIncident(incidentId: string): Promise<Incident | undefined>;
  /** Several incidents in one consistent read (the sweep's group of due steps); those not found are absent. */
  getIncidents(incidentIds: readonly string[]): Promise<Map<string, Incident>>;
  getIncidentDetail(incidentId: string): Promise<IncidentDetail | undefined>;
  /** Every open incident, most urgent deadline first (internal uses; people's lists are paged). */
  listOpenIncidents(): Promise<Incident[]>;
  /** One page of open incidents, most urgent deadline first; `after` is the previous page's `next`. */
  pageOpenIncidents(page: { readonly limit: number; readonly after?: string }): Promise<{ readonly incidents: readonly Incident[]; readonly next?: string }>;
  /**
   * Every incident detected in [from, to), open or not, oldest first (the Art. 33(5) register). With a
   * `deadline` (epoch milliseconds, wall clock) it stops before a read that would start after it, and says so
   * through `onDeadline`.
   */
  registerIncidents(from: string, to: string, stop?: RegisterStop): AsyncIterable<Incident>;
}

/** When a register read stops early (the request's deadline). */
export interface RegisterStop {
  readonly deadline: number;
  readonly onDeadline: () => void;
}

/** Port for people's decisions on an incident: state, timers, timeline and outbox in one write. */
export interface DecisionStore {
  /** Throws ConcurrentUpdateError when the incident's version moved. */
  applyDecision(write: DecisionWrite): Promise<void>;
}

/** What the officers' API reads and decides: incidents, their alerts and timers, and people's decisions. */
export interface OfficerStore extends IncidentReader, AlertReader, DecisionStore, Pick<TimerStore, 'listTimers'> {}

/**
 * Every incident port in one, for the wiring (runtime, local stack) and the views that show all of it. Use
 * cases name the narrower ports they use. Every method that changes state writes state, timers, timeline and
 * outbox atomically.
 */
export interface IncidentStore extends AlertIntake, AlertCounter, AlertReader, IncidentReader, DecisionStore, TimerStore {}

