import { DomainValidationError, IllegalTransitionError } from './errors.js';
import { samePerson } from './identity.js';
import { DeadlineRangeError } from './regimes/deadline-time.js';
import { mergeFacts, type IncidentFacts } from './regimes/facts.js';
import { effectiveFacts, submissionKey, type Submission } from './regimes/engine.js';
import { RULE_PACKS } from './regimes/packs/index.js';
import { changedRegimes, incidentClocks } from './regimes/pinned.js';
import type { RulePack } from './regimes/rule-pack.js';
import { assessRisk, type RiskInput } from './risk.js';
import { changeTask, openBlockingTasks, type TaskChange } from './tasks/tasks.js';
import type { TaskTemplates } from './tasks/templates.js';
import { isOpen, type Incident, type NotificationDecision, type TimelineEvent } from './incident-record.js';

export * from './incident-record.js';

export type IncidentAction =
  | { readonly type: 'acknowledge' }
  | { readonly type: 'take-ownership' }
  | { readonly type: 'record-facts'; readonly facts: IncidentFacts; readonly remove?: readonly string[] }
  | { readonly type: 'assess-risk'; readonly input: RiskInput; readonly rationale: string }
  | { readonly type: 'propose-decision'; readonly regime: string; readonly notify: boolean; readonly rationale: string; readonly reasonsForDelay?: string; readonly overrideReason?: string }
  | {
      readonly type: 'record-submission';
      readonly regime: string;
      readonly obligation: string;
      readonly submittedAt: string;
      readonly reference: string;
      readonly noticeId?: string;
      /** The reasons for the delay given to the recipient with this report (required when a law asks for them once late). */
      readonly reasonsForDelay?: string;
      /** Other clocks the same report answers (a US resident notice covering several states): each not yet recorded is recorded too. */
      readonly alsoAnswers?: readonly { readonly regime: string; readonly obligation: string }[];
    }
  | { readonly type: 'confirm-decision'; readonly regime: string }
  | { readonly type: 'confirm'; readonly awareAt: string; readonly justification: string }
  | { readonly type: 'dismiss'; readonly reason: string; readonly regimes?: readonly string[] }
  | { readonly type: 'confirm-regime'; readonly regime: string; readonly awareAt: string; readonly justification: string }
  | { readonly type: 'dismiss-regime'; readonly regime: string; readonly reason: string }
  /** Take the current version of a pack whose version changed since the incident recorded its clocks. */
  | { readonly type: 'adopt-rule-version'; readonly regime: string }
  | { readonly type: 'record-notice-approval'; readonly noticeId: string; readonly regime: string }
  | { readonly type: 'record-evidence-read'; readonly alerts: number }
  /** breachclock itself: the live Slack message was gone and was posted again. */
  | { readonly type: 'record-slack-repost'; readonly channel: string; readonly ts: string; readonly reason: string }
  /**
   * breachclock itself: a page was cut off by a crash between its send and its record, and its channel cannot
   * say whether it went out; parked as unconfirmed for review, not sent again.
   */
  | { readonly type: 'record-unconfirmed-delivery'; readonly messageId: string; readonly channel: string; readonly topic?: string; readonly subject: string }
  | { readonly type: 'set-kind'; readonly kind: string }
  | TaskChange
  /** `override`: close although blocking tasks are open (the reason is kept with the tasks it overrode). */
  | { readonly type: 'close'; readonly reason: string; readonly override?: string };

/** What decisions need besides the incident: the task templates (set-kind names one of their kinds). */
export interface DecideContext {
  readonly templates?: TaskTemplates;
  /** The rule packs (default: RULE_PACKS; tests give a changed version). */
  readonly packs?: readonly RulePack[];
}

export type IncidentActionType = IncidentAction['type'];

export interface Decision {
  readonly incident: Incident;
  readonly event: TimelineEvent;
  /** The clock basis changed: timers must be re-planned (and the fencing epoch bumped). */
  readonly replan: boolean;
  /** The fingerprint is released: the next alert with it opens a new incident. */
  readonly releaseFingerprint: boolean;
}

