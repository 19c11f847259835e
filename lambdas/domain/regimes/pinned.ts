import { regimeClocks, type ClockSubject, type DeadlineKind, type EngineOptions, type RegimeClock, type RegimeClockStatus } from './engine.js';
import type { IncidentFacts } from './facts.js';
import type { RulePack } from './rule-pack.js';

/**
 * Pinned rule versions (docs/regimes.md "Rule versions"). Every decision records on the incident, per applying
 * pack, the version its clocks were counted under and each clock's due time and rule then; closing adds each
 * clock's status and freezes the record. A new version of a pack never rewrites a closed incident's clocks; on
 * an open incident it shows as a rule change (both deadlines, both versions) until an officer adopts it, and
 * meanwhile the earlier of the two deadlines drives the clock (escalations, the list order).
 */

/** One clock as recorded: its due time and rule under the recorded version; `status` once closed. */
export interface PinnedClock {
  readonly due: string | null;
  readonly rule: string;
  readonly kind?: 'target';
  readonly status?: RegimeClockStatus;
}

/** One pack as recorded: its version, when, and its clocks by obligation id. */
export interface PackPin {
  readonly v: string;
  readonly at: string;
  readonly clocks: Readonly<Record<string, PinnedClock>>;
}

/** Regime id → its pin. */
export type ClockPins = Readonly<Record<string, PackPin>>;

/** What the pins read of an incident besides the engine's subject. */
export interface PinnedSubject extends ClockSubject {
  readonly status?: string;
  readonly closedAt?: string;
  readonly facts?: IncidentFacts;
  readonly clockPins?: ClockPins;
}

/** A pack whose recorded version is not the current one (or that is gone): a rule change awaits the officer. */
export function changedRegimes(packs: readonly RulePack[], pins: ClockPins | undefined): string[] {
  return Object.entries(pins ?? {})
    .filter(([regime, pin]) => packs.find((p) => p.id === regime)?.version !== pin.v)
    .map(([regime]) => regime);
}

const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/** A clock for an obligation the current computation does not give (dropped by the new version, or its pack gone). */
function recordedOnly(pack: RulePack | undefined, regime: string, obligation: string, sample: RegimeClock | undefined, rec: PinnedClock, version: string): RegimeClock {
  const definition = pack?.obligations.find((o) => o.id === obligation.split(':')[0]);
  return {
    regime,
    regimeName: sample?.regimeName ?? pack?.name ?? regime,
    version,
    obligation,
    label: definition?.label ?? obligation,
    recipient: definition?.recipient ?? '',
    legalSource: sample?.legalSource ?? pack?.legalSource ?? '',
    trigger: null,
    triggerAt: null,
    provisional: false,
    rule: rec.rule,
    dueAt: rec.due,
    deadlineKind: rec.kind ?? 'legal',
    timeLeftMs: null,
    status: rec.status ?? (rec.due ? 'running' : 'waiting-for-trigger'),
    checkedOn: sample?.checkedOn ?? pack?.checkedOn ?? '',
    confidence: sample?.confidence ?? pack?.confidence ?? 'secondary',
  };
}

/** Status by time for a clock that still runs (running, overdue, target passed); others keep theirs. */
function timedStatus(status: RegimeClockStatus, dueAt: string | null, kind: DeadlineKind, at: number): RegimeClockStatus {
  if (!['running', 'overdue', 'target-passed', 'waiting-for-trigger'].includes(status) || dueAt === null) return status;
  return Date.parse(dueAt) >= at ? 'running' : kind === 'target' ? 'target-passed' : 'overdue';
}

/**
 * The incident's clocks as shown everywhere (API, register, export, Slack, CLI, escalations): the engine's
 * clocks under the current packs, with the recorded versions applied. Closed: the record as at closing.
 * Open, with a pack's version changed: the rule change on each of its clocks and the earlier deadline.
 */
