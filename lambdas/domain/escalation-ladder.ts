import * as z from './zod-mini.js';
import { parseDuration } from './duration.js';
import { ConfigurationError } from './errors.js';
import { once } from './once.js';
import { clockTrigger, GDPR_ART33_CLOCK, GDPR_ART33_WINDOW_MS } from './gdpr-clock.js';
import type { Incident } from './incident.js';

/**
 * What must still be missing for a step to fire. Checked again when the step is due, so a step whose
 * reason went away (the incident was acknowledged, a notice was approved) does nothing.
 */
export const ESCALATION_CONDITIONS = ['unacknowledged', 'no-risk-assessment', 'no-approved-notice', 'not-submitted', 'overdue'] as const;
export type EscalationCondition = (typeof ESCALATION_CONDITIONS)[number];

/**
 * The configuration schemas, built on first use: the default ladder needs none of them (it is checked against
 * them by a test, not at every cold start), only a ladder set in the configuration does.
 */
const schemas = once(() => {
  const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes'));
  const target = z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('slack'),
      /** Slack syntax: <!here>, <!channel>, <@U024BE7LH>, <!subteam^S0123>. */
      mention: z.optional(z.string().check(z.maxLength(200))),
      /** Another channel for this step (e.g. the executives' channel); the incident's channel when unset. Needs the Slack app. */
      slackChannel: z.optional(z.string().check(z.regex(/^[CG][A-Z0-9]{2,20}$/, 'a Slack channel id such as C0123ABCD'))),
    }),
    z.strictObject({ kind: z.literal('sns'), topic: slug }),
  ]);
  const step = z.strictObject({
    id: slug,
    after: z.string(),
    when: z.enum(ESCALATION_CONDITIONS),
    level: z.number().check(z.int(), z.gte(1), z.lte(9)),
    label: z.string().check(z.minLength(3), z.maxLength(120)),
    targets: z.array(target).check(z.minLength(1)),
  });
  const ladder = z.strictObject({
    clock: z.literal(GDPR_ART33_CLOCK),
    steps: z.array(step).check(z.minLength(1), z.maxLength(20)),
  });
  return { target, ladder };
});
export type EscalationTarget = z.infer<ReturnType<typeof schemas>['target']>;
type LadderConfig = z.infer<ReturnType<typeof schemas>['ladder']>;

export interface EscalationStep {
  readonly id: string;
  readonly afterMs: number;
  readonly after: string;
  readonly when: EscalationCondition;
  readonly level: number;
  readonly label: string;
  readonly targets: readonly EscalationTarget[];
}

export interface EscalationLadder {
  readonly clock: typeof GDPR_ART33_CLOCK;
  readonly steps: readonly EscalationStep[];
}

/** The default ladder of BRIEF §4, measured from the clock's trigger (awareAt, or detectedAt until confirmed). */
export const DEFAULT_LADDER_CONFIG = {
  clock: GDPR_ART33_CLOCK,
  steps: [
    {
      id: 'unacknowledged-15m',
      after: '15m',
      when: 'unacknowledged',
      level: 2,
      label: 'Not acknowledged after 15 minutes: level 2 on-call',
      targets: [{ kind: 'slack', mention: '<!here>' }, { kind: 'sns', topic: 'responders' }],
    },
    {
      id: 'no-risk-assessment-24h',
      after: '24h',
      when: 'no-risk-assessment',
      level: 3,
      label: '24 hours without a risk assessment: DPO',
      targets: [{ kind: 'slack' }, { kind: 'sns', topic: 'dpo' }],
    },
    {
      id: 'no-approved-notice-48h',
      after: '48h',
      when: 'no-approved-notice',
      level: 4,
      label: '48 hours without an approved notice: DPO and legal',
      targets: [{ kind: 'slack' }, { kind: 'sns', topic: 'dpo' }, { kind: 'sns', topic: 'legal' }],
    },
    {
      id: 'not-submitted-66h',
      after: '66h',
      when: 'not-submitted',
      level: 5,
      label: '66 hours and the authority is not notified: executives',
      targets: [{ kind: 'slack', mention: '<!channel>' }, { kind: 'sns', topic: 'executives' }],
    },
    {
      id: 'overdue-72h',
      after: '72h',
      when: 'overdue',
      level: 6,
      label: '72-hour deadline passed: overdue, reasons for delay now required',
      targets: [
        { kind: 'slack', mention: '<!channel>' },
        { kind: 'sns', topic: 'responders' },
        { kind: 'sns', topic: 'dpo' },
        { kind: 'sns', topic: 'legal' },
        { kind: 'sns', topic: 'executives' },
      ],
    },
  ],
} as const satisfies LadderConfig;

