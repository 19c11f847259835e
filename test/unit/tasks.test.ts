import fc from 'fast-check';
import { decide, type Incident } from '../../lambdas/domain/incident.js';
import { ConfigurationError, DomainValidationError, IllegalTransitionError } from '../../lambdas/domain/errors.js';
import { withTemplateTasksFor } from '../../lambdas/domain/tasks/template-sync.js';
import { clockSummary } from '../../lambdas/domain/urgency.js';
import type { TimelineEvent } from '../../lambdas/domain/incident.js';
import { evaluateTaskTimer, planTaskTimers, replanTaskTimers, taskTimerId } from '../../lambdas/domain/tasks/task-escalation.js';
import { decisionWrite } from '../../lambdas/app/act-on-incident.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { changeTask, completeTasksByEvent, inferKind, measuresProposed, measuresTaken, syncTemplateTasks, taskDueAt, TaskConflictError } from '../../lambdas/domain/tasks/tasks.js';
import { DEFAULT_TASK_TEMPLATES_CONFIG, defaultTaskTemplates, parseTaskTemplates } from '../../lambdas/domain/tasks/templates.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import { anIncident, hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';

const templates = defaultTaskTemplates();

/** What a decision (or the opening) does with the templates: the tasks of the regimes that apply now. */
const withTemplateTasks = (incident: Incident, event: TimelineEvent, tmpl: typeof templates, now: Date) =>
  withTemplateTasksFor(incident, event, tmpl, clockSummary(incident, now).applicableRegimes, now);
const REGIMES = RULE_PACKS.map((pack) => pack.id);

/** An incident opened as ingest opens it: kind from the alert, tasks from the templates. */
function opened(kind?: string, now: Date = T0): Incident {
  const incident = anIncident(kind ? { kind } : {}, now);
  return withTemplateTasks(incident, { type: 'incident.opened', at: now.toISOString(), actor: 'source:generic', summary: 'opened' }, templates, now).incident;
}

describe('task templates (validated at start)', () => {
  it('the defaults are valid and every default regime is a regime breachclock knows', () => {
    expect(() => parseTaskTemplates(DEFAULT_TASK_TEMPLATES_CONFIG, REGIMES)).not.toThrow();
    expect(Object.keys(templates.kinds)).toEqual(['credential-compromise', 'data-exfiltration', 'ransomware', 'lost-device', 'misdirected-email']);
  });

  it('names every problem with its path: duplicate ids, bad durations, unknown regimes, unknown roles, no kinds', () => {
    const bad = {
      common: [
        { id: 'a', title: 'First task', phase: 'contain', role: 'responder', due: { after: 'soon' } },
        { id: 'a', title: 'Same id', phase: 'contain', role: 'responder' },
      ],
      kinds: {},
      regimes: { 'gdpr-art99': [{ id: 'x', title: 'Decide', phase: 'notify', role: 'dpo' }] },
    };
    let error: ConfigurationError | undefined;
    try {
      parseTaskTemplates(bad, REGIMES);
    } catch (e) {
      error = e as ConfigurationError;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error!.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^common\.0\.due\.after: .*"soon" is not a duration/),
        'common.1.id: duplicate task id "a"',
        'kinds: at least one incident kind is needed',
        expect.stringMatching(/^regimes\.gdpr-art99: not a regime breachclock knows/),
      ]),
    );
    expect(() => parseTaskTemplates({ kinds: { k: { label: 'Kind', tasks: [{ id: 'a', title: 'Task', phase: 'contain', role: 'ceo' }] } } }, REGIMES)).toThrow(/kinds\.k\.tasks\.0\.role/);
  });
});

