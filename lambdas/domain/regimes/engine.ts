import { deadlineFrom, describeDeadline } from './deadline-time.js';
import { affectedIn, type IncidentFacts, type Jurisdiction } from './facts.js';
import type { Obligation, RulePack, Trigger } from './rule-pack.js';

/** Until facts are recorded, breachclock assumes an EU controller, so the GDPR clock runs (conservative). */
export const ASSUMED_FACTS: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 0 }], role: 'controller' };

/**
 * The facts the engine counts with: what was recorded, and the conservative default for each field that
 * was not (an EU controller). Recording only the data categories must not switch the GDPR clock off.
 */
export function effectiveFacts(facts: IncidentFacts | undefined): IncidentFacts {
  return {
    ...facts,
    jurisdictions: facts?.jurisdictions ?? ASSUMED_FACTS.jurisdictions!,
    role: facts?.role ?? ASSUMED_FACTS.role!,
  };
}

/** target-passed: the organisation's own target (no legal deadline) has passed; never "overdue". */
export type RegimeClockStatus = 'waiting-for-trigger' | 'running' | 'overdue' | 'target-passed' | 'submitted' | 'not-required' | 'not-in-force';
export type DeadlineKind = 'legal' | 'target';

/** A report recorded as submitted to its recipient: stops its clock and starts the chained ones. */
export interface Submission {
  readonly regime: string;
  readonly obligation: string;
  readonly submittedAt: string;
  /** The authority's case or receipt reference. */
  readonly reference: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly noticeId?: string;
  /** The reasons for the delay given with a late report (GDPR / UK GDPR Art. 33(1)). */
  readonly reasonsForDelay?: string;
}

export const submissionKey = (regime: string, obligation: string): string => `${regime}/${obligation}`;

/** What the engine reads of an incident (the Incident record satisfies it). */
export interface ClockSubject {
  readonly detectedAt: string;
  readonly awareAt?: string;
  /** Awareness confirmed for one regime on its own (NIS2 significant incident, DORA major incident …). */
  readonly regimeAwareness?: Readonly<Record<string, { readonly awareAt: string }>>;
  /** Regimes dismissed as not applying to this incident, with the reason (the others keep running). */
  readonly regimeDismissals?: Readonly<Record<string, { readonly reason: string; readonly by: string; readonly at: string }>>;
  readonly decisions?: Readonly<Record<string, { readonly notify: boolean; readonly confirmedBy?: string; readonly stale?: boolean; readonly override?: unknown }>>;
  readonly submissions?: Readonly<Record<string, Submission>>;
}

/** One obligation's clock for an incident: what is due, to whom, when, and why (legal source). */
export interface RegimeClock {
  readonly regime: string;
  readonly regimeName: string;
  readonly version: string;
  readonly obligation: string;
  readonly label: string;
  readonly recipient: string;
  readonly legalSource: string;
  /** The trigger the due time was counted from (the earliest of the pack's ways to count). */
  readonly trigger: Trigger | 'earlier-report' | null;
  readonly triggerAt: string | null;
  /** True while the count rests on a stand-in: detection for awareness, an earlier report's due time for its submission. */
  readonly provisional: boolean;
  readonly rule: string;
  readonly dueAt: string | null;
  /** legal: dueAt is the law's deadline; target: the law sets no fixed due time and dueAt is the organisation's target. */
  readonly deadlineKind: DeadlineKind;
  readonly timeLeftMs: number | null;
  readonly status: RegimeClockStatus;
  /** The statute section of the obligation, the trigger as the statute words it, and how to submit. */
  readonly source?: string;
  readonly triggerWords?: string;
  readonly channel?: { readonly kind: string; readonly value?: string };
  /** When the pack's text was last checked, and how sure its data is (primary text read, secondary sources, conflicting). */
  readonly checkedOn: string;
  readonly confidence: RulePack['confidence'];
  readonly confidenceNote?: string;
  /** The pack applies only for some data categories and none are recorded yet: it runs provisionally. */
  readonly provisionalApplicability?: string;
  /** For "not-required" by the encryption safe harbour: its key condition. */
  readonly safeHarbour?: string;
  /** The statute lets the business decide no notice is needed (document it with dismiss-regime). */
  readonly riskOfHarmException?: string;
  readonly waitingFor?: readonly string[];
  /** The earlier report this one counts from, and whether its submission is recorded. */
  readonly chainedTo?: { readonly obligation: string; readonly submitted: boolean };
  readonly submission?: Submission & { readonly late: boolean };
  /** For "not-in-force": the date the obligation commences. */
  readonly inForceFrom?: string;
  /** For a regime dismissed on its own: who and why. */
  readonly dismissal?: { readonly reason: string; readonly by: string; readonly at: string };
  /** The notify / don't-notify decision for this regime, if taken. */
  readonly decision?: { readonly notify: boolean; readonly confirmed: boolean; readonly stale: boolean };
  /**
   * The incident recorded this clock under another version of the pack (pinned.ts): both deadlines. Open: the
   * earlier one is dueAt until an officer adopts the current version; frozen (closed): the recorded one stands.
   */
  readonly ruleChange?: {
    readonly recorded: { readonly version: string; readonly dueAt: string | null; readonly rule: string | null; readonly at: string };
    readonly current: { readonly version: string | null; readonly dueAt: string | null; readonly rule: string | null };
    readonly frozen: boolean;
  };
}

