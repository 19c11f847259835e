import { DomainValidationError } from '../errors.js';
import { samePerson } from '../identity.js';
import type { Role } from '../role-names.js';
import { MEASURE_PHASES, type DueBasis, type TaskCompletion, type TaskPhase, type TaskTemplate, type TaskTemplates } from './templates.js';

export type TaskStatus = 'open' | 'done' | 'not-applicable';

/** A response task on an incident: owned, timed, done with a note or set aside with a reason; every change audited. */
export interface IncidentTask {
  readonly id: string;
  readonly title: string;
  readonly phase: TaskPhase;
  readonly role: Role;
  readonly blocksClose: boolean;
  /** Where it came from: "common", "kind:<kind>", "regime:<regime>" (templates), or "manual". */
  readonly origin: string;
  /** Due an offset after a clock basis (templates), or at a fixed time (set by hand). */
  readonly due?: { readonly from: DueBasis; readonly after: string; readonly afterMs: number } | { readonly at: string };
  readonly status: TaskStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly owner?: string;
  readonly assignedAt?: string;
  readonly assignedBy?: string;
  /** When it was done or set aside, by whom, and the note (what was done) or the reason (why not applicable). */
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly note?: string;
  /** When its overdue escalation went out (once per task). */
  readonly escalatedAt?: string;
  /** The action that does it (templates): it is recorded as done by that action when it happens. */
  readonly completedBy?: TaskCompletion;
}

/** What a task's due time depends on. */
export interface TaskClockBasis {
  readonly detectedAt: string;
  readonly awareAt?: string;
}

/** The task's due time now (an awareness-based task counts from detection until awareness is confirmed). */
export function taskDueAt(task: Pick<IncidentTask, 'due'>, basis: TaskClockBasis): string | undefined {
  if (!task.due) return undefined;
  if ('at' in task.due) return task.due.at;
  const from = task.due.from === 'awareAt' ? (basis.awareAt ?? basis.detectedAt) : basis.detectedAt;
  return new Date(Date.parse(from) + task.due.afterMs).toISOString();
}

export function isOverdue(task: IncidentTask, basis: TaskClockBasis, now: Date): boolean {
  const due = taskDueAt(task, basis);
  return task.status === 'open' && due !== undefined && Date.parse(due) <= now.getTime();
}

/** The kind of incident an alert points to: the first kind one of whose keywords its category, title or alert name contains. */
export function inferKind(alert: { readonly title: string; readonly category?: string; readonly labels?: Readonly<Record<string, string>> }, templates: TaskTemplates): string | undefined {
  const text = `${alert.category ?? ''} ${alert.title} ${alert.labels?.alertname ?? ''}`.toLowerCase();
  return Object.entries(templates.kinds).find(([, kind]) => kind.keywords.some((keyword) => text.includes(keyword)))?.[0];
}

function fromTemplate(origin: string, prefix: string, template: TaskTemplate, at: string): IncidentTask {
  return {
    id: `${prefix}.${template.id}`,
    title: template.title,
    phase: template.phase,
    role: template.role,
    blocksClose: template.blocksClose,
    origin,
    ...(template.due ? { due: template.due } : {}),
    ...(template.completedBy ? { completedBy: template.completedBy } : {}),
    status: 'open',
    createdAt: at,
    createdBy: 'breachclock',
  };
}

export interface TemplateSync {
  readonly tasks: readonly IncidentTask[];
  readonly added: readonly IncidentTask[];
  /** Open tasks of a kind the incident no longer is: set aside (not applicable) with that reason. */
  readonly retired: readonly IncidentTask[];
}

/**
 * The tasks the templates give the incident now: the common ones, its kind's, and those of every regime that
 * applies. Only adds what is missing (a task once created is never re-created, whatever became of it); when
 * the kind changed, the old kind's open tasks are set aside with the reason.
 */