describe('tasks on an incident', () => {
  it('an alert points to its kind by keyword (category, title or alert name)', () => {
    expect(inferKind({ title: 'x', category: 'CredentialAccess:IAMUser/AnomalousBehavior' }, templates)).toBe('credential-compromise');
    expect(inferKind({ title: 'Bulk export from customers table (possible Exfiltration)' }, templates)).toBe('data-exfiltration');
    expect(inferKind({ title: 'Login failures', labels: { alertname: 'CredentialStuffing' } }, templates)).toBe('credential-compromise');
    expect(inferKind({ title: 'CPU high' }, templates)).toBeUndefined();
  });

  it('an opened incident gets the common tasks, its kind\'s and those of the regimes that apply (GDPR by default)', () => {
    const incident = opened('credential-compromise');
    const ids = incident.tasks!.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['common.scope', 'common.preserve-logs', 'credential-compromise.revoke-sessions', 'credential-compromise.rotate-credentials', 'gdpr-art33.decide-notify']));
    expect(ids.some((id) => id.startsWith('ransomware.'))).toBe(false);
    expect(incident.tasks!.every((t) => t.status === 'open' && t.createdBy === 'breachclock')).toBe(true);
    // Without a kind: the common and regime tasks only.
    expect(opened().tasks!.some((t) => t.origin.startsWith('kind:'))).toBe(false);
  });

  it('setting the kind adds its tasks and sets the former kind\'s open ones aside, keeping done ones', () => {
    let incident = opened('credential-compromise');
    incident = decide(incident, { type: 'complete-task', taskId: 'credential-compromise.revoke-sessions', note: 'All sessions revoked in Okta' }, 'rita', minutesAfter(T0, 30)).incident;
    const decision = decide(incident, { type: 'set-kind', kind: 'ransomware' }, 'rita', minutesAfter(T0, 40), { templates });
    const synced = withTemplateTasks(decision.incident, decision.event, templates, minutesAfter(T0, 40));
    const byId = new Map(synced.incident.tasks!.map((t) => [t.id, t]));
    expect(byId.get('ransomware.isolate-hosts')!.status).toBe('open');
    expect(byId.get('credential-compromise.revoke-sessions')!.status).toBe('done');
    expect(byId.get('credential-compromise.rotate-credentials')).toMatchObject({ status: 'not-applicable', note: 'The incident is now a Ransomware' });
    expect(synced.event.summary).toMatch(/set the kind: Ransomware \(was credential-compromise\); 4 tasks added from the templates, 3 tasks of the former kind set aside/);
    expect(() => decide(incident, { type: 'set-kind', kind: 'meteor-strike' }, 'rita', T0, { templates })).toThrow(DomainValidationError);
    // Nothing is ever created twice: syncing again adds nothing.
    expect(syncTemplateTasks(synced.incident.tasks!, templates, 'ransomware', ['gdpr-art33'], hoursAfter(T0, 2)).added).toHaveLength(0);
  });

  it('a regime that comes to apply brings its tasks (NIS2 with the facts that make it apply)', () => {
    const incident = opened();
    const decision = decide(incident, { type: 'record-facts', facts: { sectors: { nis2: 'essential' } } as never }, 'dana', minutesAfter(T0, 5));
    const synced = withTemplateTasks(decision.incident, decision.event, templates, minutesAfter(T0, 5));
    expect(synced.incident.tasks!.map((t) => t.id)).toContain('nis2-art23.early-warning');
  });

  it('take, hand over, complete with a note, set aside with a reason, reopen; every refusal says why', () => {
    let tasks = opened('credential-compromise').tasks!;
    const at = minutesAfter(T0, 10);
    tasks = changeTask(tasks, { type: 'assign-task', taskId: 'common.scope' }, 'rita', at).tasks;
    expect(tasks.find((t) => t.id === 'common.scope')).toMatchObject({ owner: 'rita', assignedBy: 'rita' });
    // A second "take" (the other click of a race) is refused and names who has it.
    expect(() => changeTask(tasks, { type: 'assign-task', taskId: 'common.scope' }, 'sam', at)).toThrow(/already taken by rita/);
    expect(() => changeTask(tasks, { type: 'assign-task', taskId: 'common.scope' }, 'rita', at)).toThrow(/already yours/);
    tasks = changeTask(tasks, { type: 'assign-task', taskId: 'common.scope', owner: 'sam' }, 'rita', at).tasks;
    expect(() => changeTask(tasks, { type: 'complete-task', taskId: 'common.scope', note: ' ' }, 'sam', at)).toThrow(DomainValidationError);
    tasks = changeTask(tasks, { type: 'complete-task', taskId: 'common.scope', note: 'Scoped: 40 accounts' }, 'sam', at).tasks;
    expect(() => changeTask(tasks, { type: 'complete-task', taskId: 'common.scope', note: 'again' }, 'rita', at)).toThrow(TaskConflictError);
    expect(() => changeTask(tasks, { type: 'complete-task', taskId: 'nope', note: 'done' }, 'rita', at)).toThrow(/No task nope/);
    tasks = changeTask(tasks, { type: 'set-aside-task', taskId: 'common.lessons', reason: 'Covered by the quarterly review' }, 'dana', at).tasks;
    tasks = changeTask(tasks, { type: 'reopen-task', taskId: 'common.lessons', reason: 'The review was cancelled' }, 'dana', at).tasks;
    expect(tasks.find((t) => t.id === 'common.lessons')).toMatchObject({ status: 'open' });
    expect(tasks.find((t) => t.id === 'common.lessons')).not.toHaveProperty('closedBy');
    const added = changeTask(tasks, { type: 'add-task', title: 'Call the bank', phase: 'contain', role: 'legal', dueAt: hoursAfter(T0, 3).toISOString(), blocksClose: true }, 'dana', at);
    expect(added.task).toMatchObject({ id: 'manual.1', origin: 'manual', due: { at: hoursAfter(T0, 3).toISOString() }, blocksClose: true });
  });

  it('every task change is on the timeline; a closed incident\'s tasks are final', () => {
    const incident = opened('credential-compromise');
    const decision = decide(incident, { type: 'assign-task', taskId: 'common.scope' }, 'rita', minutesAfter(T0, 1));
    expect(decision.event).toMatchObject({ type: 'task.assigned', actor: 'rita', summary: 'rita took task "Establish what happened, which systems and which data are involved"' });
    const closed: Incident = { ...incident, status: 'closed' };
    expect(() => decide(closed, { type: 'complete-task', taskId: 'common.scope', note: 'done it' }, 'rita', T0)).toThrow(/closed; its tasks are final/);
  });

  it('closing: open blocking tasks refuse it unless overridden with a reason, which names them', () => {
    let incident = opened('credential-compromise');
    incident = decide(incident, { type: 'dismiss', reason: 'A penetration test by our own team' }, 'dana', minutesAfter(T0, 20)).incident;
    expect(() => decide(incident, { type: 'close', reason: 'Pen test confirmed with the vendor' }, 'dana', minutesAfter(T0, 30))).toThrow(IllegalTransitionError);
    expect(() => decide(incident, { type: 'close', reason: 'Pen test confirmed with the vendor' }, 'dana', minutesAfter(T0, 30))).toThrow(/open blocking tasks: "Preserve logs/);
    expect(() => decide(incident, { type: 'close', reason: 'Pen test confirmed with the vendor', override: 'no' }, 'dana', minutesAfter(T0, 30))).toThrow(DomainValidationError);
    const closed = decide(incident, { type: 'close', reason: 'Pen test confirmed with the vendor', override: 'A test: nothing to contain or preserve' }, 'dana', minutesAfter(T0, 30));
    expect(closed.incident.status).toBe('closed');
    expect(closed.event.summary).toMatch(/OVERRIDING \d+ open blocking tasks: A test/);
    expect(closed.event.data).toMatchObject({ override: 'A test: nothing to contain or preserve', openTasks: expect.arrayContaining(['common.preserve-logs']) });
    // With no blocking task open, no override is needed.
    const tasks = incident.tasks!.map((t) => (t.blocksClose ? { ...t, status: 'done' as const, closedAt: T0.toISOString(), closedBy: 'x', note: 'ok' } : t));
    expect(decide({ ...incident, tasks }, { type: 'close', reason: 'Pen test confirmed with the vendor' }, 'dana', minutesAfter(T0, 30)).incident.status).toBe('closed');
  });
});

