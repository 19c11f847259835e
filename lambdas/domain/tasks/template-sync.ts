import type { Incident, TimelineEvent } from '../incident-record.js';
import { syncTemplateTasks } from './tasks.js';
import type { TaskTemplates } from './templates.js';

/**
 * Gives the incident the template tasks it lacks for its kind and the given regimes, sets aside the open
 * tasks of a kind it no longer is, and says so in the same timeline event. No regimes engine here: the
 * caller says which regimes apply (a decision: clockSummary in urgency.ts; an opening incident: OPENING_REGIMES).
 */
export function withTemplateTasksFor(incident: Incident, event: TimelineEvent, templates: TaskTemplates | undefined, regimes: readonly string[], now: Date): { incident: Incident; event: TimelineEvent } {
  if (!templates || incident.status === 'closed') return { incident, event };
  const sync = syncTemplateTasks(incident.tasks ?? [], templates, incident.kind, regimes, now);
  if (!sync.added.length && !sync.retired.length) return { incident, event };
  const parts = [
    ...(sync.added.length ? [`${sync.added.length} task${sync.added.length === 1 ? '' : 's'} added from the templates`] : []),
    ...(sync.retired.length ? [`${sync.retired.length} task${sync.retired.length === 1 ? '' : 's'} of the former kind set aside`] : []),
  ];
  return {
    incident: { ...incident, tasks: sync.tasks },
    event: {
      ...event,
      summary: `${event.summary}; ${parts.join(', ')}`,
      data: { ...event.data, ...(sync.added.length ? { tasksAdded: sync.added.map((t) => t.id) } : {}), ...(sync.retired.length ? { tasksSetAside: sync.retired.map((t) => t.id) } : {}) },
    },
  };
}
