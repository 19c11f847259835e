import type { Incident } from './incident.js';

/** GDPR Art. 33(1): not later than 72 hours after becoming aware. Clock hours in UTC, weekends and holidays included. */
export const GDPR_ART33_WINDOW_MS = 72 * 3_600_000;
export const GDPR_ART33_CLOCK = 'gdpr-art33' as const;

export type ClockStatus = 'running' | 'overdue' | 'met' | 'stopped';

export interface ClockView {
  readonly clock: typeof GDPR_ART33_CLOCK;
  /** Which fact the clock keys off: awareAt once a responder confirmed, detectedAt until then (conservative). */
  readonly trigger: 'awareAt' | 'detectedAt';
  readonly triggerAt: string;
  readonly dueAt: string;
  /** Negative once overdue. */
  readonly timeLeftMs: number;
  readonly status: ClockStatus;
  /** True while running from detectedAt: the deadline may move when awareness is confirmed. */
  readonly provisional: boolean;
  /** Once past the deadline without a notification, the notice must give reasons for the delay (Art. 33(1)). */
  readonly reasonsForDelayRequired: boolean;
}

export function clockTrigger(incident: Pick<Incident, 'awareAt' | 'detectedAt'>): { trigger: 'awareAt' | 'detectedAt'; at: string } {
  return incident.awareAt ? { trigger: 'awareAt', at: incident.awareAt } : { trigger: 'detectedAt', at: incident.detectedAt };
}

export function gdprDueAt(incident: Pick<Incident, 'awareAt' | 'detectedAt'>): string {
  return new Date(Date.parse(clockTrigger(incident).at) + GDPR_ART33_WINDOW_MS).toISOString();
}

/** The GDPR Art. 33 clock of an incident at `now`. Pure: all arithmetic in UTC milliseconds. */
export function gdprClock(incident: Incident, now: Date): ClockView {
  const { trigger, at } = clockTrigger(incident);
  const dueAt = gdprDueAt(incident);
  const dueMs = Date.parse(dueAt);
  const timeLeftMs = dueMs - now.getTime();
  let status: ClockStatus;
  if (incident.notifiedAt) status = 'met';
  else if (incident.status === 'dismissed' || incident.status === 'closed') status = 'stopped';
  else status = timeLeftMs < 0 ? 'overdue' : 'running';
  const lateNotice = incident.notifiedAt ? Date.parse(incident.notifiedAt) > dueMs : false;
  return {
    clock: GDPR_ART33_CLOCK,
    trigger,
    triggerAt: at,
    dueAt,
    timeLeftMs,
    status,
    provisional: trigger === 'detectedAt',
    reasonsForDelayRequired: status === 'overdue' || lateNotice,
  };
}