describe('overdue tasks escalate like clock steps', () => {
  it('due times count from detection or awareness (detection until awareness is confirmed)', () => {
    const incident = opened('credential-compromise');
    const decideNotify = incident.tasks!.find((t) => t.id === 'gdpr-art33.decide-notify')!;
    expect(taskDueAt(decideNotify, incident)).toBe(hoursAfter(T0, 24).toISOString());
    expect(taskDueAt(decideNotify, { ...incident, awareAt: hoursAfter(T0, 5).toISOString() })).toBe(hoursAfter(T0, 29).toISOString());
  });

  it('one timer per timed open task; moved with awareness; cancelled when done', () => {
    const incident = opened('credential-compromise');
    const timers = planTaskTimers(incident);
    expect(timers.map((t) => t.timerId)).toContain(taskTimerId('credential-compromise.revoke-sessions'));
    expect(timers.find((t) => t.timerId === taskTimerId('common.verify-closed'))).toBeUndefined(); // untimed
    const existing = timers.map((t) => ({ ...t, status: 'pending' as const }));
    const done = decide(incident, { type: 'complete-task', taskId: 'credential-compromise.revoke-sessions', note: 'All sessions revoked' }, 'rita', minutesAfter(T0, 5)).incident;
    expect(replanTaskTimers(done, existing, minutesAfter(T0, 5)).cancel).toEqual([taskTimerId('credential-compromise.revoke-sessions')]);
    const aware = { ...incident, awareAt: hoursAfter(T0, 2).toISOString() };
    expect(replanTaskTimers(aware, existing, minutesAfter(T0, 5)).upsert.map((t) => t.timerId)).toContain(taskTimerId('gdpr-art33.decide-notify'));
  });

  it('fires once; several overdue at once go out in one message (catch-up), the other timers pass over', () => {
    const incident = opened('credential-compromise');
    const late = hoursAfter(T0, 5); // revoke-sessions (1 h), rotate-credentials (4 h) and scope (4 h) are all overdue
    const revoke = { timerId: taskTimerId('credential-compromise.revoke-sessions'), dueAt: hoursAfter(T0, 1).toISOString() };
    const first = evaluateTaskTimer(incident, revoke, late);
    if ('skip' in first) throw new Error(first.skip);
    expect(first.data.tasks).toEqual(expect.arrayContaining(['credential-compromise.revoke-sessions', 'credential-compromise.rotate-credentials', 'common.scope']));
    expect(first.messages.map((m) => m.channel === 'sns' ? m.topic : m.channel)).toEqual(['slack', 'responders']);
    const rotate = { timerId: taskTimerId('credential-compromise.rotate-credentials'), dueAt: hoursAfter(T0, 4).toISOString() };
    expect(evaluateTaskTimer(first.incident, rotate, late)).toEqual({ skip: expect.stringMatching(/^passed over: already escalated/) });
    expect(evaluateTaskTimer(first.incident, revoke, late)).toEqual({ skip: expect.stringMatching(/^passed over/) });
    // A task done before its timer fires: nothing goes out.
    const done = decide(incident, { type: 'complete-task', taskId: 'credential-compromise.revoke-sessions', note: 'Revoked' }, 'rita', minutesAfter(T0, 30)).incident;
    expect(evaluateTaskTimer(done, revoke, late)).toEqual({ skip: 'the task is done' });
    // Escalated tasks need no timer any more.
    expect(planTaskTimers(first.incident).map((t) => t.timerId)).not.toContain(revoke.timerId);
  });

  it('property: a task\'s due time is its basis plus its offset, whatever the times (UTC, no DST)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 240 }), fc.integer({ min: 1, max: 168 }), (detected, awareAfterH, offsetH) => {
        const detectedAt = detected.toISOString();
        const awareAt = new Date(detected.getTime() + awareAfterH * 3_600_000).toISOString();
        const due = taskDueAt({ due: { from: 'awareAt', after: `${offsetH}h`, afterMs: offsetH * 3_600_000 } }, { detectedAt, awareAt });
        return Date.parse(due!) - Date.parse(awareAt) === offsetH * 3_600_000;
      }),
    );
  });
});

