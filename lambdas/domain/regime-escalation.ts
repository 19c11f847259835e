import { escapeSlack } from './slack-text.js';
import { formatDuration } from './duration.js';
import { diffTimers, type ExistingTimer, type PlannedTimer } from './escalation-ladder.js';
import type { Incident } from './incident.js';
import { subjectOf, type MessageContext, type OutboxMessage } from './messages.js';
import type { RegimeClock } from './regimes/engine.js';
import { RULE_PACKS } from './regimes/packs/index.js';
import { incidentClocks } from './regimes/pinned.js';
import type { RulePack } from './regimes/rule-pack.js';

/**
 * Escalation for every other regime's clock (the GDPR clock has its own ladder): a "due soon" step when a
 * quarter of the window is left (at least 1 hour, at most 24 hours before the deadline) and an "overdue"
 * step at the deadline, each to the incident's Slack thread and the DPO's topic. Timers are planned from
 * the clocks and re-planned whenever facts, risk or decisions change; a step fires only if its clock still
 * applies, still runs, and is still due when planned.
 */
export const REGIME_TIMER_PREFIX = 'regime.';
type Kind = 'due-soon' | 'overdue';

/** The clocks as shown (pinned versions applied: a pending rule change escalates by the earlier deadline). */
function clocksOf(incident: Incident, now: Date, packs: readonly RulePack[] = RULE_PACKS): RegimeClock[] {
  return incidentClocks(packs, incident, now).filter((clock) => clock.regime !== 'gdpr-art33');
}

function timerId(clock: RegimeClock, kind: Kind): string {
  return `${REGIME_TIMER_PREFIX}${clock.regime}.${clock.obligation}.${kind}`;
}

function dueSoonAt(clock: RegimeClock): string | undefined {
  if (!clock.dueAt || !clock.triggerAt) return undefined;
  const due = Date.parse(clock.dueAt);
  const window = due - Date.parse(clock.triggerAt);
  const lead = Math.min(24 * 3_600_000, Math.max(3_600_000, window / 4));
  const at = due - lead;
  return at > Date.parse(clock.triggerAt) ? new Date(at).toISOString() : undefined;
}

export function isRegimeTimer(timerIdValue: string): boolean {
  return timerIdValue.startsWith(REGIME_TIMER_PREFIX);
}

/** The regime timers the incident should have now. */
export function planRegimeTimers(incident: Incident, now: Date, packs: readonly RulePack[] = RULE_PACKS): PlannedTimer[] {
  if (incident.status === 'dismissed' || incident.status === 'closed') return [];
  return clocksOf(incident, now, packs)
    .filter((clock) => clock.dueAt && (clock.status === 'running' || clock.status === 'overdue' || clock.status === 'target-passed'))
    .flatMap((clock) => {
      const soon = dueSoonAt(clock);
      return [
        ...(soon ? [{ timerId: timerId(clock, 'due-soon'), stepId: 'regime:due-soon', dueAt: soon }] : []),
        // A target (no legal deadline) is reminded of, never escalated as overdue.
        ...(clock.deadlineKind === 'target' ? [] : [{ timerId: timerId(clock, 'overdue'), stepId: 'regime:overdue', dueAt: clock.dueAt! }]),
      ];
    });
}

/** Diff against the regime timers stored: write new or moved ones, cancel those no longer wanted. */
export function replanRegimeTimers(incident: Incident, existing: readonly (ExistingTimer & { dueAt?: string })[], now: Date, packs: readonly RulePack[] = RULE_PACKS): { upsert: PlannedTimer[]; cancel: string[] } {
  return diffTimers(planRegimeTimers(incident, now, packs), existing.filter((t) => isRegimeTimer(t.timerId)), now);
}

export type RegimeFiring =
  | { readonly skip: string }
  | { readonly label: string; readonly summary: string; readonly messages: readonly OutboxMessage[]; readonly data: Record<string, unknown> };

/** Decides, at the due time, whether a regime step fires, and what it says. */
export function evaluateRegimeTimer(incident: Incident, timer: { timerId: string; dueAt: string }, now: Date, context: MessageContext = {}): RegimeFiring {
  const kind: Kind = timer.timerId.endsWith('.overdue') ? 'overdue' : 'due-soon';
  const clock = clocksOf(incident, now).find((c) => timerId(c, kind) === timer.timerId);
  if (!clock) return { skip: 'the obligation no longer applies' };
  if (clock.status === 'not-required') return { skip: 'decided: not required' };
  if (clock.status === 'waiting-for-trigger') return { skip: 'waiting for its trigger' };
  if (clock.status === 'submitted') return { skip: `submitted at ${clock.submission!.submittedAt} (reference ${clock.submission!.reference})` };
  if (clock.status === 'not-in-force') return { skip: `not in force before ${clock.inForceFrom}` };
  const expected = kind === 'overdue' ? clock.dueAt : dueSoonAt(clock);
  // Every decision re-plans these steps, so an overdue step later than its deadline was planned before the
  // deadline moved earlier without a decision (a pack's new version deployed): late, but it fires.
  const movedEarlier = kind === 'overdue' && clock.dueAt !== null && clock.dueAt < timer.dueAt && clock.deadlineKind === 'legal';
  if (expected !== timer.dueAt && !movedEarlier) return { skip: 'the deadline moved (a new step is planned)' };
  // Catch-up: a "due soon" whose deadline has already passed says nothing the overdue step does not.
  if (kind === 'due-soon' && Date.parse(clock.dueAt!) <= now.getTime()) return { skip: 'passed over: the deadline itself is due (the overdue step fires instead)' };
  const due = clock.dueAt!.replace('.000Z', 'Z');
  const summary =
    kind === 'overdue'
      ? `OVERDUE: ${clock.label} (${clock.recipient}) was due ${due}; notify now with reasons for the delay`
      : `Due soon: ${clock.label} (${clock.recipient}) by ${due}${clock.deadlineKind === 'target' ? ' (our target; the law sets no fixed deadline)' : ''}, ${formatDuration(Date.parse(clock.dueAt!) - now.getTime())} left`;
  const text = [`${summary}`, `[${incident.severity.toUpperCase()}] ${incident.id}: ${incident.title}`, `${clock.regimeName}; ${clock.rule}`, ...(context.incidentUrl ? [`Open: ${context.incidentUrl(incident.id)}`] : [])].join('\n');
  const subject = subjectOf(`breachclock ${kind === 'overdue' ? 'OVERDUE' : 'due soon'} ${incident.id}: ${clock.label}`);
  const base = { incidentId: incident.id, subject, createdAt: now.toISOString(), kind: 'escalation' as const };
  const id = `${incident.id}.${timer.timerId}.${clock.dueAt}`;
  const messages: OutboxMessage[] = [
    { ...base, messageId: `${id}.slack`, channel: 'slack', text: kind === 'overdue' ? `<!channel> ${escapeSlack(text)}` : escapeSlack(text) },
    { ...base, messageId: `${id}.sns-dpo`, channel: 'sns', topic: 'dpo', text },
    ...(kind === 'overdue' ? [{ ...base, messageId: `${id}.sns-legal`, channel: 'sns' as const, topic: 'legal', text }] : []),
  ];
  return { label: summary, summary, messages, data: { regime: clock.regime, obligation: clock.obligation, kind, dueAt: clock.dueAt } };
}