/** Trigger instants for an incident. awareAt falls back to detectedAt until a person confirms awareness. */
export function triggerAt(incident: ClockSubject, facts: IncidentFacts, trigger: Trigger, regime?: string): { at: string; provisional: boolean } | undefined {
  switch (trigger) {
    case 'awareAt':
      return incident.awareAt ? { at: incident.awareAt, provisional: false } : { at: incident.detectedAt, provisional: true };
    case 'regimeAwareAt': {
      // Awareness under this regime, confirmed on its own; until then the earliest awareness we have
      // (the personal-data one, else detection) stands in, provisionally.
      const own = regime ? incident.regimeAwareness?.[regime] : undefined;
      if (own) return { at: own.awareAt, provisional: false };
      return { at: incident.awareAt ?? incident.detectedAt, provisional: true };
    }
    case 'detectedAt':
      return { at: incident.detectedAt, provisional: false };
    case 'classifiedAt':
      return facts.classifiedAt ? { at: new Date(facts.classifiedAt).toISOString(), provisional: false } : undefined;
    case 'materialityDeterminedAt':
      return facts.materialityDeterminedAt ? { at: new Date(facts.materialityDeterminedAt).toISOString(), provisional: false } : undefined;
    case 'assessedAt':
      return facts.assessedAt ? { at: new Date(facts.assessedAt).toISOString(), provisional: false } : undefined;
  }
}

const SECTOR_FLAG: Record<NonNullable<RulePack['appliesWhen']['sector']>, (facts: IncidentFacts) => boolean> = {
  nis2: (facts) => Boolean(facts.sectors?.nis2),
  dora: (facts) => Boolean(facts.sectors?.doraFinancialEntity),
  hipaa: (facts) => Boolean(facts.sectors?.hipaaCoveredEntity),
  'hipaa-business-associate': (facts) => Boolean(facts.sectors?.hipaaBusinessAssociate),
  sec: (facts) => Boolean(facts.sectors?.secRegistrant),
  nydfs: (facts) => Boolean(facts.sectors?.nydfsCovered),
};

/** US, every state, DC and the territories: a US-wide law (HIPAA, SEC) counts people in any of them. */
const isUs = (code: Jurisdiction): boolean => code === 'US' || code.startsWith('US-');

/** People affected in a jurisdiction as a threshold counts them (US: every state, DC and territory together). */
export function affected(facts: IncidentFacts, code: Jurisdiction): number {
  if (code === 'US') return (facts.jurisdictions ?? []).filter((j) => isUs(j.code)).reduce((sum, j) => sum + j.affected, 0);
  return affectedIn(facts, code) ?? 0;
}

/** Does the pack apply to these facts? Jurisdictions count when recorded (even with 0 affected so far). */
export function packApplies(pack: RulePack, facts: IncidentFacts): boolean {
  const { anyJurisdiction, roles, sector } = pack.appliesWhen;
  const recorded = new Set((facts.jurisdictions ?? []).map((j) => j.code));
  if (anyJurisdiction && !anyJurisdiction.some((code) => recorded.has(code) || (code === 'US' && [...recorded].some(isUs)))) return false;
  if (roles && !roles.includes(facts.role ?? 'controller')) return false;
  if (sector && !SECTOR_FLAG[sector](facts)) return false;
  // The law's personal-information definition: once categories are recorded, one must be covered.
  const covered = pack.appliesWhen.dataCategories;
  if (covered && facts.dataCategories?.length && !facts.dataCategories.some((c) => covered.includes(c))) return false;
  return true;
}