describe('tasks into the paperwork', () => {
  it('completed measures with their times; for a follow-up, what changed since the initial notice first; open ones as proposed', () => {
    let incident = opened('credential-compromise');
    incident = decide(incident, { type: 'complete-task', taskId: 'credential-compromise.revoke-sessions', note: 'Okta sessions revoked' }, 'rita', minutesAfter(T0, 40)).incident;
    incident = decide(incident, { type: 'complete-task', taskId: 'common.scope', note: 'scoped' }, 'rita', minutesAfter(T0, 50)).incident; // triage: not a measure
    incident = decide(incident, { type: 'complete-task', taskId: 'credential-compromise.rotate-credentials', note: '40 passwords reset' }, 'rita', hoursAfter(T0, 30)).incident;
    expect(measuresTaken(incident.tasks)).toBe('2026-03-27 23:10 UTC: Revoke active sessions and tokens of the affected accounts (Okta sessions revoked); 2026-03-29 04:30 UTC: Reset passwords and rotate keys of the affected accounts (40 passwords reset)');
    expect(measuresTaken(incident.tasks, { since: hoursAfter(T0, 24).toISOString() })).toMatch(/^Since the initial notification: 2026-03-29 04:30 UTC: Reset passwords.*\. Earlier: 2026-03-27 23:10 UTC: Revoke/);
    expect(measuresProposed(incident.tasks, incident)).toMatch(/^Enforce MFA on the affected accounts \(by 2026-03-28 22:30 UTC\); Verify the breach is contained/);
    expect(measuresTaken(opened().tasks)).toBeUndefined();
  });
});

