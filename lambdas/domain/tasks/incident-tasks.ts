import type { Incident, TimelineEvent } from '../incident.js';
import { regimeClocks } from '../regimes/engine.js';
import { RULE_PACKS } from '../regimes/packs/index.js';
import { syncTemplateTasks } from './tasks.js';
import type { TaskTemplates } from './templates.js';

/** The regimes whose clocks apply to the incident now (not dismissed, not decided "not required"). */
function applicableRegimes(incident: Incident, now: Date): string[] {
  try {
    const clocks = regimeClocks(RULE_PACKS, incident, incident.facts, now);
    return [...new Set(clocks.filter((c) => c.status !== 'not-required' && !incident.regimeDismissals?.[c.regime]).map((c) => c.regime))];
  } catch {
    // A date outside the holiday tables: the decision itself says so; tasks wait for the next change.
    return [];
  }
}

/**
 * After a decision (or the opening): give the incident the template tasks it lacks for its kind and its
 * regimes, set aside the open tasks of a kind it no longer is, and say so in the same timeline event.
 */
export function withTemplateTasks(incident: Incident, event: TimelineEvent, templates: TaskTemplates | undefined, now: Date): { incident: Incident; event: TimelineEvent } {
  if (!templates || incident.status === 'closed') return { incident, event };
  const sync = syncTemplateTasks(incident.tasks ?? [], templates, incident.kind, applicableRegimes(incident, now), now);
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
