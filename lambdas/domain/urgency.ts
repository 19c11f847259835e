import { gdprClock } from './gdpr-clock.js';
import { isOpen, type Incident } from './incident-record.js';
import { regimeClocks } from './regimes/engine.js';
import { RULE_PACKS } from './regimes/packs/index.js';

/** Sorts after every real deadline: an open incident whose clocks are all met, decided or waiting. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

/**
 * The incident's most urgent deadline now: the earliest due time of any clock still running or overdue (the
 * GDPR clock and every other regime's). Lists are ordered by it, across pages (it is the open index's sort
 * key), so it is recomputed with every decision that can move a clock.
 */
export function nextDeadline(incident: Incident, now: Date): string {
  if (!isOpen(incident)) return NO_DEADLINE;
  let clocks;
  try {
    clocks = regimeClocks(RULE_PACKS, incident, incident.facts, now);
  } catch {
    // A date outside the holiday tables (refused by the decision that would record it): the GDPR clock still counts.
    const gdpr = gdprClock(incident, now);
    return gdpr.status === 'running' || gdpr.status === 'overdue' ? gdpr.dueAt : NO_DEADLINE;
  }
  const due = clocks.filter((c) => (c.status === 'running' || c.status === 'overdue') && c.dueAt).map((c) => c.dueAt!);
  return due.length ? due.reduce((a, b) => (a < b ? a : b)) : NO_DEADLINE;
}