export function syncTemplateTasks(
  current: readonly IncidentTask[],
  templates: TaskTemplates,
  kind: string | undefined,
  regimes: readonly string[],
  now: Date,
): TemplateSync {
  const at = now.toISOString();
  const have = new Set(current.map((task) => task.id));
  const wanted: IncidentTask[] = [
    ...templates.common.map((t) => fromTemplate('common', 'common', t, at)),
    ...(kind && templates.kinds[kind] ? templates.kinds[kind].tasks.map((t) => fromTemplate(`kind:${kind}`, kind, t, at)) : []),
    ...regimes.flatMap((regime) => (templates.regimes[regime] ?? []).map((t) => fromTemplate(`regime:${regime}`, regime, t, at))),
  ];
  const added = wanted.filter((task) => !have.has(task.id));
  const label = kind ? (templates.kinds[kind]?.label ?? kind) : 'another kind';
  const retired: IncidentTask[] = [];
  const kept = current.map((task) => {
    if (task.status !== 'open' || !task.origin.startsWith('kind:') || task.origin === `kind:${kind}`) return task;
    const done: IncidentTask = { ...task, status: 'not-applicable', closedAt: at, closedBy: 'breachclock', note: `The incident is now a ${label}` };
    retired.push(done);
    return done;
  });
  return { tasks: [...kept, ...added], added, retired };
}

/** A change to one task, decided on the incident's tasks as read. */
export type TaskChange =
  | { readonly type: 'add-task'; readonly title: string; readonly phase: TaskPhase; readonly role: Role; readonly dueAt?: string; readonly blocksClose?: boolean }
  /** Take it (no owner: the actor) or hand it to someone. */
  | { readonly type: 'assign-task'; readonly taskId: string; readonly owner?: string }
  | { readonly type: 'complete-task'; readonly taskId: string; readonly note: string }
  | { readonly type: 'set-aside-task'; readonly taskId: string; readonly reason: string }
  | { readonly type: 'reopen-task'; readonly taskId: string; readonly reason: string };

export interface TaskChangeResult {
  readonly tasks: readonly IncidentTask[];
  readonly task: IncidentTask;
  readonly summary: string;
}

/** Refused: the task is not in a state that allows the change (answered 409, like an illegal transition). */
export class TaskConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskConflictError';
  }
}

const MIN_NOTE = 3;

function text(value: string, path: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed.length < MIN_NOTE) throw new DomainValidationError(path, `${what} is required (at least ${MIN_NOTE} characters) and is kept in the audit trail`);
  return trimmed;
}

/** The task with this id (DomainValidationError naming the incident's tasks when there is none). */
export function findTask(tasks: readonly IncidentTask[], taskId: string): IncidentTask {
  const task = tasks.find((t) => t.id === taskId);
  if (!task) throw new DomainValidationError('taskId', `No task ${taskId} on this incident; its tasks: ${tasks.map((t) => t.id).join(', ') || 'none'}`);
  return task;
}

/** Refuses completing or setting aside a task that is no longer open, saying by whom and when. */
export function assertStillOpen(task: IncidentTask): void {
  if (task.status !== 'open') throw new TaskConflictError(`Task "${task.title}" is already ${task.status === 'done' ? 'done' : 'set aside'} by ${task.closedBy} at ${task.closedAt}`);
}

