import { DateTime } from 'luxon';
import calendarData from './holiday-calendar.json' with { type: 'json' };
import { ConfigurationError } from '../errors.js';

/** How a law counts its deadline. */
export type DeadlineUnit =
  | { readonly unit: 'hours'; readonly value: number }
  | { readonly unit: 'calendar-days'; readonly value: number; readonly zone: string }
  | { readonly unit: 'business-days'; readonly value: number; readonly zone: string; readonly calendar: string }
  | { readonly unit: 'months'; readonly value: number; readonly zone: string };

interface HolidayCalendarFile {
  readonly source: string;
  readonly years: readonly [number, number];
  readonly calendars: Readonly<Record<string, readonly string[]>>;
}

const CALENDAR = calendarData as unknown as HolidayCalendarFile;
const HOLIDAYS = new Map(Object.entries(CALENDAR.calendars).map(([code, dates]) => [code, new Set(dates)]));

export const KNOWN_CALENDARS = [...HOLIDAYS.keys()];

/** The table covers years[0]..years[1]; outside it a business-day deadline cannot be computed honestly. */
function holidaysOf(calendar: string, year: number): ReadonlySet<string> {
  const set = HOLIDAYS.get(calendar);
  if (!set) throw new ConfigurationError(`No holiday calendar "${calendar}" (known: ${KNOWN_CALENDARS.join(', ')})`);
  const [from, to] = CALENDAR.years;
  if (year < from || year > to) throw new ConfigurationError(`The holiday calendar covers ${from}-${to}; run npm run holidays:update`);
  return set;
}

export function isBusinessDay(day: DateTime, calendar: string): boolean {
  if (day.weekday === 6 || day.weekday === 7) return false;
  return !holidaysOf(calendar, day.year).has(day.toISODate()!);
}

/**
 * The deadline for a trigger instant. Pure and in UTC at the edges:
 *  - hours: clock hours (UTC milliseconds; weekends, holidays and DST change nothing);
 *  - calendar days: the end (23:59:59.999) of the Nth day after the trigger's day, in the law's zone
 *    (where the law names no zone, the pack uses the earliest one, UTC+14);
 *  - business days: the end (23:59:59.999) of the Nth business day after the trigger's day, in the zone,
 *    skipping weekends and the calendar's public holidays;
 *  - months: the same wall-clock time N months later, clamped to the month's last day (31 Jan → 28/29 Feb).
 */
export function deadlineFrom(triggerIso: string, deadline: DeadlineUnit): string {
  const trigger = Date.parse(triggerIso);
  if (!Number.isFinite(trigger)) throw new RangeError(`not an instant: ${triggerIso}`);
  switch (deadline.unit) {
    case 'hours':
      return new Date(trigger + deadline.value * 3_600_000).toISOString();
    case 'calendar-days':
      return DateTime.fromMillis(trigger, { zone: deadline.zone }).startOf('day').plus({ days: deadline.value }).endOf('day').toUTC().toISO()!;
    case 'months':
      return DateTime.fromMillis(trigger, { zone: deadline.zone }).plus({ months: deadline.value }).toUTC().toISO()!;
    case 'business-days': {
      let day = DateTime.fromMillis(trigger, { zone: deadline.zone }).startOf('day');
      let counted = 0;
      while (counted < deadline.value) {
        day = day.plus({ days: 1 });
        if (isBusinessDay(day, deadline.calendar)) counted++;
      }
      return day.endOf('day').toUTC().toISO()!;
    }
  }
}

export function describeDeadline(deadline: DeadlineUnit): string {
  switch (deadline.unit) {
    case 'hours':
      return `${deadline.value} hours`;
    case 'calendar-days':
      return `${deadline.value} calendar days (${deadline.zone})`;
    case 'business-days':
      return `${deadline.value} business days (${deadline.calendar} holidays, ${deadline.zone})`;
    case 'months':
      return `${deadline.value} month${deadline.value === 1 ? '' : 's'} (${deadline.zone}, clamped to month end)`;
  }
}
