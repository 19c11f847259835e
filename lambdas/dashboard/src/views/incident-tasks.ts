import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { IncidentDetailAnswer } from '../../../contracts/api-answers.js';
import type { IncidentActionBody } from '../../../contracts/incident-api.js';
import { useDesk, useField } from '../desk.js';
import { html } from '../html.js';
import { time } from '../time.js';

type Act = (action: IncidentActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;
type Task = IncidentDetailAnswer['incident']['tasks'][number];

/**
 * One task: what, who, when; Take, and a note to complete it or set it aside (the note is kept in the trail): each
 * control only for a role that may use it, and none once the incident is closed (its tasks are final).
 */
function TaskItem({ task, editable, act }: { readonly task: Task; readonly editable: boolean; readonly act: Act }) {
  const desk = useDesk();
  const note = useField();
  const state = task.status === 'open' ? (task.owner ? `owner ${task.owner}` : 'nobody has taken it') : `${task.status === 'done' ? 'done' : 'not applicable'} by ${task.closedBy}: ${task.note}`;
  const noteId = `note-${task.id}`;
  const complete = (event: Event) => {
    event.preventDefault();
    void act({ action: 'complete-task', taskId: task.id, note: note.value });
  };
  return html`<li class=${`task ${task.status}${task.overdue ? ' overdue' : ''}`} data-task=${task.id}>
    <span>${`${task.title} (${task.phase}, ${task.role}${task.blocksClose ? ', blocks closing' : ''}) · ${state}`}</span>
    ${task.dueAt ? html`<span>${task.status === 'open' ? ' · due ' : ' · was due '}</span>` : ''}
    ${task.dueAt ? time(task.dueAt) : ''}
    ${task.overdue ? html`<strong> OVERDUE</strong>` : ''}
    ${task.status === 'open' && editable && (desk.can('complete-task') || desk.can('set-aside-task') || desk.can('assign-task'))
      ? html`<form class="task-form" onSubmit=${complete}>
          ${!task.owner && desk.can('assign-task') ? html`<button type="button" onClick=${() => act({ action: 'assign-task', taskId: task.id })}>Take</button>` : null}
          ${desk.can('complete-task') || desk.can('set-aside-task')
            ? html`<label for=${noteId} class="visually-hidden">${`Note for ${task.title}`}</label>
                <input id=${noteId} minlength="3" maxlength="4000" placeholder="What was done, or why it does not apply" value=${note.value} onInput=${note.onInput} />`
            : null}
          ${desk.can('complete-task') ? html`<button type="submit">Done</button>` : null}
          ${desk.can('set-aside-task') ? html`<button type="button" onClick=${() => act({ action: 'set-aside-task', taskId: task.id, reason: note.value })}>Not applicable</button>` : null}
        </form>`
      : null}
  </li>`;
}

function KindForm({ detail, act }: { readonly detail: IncidentDetailAnswer; readonly act: Act }) {
  const current = detail.incident.kind ?? undefined;
  const [kind, setKind] = useState<string | undefined>(undefined);
  const chosen = kind ?? current ?? detail.taskKinds[0]?.kind ?? '';
  const submit = (event: Event) => {
    event.preventDefault();
    void act({ action: 'set-kind', kind: chosen });
  };
  return html`<form id="kind-form" class="action-form" onSubmit=${submit}>
    <label for="kind-select">Kind of incident (its template tasks are added)</label>
    <select id="kind-select" value=${chosen} onChange=${(e: Event) => setKind((e.currentTarget as HTMLSelectElement).value)}>
      ${detail.taskKinds.map((k) => html`<option key=${k.kind} value=${k.kind}>${`${k.label}${k.kind === current ? ' (current)' : ''}`}</option>`)}
    </select>
    <button type="submit">Set kind</button>
  </form>`;
}

const PHASES = ['contain', 'preserve', 'eradicate', 'restore', 'verify', 'triage', 'notify'] as const;
const ROLES = ['responder', 'dpo', 'legal', 'executive'] as const;

function AddTaskForm({ act }: { readonly act: Act }) {
  const title = useField();
  const phase = useField(PHASES[0]);
  const role = useField(ROLES[0]);
  const [blocks, setBlocks] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    void act({ action: 'add-task', title: title.value, phase: phase.value as (typeof PHASES)[number], role: role.value as (typeof ROLES)[number], blocksClose: blocks });
  };
  return html`<form id="add-task-form" class="action-form" onSubmit=${submit}>
    <fieldset>
      <legend>Add a task</legend>
      <label for="add-task-title">Task</label>
      <input id="add-task-title" required minlength="3" maxlength="200" value=${title.value} onInput=${title.onInput} />
      <label for="add-task-phase">Phase</label>
      <select id="add-task-phase" value=${phase.value} onChange=${phase.onInput}>${PHASES.map((p) => html`<option key=${p}>${p}</option>`)}</select>
      <label for="add-task-role">Role</label>
      <select id="add-task-role" value=${role.value} onChange=${role.onInput}>${ROLES.map((r) => html`<option key=${r}>${r}</option>`)}</select>
      <label><input id="add-task-blocks" type="checkbox" checked=${blocks} onChange=${(e: Event) => setBlocks((e.currentTarget as HTMLInputElement).checked)} /> Blocks closing</label>
      <button type="submit">Add task</button>
    </fieldset>
  </form>`;
}

/** The incident's response tasks: open first (overdue, then soonest due), then the rest; its kind; a task by hand. */
export function IncidentTasks({ detail, act }: { readonly detail: IncidentDetailAnswer; readonly act: Act }) {
  const desk = useDesk();
  const { incident } = detail;
  const tasks = incident.tasks;
  const open = tasks.filter((t) => t.status === 'open');
  const order = (t: Task) => `${t.status === 'open' ? 0 : 1}${t.overdue ? 0 : 1}${t.dueAt ?? '9999'}`;
  const editable = incident.status !== 'closed';
  return html`
    <h3>Tasks</h3>
    <p id="task-summary" class="hint">${`${open.length} open (${open.filter((t) => t.overdue).length} overdue, ${open.filter((t) => t.blocksClose).length} blocking closing), ${tasks.length - open.length} done or not applicable${incident.kind ? ` · kind: ${incident.kind}` : ''}`}</p>
    <ul id="tasks">
      ${[...tasks].sort((a, b) => order(a).localeCompare(order(b))).map((task) => h(TaskItem, { key: task.id, task, editable, act }))}
    </ul>
    ${editable && desk.can('set-kind') && detail.taskKinds.length ? h(KindForm, { detail, act }) : null}
    ${editable && desk.can('add-task') ? h(AddTaskForm, { act }) : null}
  `;
}