describe('an opening incident without the regimes engine (issue 14.6)', () => {
  it('only the GDPR clock applies before any fact is recorded: OPENING_REGIMES and the GDPR due time are what the engine says', async () => {
    const { OPENING_REGIMES } = await import('../../lambdas/domain/incident-record.js');
    const { gdprDueAt } = await import('../../lambdas/domain/gdpr-clock.js');
    const fresh = anIncident();
    expect(clockSummary(fresh, T0).applicableRegimes).toEqual([...OPENING_REGIMES]);
    expect(clockSummary(fresh, T0).nextDeadlineAt).toBe(gdprDueAt(fresh));
  });
});

describe('a task that describes an action is done when the action happens (issue 25.2)', () => {
  const store = { listTimers: async () => [] };
  const step = async (incident: Incident, action: Parameters<typeof decide>[1], actor: string, minutes: number) =>
    decisionWrite({ ladder: DEFAULT_LADDER, tasks: templates, store }, incident, action, actor, minutesAfter(T0, minutes));

  it("the confirmed GDPR decision does \"Assess the risk and decide whether to notify\", recorded as done by whoever confirmed it", async () => {
    let incident = opened('credential-compromise');
    incident = (await step(incident, { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 40 }], dataCategories: ['contact'] } }, 'rita', 1)).incident;
    incident = (await step(incident, { type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Customer contacts exfiltrated' }, 'dana', 2)).incident;
    const proposed = await step(incident, { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk: notify the authority' }, 'dana', 3);
    expect(proposed.incident.tasks!.find((t) => t.id === 'gdpr-art33.decide-notify')!.status).toBe('open'); // proposing is not deciding
    const confirmed = await step(proposed.incident, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena', 4);
    expect(confirmed.incident.tasks!.find((t) => t.id === 'gdpr-art33.decide-notify')).toMatchObject({ status: 'done', closedBy: 'lena', closedAt: minutesAfter(T0, 4).toISOString(), note: expect.stringMatching(/^Done by the action: lena confirmed: notify under gdpr-art33/) });
    expect(confirmed.event).toMatchObject({ type: 'incident.decision-confirmed', data: { tasksDone: ['gdpr-art33.decide-notify'] }, summary: expect.stringMatching(/done by this: "Assess the risk and decide whether to notify/) });
    // Other tasks stay as they were; their timers follow (the done task's timer is cancelled).
    expect(confirmed.incident.tasks!.filter((t) => t.status === 'done').map((t) => t.id)).toEqual(['gdpr-art33.decide-notify']);
  });

  it('tasks made before their template said so are done too; a task of another regime is not', () => {
    const tasks = opened('credential-compromise').tasks!.map(({ completedBy: _c, ...t }) => t);
    const event = { type: 'incident.decision-confirmed', at: T0.toISOString(), actor: 'lena', summary: 'lena confirmed', data: { regime: 'gdpr-art33' } };
    expect(completeTasksByEvent(tasks, event).completed).toEqual([]);
    expect(completeTasksByEvent(tasks, event, templates).completed.map((t) => t.id)).toEqual(['gdpr-art33.decide-notify']);
    expect(completeTasksByEvent(tasks, { ...event, data: { regime: 'nis2-art23' } }, templates).completed).toEqual([]);
  });

  it('only a regime task may name the action that does it', () => {
    expect(() => parseTaskTemplates({ ...DEFAULT_TASK_TEMPLATES_CONFIG, common: [{ id: 'x', title: 'Something', phase: 'notify', role: 'dpo', completedBy: 'decision-confirmed' }] }, REGIMES)).toThrow(ConfigurationError);
  });
});
