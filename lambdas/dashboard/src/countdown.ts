import type { RegimeClockView } from '../../contracts/api-answers.js';
import { clockName } from './clock-names.js';

/** Countdowns as words and colour bands. Pure (no DOM, no view library): the stack's `now` is passed in. */

export type Band = 'done' | 'waiting' | 'target' | 'overdue' | 'urgent' | 'soon' | 'ok';

const SETTLED = ['submitted', 'not-required', 'met', 'not-in-force', 'stopped'];

/**
 * Colour band of a clock: overdue, under 6 h, under 24 h, running; settled or waiting clocks are grey. A target
 * (the law sets no fixed deadline; the organisation's own) that has passed is "target", never "overdue".
 */
export function band(clock: Pick<RegimeClockView, 'status' | 'dueAt' | 'deadlineKind'>, now: number): Band {
  if (SETTLED.includes(clock.status)) return 'done';
  if (!clock.dueAt) return 'waiting';
  const left = Date.parse(clock.dueAt) - now;
  if (left < 0) return clock.deadlineKind === 'target' ? 'target' : 'overdue';
  if (left < 6 * 3600_000) return 'urgent';
  if (left < 24 * 3600_000) return 'soon';
  return 'ok';
}

/** A span of time in words a reader takes in at a glance: "2d 3h", "5h 07m", "12m", "under a minute". */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (!Number.isFinite(minutes)) return '-';
  if (minutes < 1) return 'under a minute';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m`;
}

export interface NearestDeadline {
  /** The clock's human name ("GDPR Art. 33: Notify the lead supervisory authority"). */
  readonly name: string;
  readonly regime: string;
  readonly obligation: string;
  readonly dueAt: string;
  readonly leftMs: number;
  readonly target: boolean;
  readonly band: Band;
  /** The countdown in words, never colour alone: "2d 3h left", "overdue by 1h 05m", "target passed 3h ago". */
  readonly text: string;
}

/**
 * The one deadline an incident's row leads with: the nearest legal deadline of a clock still running (an overdue
 * one is the nearest of all); only when no legal deadline runs, the nearest target (labelled as one).
 */
export function nearestDeadline(clocks: readonly RegimeClockView[], now: number): NearestDeadline | undefined {
  const running = clocks.filter((c) => c.dueAt && !SETTLED.includes(c.status) && Number.isFinite(Date.parse(c.dueAt)));
  const legal = running.filter((c) => c.deadlineKind !== 'target');
  const pool = legal.length ? legal : running;
  const clock = [...pool].sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
  if (!clock) return undefined;
  const leftMs = Date.parse(clock.dueAt!) - now;
  const target = clock.deadlineKind === 'target';
  const text = target
    ? leftMs < 0
      ? `target passed ${formatSpan(leftMs)} ago (no legal deadline)`
      : `${formatSpan(leftMs)} to the target (no legal deadline)`
    : leftMs < 0
      ? `overdue by ${formatSpan(leftMs)}`
      : `${formatSpan(leftMs)} left`;
  return { name: clockName(clock), regime: clock.regime, obligation: clock.obligation, dueAt: clock.dueAt!, leftMs, target, band: band(clock, now), text };
}
