import type { IncidentFacts } from './regimes/facts.js';
import type { Submission } from './regimes/engine.js';
import type { ClockPins } from './regimes/pinned.js';
import type { RiskAssessment, RiskInput, RiskLevel } from './risk.js';
import type { IncidentTask } from './tasks/tasks.js';

/**
 * The incident record and what happens to it without a person's decision (opening from an alert, a source's
 * status noted). Kept apart from the decisions (incident.ts) so the ingest functions load neither the
 * regimes engine nor its holiday tables.
 */

/** The recorded risk assessment: the computed result, its inputs, who assessed and why. */
export interface RecordedRiskAssessment extends RiskAssessment {
  readonly input: RiskInput;
  readonly by: string;
  readonly at: string;
  readonly rationale: string;
  readonly previousLevel?: RiskLevel;
}

/** Notify or not, per regime: proposed by one person, confirmed by another (four eyes). */
export interface NotificationDecision {
  readonly regime: string;
  readonly notify: boolean;
  readonly rationale: string;
  readonly reasonsForDelay?: string;
  readonly basedOnRisk: RiskLevel;
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly confirmedBy?: string;
  readonly confirmedAt?: string;
  /** The risk was re-assessed to another level since: the decision must be taken again. */
  readonly stale?: boolean;
  /** Not notifying although the assessment says the authority must be told: the reason, flagged in the register. */
  readonly override?: { readonly reason: string; readonly assessedLevel: RiskLevel };
}

export type { Submission } from './regimes/engine.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ['detected', 'acknowledged', 'confirmed', 'dismissed', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses in which a new alert with the same fingerprint attaches to the incident. */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['detected', 'acknowledged', 'confirmed'];

export interface EscalationRecord {
  readonly stepId: string;
  readonly level: number;
  readonly label: string;
  readonly firedAt: string;
}

/**
 * The incident record. Timestamps are ISO-8601 UTC strings and each is a separate fact (BRIEF §3):
 * detectedAt is the first alert, awareAt is a human decision with a justification.
 */
export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly source: string;
  readonly fingerprint: string;
  readonly status: IncidentStatus;
  readonly occurredAt?: string;
  readonly detectedAt: string;
  /** The tool's own first-seen time when it was outside the plausibility window (kept, not counted). */
  readonly toolFirstSeenAt?: string;
  readonly awareAt?: string;
  readonly awareSetBy?: string;
  readonly awareJustification?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  /** Who took ownership (one person answers for the incident). */
  readonly owner?: string;
  readonly ownedAt?: string;
  readonly confirmedAt?: string;
  readonly confirmedBy?: string;
  readonly dismissedAt?: string;
  readonly dismissedBy?: string;
  readonly dismissReason?: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly closeReason?: string;
  /** What responders and the DPO recorded: jurisdictions, data, role, sectors, regime timestamps (regimes engine). */
  readonly facts?: IncidentFacts;
  /** Who recorded each top-level fact (a notice that renders a fact cannot be approved by who recorded it). */
  readonly factAuthors?: Readonly<Record<string, readonly string[]>>;
  readonly riskAssessment?: RecordedRiskAssessment;
  readonly decisions?: Readonly<Record<string, NotificationDecision>>;
  /** Reports recorded as submitted, by "regime/obligation": each stops its clock and starts the chained ones. */
  readonly submissions?: Readonly<Record<string, Submission>>;
  /** Awareness confirmed for one regime on its own (NIS2, DORA, NYDFS: an incident need not involve personal data). */
  readonly regimeAwareness?: Readonly<Record<string, { readonly awareAt: string; readonly by: string; readonly at: string; readonly justification: string }>>;
  /** Regimes dismissed as not applying (on their own, or named by the incident's dismissal). */
  /** Per applying pack: the version its clocks were counted under and their due times then; frozen at closing (regimes/pinned.ts). */
  readonly clockPins?: ClockPins;
  readonly regimeDismissals?: Readonly<Record<string, { readonly reason: string; readonly by: string; readonly at: string }>>;
  /** Set by later capabilities (risk assessment, notices); escalation conditions read them. */
  readonly riskAssessedAt?: string;
  readonly noticeApprovedAt?: string;
  readonly notifiedAt?: string;
  /** The last resolution / acknowledgement a monitoring tool reported; shown to responders, never closes. */
  readonly lastSourceStatus?: { readonly status: 'resolved' | 'acknowledged'; readonly source: string; readonly at: string };
  /** When the overdue escalation fired (the GDPR deadline passed without a notification). */
  readonly overdueAt?: string;
  readonly lastEscalation?: EscalationRecord;
  /** The most urgent deadline of its running clocks (urgency.ts): the order of lists, across pages. */
  readonly nextDeadlineAt?: string;
  /** What kind of incident it is (a key of the task templates: credential-compromise, ransomware …). */
  readonly kind?: string;
  /** Response tasks: from the templates (common, kind, regimes) and added by hand. */
  readonly tasks?: readonly IncidentTask[];
  /** Where the live Slack message is (set by delivery, not by decisions). */
  readonly slackMessage?: { readonly channel: string; readonly ts: string };
  readonly alertCount: number;
  readonly lastAlertAt: string;
  /** Fencing token: bumped on every re-plan of the timers; a timer of an older epoch does nothing. */
  readonly planEpoch: number;
  /** Optimistic-locking version, bumped on every state change. */
  readonly version: number;
  /** The head of the hash-chained audit trail (set by the store with each event it appends). */
  readonly trail?: { readonly seq: number; readonly hash: string };
}

