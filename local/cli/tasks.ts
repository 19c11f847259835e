import type { Command } from 'commander';
import { incidentPath, safe, type Client } from './client.js';
import { act } from './incidents.js';

function printTask(task: any, incidentId?: string): void {
  const state = task.status === 'open' ? (task.owner ? `owner ${safe(task.owner)}` : 'nobody has taken it') : `${task.status === 'done' ? 'done' : 'not applicable'} by ${safe(task.closedBy)}: ${safe(task.note)}`;
  console.log(`${incidentId ? `${incidentId}  ` : ''}${task.id.padEnd(44)} ${task.status.padEnd(14)} ${task.role.padEnd(9)} ${task.dueAt ? `due ${task.dueAt}${task.overdue ? ' OVERDUE' : ''}` : 'no due time'}${task.blocksClose ? ' (blocks closing)' : ''}\n    ${safe(task.title)} · ${state}`);
}

/** Response tasks: tasks, mytasks, take, done, na, reopen, add-task, and kind (which adds its template tasks). */
export function registerTaskCommands(program: Command, client: Client): void {
  const { call, out } = client;

  program
    .command('tasks <id>')
    .description("an incident's response tasks: open first, with owners and due times")
    .action(async (id: string) => {
      const answer = await call('GET', incidentPath(id));
      out(answer.incident.tasks, () => {
        const tasks = answer.incident.tasks as any[];
        if (!tasks.length) console.log(`no tasks on ${id}`);
        for (const task of [...tasks].sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'))) printTask(task);
      });
    });

  program
    .command('mytasks')
    .description('open tasks you own on open incidents, paged by the incidents\' deadlines, soonest due first within a page (--role for a role\'s tasks instead)')
    .option('--role <role>', "a role's open tasks: responder, dpo, legal or executive")
    .option('--next <cursor>', 'the cursor printed under the previous page')
    .action(async (options: { role?: string; next?: string }) => {
      const answer = await call('GET', `/api/tasks?${new URLSearchParams({ ...(options.role ? { role: options.role } : { owner: 'me' }), ...(options.next ? { next: options.next } : {}) })}`);
      out(answer, () => {
        if (!answer.tasks.length) console.log('no open tasks');
        for (const task of answer.tasks) printTask(task, task.incidentId);
        if (answer.next) console.log(`more: breachclock mytasks${options.role ? ` --role ${options.role}` : ''} --next ${answer.next}`);
      });
    });

  program.command('take <id> <taskId>').description('take a task (or --to someone to hand it over)').option('--to <owner>', 'hand it to this identity').action((id: string, taskId: string, options: { to?: string }) => act(client, id, { action: 'assign-task', taskId, ...(options.to ? { owner: options.to } : {}) }));
  program.command('done <id> <taskId> <note...>').description('complete a task with a note of what was done').action((id: string, taskId: string, note: string[]) => act(client, id, { action: 'complete-task', taskId, note: note.join(' ') }));
  program.command('na <id> <taskId> <reason...>').description('set a task aside as not applicable, with the reason').action((id: string, taskId: string, reason: string[]) => act(client, id, { action: 'set-aside-task', taskId, reason: reason.join(' ') }));
  program.command('reopen <id> <taskId> <reason...>').description('reopen a done or set-aside task').action((id: string, taskId: string, reason: string[]) => act(client, id, { action: 'reopen-task', taskId, reason: reason.join(' ') }));
  program
    .command('add-task <id> <phase> <role> <title...>')
    .description('add a task by hand (phase: triage, contain, preserve, eradicate, restore, verify, notify)')
    .option('--due <instant>', 'when it is due (ISO-8601 with a zone)')
    .option('--blocks-close', 'the incident cannot be closed while it is open')
    .action((id: string, phase: string, role: string, title: string[], options: { due?: string; blocksClose?: boolean }) =>
      act(client, id, { action: 'add-task', title: title.join(' '), phase, role, ...(options.due ? { dueAt: options.due } : {}), ...(options.blocksClose ? { blocksClose: true } : {}) }));
  program.command('kind <id> <kind>').description("set the incident's kind; its template tasks are added (credential-compromise, data-exfiltration, ransomware, lost-device, misdirected-email)").action((id: string, kind: string) => act(client, id, { action: 'set-kind', kind }));
}