/** The people a threshold counts: the jurisdiction's, or with `inAnyOneState` its busiest state's (people recorded only as US could all live in one). */
export function thresholdCount(facts: IncidentFacts, threshold: { readonly jurisdiction: Jurisdiction; readonly inAnyOneState?: true }): number {
  if (!threshold.inAnyOneState) return affected(facts, threshold.jurisdiction);
  const prefix = `${threshold.jurisdiction}-`;
  return Math.max(0, ...(facts.jurisdictions ?? []).filter((j) => j.code === threshold.jurisdiction || j.code.startsWith(prefix)).map((j) => j.affected));
}

function obligationApplies(obligation: Obligation, facts: IncidentFacts): boolean {
  if (obligation.whenAffectedAbove && !(thresholdCount(facts, obligation.whenAffectedAbove) > obligation.whenAffectedAbove.count)) return false;
  if (obligation.roles && !obligation.roles.includes(facts.role ?? 'controller')) return false;
  if (obligation.whenAffectedAtLeast && !(thresholdCount(facts, obligation.whenAffectedAtLeast) >= obligation.whenAffectedAtLeast.count)) return false;
  if (obligation.whenAffectedAtMost && !(thresholdCount(facts, obligation.whenAffectedAtMost) <= obligation.whenAffectedAtMost.count)) return false;
  return true;
}

interface Start {
  readonly at: string;
  readonly provisional: boolean;
  readonly trigger: Trigger | 'earlier-report';
  readonly describe: string;
}

interface Counted {
  readonly dueAt: string;
  readonly start: Start;
  readonly rule: string;
  /** legal: the law's deadline; target: the organisation's own target for a law with no fixed due time. */
  readonly kind: DeadlineKind;
}

/** What the organisation configures for the engine. */
export interface EngineOptions {
  /** The target, in days (24 clock hours each), for obligations the law words without a fixed due time. */
  readonly promptNoticeTargetDays?: number;
}

/** The default target for "without unreasonable delay" and the like (docs/regimes.md). */
export const DEFAULT_PROMPT_NOTICE_TARGET_DAYS = 30;

/** Computes one pack's obligations with memoised chains (a report chained to an earlier one counts from its submission). */
class PackCounter {
  private readonly memo = new Map<string, { best?: Counted; waiting: string[]; chainedTo?: { obligation: string; submitted: boolean } }>();

  constructor(
    private readonly pack: RulePack,
    private readonly obligations: ReadonlyMap<string, Obligation>,
    private readonly incident: ClockSubject,
    private readonly facts: IncidentFacts,
    private readonly targetDays: number = DEFAULT_PROMPT_NOTICE_TARGET_DAYS,
  ) {}

  private readonly counting = new Set<string>();