export interface TimelineEvent {
  readonly type: string;
  readonly at: string;
  readonly actor: string;
  readonly summary: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface NewIncidentInput {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly source: string;
  readonly fingerprint: string;
  readonly occurredAt?: string;
  /** When the monitoring tool says it observed the problem, if it says. */
  readonly observedAt?: string;
  /** The kind the alert points to (task templates), if any. */
  readonly kind?: string;
}

/**
 * Opens an incident from its first alert. detectedAt is when the first alert was observed, never later
 * than its receipt (`now`) and never in the future (a sender's clock skew must not delay the clock).
 */
/** No tool time before this is believed (a zero date such as 0001-01-01 is a default, not a detection). */
export const TOOL_TIME_FLOOR = '2000-01-01T00:00:00.000Z';
/** How old a tool's own time may be and still count as the detection (TOOL_TIME_WINDOW). */
export const DEFAULT_TOOL_TIME_WINDOW_MS = 7 * 86_400_000;

/**
 * Opens an incident. The detection time is the tool's own time when it is plausible (within the window and
 * after the floor): the earlier time is the conservative reading. An older tool time (a re-sent finding with
 * its original createdAt, a default date) does not start the clock in the past: the clock counts from
 * receipt, and the tool's time is kept as `toolFirstSeenAt` and said on the timeline.
 */
export function openIncident(input: NewIncidentInput, now: Date, options: { readonly toolTimeWindowMs?: number } = {}): { incident: Incident; event: TimelineEvent } {
  const receivedAt = now.toISOString();
  const observed = input.observedAt ? Date.parse(input.observedAt) : Number.NaN;
  const window = options.toolTimeWindowMs ?? DEFAULT_TOOL_TIME_WINDOW_MS;
  const plausible = Number.isFinite(observed) && observed >= Date.parse(TOOL_TIME_FLOOR) && observed >= now.getTime() - window;
  const detectedAt = plausible && observed < now.getTime() ? new Date(observed).toISOString() : receivedAt;
  const toolFirstSeenAt = Number.isFinite(observed) && !plausible ? new Date(observed).toISOString() : undefined;
  const occurred = input.occurredAt ? Date.parse(input.occurredAt) : Number.NaN;
  const incident: Incident = {
    id: input.id,
    title: input.title,
    severity: input.severity,
    source: input.source,
    fingerprint: input.fingerprint,
    status: 'detected',
    ...(Number.isFinite(occurred) && occurred >= Date.parse(TOOL_TIME_FLOOR) ? { occurredAt: new Date(occurred).toISOString() } : {}),
    detectedAt,
    ...(toolFirstSeenAt ? { toolFirstSeenAt } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    alertCount: 1,
    lastAlertAt: receivedAt,
    planEpoch: 1,
    version: 1,
  };
  return {
    incident,
    event: {
      type: 'incident.opened',
      at: receivedAt,
      actor: `source:${input.source}`,
      summary: `Incident opened from a ${input.severity} alert from ${input.source}${toolFirstSeenAt ? `; the tool's own time ${toolFirstSeenAt} is outside the plausibility window (older than ${Math.round(window / 3_600_000)} h or before ${TOOL_TIME_FLOOR.slice(0, 4)}), so the clock counts from receipt` : ''}`,
      data: { detectedAt, fingerprint: input.fingerprint, ...(toolFirstSeenAt ? { toolFirstSeenAt } : {}) },
    },
  };
}

/**
 * A monitoring tool reports the alert behind an open incident resolved (or acknowledged on its side). That is
 * a fact for the timeline, not a decision: a breach is closed by people, never by an alert turning green.
 */
export function noteSourceStatus(
  incident: Incident,
  status: 'resolved' | 'acknowledged',
  source: string,
  now: Date,
): { incident: Incident; event: TimelineEvent } {
  const at = now.toISOString();
  return {
    incident: { ...incident, lastSourceStatus: { status, source, at }, version: incident.version + 1 },
    event: {
      type: status === 'resolved' ? 'alert.resolved' : 'alert.acknowledged-at-source',
      at,
      actor: `source:${source}`,
      summary:
        status === 'resolved'
          ? `${source} reports the alert resolved; the incident stays ${incident.status} until a responder decides`
          : `${source} reports the alert acknowledged on its side; breachclock's acknowledgement is separate`,
    },
  };
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return OPEN_STATUSES.includes(incident.status);
}

/** With no facts recorded (an EU controller is assumed) only the GDPR clock applies: what an opening incident's tasks and list order use (a test checks it against the engine). */
export const OPENING_REGIMES: readonly string[] = ['gdpr-art33'];
