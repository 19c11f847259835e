import { stripControl } from './control-characters.js';
import { escapeSlack } from './slack-text.js';
import { formatDuration } from './duration.js';
import { gdprClock } from './gdpr-clock.js';
import type { Incident } from './incident.js';
import { isOverdue, taskDueAt, type IncidentTask } from './tasks/tasks.js';
import type { MessageContext } from './messages.js';
import { RULE_PACKS } from './regimes/packs/index.js';
import { incidentClocks } from './regimes/pinned.js';

/** Action ids of the live message's buttons (handled by POST /slack/actions). */
export const SLACK_ACTIONS = {
  acknowledge: 'bc.acknowledge',
  confirm: 'bc.confirm',
  dismiss: 'bc.dismiss',
  takeOwnership: 'bc.take-ownership',
  open: 'bc.open',
  takeTask: 'bc.task-take',
  completeTask: 'bc.task-done',
} as const;

export const SLACK_VIEWS = { confirm: 'bc.confirm-view', dismiss: 'bc.dismiss-view', taskDone: 'bc.task-done-view' } as const;

/** How many open tasks the live message shows (with buttons); the rest: /breach tasks. */
export const TASKS_SHOWN = 5;

/** A task button's value: the incident and the task. */
export function taskRef(incidentId: string, taskId: string): string {
  return `${incidentId}|${taskId}`;
}

export function parseTaskRef(value: string): { incidentId: string; taskId: string } | undefined {
  const match = /^([A-Za-z0-9-]{1,64})\|([a-z0-9][a-z0-9.-]{0,130})$/.exec(value);
  return match ? { incidentId: match[1]!, taskId: match[2]! } : undefined;
}

/** Open tasks, overdue first, then by due time (untimed last). */
export function openTasksInOrder(incident: Incident, now: Date): IncidentTask[] {
  const key = (task: IncidentTask) => `${isOverdue(task, incident, now) ? 0 : 1}${taskDueAt(task, incident) ?? '9999'}`;
  return (incident.tasks ?? []).filter((task) => task.status === 'open').sort((a, b) => key(a).localeCompare(key(b)));
}

/** One line per task for people (Slack text: escaped). */
export function taskLine(task: IncidentTask, incident: Incident, now: Date): string {
  const due = taskDueAt(task, incident);
  const when = !due ? '' : isOverdue(task, incident, now) ? ` · *OVERDUE* by ${formatDuration(now.getTime() - Date.parse(due))}` : ` · due <!date^${Math.floor(Date.parse(due) / 1000)}^{date_short_pretty} {time}|${due}>`;
  const note = task.note ? `: ${escapeSlack(task.note.length > 200 ? `${task.note.slice(0, 199)}…` : task.note)}` : '';
  const state = task.status === 'open' ? (task.owner ? `owner ${escapeSlack(task.owner)}` : '_nobody has taken it_') : `${task.status === 'done' ? 'done' : 'set aside'} by ${escapeSlack(task.closedBy ?? '')}${note}`;
  return `${task.status === 'open' ? ':white_large_square:' : ':ballot_box_with_check:'} ${escapeSlack(task.title)} (${task.role}${task.blocksClose ? ', blocks closing' : ''}) · ${state}${when} · \`${task.id}\``;
}

const STATUS_EMOJI: Record<Incident['status'], string> = {
  detected: ':rotating_light:',
  acknowledged: ':eyes:',
  confirmed: ':lock:',
  dismissed: ':white_check_mark:',
  closed: ':card_file_box:',
};


function clockText(incident: Incident, now: Date): string {
  const clock = gdprClock(incident, now);
  const due = `<!date^${Math.floor(Date.parse(clock.dueAt) / 1000)}^{date_short_pretty} {time}|${clock.dueAt}>`;
  switch (clock.status) {
    case 'running':
      return `*GDPR Art. 33:* due ${due} · *${formatDuration(clock.timeLeftMs)} left*${clock.provisional ? ' _(from detection until awareness is confirmed)_' : ''}`;
    case 'overdue':
      return `*GDPR Art. 33:* :warning: *OVERDUE* by ${formatDuration(-clock.timeLeftMs)} (was due ${due}): notify now, with reasons for the delay`;
    case 'met':
      return `*GDPR Art. 33:* notified (due ${due})`;
    case 'stopped':
      return `*GDPR Art. 33:* clock stopped (${incident.status})`;
  }
}

