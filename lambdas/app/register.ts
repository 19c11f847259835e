import { REGISTER_COLUMNS, registerEntry, registerRow, type RegisterEntry, type RegisterOutcome } from '../domain/register.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentReader } from '../ports/incident-store.js';
import type { NoticeStore } from '../ports/notice-store.js';

export interface RegisterQuery {
  /** Detected at or after (ISO instant). */
  readonly from: string;
  /** Detected before (ISO instant). */
  readonly to: string;
  readonly regime?: string;
  readonly outcome?: RegisterOutcome;
  /** At most this many entries (the rest is reported as truncated: narrow the period). */
  readonly limit: number;
  /** Stop reading at this time (epoch milliseconds, wall clock: the request's deadline); what was read is answered, as truncated. */
  readonly deadline?: number;
}

/** The Art. 33(5) register for a period: every incident, notified or not, with its notices; filtered. */
export async function buildRegister(deps: { store: Pick<IncidentReader, 'registerIncidents'>; notices?: NoticeStore; clock: Clock }, query: RegisterQuery): Promise<{ entries: RegisterEntry[]; truncated: boolean; stoppedAtDeadline: boolean }> {
  const now = deps.clock.now();
  const entries: RegisterEntry[] = [];
  let batch: Promise<RegisterEntry>[] = [];
  let truncated = false;
  const flush = async () => {
    for (const entry of await Promise.all(batch)) {
      if (query.outcome && entry.outcome !== query.outcome) continue;
      if (query.regime && !entry.clocks.some((c) => c.regime === query.regime)) continue;
      if (entries.length >= query.limit) {
        truncated = true;
        continue;
      }
      entries.push(entry);
    }
    batch = [];
  };
  let stoppedAtDeadline = false;
  const stop = query.deadline === undefined ? undefined : { deadline: query.deadline, onDeadline: () => void (stoppedAtDeadline = true) };
  for await (const incident of deps.store.registerIncidents(query.from, query.to, stop)) {
    batch.push((async () => registerEntry(incident, deps.notices ? await deps.notices.listNotices(incident.id) : [], now))());
    if (batch.length >= 16) await flush();
    if (truncated) break;
  }
  await flush();
  return { entries, truncated: truncated || stoppedAtDeadline, stoppedAtDeadline };
}

/**
 * CSV with a header row (csv-stringify). A cell that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR at the start: titles come from alert text) is prefixed with an apostrophe. The CSV writer is imported on the
 * first export (ADR 0018): the API's other requests never compile it.
 */
export async function registerCsv(entries: readonly RegisterEntry[]): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  return stringify(entries.map(registerRow), {
    header: true,
    columns: [...REGISTER_COLUMNS],
    cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
  });
}
