import type { TaskListItem, TaskPageAnswer } from '../../../contracts/api-answers.js';
import { api } from '../api.js';
import { usePolled } from '../desk.js';
import { html } from '../html.js';
import { time } from '../time.js';
import { pagerButtons, usePager } from './pager.js';

function taskRow(task: TaskListItem) {
  return html`<tr key=${`${task.incidentId}/${task.id}`} class=${`task${task.overdue ? ' overdue' : ''}`} data-task=${task.id}>
    <td><a href=${`#/incident/${encodeURIComponent(task.incidentId)}`}>${task.incidentId}</a><br /><span>${task.incidentTitle}</span></td>
    <td>${task.title}</td>
    <td>${task.role}</td>
    <td>${task.dueAt ? time(task.dueAt) : '-'}${task.overdue ? html`<strong> OVERDUE</strong>` : ''}</td>
  </tr>`;
}

/** "My tasks": open tasks I own on open incidents, paged like the list (incident by incident, most urgent first). */
export function MyTasks() {
  const pager = usePager();
  const { state } = pager;
  const { data } = usePolled(async () => ({ shown: state, ...(await api<TaskPageAnswer>('GET', `/api/tasks?owner=me${state.current ? `&next=${encodeURIComponent(state.current)}` : ''}`)) }), pager.key);
  if (!data) return null;
  return html`<section id="my-tasks" aria-labelledby="my-tasks-title">
    <h2 id="my-tasks-title">My tasks, soonest due first</h2>
    <p class="hint">Open tasks you own on open incidents; complete them on the incident's page. Pages follow the incidents' most urgent deadlines.</p>
    <table>
      <caption class="visually-hidden">Your open response tasks</caption>
      <thead>
        <tr><th scope="col">Incident</th><th scope="col">Task</th><th scope="col">Role</th><th scope="col">Due</th></tr>
      </thead>
      <tbody id="task-rows">
        ${data.tasks.map(taskRow)}
      </tbody>
    </table>
    ${data.tasks.length ? null : html`<p id="no-tasks">No open tasks are yours.</p>`}
    ${pagerButtons(pager, data.shown, data.next, { previous: 'previous-tasks', next: 'next-tasks' })}
  </section>`;
}
