import { diffTimers, type ExistingTimer, type PlannedTimer } from '../escalation-ladder.js';
import type { Incident } from '../incident.js';
import { subjectOf, type MessageContext, type OutboxMessage } from '../messages.js';
import { escapeSlack } from '../slack-text.js';
import { isOverdue, taskDueAt, type IncidentTask } from './tasks.js';

/**
 * Overdue tasks escalate like clock steps: one timer per timed open task (`task.<id>.overdue`), re-planned
 * with every change of the incident, checked again when due (still open, still due then), fired once. Catch-up:
 * when several tasks of one incident are overdue at once, the first timer to fire names them all in one
 * message and marks them escalated; the others are then passed over.
 */
export const TASK_TIMER_PREFIX = 'task.';

const TOPIC_OF_ROLE = { responder: 'responders', dpo: 'dpo', legal: 'legal', executive: 'executives' } as const;

export function isTaskTimer(timerId: string): boolean {
  return timerId.startsWith(TASK_TIMER_PREFIX);
}

export function taskTimerId(taskId: string): string {
  return `${TASK_TIMER_PREFIX}${taskId}.overdue`;
}

export function planTaskTimers(incident: Incident): PlannedTimer[] {
  if (incident.status === 'dismissed' || incident.status === 'closed') return [];
  return (incident.tasks ?? []).flatMap((task) => {
    const dueAt = task.status === 'open' && !task.escalatedAt ? taskDueAt(task, incident) : undefined;
    return dueAt ? [{ timerId: taskTimerId(task.id), stepId: 'task:overdue', dueAt }] : [];
  });
}

export function replanTaskTimers(incident: Incident, existing: readonly (ExistingTimer & { dueAt?: string })[], now: Date): { upsert: PlannedTimer[]; cancel: string[] } {
  return diffTimers(planTaskTimers(incident), existing.filter((t) => isTaskTimer(t.timerId)), now);
}

export type TaskFiring =
  | { readonly skip: string }
  | { readonly incident: Incident; readonly summary: string; readonly messages: readonly OutboxMessage[]; readonly data: Record<string, unknown> };

/** Decides, at the due time, whether a task's overdue step fires, and what it says. */
export function evaluateTaskTimer(incident: Incident, timer: { timerId: string; dueAt: string }, now: Date, context: MessageContext = {}): TaskFiring {
  if (incident.status === 'dismissed' || incident.status === 'closed') return { skip: `the incident is ${incident.status}` };
  const tasks = incident.tasks ?? [];
  const task = tasks.find((t) => taskTimerId(t.id) === timer.timerId);
  if (!task) return { skip: 'the task no longer exists' };
  if (task.status !== 'open') return { skip: `the task is ${task.status === 'done' ? 'done' : 'set aside'}` };
  if (task.escalatedAt) return { skip: `passed over: already escalated at ${task.escalatedAt} with the other overdue tasks` };
  if (taskDueAt(task, incident) !== timer.dueAt) return { skip: 'the due time moved (a new step is planned)' };
  const overdue = [task, ...tasks.filter((t) => t.id !== task.id && !t.escalatedAt && isOverdue(t, incident, now))];
  const at = now.toISOString();
  const escalated = new Set(overdue.map((t) => t.id));
  const next: Incident = { ...incident, tasks: tasks.map((t) => (escalated.has(t.id) ? { ...t, escalatedAt: at } : t)), version: incident.version + 1 };
  const line = (t: IncidentTask) => `• ${t.title} (${t.role}${t.owner ? `, owner ${t.owner}` : ', nobody has taken it'}; due ${taskDueAt(t, incident)!.replace('.000Z', 'Z')})`;
  const summary = overdue.length === 1 ? `OVERDUE task: ${task.title}` : `${overdue.length} OVERDUE tasks: ${overdue.map((t) => t.title).join('; ')}`;
  const text = [summary, `[${incident.severity.toUpperCase()}] ${incident.id}: ${incident.title}`, ...overdue.map(line), ...(context.incidentUrl ? [`Open: ${context.incidentUrl(incident.id)}`] : [])].join('\n');
  const base = { incidentId: incident.id, subject: subjectOf(`breachclock task OVERDUE ${incident.id}: ${task.title}`), createdAt: at, kind: 'escalation' as const };
  const id = `${incident.id}.${timer.timerId}.${timer.dueAt}`;
  const topics = [...new Set(overdue.map((t) => TOPIC_OF_ROLE[t.role]))];
  const messages: OutboxMessage[] = [
    { ...base, messageId: `${id}.slack`, channel: 'slack', text: escapeSlack(text) },
    ...topics.map((topic) => ({ ...base, messageId: `${id}.sns-${topic}`, channel: 'sns' as const, topic, text })),
  ];
  return { incident: next, summary, messages, data: { tasks: overdue.map((t) => t.id), dueAt: timer.dueAt } };
}