const MIN_TEXT = 10;

/**
 * Reports that, once late, must be accompanied by the reasons for the delay: judged at submission, whichever way
 * it is recorded (a notice, or the incident's own record-submission for a report made outside breachclock).
 */
const LATE_NEEDS_REASONS: Readonly<Record<string, string>> = {
  'gdpr-art33/authority-notification': 'GDPR Art. 33(1)',
  'uk-gdpr-art33/ico-notification': 'UK GDPR Art. 33(1)',
};

/** Regimes whose notification follows the GDPR risk test (none → document only; risk → authority). */
const AUTHORITY_REGIMES: readonly string[] = ['gdpr-art33', 'uk-gdpr-art33'];

/** The incident's clocks; a date outside the holiday tables is the caller's input error, named by path. */
function clocksOrRangeError(incident: Incident, now: Date, path: string, packs: readonly RulePack[] = RULE_PACKS) {
  try {
    return incidentClocks(packs, incident, now);
  } catch (error) {
    if (error instanceof DeadlineRangeError) throw new DomainValidationError(path, `A deadline falls in ${error.year}, outside what breachclock can count: ${error.message}`);
    throw error;
  }
}

function requireText(value: string, path: string, what: string): string {
  const text = value.trim();
  if (text.length < MIN_TEXT) {
    throw new DomainValidationError(path, `${what} is required (at least ${MIN_TEXT} characters) and is kept in the audit trail`);
  }
  return text;
}

function parseInstant(value: string, path: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new DomainValidationError(path, `"${value}" is not an ISO-8601 timestamp`);
  return ms;
}

/**
 * The incident state machine: detected → acknowledged → confirmed | dismissed → closed.
 * Confirm and dismiss may also be taken straight from detected (they imply acknowledgement).
 * Returns the next state and the timeline event, or throws IllegalTransitionError / DomainValidationError.
 */
