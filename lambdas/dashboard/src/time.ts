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

export { band, type Band } from './countdown.js';