  count(obligation: Obligation): { best?: Counted; waiting: string[]; chainedTo?: { obligation: string; submitted: boolean } } {
    const cached = this.memo.get(obligation.id);
    if (cached) return cached;
    if (this.counting.has(obligation.id)) return { waiting: [`a chain back to ${obligation.id}`] };
    this.counting.add(obligation.id);
    let best: Counted | undefined;
    let chainedTo: { obligation: string; submitted: boolean } | undefined;
    const waiting: string[] = [];
    for (const clock of obligation.clocks) {
      let start: Start | undefined;
      if (clock.notLaterThan) {
        const ref = clock.notLaterThan;
        const submission = this.incident.submissions?.[submissionKey(this.pack.id, ref)];
        chainedTo = { obligation: ref, submitted: Boolean(submission) };
        const other = this.obligations.get(ref);
        const counted = other ? this.count(other).best : undefined;
        const rule = `no later than ${ref}`;
        const candidate: Counted | undefined = submission
          ? { dueAt: new Date(submission.submittedAt).toISOString(), start: { at: submission.submittedAt, provisional: false, trigger: 'earlier-report', describe: `the submission of ${ref}` }, rule, kind: counted?.kind ?? 'legal' }
          : counted
            ? { dueAt: counted.dueAt, start: { ...counted.start, provisional: true }, rule: `${rule} (due ${counted.rule})`, kind: counted.kind }
            : undefined;
        if (!candidate) waiting.push(`the due time of ${ref}`);
        else if (!best || candidate.dueAt < best.dueAt) best = candidate;
        continue;
      }
      if (clock.afterSubmissionOf) {
        const submission = this.incident.submissions?.[submissionKey(this.pack.id, clock.afterSubmissionOf)];
        chainedTo = { obligation: clock.afterSubmissionOf, submitted: Boolean(submission) };
        if (submission) {
          start = { at: submission.submittedAt, provisional: false, trigger: 'earlier-report', describe: `the submission of ${clock.afterSubmissionOf}` };
        } else {
          const earlier = this.obligations.get(clock.afterSubmissionOf);
          const counted = earlier ? this.count(earlier).best : undefined;
          if (counted) start = { at: counted.dueAt, provisional: true, trigger: 'earlier-report', describe: `the submission of ${clock.afterSubmissionOf}` };
          else waiting.push(`submission of ${clock.afterSubmissionOf}`);
        }
      } else {
        const found = triggerAt(this.incident, this.facts, clock.trigger!, this.pack.id);
        if (found) start = { ...found, trigger: clock.trigger!, describe: clock.trigger! };
        else waiting.push(clock.trigger!);
      }
      if (!start) continue;
      const from = new Date(Date.parse(start.at) + (clock.afterHours ?? 0) * 3_600_000).toISOString();
      const plus = clock.afterHours ? ` + ${clock.afterHours} h` : '';
      if (!clock.deadline) {
        // No fixed due time in law: the organisation's target.
        const dueAt = new Date(Date.parse(from) + this.targetDays * 86_400_000).toISOString();
        if (!best || dueAt < best.dueAt) best = { dueAt, start, kind: 'target', rule: `${clock.prompt} after ${start.describe}${plus}: no legal deadline; target ${this.targetDays} days (configuration)` };
        continue;
      }
      const deadline =
        clock.entityZone && this.facts.entityTimeZone && clock.deadline.unit === 'calendar-days' ? { ...clock.deadline, zone: this.facts.entityTimeZone } : clock.deadline;
      const dueAt = deadlineFrom(from, deadline);
      if (!best || dueAt < best.dueAt) {
        best = clock.target
          ? { dueAt, start, kind: 'target', rule: `${describeDeadline(deadline)} after ${start.describe}${plus}: no legal deadline; the organisation's target` }
          : { dueAt, start, kind: 'legal', rule: `${describeDeadline(deadline)} after ${start.describe}${plus}` };
      }
    }
    this.counting.delete(obligation.id);
    const result = { ...(best ? { best } : {}), waiting, ...(chainedTo ? { chainedTo } : {}) };
    this.memo.set(obligation.id, result);
    return result;
  }
}

function describeClocks(obligation: Obligation): string {
  return obligation.clocks
    .map((c) => (c.notLaterThan ? `no later than ${c.notLaterThan}` : `${c.deadline ? describeDeadline(c.deadline) : c.prompt} after ${c.trigger ?? `the submission of ${c.afterSubmissionOf}`}`))
    .join(' or ');
}

/** The encryption safe harbour holds: the data was encrypted and the key was not compromised. */
function safeHarbourHolds(pack: RulePack, facts: IncidentFacts): boolean {
  return Boolean(pack.encryptionSafeHarbour && facts.encryption?.encrypted && !facts.encryption.keyCompromised);
}

