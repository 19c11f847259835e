import type { RegimeClockView } from '../../contracts/api-answers.js';
import { html } from './html.js';

/** A time in the viewer's zone, with the UTC instant on hover. */
export function time(iso: string | null | undefined) {
  if (!iso) return html`<span>-</span>`;
  return html`<time datetime=${iso} title=${`${iso} (UTC)`}>${new Date(iso).toLocaleString()}</time>`;
}

export function formatLeft(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${sign}${d ? `${d}d ` : ''}${d || h ? `${h}h ` : ''}${m}m ${d ? '' : `${String(s).padStart(2, '0')}s`}`.trim();
}

export type Band = 'done' | 'waiting' | 'target' | 'overdue' | 'urgent' | 'soon' | 'ok';

/**
 * Colour band of a clock: overdue, under 6 h, under 24 h, running; settled or waiting clocks are grey. A target
 * (the law sets no fixed deadline; the organisation's own) that has passed is "target", never "overdue".
 */
export function band(clock: Pick<RegimeClockView, 'status' | 'dueAt' | 'deadlineKind'>, now: number): Band {
  if (['submitted', 'not-required', 'met', 'not-in-force', 'stopped'].includes(clock.status)) return 'done';
  if (!clock.dueAt) return 'waiting';
  const left = Date.parse(clock.dueAt) - now;
  if (left < 0) return clock.deadlineKind === 'target' ? 'target' : 'overdue';
  if (left < 6 * 3600_000) return 'urgent';
  if (left < 24 * 3600_000) return 'soon';
  return 'ok';
}
