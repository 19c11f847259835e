import type { IncidentDetailAnswer, RegimeClockView } from '../../contracts/api-answers.js';
import { clockName } from './clock-names.js';
import { formatSpan } from './countdown.js';

/**
 * The incident's timeline picture as shapes (issue 25 §2): one row per clock, a bar from its trigger to its
 * deadline, the escalation steps as ticks, recorded submissions as markers, a "now" line and the overdue part
 * marked. Pure: clock data and the stack's `now` in, numbers and words out; views/incident-timeline.ts draws them
 * as SVG. Every width is ≥ 0 and every coordinate finite, whatever the data (a deadline before its trigger, a
 * zero-length window, a missing time).
 */

export interface TimelineStep {
  readonly at: string;
  readonly label: string;
  /** The timer's state: pending, fired or skipped (cancelled steps are not drawn). */
  readonly status: string;
}

export interface TimelineSubmission {
  readonly at: string;
  readonly label: string;
  readonly late: boolean;
}

/** One clock as the picture needs it. */
export interface TimelineClock {
  readonly key: string;
  readonly regime: string;
  readonly obligation: string;
  /** Its human name ("GDPR Art. 33: Notify the lead supervisory authority"). */
  readonly name: string;
  readonly triggerAt: string | null;
  readonly dueAt: string | null;
  /** legal: the law's deadline; target: the law sets none ("without unreasonable delay"), dueAt is our target. */
  readonly kind: 'legal' | 'target';
  readonly status: string;
  readonly provisional: boolean;
  readonly waitingFor?: readonly string[];
  readonly steps: readonly TimelineStep[];
  readonly submissions: readonly TimelineSubmission[];
}

export interface TextLine {
  readonly text: string;
  readonly y: number;
}

export type RowState = 'running' | 'overdue' | 'target-passed' | 'submitted' | 'settled' | 'waiting';

/** A horizontal stretch: `x` its left edge, `width` ≥ 0. */
export interface Segment {
  readonly x: number;
  readonly width: number;
}

export interface TimelineRow {
  readonly key: string;
  readonly regime: string;
  readonly obligation: string;
  readonly name: string;
  readonly kind: 'legal' | 'target';
  readonly state: RowState;
  /** Top of the row; its name and caption as lines of text (wrapped at words, each with its baseline); the bar's top and height. */
  readonly y: number;
  readonly nameLines: readonly TextLine[];
  readonly captionLines: readonly TextLine[];
  readonly barY: number;
  readonly barHeight: number;
  /** Trigger to deadline (or target); null while the clock waits for its trigger. */
  readonly window: Segment | null;
  /** Trigger to now (or to the submission), within the window. */
  readonly elapsed: Segment | null;
  /** Past the deadline: to now while overdue (or the target passed), to the submission when it was late. */
  readonly late: Segment | null;
  readonly deadlineX: number | null;
  readonly steps: readonly (TimelineStep & { readonly x: number })[];
  readonly submissions: readonly (TimelineSubmission & { readonly x: number })[];
  /** The row in words (never colour alone): "due 8 Dec 10:00 UTC · OVERDUE by 3h 05m". */
  readonly caption: string;
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  /** The time span drawn (epoch ms) and the plot's edges. */
  readonly from: number;
  readonly to: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  /** Time axis marks (UTC). */
  readonly axis: readonly { readonly x: number; readonly label: string }[];
  /** Where now is, and which way its label reads (to the left near the right edge, so it stays inside). */
  readonly now: { readonly x: number; readonly label: string; readonly anchor: 'start' | 'end' };
  readonly rows: readonly TimelineRow[];
  readonly title: string;
  /** The whole picture in words, for screen readers and the printed page. */
  readonly description: string;
}

export const TIMELINE_WIDTH = 1000;
const LEFT = 12;
const RIGHT = TIMELINE_WIDTH - 12;
const TOP = 44;
const LINE_HEIGHT = 14;
const BAR_HEIGHT = 12;
const ROW_GAP = 12;
/** Characters per line of the 1000-unit wide picture: a clock's name (bold), its caption. */
const NAME_CHARS = 115;
const CAPTION_CHARS = 140;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const AXIS_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 180 * DAY, 365 * DAY];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Words into lines of at most `max` characters (a longer word is cut); never an empty list. */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest; ) {
      const room = line ? max - line.length - 1 : max;
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, max));
        rest = rest.slice(max);
      }
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

const instant = (iso: string | null | undefined): number | undefined => {
  if (!iso) return undefined;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? at : undefined;
};

