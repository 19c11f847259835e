import { DomainValidationError } from './errors.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;

/** Parses "90s", "15m", "24h", "3d" to milliseconds. Clock arithmetic only: a day is 24 hours. */
export function parseDuration(text: string, path = 'duration'): number {
  const match = DURATION.exec(text.trim());
  if (!match) {
    throw new DomainValidationError(path, `"${text}" is not a duration; use a whole number and a unit s, m, h or d (e.g. "15m", "72h")`);
  }
  const value = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  return value * UNIT_MS[unit];
}

/** Formats a non-negative duration for people: "2d 3h 4m", "45m", "0m". Rounds down to the minute. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes || parts.length === 0) parts.push(`${minutes}m`);
  return parts.join(' ');
}

/** Adds milliseconds to an ISO instant in UTC (never local time). */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