function clockFor(pack: RulePack, obligation: Obligation, counter: PackCounter, incident: ClockSubject, facts: IncidentFacts, now: Date): RegimeClock {
  const { best, waiting, chainedTo } = counter.count(obligation);
  const provisionalApplicability =
    pack.appliesWhen.dataCategories && !facts.dataCategories?.length
      ? `applies provisionally: no data categories recorded yet (the law covers ${pack.appliesWhen.dataCategories.join(', ')})`
      : undefined;
  const base = {
    regime: pack.id,
    regimeName: pack.name,
    version: pack.version,
    obligation: obligation.id,
    label: obligation.label,
    recipient: obligation.recipient,
    legalSource: pack.legalSource,
    checkedOn: pack.checkedOn,
    confidence: pack.confidence,
    ...(pack.confidenceNote ? { confidenceNote: pack.confidenceNote } : {}),
    ...(obligation.source ? { source: obligation.source } : {}),
    ...(obligation.triggerWords ? { triggerWords: obligation.triggerWords } : {}),
    ...(obligation.channel ? { channel: obligation.channel } : {}),
    ...(provisionalApplicability ? { provisionalApplicability } : {}),
    ...(pack.riskOfHarmException ? { riskOfHarmException: pack.riskOfHarmException } : {}),
    ...(chainedTo ? { chainedTo } : {}),
  };
  if (!best) {
    const deadlineKind = obligation.clocks.every((c) => c.prompt !== undefined || c.target) ? ('target' as const) : ('legal' as const);
    const waitingClock = { ...base, trigger: null, triggerAt: null, provisional: false, rule: describeClocks(obligation), dueAt: null, deadlineKind, timeLeftMs: null };
    if (safeHarbourHolds(pack, facts)) return { ...waitingClock, status: 'not-required', safeHarbour: pack.encryptionSafeHarbour! };
    return { ...waitingClock, status: 'waiting-for-trigger', waitingFor: waiting };
  }
  const timeLeftMs = Date.parse(best.dueAt) - now.getTime();
  const submitted = incident.submissions?.[submissionKey(pack.id, obligation.id)];
  const counted = { ...base, trigger: best.start.trigger, triggerAt: best.start.at, provisional: best.start.provisional, rule: best.rule, dueAt: best.dueAt, deadlineKind: best.kind, timeLeftMs };
  const dismissal = incident.regimeDismissals?.[pack.id];
  if (dismissal) return { ...counted, status: 'not-required', dismissal };
  if (safeHarbourHolds(pack, facts) && !submitted) return { ...counted, status: 'not-required', safeHarbour: pack.encryptionSafeHarbour! };
  if (pack.inForceFrom && best.start.at < `${pack.inForceFrom}T00:00:00.000Z`) {
    return { ...counted, status: 'not-in-force', inForceFrom: pack.inForceFrom };
  }
  if (submitted) return { ...counted, status: 'submitted', submission: { ...submitted, late: submitted.submittedAt > best.dueAt } };
  if (timeLeftMs >= 0) return { ...counted, status: 'running' };
  return { ...counted, status: best.kind === 'target' ? 'target-passed' : 'overdue' };
}

/**
 * Every clock that applies to an incident, earliest due first. Pure: facts, incident timestamps and `now`
 * in, clocks out. A processor gets one controller-notification clock per controller (its contractual
 * hours, else the pack's internal target).
 */
export function regimeClocks(packs: readonly RulePack[], incident: ClockSubject, recorded: IncidentFacts | undefined, now: Date, options: EngineOptions = {}): RegimeClock[] {
  const facts = effectiveFacts(recorded);
  const clocks: RegimeClock[] = [];
  for (const pack of packs) {
    if (!packApplies(pack, facts)) continue;
    if (pack.perController) {
      const template = pack.obligations[0]!;
      const controllers = facts.controllers?.length ? facts.controllers : [{ name: 'the controller' }];
      for (const controller of controllers) {
        const hours = 'contractualHours' in controller && controller.contractualHours ? controller.contractualHours : pack.perController.defaultHours;
        const obligation: Obligation = {
          ...template,
          id: `${template.id}:${controller.name}`,
          label: `${template.label}: ${controller.name}${'contractualHours' in controller && controller.contractualHours ? ` (DPA: ${hours} h)` : ' (internal target)'}`,
          recipient: controller.name,
          // A DPA's hours bind the processor; without them "without undue delay" has no fixed time: our target.
          clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: hours }, ...('contractualHours' in controller && controller.contractualHours ? {} : { target: true }) }],
        };
        clocks.push(clockFor(pack, obligation, new PackCounter(pack, new Map([[obligation.id, obligation]]), incident, facts, options.promptNoticeTargetDays), incident, facts, now));
      }
      continue;
    }
    const counter = new PackCounter(pack, new Map(pack.obligations.map((o) => [o.id, o])), incident, facts, options.promptNoticeTargetDays);
    for (const obligation of pack.obligations) {
      if (obligationApplies(obligation, facts)) clocks.push(clockFor(pack, obligation, counter, incident, facts, now));
    }
  }
  return clocks.map((clock) => withDecision(clock, incident)).sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
}

/** A confirmed decision not to notify turns the regime's clocks into "not required" (documented only). */
function withDecision(clock: RegimeClock, incident: ClockSubject): RegimeClock {
  const decision = incident.decisions?.[clock.regime];
  if (!decision) return clock;
  const view = { notify: decision.notify, confirmed: Boolean(decision.confirmedBy), stale: Boolean(decision.stale) };
  const settled = view.confirmed && !view.stale && !view.notify && clock.status !== 'submitted';
  return { ...clock, decision: view, ...(settled ? { status: 'not-required' as const } : {}) };
}
