import { gdprClock } from './gdpr-clock.js';
import { isOpen, type Incident } from './incident-record.js';
import { RULE_PACKS } from './regimes/packs/index.js';
import { incidentClocks } from './regimes/pinned.js';
import type { RulePack } from './regimes/rule-pack.js';

/** Sorts after every real deadline: an open incident whose clocks are all met, decided or waiting. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

/** What a decision needs to know of the incident's clocks, counted once. */
export interface ClockSummary {
  /** The regimes whose clocks apply now (not dismissed, not decided "not required"): their tasks apply. */
  readonly applicableRegimes: readonly string[];
  /**
   * The most urgent deadline now: the earliest due time of any clock still running or overdue (GDPR's and
   * every other regime's). Lists are ordered by it, across pages (it is the open index's sort key).
   */
  readonly nextDeadlineAt: string;
}

/** Counts the incident's clocks once and derives both the regimes that apply and the most urgent deadline. */
export function clockSummary(incident: Incident, now: Date, packs: readonly RulePack[] = RULE_PACKS): ClockSummary {
  let clocks;
  try {
    clocks = incidentClocks(packs, incident, now);
  } catch {
    // A date outside the holiday tables (refused by the decision that would record it): the GDPR clock still
    // counts; tasks wait for the next change.
    const gdpr = gdprClock(incident, now);
    return { applicableRegimes: [], nextDeadlineAt: isOpen(incident) && (gdpr.status === 'running' || gdpr.status === 'overdue') ? gdpr.dueAt : NO_DEADLINE };
  }
  const applicableRegimes = [...new Set(clocks.filter((c) => c.status !== 'not-required' && !incident.regimeDismissals?.[c.regime]).map((c) => c.regime))];
  const due = isOpen(incident) ? clocks.filter((c) => (c.status === 'running' || c.status === 'overdue') && c.dueAt).map((c) => c.dueAt!) : [];
  return { applicableRegimes, nextDeadlineAt: due.length ? due.reduce((a, b) => (a < b ? a : b)) : NO_DEADLINE };
}
