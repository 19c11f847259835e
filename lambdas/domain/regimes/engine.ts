import type { Incident } from '../incident.js';
import { deadlineFrom, describeDeadline } from './deadline-time.js';
import { affectedIn, type IncidentFacts, type Jurisdiction } from './facts.js';
import type { Obligation, RulePack, Trigger } from './rule-pack.js';

/** Until facts are recorded, breachclock assumes an EU controller, so the GDPR clock runs (conservative). */
export const ASSUMED_FACTS: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 0 }], role: 'controller' };

export type RegimeClockStatus = 'waiting-for-trigger' | 'running' | 'overdue' | 'not-required';

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
  readonly trigger: Trigger | null;
  readonly triggerAt: string | null;
  /** True while the trigger is detection standing in for awareness. */
  readonly provisional: boolean;
  readonly rule: string;
  readonly dueAt: string | null;
  readonly timeLeftMs: number | null;
  readonly status: RegimeClockStatus;
  readonly waitingFor?: readonly Trigger[];
  /** The notify / don't-notify decision for this regime, if taken. */
  readonly decision?: { readonly notify: boolean; readonly confirmed: boolean; readonly stale: boolean };
}

/** Trigger instants for an incident. awareAt falls back to detectedAt until a person confirms awareness. */
export function triggerAt(incident: Incident, facts: IncidentFacts, trigger: Trigger): { at: string; provisional: boolean } | undefined {
  switch (trigger) {
    case 'awareAt':
      return incident.awareAt ? { at: incident.awareAt, provisional: false } : { at: incident.detectedAt, provisional: true };
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
  sec: (facts) => Boolean(facts.sectors?.secRegistrant),
};

const US_CODES: readonly Jurisdiction[] = ['US', 'US-CA', 'US-NY'];

function affected(facts: IncidentFacts, code: Jurisdiction): number {
  if (code === 'US') return US_CODES.reduce((sum, c) => sum + (affectedIn(facts, c) ?? 0), 0);
  return affectedIn(facts, code) ?? 0;
}

/** Does the pack apply to these facts? Jurisdictions count when recorded (even with 0 affected so far). */
export function packApplies(pack: RulePack, facts: IncidentFacts): boolean {
  const { anyJurisdiction, roles, sector } = pack.appliesWhen;
  const recorded = new Set((facts.jurisdictions ?? []).map((j) => j.code));
  if (anyJurisdiction && !anyJurisdiction.some((code) => recorded.has(code) || (code === 'US' && US_CODES.some((c) => recorded.has(c))))) return false;
  if (roles && !roles.includes(facts.role ?? 'controller')) return false;
  if (sector && !SECTOR_FLAG[sector](facts)) return false;
  return true;
}

function obligationApplies(obligation: Obligation, facts: IncidentFacts): boolean {
  if (obligation.whenAffectedAbove && !(affected(facts, obligation.whenAffectedAbove.jurisdiction) > obligation.whenAffectedAbove.count)) return false;
  if (obligation.whenAffectedAtMost && !(affected(facts, obligation.whenAffectedAtMost.jurisdiction) <= obligation.whenAffectedAtMost.count)) return false;
  return true;
}

function clockFor(pack: RulePack, obligation: Obligation, incident: Incident, facts: IncidentFacts, now: Date): RegimeClock {
  let best: { dueAt: string; trigger: Trigger; at: string; provisional: boolean; rule: string } | undefined;
  const waiting: Trigger[] = [];
  for (const clock of obligation.clocks) {
    const start = triggerAt(incident, facts, clock.trigger);
    if (!start) {
      waiting.push(clock.trigger);
      continue;
    }
    const from = new Date(Date.parse(start.at) + (clock.afterHours ?? 0) * 3_600_000).toISOString();
    const dueAt = deadlineFrom(from, clock.deadline);
    if (!best || dueAt < best.dueAt) {
      best = {
        dueAt,
        trigger: clock.trigger,
        at: start.at,
        provisional: start.provisional,
        rule: `${describeDeadline(clock.deadline)} after ${clock.trigger}${clock.afterHours ? ` + ${clock.afterHours} h` : ''}`,
      };
    }
  }
  const base = {
    regime: pack.id,
    regimeName: pack.name,
    version: pack.version,
    obligation: obligation.id,
    label: obligation.label,
    recipient: obligation.recipient,
    legalSource: pack.legalSource,
  };
  if (!best) {
    return {
      ...base,
      trigger: null,
      triggerAt: null,
      provisional: false,
      rule: obligation.clocks.map((c) => `${describeDeadline(c.deadline)} after ${c.trigger}`).join(' or '),
      dueAt: null,
      timeLeftMs: null,
      status: 'waiting-for-trigger',
      waitingFor: waiting,
    };
  }
  const timeLeftMs = Date.parse(best.dueAt) - now.getTime();
  return {
    ...base,
    trigger: best.trigger,
    triggerAt: best.at,
    provisional: best.provisional,
    rule: best.rule,
    dueAt: best.dueAt,
    timeLeftMs,
    status: timeLeftMs < 0 ? 'overdue' : 'running',
  };
}

/**
 * Every clock that applies to an incident, earliest due first. Pure: facts, incident timestamps and `now`
 * in, clocks out. A processor gets one controller-notification clock per controller (its contractual
 * hours, else the pack's internal target).
 */
export function regimeClocks(packs: readonly RulePack[], incident: Incident, facts: IncidentFacts, now: Date): RegimeClock[] {
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
          clocks: [{ trigger: 'awareAt', deadline: { unit: 'hours', value: hours } }],
        };
        clocks.push(clockFor(pack, obligation, incident, facts, now));
      }
      continue;
    }
    for (const obligation of pack.obligations) {
      if (obligationApplies(obligation, facts)) clocks.push(clockFor(pack, obligation, incident, facts, now));
    }
  }
  return clocks.map((clock) => withDecision(clock, incident)).sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
}

/** A confirmed decision not to notify turns the regime's clocks into "not required" (documented only). */
function withDecision(clock: RegimeClock, incident: Incident): RegimeClock {
  const decision = incident.decisions?.[clock.regime];
  if (!decision) return clock;
  const view = { notify: decision.notify, confirmed: Boolean(decision.confirmedBy), stale: Boolean(decision.stale) };
  const settled = view.confirmed && !view.stale && !view.notify;
  return { ...clock, decision: view, ...(settled ? { status: 'not-required' as const } : {}) };
}