export function decide(incident: Incident, action: IncidentAction, actor: string, now: Date, context: DecideContext = {}): Decision {
  const at = now.toISOString();
  const packs = context.packs ?? RULE_PACKS;
  const base = { replan: false, releaseFingerprint: false };
  const next = (changes: Partial<Incident>): Incident => ({ ...incident, ...changes, version: incident.version + 1 });
  const refuse = (message: string): never => {
    throw new IllegalTransitionError(incident.status, action.type, message);
  };

  switch (action.type) {
    case 'acknowledge': {
      if (incident.status !== 'detected') {
        refuse(
          incident.acknowledgedAt
            ? `Incident ${incident.id} was already acknowledged by ${incident.acknowledgedBy ?? 'someone'} at ${incident.acknowledgedAt}`
            : `Incident ${incident.id} is ${incident.status}; only a detected incident can be acknowledged`,
        );
      }
      return {
        ...base,
        incident: next({ status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: actor }),
        event: { type: 'incident.acknowledged', at, actor, summary: `Acknowledged by ${actor}` },
      };
    }
    case 'take-ownership': {
      if (!isOpen(incident)) refuse(`Incident ${incident.id} is ${incident.status}; only an open incident can be owned`);
      if (samePerson(incident.owner, actor)) refuse(`You already own incident ${incident.id}`);
      if (incident.owner) refuse(`Incident ${incident.id} is already owned by ${incident.owner} since ${incident.ownedAt}; ask them to hand it over`);
      return {
        ...base,
        incident: next({
          owner: actor,
          ownedAt: at,
          ...(incident.status === 'detected' ? { status: 'acknowledged' as const, acknowledgedAt: at, acknowledgedBy: actor } : {}),
        }),
        event: { type: 'incident.owned', at, actor, summary: `${actor} took ownership${incident.status === 'detected' ? ' (and acknowledged)' : ''}` },
      };
    }
    case 'record-facts': {
      if (incident.status === 'closed') refuse(`Incident ${incident.id} is closed; its facts are final`);
      for (const field of ['occurredAt', 'classifiedAt', 'materialityDeterminedAt', 'assessedAt'] as const) {
        const value = action.facts[field];
        if (value && Date.parse(value) > now.getTime()) throw new DomainValidationError(`facts.${field}`, `${field} ${value} is in the future`);
      }
      const changed = [...Object.keys(action.facts), ...(action.remove ?? []).map((path) => `-${path}`)];
      if (!changed.length) throw new DomainValidationError('facts', 'No facts given');
      const facts = mergeFacts(incident.facts, action.facts, action.remove);
      clocksOrRangeError({ ...incident, facts }, now, 'facts', packs);
      const factAuthors: Record<string, readonly string[]> = { ...incident.factAuthors };
      for (const key of [...Object.keys(action.facts), ...(action.remove ?? []).map((path) => path.split('.')[0]!)]) {
        const authors = factAuthors[key] ?? [];
        if (!authors.some((author) => samePerson(author, actor))) factAuthors[key] = [...authors, actor];
      }
      return {
        ...base,
        incident: next({ facts, factAuthors }),
        event: {
          type: 'incident.facts-recorded',
          at,
          actor,
          summary: `${actor} recorded ${changed.join(', ')}`,
          data: { facts: action.facts, ...(action.remove?.length ? { removed: action.remove } : {}) },
        },
      };
    }
    case 'record-submission': {
      const key = submissionKey(action.regime, action.obligation);
      const clocks = clocksOrRangeError(incident, now, 'regime', packs);
      const clock = clocks.find((c) => c.regime === action.regime && c.obligation === action.obligation);
      if (!clock) {
        const known = clocks.map((c) => submissionKey(c.regime, c.obligation));
        throw new DomainValidationError('obligation', `${key} is not a clock of incident ${incident.id}; its clocks: ${known.join(', ') || 'none'}`);
      }
      const existing = incident.submissions?.[key];
      if (existing) refuse(`${key} was already recorded as submitted at ${existing.submittedAt} (reference ${existing.reference}) by ${existing.recordedBy}; record a follow-up report instead`);
      const submittedMs = parseInstant(action.submittedAt, 'submittedAt');
      if (submittedMs > now.getTime()) throw new DomainValidationError('submittedAt', `submittedAt ${action.submittedAt} is in the future; record a submission once it is made`);
      if (submittedMs < Date.parse(incident.detectedAt)) throw new DomainValidationError('submittedAt', `submittedAt ${action.submittedAt} is before the incident was detected (${incident.detectedAt})`);
      const reference = action.reference.trim();
      if (reference.length < 2) throw new DomainValidationError('reference', 'The recipient\'s reference (case number, receipt id) is required: it proves the submission');
      const late = clock.dueAt !== null && submittedMs > Date.parse(clock.dueAt);
      const reasonsForDelay = action.reasonsForDelay?.trim();
      const law = LATE_NEEDS_REASONS[key];
      if (late && law && !reasonsForDelay) {
        refuse(
          `${clock.label} (${key}) is recorded as submitted at ${new Date(submittedMs).toISOString()}, after its deadline ${clock.dueAt}: ${law} requires a late notification to be accompanied by the reasons for the delay. ` +
            'Give reasonsForDelay (the reasons sent to the authority with this report), or record the submission of a notice whose approved content states them',
        );
      }
      const submission: Submission = {
        regime: action.regime,
        obligation: action.obligation,
        submittedAt: new Date(submittedMs).toISOString(),
        reference,
        recordedBy: actor,
        recordedAt: at,
        ...(action.noticeId ? { noticeId: action.noticeId } : {}),
        ...(reasonsForDelay ? { reasonsForDelay } : {}),
      };
      // The same report answers other clocks (one US resident notice for several states): each is stopped with it.
      const also = (action.alsoAnswers ?? []).flatMap(({ regime, obligation }) => {
        const alsoKey = submissionKey(regime, obligation);
        const alsoClock = clocks.find((c) => c.regime === regime && c.obligation === obligation);
        if (!alsoClock) throw new DomainValidationError('alsoAnswers', `${alsoKey} is not a clock of incident ${incident.id}`);
        if (alsoKey === key || incident.submissions?.[alsoKey]) return [];
        const alsoLate = alsoClock.dueAt !== null && submittedMs > Date.parse(alsoClock.dueAt);
        return [{ key: alsoKey, clock: alsoClock, late: alsoLate, submission: { ...submission, regime, obligation } satisfies Submission }];
      });
      const gdprNotice = action.regime === 'gdpr-art33' && action.obligation === 'authority-notification';
      const alsoSaid = also.length ? `; the same report answers ${also.map((a) => `${a.clock.label}${a.late ? ' (after its deadline)' : ''}`).join(', ')}` : '';
      return {
        ...base,
        incident: next({
          submissions: { ...incident.submissions, [key]: submission, ...Object.fromEntries(also.map((a) => [a.key, a.submission])) },
          ...(gdprNotice && !incident.notifiedAt ? { notifiedAt: submission.submittedAt } : {}),
        }),
        event: {
          type: 'incident.submission-recorded',
          at,
          actor,
          summary: `${actor} recorded ${clock.label} (${clock.recipient}) as submitted at ${submission.submittedAt}, reference ${reference}${late ? ` (after the deadline${reasonsForDelay ? '; reasons for the delay stated' : ''})` : ''}${alsoSaid}`,
          data: { ...submission, dueAt: clock.dueAt, late, ...(also.length ? { alsoAnswers: also.map((a) => ({ regime: a.clock.regime, obligation: a.clock.obligation, dueAt: a.clock.dueAt, late: a.late })) } : {}) },
        },
      };
    }
    case 'assess-risk': {
      if (!isOpen(incident)) refuse(`Incident ${incident.id} is ${incident.status}; assess the risk of an open incident`);
      const rationale = requireText(action.rationale, 'rationale', 'A rationale for the risk assessment');
      const result = assessRisk(effectiveFacts(incident.facts), action.input);
      const previousLevel = incident.riskAssessment?.level;
      const changed = previousLevel !== undefined && previousLevel !== result.level;
      const decisions = changed && incident.decisions
        ? Object.fromEntries(Object.entries(incident.decisions).map(([regime, d]) => [regime, { ...d, stale: true }]))
        : incident.decisions;
      return {
        ...base,
        incident: next({
          riskAssessment: { ...result, input: action.input, by: actor, at, rationale, ...(previousLevel ? { previousLevel } : {}) },
          riskAssessedAt: incident.riskAssessedAt ?? at,
          ...(decisions ? { decisions } : {}),
        }),
        event: {
          type: changed ? 'incident.risk-reassessed' : 'incident.risk-assessed',
          at,
          actor,
          summary: changed
            ? `Risk re-assessed by ${actor}: ${previousLevel} → ${result.level}; earlier notification decisions must be taken again`
            : `Risk assessed by ${actor}: ${result.level} (severity ${result.severityScore})`,
          data: { level: result.level, severityScore: result.severityScore, factors: result.factors, rationale, ...(result.art34Exemption ? { art34Exemption: result.art34Exemption } : {}) },
        },
      };
    }
    case 'propose-decision': {
      if (!incident.riskAssessment) refuse(`Assess the risk of incident ${incident.id} before deciding whether to notify`);
      const allClocks = clocksOrRangeError(incident, now, 'regime', packs);
      const clocks = allClocks.filter((c) => c.regime === action.regime);
      if (!clocks.length) {
        const applicable = [...new Set(allClocks.map((c) => c.regime))];
        throw new DomainValidationError('regime', `${action.regime} does not apply to incident ${incident.id}; applicable: ${applicable.join(', ') || 'none'}`);
      }
      const existing = incident.decisions?.[action.regime];
      if (existing?.confirmedBy && !existing.stale) {
        refuse(`The ${action.regime} decision was confirmed by ${existing.confirmedBy} at ${existing.confirmedAt}; re-assess the risk to reopen it`);
      }
      const rationale = requireText(action.rationale, 'rationale', 'A rationale for the notification decision');
      const late = action.notify && clocks.some((c) => c.status === 'overdue');
      const reasonsForDelay = late ? requireText(action.reasonsForDelay ?? '', 'reasonsForDelay', 'The deadline has passed: reasons for the delay') : undefined;
      // Not notifying against the assessment (risk or high risk: the authority must be told) needs an
      // explicit override with its reason; it is flagged on the decision, the timeline and the register.
      const contradicts = !action.notify && incident.riskAssessment!.notifyAuthority && AUTHORITY_REGIMES.includes(action.regime);
      const override = contradicts
        ? {
            reason: requireText(
              action.overrideReason ?? '',
              'overrideReason',
              `The risk assessment says ${incident.riskAssessment!.level} risk, so the authority must be notified: an override reason for not notifying`,
            ),
            assessedLevel: incident.riskAssessment!.level,
          }
        : undefined;
      const decision: NotificationDecision = {
        regime: action.regime,
        notify: action.notify,
        rationale,
        ...(reasonsForDelay ? { reasonsForDelay } : {}),
        ...(override ? { override } : {}),
        basedOnRisk: incident.riskAssessment!.level,
        proposedBy: actor,
        proposedAt: at,
      };
      return {
        ...base,
        incident: next({ decisions: { ...incident.decisions, [action.regime]: decision } }),
        event: {
          type: 'incident.decision-proposed',
          at,
          actor,
          summary: `${actor} proposes ${action.notify ? 'to notify' : 'not to notify'} under ${action.regime}${override ? ` AGAINST the ${override.assessedLevel}-risk assessment (override)` : ''}; awaiting confirmation by another person`,
          data: { ...decision },
        },
      };
    }
    case 'confirm-decision': {
      const decision = incident.decisions?.[action.regime];
      if (!decision) refuse(`No ${action.regime} decision has been proposed for incident ${incident.id}`);
      if (decision!.stale) refuse(`The ${action.regime} decision predates the latest risk assessment; propose it again`);
      if (decision!.confirmedBy) refuse(`The ${action.regime} decision was already confirmed by ${decision!.confirmedBy}`);
      if (samePerson(decision!.proposedBy, actor)) refuse(`Four eyes: ${actor} proposed this decision and cannot also confirm it`);
      return {
        ...base,
        incident: next({ decisions: { ...incident.decisions, [action.regime]: { ...decision!, confirmedBy: actor, confirmedAt: at } } }),
        event: {
          type: 'incident.decision-confirmed',
          at,
          actor,
          summary: `${actor} confirmed: ${decision!.notify ? 'notify' : 'do not notify (documented only)'} under ${action.regime}`,
          data: { regime: action.regime, notify: decision!.notify },
        },
      };
    }
    case 'confirm': {
      if (incident.status !== 'detected' && incident.status !== 'acknowledged') {
        refuse(`Incident ${incident.id} is ${incident.status}; only a detected or acknowledged incident can be confirmed as a personal-data breach`);
      }
      const awareMs = parseInstant(action.awareAt, 'awareAt');
      if (awareMs > now.getTime()) {
        throw new DomainValidationError('awareAt', `awareAt ${action.awareAt} is in the future; awareness is a past or present fact`);
      }
      const justification = requireText(action.justification, 'justification', 'A justification for the awareness time');
      const awareAt = new Date(awareMs).toISOString();
      const laterThanDetection = awareMs > Date.parse(incident.detectedAt);
      return {
        ...base,
        incident: next({
          status: 'confirmed',
          awareAt,
          awareSetBy: actor,
          awareJustification: justification,
          confirmedAt: at,
          confirmedBy: actor,
          acknowledgedAt: incident.acknowledgedAt ?? at,
          acknowledgedBy: incident.acknowledgedBy ?? actor,
          planEpoch: incident.planEpoch + 1,
        }),
        event: {
          type: 'incident.confirmed',
          at,
          actor,
          summary: `Confirmed as a personal-data breach by ${actor}; aware at ${awareAt}`,
          data: {
            awareAt,
            justification,
            previousClockBasis: incident.awareAt ?? incident.detectedAt,
            awareLaterThanDetection: laterThanDetection,
          },
        },
        replan: true,
      };
    }
    case 'confirm-regime': {
      if (!isOpen(incident)) refuse(`Incident ${incident.id} is ${incident.status}; confirm a regime's awareness on an open incident`);
      const pack = packs.find((p) => p.id === action.regime);
      const clocks = clocksOrRangeError(incident, now, 'regime', packs).filter((c) => c.regime === action.regime);
      if (!pack || !clocks.length) throw new DomainValidationError('regime', `${action.regime} does not apply to incident ${incident.id}`);
      if (!pack.obligations.some((o) => o.clocks.some((c) => c.trigger === 'regimeAwareAt'))) {
        throw new DomainValidationError('regime', `${action.regime} counts from ${[...new Set(pack.obligations.flatMap((o) => o.clocks.map((c) => c.trigger ?? 'an earlier report')))].join(', ')}, not from its own awareness; record that fact instead`);
      }
      const awareMs = parseInstant(action.awareAt, 'awareAt');
      if (awareMs > now.getTime()) throw new DomainValidationError('awareAt', `awareAt ${action.awareAt} is in the future`);
      const justification = requireText(action.justification, 'justification', `A justification for the ${action.regime} awareness time`);
      const awareAt = new Date(awareMs).toISOString();
      return {
        ...base,
        incident: next({ regimeAwareness: { ...incident.regimeAwareness, [action.regime]: { awareAt, by: actor, at, justification } } }),
        event: { type: 'incident.regime-confirmed', at, actor, summary: `${actor} confirmed awareness under ${action.regime} at ${awareAt}`, data: { regime: action.regime, awareAt, justification } },
      };
    }
    case 'dismiss-regime': {
      if (!isOpen(incident)) refuse(`Incident ${incident.id} is ${incident.status}`);
      const clocks = clocksOrRangeError(incident, now, 'regime', packs).filter((c) => c.regime === action.regime);
      if (!clocks.length) throw new DomainValidationError('regime', `${action.regime} does not apply to incident ${incident.id}`);
      if (incident.regimeDismissals?.[action.regime]) refuse(`${action.regime} was already dismissed by ${incident.regimeDismissals[action.regime]!.by}`);
      if (clocks.some((c) => c.status === 'submitted')) refuse(`A report under ${action.regime} was already submitted; it cannot be dismissed`);
      const reason = requireText(action.reason, 'reason', `A reason why ${action.regime} does not apply`);
      return {
        ...base,
        incident: next({ regimeDismissals: { ...incident.regimeDismissals, [action.regime]: { reason, by: actor, at } } }),
        event: { type: 'incident.regime-dismissed', at, actor, summary: `${actor} dismissed ${action.regime} for this incident: ${reason}`, data: { regime: action.regime, reason } },
      };
    }
    case 'adopt-rule-version': {
      if (incident.status === 'closed') refuse(`Incident ${incident.id} is closed; its clocks stay as they were at closing`);
      const pending = changedRegimes(packs, incident.clockPins);
      if (!pending.includes(action.regime)) {
        throw new DomainValidationError('regime', `${action.regime} has no rule change to adopt on incident ${incident.id}${pending.length ? `; changed: ${pending.join(', ')}` : ''}`);
      }
      const from = incident.clockPins![action.regime]!.v;
      const to = packs.find((p) => p.id === action.regime)?.version ?? null;
      const clocks = clocksOrRangeError(incident, now, 'regime', packs)
        .filter((c) => c.regime === action.regime && c.ruleChange)
        .map((c) => ({ obligation: c.obligation, recordedDueAt: c.ruleChange!.recorded.dueAt, currentDueAt: c.ruleChange!.current.dueAt }));
      const { [action.regime]: _adopted, ...rest } = incident.clockPins!;
      const moves = clocks.map((c) => `${c.obligation} ${c.recordedDueAt ?? 'none'} → ${c.currentDueAt ?? 'none'}`).join(', ');
      return {
        ...base,
        incident: next({ clockPins: rest }),
        event: {
          type: 'incident.rule-version-adopted',
          at,
          actor,
          summary: `${actor} adopted ${action.regime} version ${to ?? '(pack withdrawn)'} instead of ${from}${moves ? `: ${moves}` : ''}`,
          data: { regime: action.regime, from, to, clocks },
        },
      };
    }
    case 'record-slack-repost':
      return {
        ...base,
        incident: next({}),
        event: { type: 'slack.reposted', at, actor, summary: `The live Slack message was gone and was posted again (${action.reason})`, data: { channel: action.channel, ts: action.ts } },
      };
    case 'record-unconfirmed-delivery': {
      const where = action.topic ? `${action.channel} topic ${action.topic}` : action.channel;
      return {
        ...base,
        incident: next({}),
        event: {
          type: 'delivery.unconfirmed',
          at,
          actor,
          summary: `A page may or may not have gone out: "${action.subject}" to ${where} was cut off between its send and its record (a crash or a timeout) and ${action.channel === 'sns' ? 'SNS' : 'Slack'} cannot say whether it was sent; parked for review, not sent again`,
          data: { messageId: action.messageId, channel: action.channel, ...(action.topic ? { topic: action.topic } : {}) },
        },
      };
    }
    case 'record-evidence-read':
      return {
        ...base,
        incident: next({}),
        event: { type: 'evidence.read', at, actor, summary: `${actor} read the raw evidence of ${action.alerts} alert${action.alerts === 1 ? '' : 's'}`, data: { alerts: action.alerts } },
      };
    case 'record-notice-approval': {
      // The GDPR authority notice was approved: the ladder's "no approved notice" step has no reason to fire.
      const first = !incident.noticeApprovedAt && action.regime === 'gdpr-art33';
      return {
        ...base,
        incident: next(first ? { noticeApprovedAt: at } : {}),
        event: {
          type: 'incident.notice-approved',
          at,
          actor,
          summary: first ? `${actor} approved the authority notice ${action.noticeId}: the 48-hour escalation stops` : `${actor} approved notice ${action.noticeId} (${action.regime})`,
          data: { noticeId: action.noticeId, regime: action.regime },
        },
      };
    }
    case 'dismiss': {
      if (incident.status !== 'detected' && incident.status !== 'acknowledged') {
        refuse(
          incident.status === 'confirmed'
            ? `Incident ${incident.id} is a confirmed personal-data breach; it cannot be dismissed, only closed with a resolution`
            : `Incident ${incident.id} is ${incident.status}; only a detected or acknowledged incident can be dismissed`,
        );
      }
      const reason = requireText(action.reason, 'reason', 'A reason for dismissing');
      // An incident regime (NIS2, DORA, SEC, NYDFS) does not end with "not a personal-data breach": a dismissal
      // names every one that applies, or the incident stays open for them.
      const named = new Set(action.regimes ?? []);
      const incidentRegimes = [
        ...new Set(
          clocksOrRangeError(incident, now, 'regimes', packs)
            .filter((c) => c.status !== 'not-required' && packs.find((p) => p.id === c.regime)?.subject === 'incident')
            .map((c) => c.regime),
        ),
      ];
      const left = incidentRegimes.filter((regime) => !named.has(regime));
      if (left.length) {
        throw new DomainValidationError(
          'regimes',
          `${left.join(', ')} ${left.length > 1 ? 'apply' : 'applies'} whether or not personal data was involved: name ${left.length > 1 ? 'them' : 'it'} in "regimes" to dismiss ${left.length > 1 ? 'them' : 'it'} too, or dismiss the personal-data regimes on their own (dismiss-regime) and keep the incident open`,
        );
      }
      const dismissedRegimes = [...new Set([...incidentRegimes, ...named])];
      return {
        ...base,
        incident: next({
          ...(dismissedRegimes.length ? { regimeDismissals: { ...incident.regimeDismissals, ...Object.fromEntries(dismissedRegimes.map((regime) => [regime, { reason, by: actor, at }])) } } : {}),
          status: 'dismissed',
          dismissedAt: at,
          dismissedBy: actor,
          dismissReason: reason,
          acknowledgedAt: incident.acknowledgedAt ?? at,
          acknowledgedBy: incident.acknowledgedBy ?? actor,
          planEpoch: incident.planEpoch + 1,
        }),
        event: {
          type: 'incident.dismissed',
          at,
          actor,
          summary: `Dismissed as not a personal-data breach by ${actor}${dismissedRegimes.length ? `; also dismissed: ${dismissedRegimes.join(', ')}` : ''}`,
          data: { reason, ...(dismissedRegimes.length ? { regimes: dismissedRegimes } : {}) },
        },
        releaseFingerprint: true,
      };
    }
    case 'set-kind': {
      if (incident.status === 'closed') refuse(`Incident ${incident.id} is closed`);
      const kinds = Object.keys(context.templates?.kinds ?? {});
      if (!kinds.includes(action.kind)) throw new DomainValidationError('kind', `"${action.kind}" is not an incident kind; the kinds: ${kinds.join(', ') || 'none configured'}`);
      if (incident.kind === action.kind) refuse(`Incident ${incident.id} is already a ${action.kind} incident`);
      return {
        ...base,
        incident: next({ kind: action.kind }),
        event: { type: 'incident.kind-set', at, actor, summary: `${actor} set the kind: ${context.templates!.kinds[action.kind]!.label}${incident.kind ? ` (was ${incident.kind})` : ''}`, data: { kind: action.kind, ...(incident.kind ? { previous: incident.kind } : {}) } },
      };
    }
    case 'add-task':
    case 'assign-task':
    case 'complete-task':
    case 'set-aside-task':
    case 'reopen-task': {
      if (incident.status === 'closed') refuse(`Incident ${incident.id} is closed; its tasks are final`);
      const changed = changeTask(incident.tasks ?? [], action, actor, now);
      const type = { 'add-task': 'task.added', 'assign-task': 'task.assigned', 'complete-task': 'task.completed', 'set-aside-task': 'task.set-aside', 'reopen-task': 'task.reopened' }[action.type];
      const { task } = changed;
      return {
        ...base,
        incident: next({ tasks: changed.tasks }),
        event: { type, at, actor, summary: changed.summary, data: { taskId: task.id, title: task.title, status: task.status, ...(task.owner ? { owner: task.owner } : {}), ...(task.note ? { note: task.note } : {}) } },
      };
    }
    case 'close': {
      if (incident.status !== 'confirmed' && incident.status !== 'dismissed') {
        refuse(`Incident ${incident.id} is ${incident.status}; confirm or dismiss it before closing`);
      }
      const reason = requireText(action.reason, 'reason', 'A resolution note for closing');
      // Blocking tasks (containment, evidence, the notification decision) keep an incident open unless overridden.
      const blocking = openBlockingTasks(incident.tasks);
      const override = blocking.length && action.override !== undefined ? requireText(action.override, 'override', 'A reason for closing with blocking tasks open') : undefined;
      if (blocking.length && !override) {
        refuse(`Incident ${incident.id} has ${blocking.length} open blocking task${blocking.length === 1 ? '' : 's'}: ${blocking.map((t) => `"${t.title}"`).join(', ')}; complete or set them aside, or close with an override and its reason`);
      }
      return {
        ...base,
        incident: next({ status: 'closed', closedAt: at, closedBy: actor, closeReason: reason, planEpoch: incident.planEpoch + 1 }),
        event: {
          type: 'incident.closed',
          at,
          actor,
          summary: `Closed by ${actor}${override ? ` OVERRIDING ${blocking.length} open blocking task${blocking.length === 1 ? '' : 's'}: ${override}` : ''}`,
          data: { reason, ...(override ? { override, openTasks: blocking.map((t) => t.id) } : {}) },
        },
        releaseFingerprint: incident.status === 'confirmed',
      };
    }
  }
}