/** Applies one task change. Pure; throws DomainValidationError (bad input) or TaskConflictError (state). */
export function changeTask(tasks: readonly IncidentTask[], change: TaskChange, actor: string, now: Date): TaskChangeResult {
  const at = now.toISOString();
  if (change.type === 'add-task') {
    const title = text(change.title, 'title', 'A title');
    if (change.dueAt !== undefined && !Number.isFinite(Date.parse(change.dueAt))) throw new DomainValidationError('dueAt', `"${change.dueAt}" is not an ISO-8601 timestamp`);
    const manual = tasks.filter((task) => task.origin === 'manual').length;
    if (tasks.length >= 100) throw new DomainValidationError('title', 'An incident holds at most 100 tasks; set aside or complete some first');
    const task: IncidentTask = {
      id: `manual.${manual + 1}`,
      title,
      phase: change.phase,
      role: change.role,
      blocksClose: change.blocksClose ?? false,
      origin: 'manual',
      ...(change.dueAt ? { due: { at: new Date(change.dueAt).toISOString() } } : {}),
      status: 'open',
      createdAt: at,
      createdBy: actor,
    };
    return { tasks: [...tasks, task], task, summary: `${actor} added task "${title}" (${change.phase}, ${change.role}${change.dueAt ? `, due ${task.due && 'at' in task.due ? task.due.at : ''}` : ''})` };
  }
  const task = findTask(tasks, change.taskId);
  const replace = (next: IncidentTask): readonly IncidentTask[] => tasks.map((t) => (t === task ? next : t));
  switch (change.type) {
    case 'assign-task': {
      if (task.status !== 'open') throw new TaskConflictError(`Task "${task.title}" is ${task.status === 'done' ? 'done' : 'set aside'} (by ${task.closedBy} at ${task.closedAt}); reopen it first`);
      const owner = change.owner?.trim() || actor;
      // An identity as breachclock records them ("name [cognito:sub]", "rita [slack:U…]", a local name).
      if (!/^[\w.@+:\-[\] ]{1,200}$/.test(owner)) throw new DomainValidationError('owner', 'An owner is an identity: 1-200 letters, digits, spaces and . @ + : - _ [ ]');
      if (samePerson(task.owner, owner)) throw new TaskConflictError(`Task "${task.title}" is already ${samePerson(owner, actor) ? 'yours' : `owned by ${task.owner}`}`);
      // Taking (no owner named) never takes a task from someone else: of two clicks, the second is told who has it.
      if (!change.owner && task.owner) throw new TaskConflictError(`Task "${task.title}" was already taken by ${task.owner} at ${task.assignedAt}; ask them to hand it over`);
      const next: IncidentTask = { ...task, owner, assignedAt: at, assignedBy: actor };
      return { tasks: replace(next), task: next, summary: change.owner ? `${actor} assigned task "${task.title}" to ${owner}${task.owner ? ` (was ${task.owner})` : ''}` : `${actor} took task "${task.title}"` };
    }
    case 'complete-task': {
      assertStillOpen(task);
      const note = text(change.note, 'note', 'A note on what was done');
      const next: IncidentTask = { ...task, status: 'done', closedAt: at, closedBy: actor, note, ...(task.owner ? {} : { owner: actor, assignedAt: at, assignedBy: actor }) };
      return { tasks: replace(next), task: next, summary: `${actor} completed task "${task.title}": ${note}` };
    }
    case 'set-aside-task': {
      assertStillOpen(task);
      const reason = text(change.reason, 'reason', 'A reason why the task does not apply');
      const next: IncidentTask = { ...task, status: 'not-applicable', closedAt: at, closedBy: actor, note: reason };
      return { tasks: replace(next), task: next, summary: `${actor} set task "${task.title}" aside as not applicable: ${reason}` };
    }
    case 'reopen-task': {
      if (task.status === 'open') throw new TaskConflictError(`Task "${task.title}" is open`);
      const reason = text(change.reason, 'reason', 'A reason for reopening');
      const { closedAt: _a, closedBy: _b, note: _n, escalatedAt: _e, ...rest } = task;
      const next: IncidentTask = { ...rest, status: 'open' };
      return { tasks: replace(next), task: next, summary: `${actor} reopened task "${task.title}": ${reason}` };
    }
  }
}

/** Open tasks that keep the incident from being closed. */
export function openBlockingTasks(tasks: readonly IncidentTask[] | undefined): IncidentTask[] {
  return (tasks ?? []).filter((task) => task.status === 'open' && task.blocksClose);
}

const instant = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The measures taken, from completed containment, eradication, recovery and verification tasks, with their
 * times (Art. 33(3)(d), Art. 33(5)); for a follow-up, those since the initial notice first. Undefined: none yet.
 */
