// Computes the public holidays breachclock's business-day regimes need with the maintained `date-holidays`
// library (ISC, commenthol) and writes them as plain dates to lambdas/domain/regimes/holiday-calendar.json.
// The Lambda bundles then carry a small table instead of the library's 200 countries and a time-zone
// database. Run after upgrading date-holidays, and well before the table's last year:
//   npm run holidays:update
import { writeFileSync } from 'node:fs';
import Holidays from 'date-holidays';

const FROM = 2000;
const TO = 2060;
/** Country (and optional state) calendars used by rule packs: SEC (US federal), LGPD (Brazil national), … */
const CALENDARS = ['US', 'BR', 'GB', 'IE', 'DE', 'FR', 'NL', 'SG', 'IN', 'AU'];

const calendars = {};
for (const code of CALENDARS) {
  const [country, state] = code.split('-');
  const hd = state ? new Holidays(country, state) : new Holidays(country);
  const dates = new Set();
  for (let year = FROM; year <= TO; year++) {
    for (const holiday of hd.getHolidays(year)) {
      if (holiday.type === 'public') dates.add(holiday.date.slice(0, 10));
    }
  }
  // Compact: per calendar, one "|"-separated entry per year from FROM to TO, each the month-days ("0101 0406 …"):
  // the table ships in every Lambda bundle.
  const byYear = Array.from({ length: TO - FROM + 1 }, () => []);
  for (const date of [...dates].sort()) byYear[Number(date.slice(0, 4)) - FROM].push(`${date.slice(5, 7)}${date.slice(8, 10)}`);
  calendars[code] = byYear.map((days) => days.join(' ')).join('|');
}
const { default: pkg } = await import('date-holidays/package.json', { with: { type: 'json' } }).catch(() => ({ default: { version: 'unknown' } }));
const out = { source: `date-holidays ${pkg.version}`, types: ['public'], format: 'calendar → "MMDD MMDD …|MMDD …|…", one "|"-separated entry per year from years[0] to years[1]', years: [FROM, TO], calendars };
writeFileSync(new URL('../lambdas/domain/regimes/holiday-calendar.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
const count = Object.values(calendars).reduce((n, years) => n + years.split(/[ |]/).filter(Boolean).length, 0);
console.log(`wrote ${CALENDARS.join(', ')} for ${FROM}-${TO} from date-holidays ${pkg.version}: ${count} dates`);
