import { formatDuration } from '../domain/duration.js';
import { gdprClock } from '../domain/gdpr-clock.js';
import type { Incident } from '../domain/incident.js';
import { jurisdictionCounts } from '../domain/regimes/jurisdiction-counts.js';
import { RULE_PACKS } from '../domain/regimes/packs/index.js';
import { incidentClocks } from '../domain/regimes/pinned.js';
import { isOverdue, openBlockingTasks, taskDueAt } from '../domain/tasks/tasks.js';

/** What the API shows of an incident, its clocks and its tasks (the HTTP answers' shapes). */

export function clockView(incident: Incident, now: Date) {
  const clock = gdprClock(incident, now);
  return { ...clock, timeLeft: clock.timeLeftMs >= 0 ? formatDuration(clock.timeLeftMs) : `-${formatDuration(-clock.timeLeftMs)}` };
}

export function regimeView(incident: Incident, now: Date) {
  return {
    factsRecorded: Boolean(incident.facts),
    regimeClocks: incidentClocks(RULE_PACKS, incident, now),
  };
}

/** Each task with its due time now and whether it is overdue. */
export function taskViews(incident: Incident, now: Date) {
  return (incident.tasks ?? []).map((task) => ({ ...task, dueAt: taskDueAt(task, incident) ?? null, overdue: isOverdue(task, incident, now) }));
}

export type TaskView = ReturnType<typeof taskViews>[number];

export function taskCounts(incident: Incident, now: Date) {
  const open = (incident.tasks ?? []).filter((task) => task.status === 'open');
  return { open: open.length, overdue: open.filter((task) => isOverdue(task, incident, now)).length, blocking: openBlockingTasks(open).length, total: incident.tasks?.length ?? 0 };
}

/** An incident in a list, and in the answer to an action. */
export function summary(incident: Incident, now: Date) {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    source: incident.source,
    detectedAt: incident.detectedAt,
    awareAt: incident.awareAt ?? null,
    acknowledgedBy: incident.acknowledgedBy ?? null,
    alertCount: incident.alertCount,
    kind: incident.kind ?? null,
    tasks: taskCounts(incident, now),
    lastEscalation: incident.lastEscalation ?? null,
    overdueAt: incident.overdueAt ?? null,
    version: incident.version,
    clocks: [clockView(incident, now)],
    ...regimeView(incident, now),
  };
}

/** One incident in full: the record with its clocks, regime clocks and tasks. */
export function incidentView(incident: Incident, now: Date) {
  return { ...incident, clocks: [clockView(incident, now)], ...regimeView(incident, now), jurisdictions: jurisdictionCounts(RULE_PACKS, incident.facts), tasks: taskViews(incident, now) };
}

/** An alert without its raw payload and details (whatever personal data the tool put in them: only /evidence shows those). */
export function alertWithoutPayload<A extends { readonly details?: unknown; readonly raw?: unknown }>({ details: _details, raw: _raw, ...alert }: A) {
  return alert;
}

/** One alert instance of an incident's page: first and last seen, and how often it repeated. */
export function alertInstanceView<A extends { readonly details?: unknown; readonly raw?: unknown; readonly receivedAt: string; readonly lastSeenAt?: string; readonly repeats?: number }>(alert: A) {
  const rest = alertWithoutPayload(alert);
  return { ...rest, lastSeenAt: alert.lastSeenAt ?? alert.receivedAt, repeats: alert.repeats ?? 0 };
}

/** A message sent about the incident, without its text. */
export function messageWithoutText<M extends { readonly text?: unknown }>({ text: _text, ...message }: M) {
  return message;
}