export function measuresTaken(tasks: readonly IncidentTask[] | undefined, options: { readonly since?: string; readonly sinceLabel?: string; readonly earlierLabel?: string } = {}): string | undefined {
  const done = (tasks ?? []).filter((task) => task.status === 'done' && MEASURE_PHASES.includes(task.phase)).sort((a, b) => a.closedAt!.localeCompare(b.closedAt!));
  if (!done.length) return undefined;
  const line = (task: IncidentTask) => `${instant(task.closedAt!)}: ${task.title}${task.note ? ` (${task.note})` : ''}`;
  if (!options.since) return done.map(line).join('; ');
  const since = options.since;
  const recent = done.filter((task) => task.closedAt! > since);
  const earlier = done.filter((task) => task.closedAt! <= since);
  return [
    ...(recent.length ? [`${options.sinceLabel ?? 'Since the initial notification'}: ${recent.map(line).join('; ')}`] : []),
    ...(earlier.length ? [`${options.earlierLabel ?? 'Earlier'}: ${earlier.map(line).join('; ')}`] : []),
  ].join('. ');
}

/** Who wrote the text of the measure tasks that measuresTaken ('taken') or measuresProposed ('proposed') render: titles and notes. */
export function measureTaskAuthors(tasks: readonly IncidentTask[] | undefined, which: 'taken' | 'proposed'): string[] {
  const rendered = (tasks ?? []).filter((task) => task.status === (which === 'taken' ? 'done' : 'open') && MEASURE_PHASES.includes(task.phase));
  return rendered.flatMap((task) => [task.createdBy, ...(which === 'taken' && task.note && task.closedBy ? [task.closedBy] : [])]);
}

/** The measures proposed: open containment, eradication, recovery and verification tasks, with their due times. */
export function measuresProposed(tasks: readonly IncidentTask[] | undefined, basis: TaskClockBasis): string | undefined {
  const open = (tasks ?? []).filter((task) => task.status === 'open' && MEASURE_PHASES.includes(task.phase));
  if (!open.length) return undefined;
  // Soonest due first; untimed last.
  return open
    .map((task) => ({ task, due: taskDueAt(task, basis) }))
    .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'))
    .map(({ task, due }) => `${task.title}${due ? ` (by ${instant(due)})` : ''}`)
    .join('; ');
}

const COMPLETING_EVENTS: Readonly<Record<string, TaskCompletion>> = {
  'incident.decision-confirmed': 'decision-confirmed',
  'incident.submission-recorded': 'submission-recorded',
};

/**
 * A task that describes an action is done when that action happens (issue 25.2): "decide whether to notify"
 * by the regime's confirmed decision, a report task by its recorded submission. Recorded as done by the
 * person who acted, with the action as its note. Pure: the caller adds the result to the action's event.
 */
export function completeTasksByEvent(
  tasks: readonly IncidentTask[],
  event: { readonly type: string; readonly actor: string; readonly at: string; readonly summary: string; readonly data?: Readonly<Record<string, unknown>> },
  templates?: TaskTemplates,
): { tasks: readonly IncidentTask[]; completed: readonly IncidentTask[] } {
  const completion = COMPLETING_EVENTS[event.type];
  const regime = typeof event.data?.regime === 'string' ? event.data.regime : undefined;
  if (!completion || !regime) return { tasks, completed: [] };
  const completed: IncidentTask[] = [];
  const next = tasks.map((task) => {
    // Tasks made before templates said so: their template says it.
    const by = task.completedBy ?? templates?.regimes[regime]?.find((t) => `${regime}.${t.id}` === task.id)?.completedBy;
    if (task.status !== 'open' || by !== completion || task.origin !== `regime:${regime}`) return task;
    const done: IncidentTask = { ...task, status: 'done', closedAt: event.at, closedBy: event.actor, note: `Done by the action: ${event.summary}` };
    completed.push(done);
    return done;
  });
  return { tasks: completed.length ? next : tasks, completed };
}
