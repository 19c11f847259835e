import { DateTime } from 'luxon';
import calendarData from './holiday-calendar.json' with { type: 'json' };
import { ConfigurationError } from '../errors.js';

/** How a law counts its deadline. */
export type DeadlineUnit =
  | { readonly unit: 'hours'; readonly value: number }
  | { readonly unit: 'calendar-days'; readonly value: number; readonly zone: string | readonly string[] }
  | { readonly unit: 'business-days'; readonly value: number; readonly zone: string; readonly calendar: string; readonly cutoff?: string }
  | { readonly unit: 'months'; readonly value: number; readonly zone: string };

/** Thrown when a deadline cannot be computed honestly for this date (outside the holiday tables). */
export class DeadlineRangeError extends ConfigurationError {
  constructor(message: string, readonly year: number) {
    super(message);
    this.name = 'DeadlineRangeError';
  }
}

/** The years the holiday tables cover. */
export function holidayYears(): readonly [number, number] {
  return CALENDAR.years;
}

interface HolidayCalendarFile {
  readonly source: string;
  readonly years: readonly [number, number];
  /**
   * calendar → "MMDD MMDD …|MMDD …|…": one "|"-separated entry per year from years[0] to years[1] (compact: the
   * table ships in every bundle that counts business days).
   */
  readonly calendars: Readonly<Record<string, string>>;
}

const CALENDAR = calendarData as unknown as HolidayCalendarFile;

export const KNOWN_CALENDARS = Object.keys(CALENDAR.calendars);

/** Each calendar's days as ISO dates, expanded the first time a deadline counts on it (not every cold start). */
const HOLIDAYS = new Map<string, ReadonlySet<string>>();

/** The table covers years[0]..years[1]; outside it a business-day deadline cannot be computed honestly. */
function holidaysOf(calendar: string, year: number): ReadonlySet<string> {
  const years = Object.hasOwn(CALENDAR.calendars, calendar) ? CALENDAR.calendars[calendar] : undefined;
  if (!years) throw new ConfigurationError(`No holiday calendar "${calendar}" (known: ${KNOWN_CALENDARS.join(', ')})`);
  const [from, to] = CALENDAR.years;
  if (year < from || year > to) throw new DeadlineRangeError(`The holiday calendar covers ${from}-${to}, not ${year}; run npm run holidays:update to extend it`, year);
  let set = HOLIDAYS.get(calendar);
  if (!set) {
    set = new Set(years.split('|').flatMap((days, index) => (days ? days.split(' ').map((md) => `${from + index}-${md.slice(0, 2)}-${md.slice(2, 4)}`) : [])));
    HOLIDAYS.set(calendar, set);
  }
  return set;
}

export function isBusinessDay(day: DateTime, calendar: string): boolean {
  if (day.weekday === 6 || day.weekday === 7) return false;
  return !holidaysOf(calendar, day.year).has(day.toISODate()!);
}

/** End of the day (23:59:59.999), or the cutoff time ("HH:MM") of that day, in the day's own zone. */
function endOf(day: DateTime, cutoff?: string): DateTime {
  if (!cutoff) return day.endOf('day');
  const [hour, minute] = cutoff.split(':').map(Number);
  return day.startOf('day').set({ hour: hour!, minute: minute!, second: 0, millisecond: 0 });
}

/**
 * The deadline for a trigger instant. Pure and in UTC at the edges:
 *  - hours: clock hours (UTC milliseconds; weekends, holidays and DST change nothing);
 *  - calendar days: the end (23:59:59.999) of the Nth day after the trigger's day, in the law's zone; with
 *    several zones (a law that names none, for an entity in several), the earliest of those deadlines;
 *  - business days: the end (or the cutoff time, e.g. EDGAR's 17:30) of the Nth business day after the
 *    trigger's day, in the zone, skipping weekends and the calendar's public holidays;
 *  - months: Regulation 1182/71 Art. 3(2)(c): the period ends with the expiry of the last hour of the day
 *    of the Nth month that has the trigger day's number (clamped to the month's last day: 31 Jan → 28/29
 *    Feb), in the zone. A later trigger never gives an earlier deadline, and DST changes nothing.
 */
export function deadlineFrom(triggerIso: string, deadline: DeadlineUnit): string {
  const trigger = Date.parse(triggerIso);
  if (!Number.isFinite(trigger)) throw new RangeError(`not an instant: ${triggerIso}`);
  switch (deadline.unit) {
    case 'hours':
      return new Date(trigger + deadline.value * 3_600_000).toISOString();
    case 'calendar-days': {
      const zones = typeof deadline.zone === 'string' ? [deadline.zone] : deadline.zone;
      return zones
        .map((zone) => DateTime.fromMillis(trigger, { zone }).startOf('day').plus({ days: deadline.value }).endOf('day').toUTC().toISO()!)
        .sort()[0]!;
    }
    case 'months':
      return DateTime.fromMillis(trigger, { zone: deadline.zone }).startOf('day').plus({ months: deadline.value }).endOf('day').toUTC().toISO()!;
    case 'business-days': {
      let day = DateTime.fromMillis(trigger, { zone: deadline.zone }).startOf('day');
      let counted = 0;
      while (counted < deadline.value) {
        day = day.plus({ days: 1 });
        if (isBusinessDay(day, deadline.calendar)) counted++;
      }
      return endOf(day, deadline.cutoff).toUTC().toISO()!;
    }
  }
}

export function describeDeadline(deadline: DeadlineUnit): string {
  switch (deadline.unit) {
    case 'hours':
      return `${deadline.value} hours`;
    case 'calendar-days':
      return typeof deadline.zone === 'string'
        ? `${deadline.value} calendar days (${deadline.zone})`
        : `${deadline.value} calendar days (the earliest of ${deadline.zone.join(', ')})`;
    case 'business-days':
      return `${deadline.value} business days (${deadline.calendar} holidays, ${deadline.zone}${deadline.cutoff ? `, by ${deadline.cutoff}` : ''})`;
    case 'months':
      return `${deadline.value} month${deadline.value === 1 ? '' : 's'} (end of the corresponding day, ${deadline.zone}, clamped to month end)`;
  }
}