export function incidentClocks(packs: readonly RulePack[], incident: PinnedSubject, now: Date, options: EngineOptions = {}): RegimeClock[] {
  const current = regimeClocks(packs, incident, incident.facts, now, options);
  const pins = incident.clockPins;
  if (!pins) return current;
  const closed = incident.status === 'closed';
  const versionOf = (regime: string) => packs.find((p) => p.id === regime)?.version ?? null;
  const out: RegimeClock[] = [];
  const seen = new Set<string>();
  const shown = (regime: string, obligation: string, rec: PinnedClock | undefined, clock: RegimeClock | undefined): RegimeClock | undefined => {
    const pin = pins[regime]!;
    const currentVersion = versionOf(regime);
    const changed = currentVersion !== pin.v;
    const pack = packs.find((p) => p.id === regime);
    const ruleChange = (frozen: boolean) => ({
      recorded: { version: pin.v, dueAt: rec?.due ?? null, rule: rec?.rule ?? null, at: pin.at },
      current: { version: currentVersion, dueAt: clock?.dueAt ?? null, rule: clock?.rule ?? null },
      frozen,
    });
    if (closed) {
      if (!rec) return undefined; // not a clock at closing: a later version's addition
      const base = clock ?? recordedOnly(pack, regime, obligation, current.find((c) => c.regime === regime), rec, pin.v);
      const submission = incident.submissions?.[`${regime}/${obligation}`];
      return {
        ...base,
        version: pin.v,
        dueAt: rec.due,
        rule: rec.rule,
        deadlineKind: rec.kind ?? 'legal',
        timeLeftMs: rec.due && incident.closedAt ? Date.parse(rec.due) - Date.parse(incident.closedAt) : null,
        status: submission ? 'submitted' : (rec.status ?? base.status),
        ...(submission ? { submission: { ...submission, late: rec.due !== null && submission.submittedAt > rec.due } } : {}),
        ...(changed ? { ruleChange: ruleChange(true) } : {}),
      };
    }
    if (!changed) return clock;
    const dueAt = earlier(rec?.due ?? null, clock?.dueAt ?? null);
    const fromRecord = rec !== undefined && dueAt !== null && dueAt === rec.due && dueAt !== clock?.dueAt;
    const base = clock ?? recordedOnly(pack, regime, obligation, current.find((c) => c.regime === regime), rec!, pin.v);
    const kind = fromRecord ? (rec!.kind ?? 'legal') : base.deadlineKind;
    const submission = base.submission;
    return {
      ...base,
      version: pin.v,
      dueAt,
      rule: fromRecord ? rec!.rule : base.rule,
      deadlineKind: kind,
      timeLeftMs: dueAt ? Date.parse(dueAt) - now.getTime() : null,
      status: timedStatus(base.status, dueAt, kind, now.getTime()),
      ...(submission ? { submission: { ...submission, late: dueAt !== null && submission.submittedAt > dueAt } } : {}),
      ruleChange: ruleChange(false),
    };
  };
  for (const clock of current) {
    const pin = pins[clock.regime];
    if (!pin) {
      if (!closed) out.push(clock);
      continue;
    }
    seen.add(`${clock.regime}/${clock.obligation}`);
    const view = shown(clock.regime, clock.obligation, pin.clocks[clock.obligation], clock);
    if (view) out.push(view);
  }
  for (const [regime, pin] of Object.entries(pins)) {
    if (!closed && versionOf(regime) === pin.v) continue; // the facts moved it away under the same version
    for (const [obligation, rec] of Object.entries(pin.clocks)) {
      if (seen.has(`${regime}/${obligation}`)) continue;
      out.push(shown(regime, obligation, rec, undefined)!);
    }
  }
  return out.sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
}

const pinOf = (clock: RegimeClock, withStatus: boolean): PinnedClock => ({
  due: clock.dueAt,
  rule: clock.rule,
  ...(clock.deadlineKind === 'target' ? { kind: 'target' as const } : {}),
  ...(withStatus ? { status: clock.status } : {}),
});

/**
 * What the incident records after a decision (`before` → `after`). A pack at its recorded version is recorded
 * again (facts may have moved its clocks); a pack whose version changed keeps its record until an officer
 * adopts the new one (adopt-rule-version drops it, so the current version is recorded). Closing records the
 * clocks as shown then, with their status, and from then on the record never changes.
 */
export function pinClocks(packs: readonly RulePack[], before: PinnedSubject, after: PinnedSubject, now: Date, options: EngineOptions = {}): ClockPins | undefined {
  if (before.status === 'closed') return before.clockPins;
  const previous = after.clockPins ?? {};
  const at = now.toISOString();
  const closing = after.status === 'closed';
  // Closing records what was shown at closing (a pending rule change: its earlier deadline, its recorded version).
  let clocks: RegimeClock[];
  try {
    clocks = closing ? incidentClocks(packs, { ...after, status: 'confirmed' }, now, options) : regimeClocks(packs, after, after.facts, now, options);
  } catch {
    // A date outside the holiday tables (refused where a decision would record it): keep the record as it was.
    return after.clockPins;
  }
  const pins: Record<string, { v: string; at: string; clocks: Record<string, PinnedClock> }> = {};
  const pending = closing ? [] : changedRegimes(packs, previous);
  for (const regime of pending) pins[regime] = { ...previous[regime]!, clocks: { ...previous[regime]!.clocks } };
  for (const clock of clocks) {
    if (pending.includes(clock.regime)) continue;
    // clock.version: the current pack's, or at closing the recorded one of a pending change.
    (pins[clock.regime] ??= { v: clock.version, at, clocks: {} }).clocks[clock.obligation] = pinOf(clock, closing);
  }
  return pins;
}