const pad = (n: number) => String(n).padStart(2, '0');
/** "8 Dec 10:00" in UTC: the picture is the same for every reader and on paper. */
export function utcShort(at: number): string {
  const d = new Date(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
const utc = (at: number) => `${utcShort(at)} UTC`;

function stateOf(clock: TimelineClock, due: number | undefined, now: number): RowState {
  if (clock.submissions.length || clock.status === 'submitted' || clock.status === 'met') return 'submitted';
  if (['not-required', 'not-in-force', 'stopped'].includes(clock.status)) return 'settled';
  if (due === undefined) return 'waiting';
  if (due < now) return clock.kind === 'target' ? 'target-passed' : 'overdue';
  return 'running';
}

type Trigger = Exclude<NonNullable<RegimeClockView['trigger']>, 'earlier-report'>;
/** What a waiting clock waits for, in words (the facts form's names for the times). */
const TRIGGER_WORDS = {
  awareAt: 'awareness (Confirm)',
  regimeAwareAt: "this regime's own awareness (confirm-regime)",
  detectedAt: 'detection',
  classifiedAt: 'classification as major ("Classified as major" in the facts)',
  materialityDeterminedAt: 'the materiality determination ("Materiality determined" in the facts)',
  assessedAt: 'the assessment ("Assessed at" in the facts)',
} as const satisfies Record<Trigger, string>;
const waitingWords = (what: string): string => (TRIGGER_WORDS as Readonly<Record<string, string>>)[what] ?? what;

function captionOf(clock: TimelineClock, state: RowState, due: number | undefined, submitted: number | undefined, now: number): string {
  const deadline = due === undefined ? '' : clock.kind === 'target' ? `target ${utc(due)} (no legal deadline)` : `due ${utc(due)}`;
  const provisional = clock.provisional ? ' · provisional' : '';
  switch (state) {
    case 'waiting':
      return `waiting for ${clock.waitingFor?.length ? clock.waitingFor.map(waitingWords).join(', ') : 'its trigger'}`;
    case 'settled':
      return `${clock.status.replace(/-/g, ' ')}${deadline ? ` · was ${deadline}` : ''}`;
    case 'submitted': {
      const late = clock.submissions.some((s) => s.late) || (submitted !== undefined && due !== undefined && clock.kind === 'legal' && submitted > due);
      return `${submitted !== undefined ? `submitted ${utc(submitted)}` : 'met'}${late ? ` · LATE by ${formatSpan(submitted! - due!)}` : ''}${deadline ? ` · ${deadline}` : ''}`;
    }
    case 'overdue':
      return `${deadline} · OVERDUE by ${formatSpan(now - due!)}${provisional}`;
    case 'target-passed':
      return `${deadline} · target passed ${formatSpan(now - due!)} ago${provisional}`;
    case 'running':
      return `${deadline} · ${formatSpan(due! - now)} left${provisional}`;
  }
}

function axisMarks(from: number, to: number, x: (at: number) => number): TimelineLayout['axis'] {
  const step = AXIS_STEPS.find((s) => (to - from) / s <= 8) ?? AXIS_STEPS[AXIS_STEPS.length - 1]!;
  const marks: { x: number; label: string }[] = [];
  for (let at = Math.ceil(from / step) * step; at <= to && marks.length < 12; at += step) marks.push({ x: x(at), label: utcShort(at) });
  return marks;
}

/**
 * Lays out the picture of `clocks` at `now` (epoch ms, the stack's clock): the time span covers every trigger,
 * deadline, step, submission and now, with a little room either side; rows stack top to bottom in the order given.
 */
export function layoutTimeline(clocks: readonly TimelineClock[], now: number, title = 'Legal clocks'): TimelineLayout {
  const times = [now];
  for (const clock of clocks) {
    for (const at of [clock.triggerAt, clock.dueAt, ...clock.steps.map((s) => s.at), ...clock.submissions.map((s) => s.at)]) {
      const t = instant(at);
      if (t !== undefined) times.push(t);
    }
  }
  let from = Math.min(...times);
  let to = Math.max(...times);
  if (to - from < HOUR) {
    const mid = (from + to) / 2;
    from = mid - HOUR / 2;
    to = mid + HOUR / 2;
  }
  const room = (to - from) * 0.03;
  from -= room;
  to += room;
  const x = (at: number) => Math.round((LEFT + ((at - from) / (to - from)) * (RIGHT - LEFT)) * 10) / 10;
  const segment = (a: number, b: number): Segment => ({ x: x(a), width: Math.max(0, x(b) - x(a)) });

  let next = TOP;
  const rows = clocks.map((clock): TimelineRow => {
    const y = next;
    const due = instant(clock.dueAt);
    // No trigger recorded but a deadline: the window is the deadline alone.
    const trigger = instant(clock.triggerAt) ?? due;
    const submitted = clock.submissions.map((s) => instant(s.at)).filter((t): t is number => t !== undefined).sort((a, b) => a - b)[0];
    const state = stateOf(clock, due, now);
    const caption = captionOf(clock, state, due, submitted, now);
    const names = wrap(clock.name, NAME_CHARS);
    const captions = wrap(caption, CAPTION_CHARS);
    const nameLines = names.map((text, i) => ({ text, y: y + 11 + i * LINE_HEIGHT }));
    const captionLines = captions.map((text, i) => ({ text, y: y + 11 + (names.length + i) * LINE_HEIGHT }));
    const barY = y + (names.length + captions.length) * LINE_HEIGHT + 3;
    next = barY + BAR_HEIGHT + ROW_GAP;
    const window = trigger !== undefined && due !== undefined ? segment(trigger, due) : null;
    const stop = state === 'submitted' ? submitted : ['running', 'overdue', 'target-passed'].includes(state) ? now : undefined;
    const elapsed = window && stop !== undefined ? segment(trigger!, Math.min(stop, due!)) : null;
    const late = due !== undefined && stop !== undefined && stop > due && (state !== 'submitted' || clock.kind === 'legal') ? segment(Math.max(due, trigger ?? due), stop) : null;
    return {
      key: clock.key,
      regime: clock.regime,
      obligation: clock.obligation,
      name: clock.name,
      kind: clock.kind,
      state,
      y,
      nameLines,
      captionLines,
      barY,
      barHeight: BAR_HEIGHT,
      window,
      elapsed,
      late,
      deadlineX: due !== undefined ? x(due) : null,
      steps: clock.steps.flatMap((s) => {
        const at = instant(s.at);
        return at === undefined ? [] : [{ ...s, x: x(at) }];
      }),
      submissions: clock.submissions.flatMap((s) => {
        const at = instant(s.at);
        return at === undefined ? [] : [{ ...s, x: x(at) }];
      }),
      caption,
    };
  });
  const bottom = rows.length ? next : TOP + 3 * LINE_HEIGHT;
  const description = `${clocks.length} clock${clocks.length === 1 ? '' : 's'}, now ${utc(now)}${rows.length ? ': ' : '.'}${rows.map((r) => `${r.name}: ${r.caption}`).join('; ')}${rows.length ? '.' : ''}`;
  return { width: TIMELINE_WIDTH, height: bottom + 14, from, to, left: LEFT, right: RIGHT, top: TOP, bottom, axis: axisMarks(from, to, x), now: { x: x(now), label: `now ${utc(now)}`, anchor: x(now) > TIMELINE_WIDTH * 0.7 ? 'end' : 'start' }, rows, title, description };
}

/** The default escalation ladder's steps by name (a ladder of your own shows its step ids in words). */
const LADDER_STEPS: Readonly<Record<string, string>> = {
  'unacknowledged-15m': 'Not acknowledged after 15 minutes: level 2 on-call',
  'no-risk-assessment-24h': '24 hours without a risk assessment: DPO',
  'no-approved-notice-48h': '48 hours without an approved notice: DPO and legal',
  'not-submitted-66h': '66 hours and the authority is not notified: executives',
  'overdue-72h': '72-hour deadline passed: everyone',
  'regime:due-soon': 'Due soon: reminder to the DPO',
  'regime:overdue': 'Deadline passed: escalation to the DPO',
};
export const stepName = (stepId: string): string => LADDER_STEPS[stepId] ?? stepId.replace(/^regime:/, '').replace(/-/g, ' ');

type Timer = IncidentDetailAnswer['timers'][number];

/**
 * The incident's clocks with their escalation steps and submissions: the GDPR ladder's timers (`gdpr-art33.…`)
 * belong to the authority notification, the other regimes' (`regime.<regime>.<obligation>.…`) to their clock.
 */
export function timelineClocks(clocks: readonly RegimeClockView[], timers: readonly Timer[]): TimelineClock[] {
  const ladderClock = clocks.find((c) => c.regime === 'gdpr-art33' && c.obligation === 'authority-notification') ?? clocks.find((c) => c.regime === 'gdpr-art33');
  return clocks.map((clock) => {
    const own = timers.filter(
      (t) => t.status !== 'cancelled' && (clock === ladderClock ? t.timerId.startsWith('gdpr-art33.') : t.timerId.startsWith(`regime.${clock.regime}.${clock.obligation}.`)),
    );
    const submission = clock.submission;
    return {
      key: `${clock.regime}/${clock.obligation}`,
      regime: clock.regime,
      obligation: clock.obligation,
      name: clockName(clock),
      triggerAt: clock.triggerAt,
      dueAt: clock.dueAt,
      kind: clock.deadlineKind === 'target' ? 'target' : 'legal',
      status: clock.status,
      provisional: clock.provisional,
      ...(clock.waitingFor ? { waitingFor: clock.waitingFor } : {}),
      steps: own.map((t) => ({ at: t.dueAt, label: stepName(t.stepId), status: t.status })),
      submissions: submission ? [{ at: submission.submittedAt, label: `submitted, reference ${submission.reference}${submission.late ? ' (late)' : ''}`, late: submission.late }] : [],
    };
  });
}