/** Validates a ladder configuration (JSON) once at start; throws ConfigurationError listing every problem. */
export function parseLadder(config: unknown): EscalationLadder {
  const parsed = schemas().ladder.safeParse(config);
  if (!parsed.success) {
    throw new ConfigurationError(
      'Invalid escalation ladder',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return ladderFrom(parsed.data);
}

/** The ladder of a configuration of the right shape: durations parsed, rules between steps checked, steps in order. */
function ladderFrom(config: LadderConfig): EscalationLadder {
  const issues: string[] = [];
  const seen = new Set<string>();
  const steps: EscalationStep[] = config.steps.map((step, index) => {
    if (seen.has(step.id)) issues.push(`steps.${index}.id: duplicate step id "${step.id}"`);
    seen.add(step.id);
    let afterMs = 0;
    try {
      afterMs = parseDuration(step.after, `steps.${index}.after`);
    } catch (error) {
      issues.push(`steps.${index}.after: ${(error as Error).message}`);
    }
    if (step.when === 'overdue' && afterMs !== GDPR_ART33_WINDOW_MS) {
      issues.push(`steps.${index}.after: an "overdue" step fires at the deadline, 72h after the trigger (got "${step.after}")`);
    }
    if (step.when !== 'overdue' && afterMs >= GDPR_ART33_WINDOW_MS) {
      issues.push(`steps.${index}.after: a "${step.when}" step must come before the 72h deadline (got "${step.after}")`);
    }
    return { ...step, afterMs };
  });
  if (issues.length) throw new ConfigurationError('Invalid escalation ladder', issues);
  return { clock: config.clock, steps: [...steps].sort((a, b) => a.afterMs - b.afterMs) };
}

/**
 * The default ladder, built without its schemas at every cold start (issue 14.6): its shape is checked by the
 * compiler (`satisfies`) and its values by test/unit/escalation-ladder.test.ts, which parses it as a
 * configured ladder would be.
 */
export const DEFAULT_LADDER: EscalationLadder = ladderFrom(DEFAULT_LADDER_CONFIG);

/** Does the reason for this step still hold for the incident? Only open incidents escalate. */
export function conditionHolds(incident: Incident, condition: EscalationCondition): boolean {
  if (incident.status === 'dismissed' || incident.status === 'closed') return false;
  // The GDPR clock's regime was dismissed on its own (not a personal-data breach, while NIS2 still runs).
  if (incident.regimeDismissals?.['gdpr-art33']) return false;
  // A confirmed (four-eyes) decision not to notify the authority ends the notice escalations: documented only.
  const gdpr = incident.decisions?.['gdpr-art33'];
  const notNotifying = Boolean(gdpr?.confirmedBy && !gdpr.stale && !gdpr.notify);
  if (notNotifying && condition !== 'unacknowledged' && condition !== 'no-risk-assessment') return false;
  switch (condition) {
    case 'unacknowledged':
      return !incident.acknowledgedAt;
    case 'no-risk-assessment':
      return !incident.riskAssessedAt;
    case 'no-approved-notice':
      return !incident.noticeApprovedAt;
    case 'not-submitted':
    case 'overdue':
      return !incident.notifiedAt;
  }
}

export interface PlannedTimer {
  readonly timerId: string;
  readonly stepId: string;
  readonly dueAt: string;
}

export function timerIdFor(stepId: string): string {
  return `${GDPR_ART33_CLOCK}.${stepId}`;
}

/** The due time of every step whose condition can still hold, measured from the clock's trigger. */
export function planTimers(incident: Incident, ladder: EscalationLadder): PlannedTimer[] {
  const from = Date.parse(clockTrigger(incident).at);
  return ladder.steps
    .filter((step) => conditionHolds(incident, step.when))
    .map((step) => ({ timerId: timerIdFor(step.id), stepId: step.id, dueAt: new Date(from + step.afterMs).toISOString() }));
}

export type ExistingTimer = { readonly timerId: string; readonly status: 'pending' | 'fired' | 'skipped' | 'cancelled' };

export interface Replan {
  /** Timers to write as pending with a new due time (new, moved, or re-armed). */
  readonly upsert: readonly PlannedTimer[];
  /** Pending timers whose condition can no longer hold. */
  readonly cancel: readonly string[];
}

/**
 * Re-plans the timers after the clock's trigger moved (confirmation) or a condition went away.
 * A step fires at most once per deadline: a fired step is re-armed only when its new due time is still
 * ahead (it is then about a new deadline); a fired step whose new due time has passed stays fired.
 */
export function replanTimers(incident: Incident, ladder: EscalationLadder, existing: readonly ExistingTimer[], now: Date): Replan {
  const planned = planTimers(incident, ladder);
  const byId = new Map(existing.map((timer) => [timer.timerId, timer]));
  const plannedIds = new Set(planned.map((timer) => timer.timerId));
  const upsert = planned.filter((timer) => {
    const current = byId.get(timer.timerId);
    if (!current || current.status === 'pending') return true;
    return Date.parse(timer.dueAt) > now.getTime();
  });
  const cancel = existing.filter((timer) => timer.status === 'pending' && !plannedIds.has(timer.timerId)).map((timer) => timer.timerId);
  return { upsert, cancel };
}

/**
 * Timers checked by their due time rather than the plan epoch (regime and task steps): write new or moved
 * ones; a fired, skipped or cancelled one is re-armed only for a new due time still ahead; cancel pending
 * ones no longer wanted. `existing` holds only the timers of the family being planned.
 */
export function diffTimers(planned: readonly PlannedTimer[], existing: readonly (ExistingTimer & { dueAt?: string })[], now: Date): { upsert: PlannedTimer[]; cancel: string[] } {
  const byId = new Map(existing.map((t) => [t.timerId, t]));
  const plannedIds = new Set(planned.map((t) => t.timerId));
  const upsert = planned.filter((timer) => {
    const current = byId.get(timer.timerId);
    if (!current) return true;
    if (current.status === 'pending') return current.dueAt !== timer.dueAt;
    return current.dueAt !== timer.dueAt && Date.parse(timer.dueAt) > now.getTime();
  });
  const cancel = existing.filter((t) => t.status === 'pending' && !plannedIds.has(t.timerId)).map((t) => t.timerId);
  return { upsert, cancel };
}

export function stepById(ladder: EscalationLadder, stepId: string): EscalationStep | undefined {
  return ladder.steps.find((step) => step.id === stepId);
}

/** A ladder timer as the catch-up rule sees it. */
export interface LadderTimerState {
  readonly timerId: string;
  readonly dueAt: string;
  readonly status: 'pending' | 'fired' | 'skipped' | 'cancelled';
  readonly epoch: number;
  readonly outcome?: string;
}

export const PASSED_OVER = 'passed over';

export type CatchUp =
  /** Another, more severe step is due at the same time: this one is passed over (skipped, named in its message). */
  | { readonly passOverFor: EscalationStep }
  /** This step fires; these earlier steps were due at the same moment and are named in its message instead. */
  | { readonly fire: true; readonly passedOver: readonly EscalationStep[] };

/**
 * Catch-up: when several steps of the ladder are due at the same moment (an old detection, a late re-plan,
 * a sweep after an outage), only the most severe one fires: one message, naming the steps passed over.
 * A step is "due" when its timer (of the current plan) is pending or fired, due by `now`, and its condition
 * still holds. Pure: the sweep passes the incident's timers and the time.
 */
export function catchUp(ladder: EscalationLadder, incident: Incident, timers: readonly LadderTimerState[], step: EscalationStep, now: Date): CatchUp {
  const byId = new Map(timers.map((t) => [t.timerId, t]));
  const isDue = (s: EscalationStep, statuses: readonly LadderTimerState['status'][]) => {
    const timer = byId.get(timerIdFor(s.id));
    return timer !== undefined && statuses.includes(timer.status) && timer.epoch === incident.planEpoch && Date.parse(timer.dueAt) <= now.getTime() && conditionHolds(incident, s.when);
  };
  const severer = ladder.steps.filter((s) => s.afterMs > step.afterMs && isDue(s, ['pending', 'fired']));
  if (severer.length) return { passOverFor: severer.reduce((a, b) => (b.afterMs > a.afterMs ? b : a)) };
  const passedOver = ladder.steps.filter((s) => {
    if (s.afterMs >= step.afterMs) return false;
    const timer = byId.get(timerIdFor(s.id));
    const already = timer?.status === 'skipped' && timer.outcome?.startsWith(PASSED_OVER) === true && timer.epoch === incident.planEpoch;
    return already || isDue(s, ['pending']);
  });
  return { fire: true, passedOver };
}
