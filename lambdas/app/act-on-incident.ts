import { replanTimers, type EscalationLadder } from '../domain/escalation-ladder.js';
import { decide, type Incident, type IncidentAction } from '../domain/incident.js';
import { isRegimeTimer, replanRegimeTimers } from '../domain/regime-escalation.js';
import { withTemplateTasksFor } from '../domain/tasks/template-sync.js';
import { completeTasksByEvent } from '../domain/tasks/tasks.js';
import { clockSummary } from '../domain/urgency.js';
import { RULE_PACKS } from '../domain/regimes/packs/index.js';
import { pinClocks } from '../domain/regimes/pinned.js';
import type { RulePack } from '../domain/regimes/rule-pack.js';
import { isTaskTimer, replanTaskTimers } from '../domain/tasks/task-escalation.js';
import type { TaskTemplates } from '../domain/tasks/templates.js';
import { stateChangeMessage, type MessageContext } from '../domain/messages.js';
import type { Clock } from '../ports/clock.js';
import type { DecisionStore, DecisionWrite, IncidentReader, TimerStore } from '../ports/incident-store.js';

/** What deciding on an incident reads and writes. */
export type ActStore = Pick<IncidentReader, 'getIncident'> & DecisionStore & Pick<TimerStore, 'listTimers'>;
import { IncidentNotFoundError } from './errors.js';
import { retryOnConflict } from './retry.js';

export interface ActDeps {
  readonly store: ActStore;
  readonly clock: Clock;
  readonly ladder: EscalationLadder;
  readonly messageContext?: MessageContext;
  /** Task templates: tasks per kind and regime are added as decisions make them apply (TASK_TEMPLATES). */
  readonly tasks?: TaskTemplates;
  /** The rule packs (default: RULE_PACKS; tests give a new version of one). */
  readonly packs?: readonly RulePack[];
}

/**
 * Applies a responder's or officer's action. Read, decide on the fresh state, write with the version read;
 * if someone else changed the incident meanwhile, decide again on their result: a second "acknowledge"
 * then fails with "already acknowledged by …" instead of overwriting the first.
 */
export async function actOnIncident(deps: ActDeps, incidentId: string, action: IncidentAction, actor: string): Promise<Incident> {
  return retryOnConflict(async () => {
    const incident = await deps.store.getIncident(incidentId);
    if (!incident) throw new IncidentNotFoundError(incidentId);
    const write = await decisionWrite(deps, incident, action, actor, deps.clock.now());
    await deps.store.applyDecision(write);
    return write.incident;
  });
}

/**
 * Decides an action on the incident as read and composes its write: state, timeline event, the re-planned
 * timers, the outbox message. Used alone (actOnIncident) or inside another aggregate's transaction (notices).
 */
export async function decisionWrite(deps: Pick<ActDeps, 'ladder' | 'messageContext' | 'tasks' | 'packs'> & { readonly store: Pick<TimerStore, 'listTimers'> }, incident: Incident, action: IncidentAction, actor: string, now: Date): Promise<DecisionWrite> {
  const packs = deps.packs ?? RULE_PACKS;
  const chosen = decide(incident, action, actor, now, { ...(deps.tasks ? { templates: deps.tasks } : {}), packs });
  // The pack versions the clocks are counted under, recorded with every decision (frozen at closing).
  const clockPins = pinClocks(packs, incident, chosen.incident, now);
  const decided = { ...chosen, incident: { ...chosen.incident, ...(clockPins ? { clockPins } : {}) } };
  // The clocks counted once: the regimes whose tasks apply, and the most urgent deadline (the list order:
  // facts, awareness, decisions and submissions move it). Tasks do not move clocks.
  const clocks = clockSummary(decided.incident, now, packs);
  // A task the action did (the regime's decision, its submission) is done by it, said in the same event.
  const done = completeTasksByEvent(decided.incident.tasks ?? [], decided.event, deps.tasks);
  const acted = done.completed.length
    ? {
        incident: { ...decided.incident, tasks: done.tasks },
        event: { ...decided.event, summary: `${decided.event.summary}; done by this: ${done.completed.map((t) => `"${t.title}"`).join(', ')}`, data: { ...decided.event.data, tasksDone: done.completed.map((t) => t.id) } },
      }
    : decided;
  const synced = withTemplateTasksFor(acted.incident, acted.event, deps.tasks, clocks.applicableRegimes, now);
  const decision = { ...decided, ...synced, incident: { ...synced.incident, nextDeadlineAt: clocks.nextDeadlineAt } };
  // Pending timers whose condition can no longer hold are cancelled (all of them once dismissed or
  // closed); a moved clock trigger also moves or re-arms the others.
  const existing = await deps.store.listTimers(incident.id);
  const plan = replanTimers(decision.incident, deps.ladder, existing.filter((timer) => !isRegimeTimer(timer.timerId) && !isTaskTimer(timer.timerId)), now);
  // The other regimes' clocks move with facts, risk and decisions: their timers follow; so do the tasks'.
  const regime = replanRegimeTimers(decision.incident, existing, now, packs);
  const tasks = replanTaskTimers(decision.incident, existing, now);
  return {
    expectedVersion: incident.version,
    incident: decision.incident,
    event: decision.event,
    upsertTimers: [...(decision.replan ? plan.upsert : []), ...regime.upsert, ...tasks.upsert],
    cancelTimers: [...plan.cancel, ...regime.cancel, ...tasks.cancel],
    releaseFingerprint: decision.releaseFingerprint,
    outbox: [stateChangeMessage(decision.incident, decision.event, now, deps.messageContext)],
  };
}
