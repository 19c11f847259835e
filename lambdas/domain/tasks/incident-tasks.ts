import type { Incident, TimelineEvent } from '../incident-record.js';
import { regimeClocks } from '../regimes/engine.js';
import { RULE_PACKS } from '../regimes/packs/index.js';
import { withTemplateTasksFor } from './template-sync.js';
import type { TaskTemplates } from './templates.js';

/** The regimes whose clocks apply to the incident now (not dismissed, not decided "not required"). */
export function applicableRegimes(incident: Incident, now: Date): string[] {
  try {
    const clocks = regimeClocks(RULE_PACKS, incident, incident.facts, now);
    return [...new Set(clocks.filter((c) => c.status !== 'not-required' && !incident.regimeDismissals?.[c.regime]).map((c) => c.regime))];
  } catch {
    // A date outside the holiday tables: the decision itself says so; tasks wait for the next change.
    return [];
  }
}

/** After a decision: the template tasks for the incident's kind and the regimes that apply now (template-sync.ts). */
export function withTemplateTasks(incident: Incident, event: TimelineEvent, templates: TaskTemplates | undefined, now: Date): { incident: Incident; event: TimelineEvent } {
  if (!templates || incident.status === 'closed') return { incident, event };
  return withTemplateTasksFor(incident, event, templates, applicableRegimes(incident, now), now);
}