/** Slack shows a header's plain text as is: control and bidi characters removed, tabs and line breaks made spaces, 150 characters. */
function headerText(text: string): string {
  return stripControl(text).replace(/\u061c/g, '').replace(/[\t\n\u2028\u2029]/g, ' ').slice(0, 150);
}

/**
 * The one live Slack message of an incident: state, who acknowledged and owns it, the clock with time left,
 * the last escalation, the alert count, and the buttons that are still meaningful. Incident facts only.
 */
export function renderIncidentMessage(incident: Incident, now: Date, context: MessageContext & { webhookOnly?: boolean } = {}) {
  const title = escapeSlack(incident.title);
  const text = `${incident.severity.toUpperCase()} ${incident.id}: ${title} (${incident.status})`;
  const facts = [
    `*Status:* ${STATUS_EMOJI[incident.status]} ${incident.status}`,
    `*Severity:* ${incident.severity}`,
    `*Acknowledged by:* ${incident.acknowledgedBy ? escapeSlack(incident.acknowledgedBy) : '_nobody yet_'}`,
    `*Owner:* ${incident.owner ? escapeSlack(incident.owner) : '_nobody yet_'}`,
    `*Alerts:* ${incident.alertCount} from ${escapeSlack(incident.source)}`,
    `*Last escalation:* ${incident.lastEscalation ? `level ${incident.lastEscalation.level}: ${escapeSlack(incident.lastEscalation.label)}` : '_none_'}`,
  ];
  const blocks: unknown[] = [
    // A header is plain text, one line: no control or bidi character, no line break (issue 24.5).
    { type: 'header', text: { type: 'plain_text', text: headerText(`${incident.id}: ${incident.title}`) } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
    { type: 'section', fields: facts.map((fact) => ({ type: 'mrkdwn', text: fact })) },
    { type: 'section', text: { type: 'mrkdwn', text: clockText(incident, now) } },
  ];
  const others = incidentClocks(RULE_PACKS, incident, now).filter((clock) => clock.regime !== 'gdpr-art33');
  if (others.length && incident.status !== 'dismissed' && incident.status !== 'closed') {
    const lines = others.slice(0, 6).map((clock) => {
      const target = clock.deadlineKind === 'target' ? 'no legal deadline, our target ' : '';
      const when =
        clock.safeHarbour
          ? 'not required: encryption safe harbour'
          : clock.dueAt === null
            ? `waiting for ${clock.waitingFor?.join(', ')}`
            : clock.status === 'overdue'
              ? `*OVERDUE* by ${formatDuration(-(clock.timeLeftMs ?? 0))}`
              : clock.status === 'target-passed'
                ? `our target passed ${formatDuration(-(clock.timeLeftMs ?? 0))} ago (no legal deadline)`
                : `${target}due <!date^${Math.floor(Date.parse(clock.dueAt) / 1000)}^{date_short_pretty} {time}|${clock.dueAt}> (${formatDuration(clock.timeLeftMs ?? 0)} left)`;
      const change = clock.ruleChange;
      // A pack's version changed since the incident recorded it: both deadlines, until an officer adopts one (the desk).
      const changed = change ? ` · *rule changed*: v${change.recorded.version} due ${change.recorded.dueAt ?? '-'}, now v${change.current.version ?? '-'} due ${change.current.dueAt ?? '-'} (the earlier counts; adopt on the desk)` : '';
      return `• ${escapeSlack(clock.label)} (${escapeSlack(clock.recipient)}): ${when}${escapeSlack(changed)}`;
    });
    if (others.length > 6) lines.push(`… and ${others.length - 6} more in the dashboard`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Other deadlines*\n${lines.join('\n')}` } });
  }
  const tasks = incident.status === 'closed' ? [] : openTasksInOrder(incident, now);
  if (tasks.length && !context.webhookOnly) {
    const done = (incident.tasks ?? []).length - tasks.length;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Tasks:* ${tasks.length} open${done ? `, ${done} done or set aside` : ''}` } });
    for (const task of tasks.slice(0, TASKS_SHOWN)) {
      const ref = taskRef(incident.id, task.id);
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: taskLine(task, incident, now) } });
      blocks.push({
        type: 'actions',
        block_id: `bc.task.${task.id}`.slice(0, 255),
        elements: [
          ...(task.owner ? [] : [{ type: 'button', text: { type: 'plain_text', text: 'Take' }, action_id: SLACK_ACTIONS.takeTask, value: ref }]),
          { type: 'button', text: { type: 'plain_text', text: 'Done…' }, action_id: SLACK_ACTIONS.completeTask, value: ref, style: 'primary' },
        ],
      });
    }
    if (tasks.length > TASKS_SHOWN) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… and ${tasks.length - TASKS_SHOWN} more: \`/breach tasks ${incident.id}\`` }] });
  }
  if (incident.lastSourceStatus) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${escapeSlack(incident.lastSourceStatus.source)} reported the alert ${incident.lastSourceStatus.status} at ${incident.lastSourceStatus.at}; the incident stays open until a person decides.` }],
    });
  }
  if (context.webhookOnly) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Posted through an incoming webhook: this message is not updated and has no buttons. Install the breachclock Slack app for a live message (docs/slack.md).' }],
    });
    return { text, blocks };
  }
  const open = incident.status === 'detected' || incident.status === 'acknowledged' || incident.status === 'confirmed';
  const buttons: unknown[] = [];
  const button = (label: string, actionId: string, style?: 'primary' | 'danger') => ({
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value: incident.id,
    ...(style ? { style } : {}),
  });
  if (incident.status === 'detected') buttons.push(button('Acknowledge', SLACK_ACTIONS.acknowledge, 'primary'));
  if (incident.status === 'detected' || incident.status === 'acknowledged') {
    buttons.push(button('Confirm personal-data breach', SLACK_ACTIONS.confirm, 'danger'), button('Not a breach', SLACK_ACTIONS.dismiss));
  }
  if (open && !incident.owner) buttons.push(button('Take ownership', SLACK_ACTIONS.takeOwnership));
  if (context.incidentUrl) buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Open in dashboard' }, action_id: SLACK_ACTIONS.open, url: context.incidentUrl(incident.id) });
  if (buttons.length) blocks.push({ type: 'actions', block_id: `bc.actions.${incident.id}`, elements: buttons });
  return { text, blocks };
}

function modal(incident: Incident, callbackId: string, title: string, submit: string, intro: string, inputs: readonly unknown[]) {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: incident.id,
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: intro } }, ...inputs],
  };
}

const textInput = (blockId: string, label: string) => ({
  type: 'input',
  block_id: blockId,
  label: { type: 'plain_text', text: label },
  element: { type: 'plain_text_input', action_id: 'value', multiline: true, min_length: 10, max_length: 3000 },
});

/** Modal collecting the awareness time and justification (Confirm personal-data breach). */
export function confirmView(incident: Incident, now: Date) {
  return modal(
    incident,
    SLACK_VIEWS.confirm,
    'Confirm breach',
    'Confirm',
    `*${escapeSlack(incident.title)}* (${incident.id})\nThe GDPR 72-hour clock will run from the time you became aware (with reasonable certainty that personal data was affected).`,
    [
      {
        type: 'input',
        block_id: 'aware_at',
        label: { type: 'plain_text', text: 'Aware since' },
        element: { type: 'datetimepicker', action_id: 'value', initial_date_time: Math.floor(now.getTime() / 1000) },
      },
      textInput('justification', 'Why this time (kept in the audit trail)'),
    ],
  );
}

/** Modal collecting the reason for "Not a breach". */
export function dismissView(incident: Incident) {
  return modal(incident, SLACK_VIEWS.dismiss, 'Not a breach', 'Dismiss', `*${escapeSlack(incident.title)}* (${incident.id})`, [
    textInput('reason', 'Why this is not a personal-data breach (kept in the register)'),
  ]);
}

/** Modal collecting the note of a completed task (what was done, kept in the audit trail and the notices). */
export function taskDoneView(incident: Incident, task: IncidentTask) {
  return {
    ...modal(incident, SLACK_VIEWS.taskDone, 'Task done', 'Done', `*${escapeSlack(task.title)}*\n${incident.id}: ${escapeSlack(incident.title)}`, [
      { ...textInput('note', 'What was done (goes into the notices\' measures taken)'), element: { type: 'plain_text_input', action_id: 'value', multiline: true, min_length: 3, max_length: 3000 } },
    ]),
    private_metadata: taskRef(incident.id, task.id),
  };
}
