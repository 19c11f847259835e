import type { AccountRoles } from '../ports/account-roles.js';
import * as z from '../domain/zod-mini.js';
import { formatDuration } from '../domain/duration.js';
import { ContentChangedError, DomainValidationError, IllegalTransitionError, IncompleteError, missingText, RecipientsChangedError } from '../domain/errors.js';
import type { NoticeAction } from '../domain/notices/notice.js';
import { gdprClock } from '../domain/gdpr-clock.js';
import type { EscalationLadder } from '../domain/escalation-ladder.js';
import type { TaskTemplates } from '../domain/tasks/templates.js';
import type { IncidentAction } from '../domain/incident.js';
import type { MessageContext } from '../domain/messages.js';
import { authorize, PermissionDeniedError, type RoleMap } from '../domain/roles.js';
import { actorLabel } from '../domain/identity.js';
import { escapeSlack } from '../domain/slack-text.js';
import { assertStillOpen, findTask, TaskConflictError } from '../domain/tasks/tasks.js';
import { confirmView, dismissView, openTasksInOrder, parseTaskRef, SLACK_ACTIONS, SLACK_VIEWS, taskDoneView, taskLine } from '../domain/slack-message.js';
import type { Clock } from '../ports/clock.js';
import { ConcurrentUpdateError, InvalidCursorError, type IncidentReader } from '../ports/incident-store.js';
import type { SlackWebApi } from '../ports/slack-api.js';
import { actOnIncident, type ActStore } from './act-on-incident.js';
import { IncidentNotFoundError, NoticeNotFoundError } from './errors.js';
import type { NoticeDeps, NoticeView } from './notices.js';

/**
 * The notices' application code (the notice and jurisdiction packs' texts, rendering): imported by the first
 * notice command or job, a chunk apart from the Slack function's cold start (code splitting, ADR 0018 session 11).
 */
const noticeApp = () => import('./notices.js');

/** Work done after Slack got its answer (within 3 s): an action on an incident or a notice, answered via response_url. */
export type SlackJob =
  | {
      readonly kind: 'act';
      readonly incidentId: string;
      readonly action: IncidentAction;
      readonly actor: string;
      readonly responseUrl?: string;
      /** Say so when it worked (slash commands); buttons show success by updating the live message. */
      readonly confirmSuccess?: boolean;
    }
  | {
      readonly kind: 'notice';
      readonly incidentId: string;
      readonly noticeId: string;
      readonly action: NoticeAction;
      readonly actor: string;
      readonly responseUrl?: string;
      readonly confirmSuccess?: boolean;
    };

export interface SlackDeps {
  readonly store: ActStore & Pick<IncidentReader, 'pageOpenIncidents'>;
  readonly clock: Clock;
  readonly ladder: EscalationLadder;
  readonly tasks?: TaskTemplates;
  readonly messageContext?: MessageContext;
  readonly roles: RoleMap;
  /** Where a linked account's roles are kept (Cognito groups); a linked Slack user acts with those (issue 24.5). */
  readonly accountRoles?: AccountRoles;
  readonly web: SlackWebApi;
  /** Runs a job after the HTTP answer: in-process locally, an asynchronous self-invocation on AWS. */
  readonly enqueue: (job: SlackJob) => Promise<void>;
  /** True the first time an interaction id is seen: Slack retries and double clicks do nothing twice. */
  readonly once: (key: string) => Promise<boolean>;
  /** Notice approval and submission from Slack (`/breach approve`, `/breach submitted`). */
  readonly notices?: NoticeDeps;
}

export interface SlackUser {
  readonly id: string;
  readonly name?: string;
}

/** The Slack user id is the identity (a display name can change); the name is kept beside it. */
/** A Slack user is recorded as their linked breachclock account when there is one (one person, one identity). */
export function actorOf(user: SlackUser, roles?: RoleMap): string {
  return actorLabel(user.name, roles?.accountOf?.(user.id) ?? `slack:${user.id}`);
}

/** What to tell a person whose action did not happen. */
export function refusalText(error: unknown): string | undefined {
  if (error instanceof PermissionDeniedError || error instanceof IllegalTransitionError || error instanceof DomainValidationError || error instanceof TaskConflictError) return error.message;
  if (error instanceof IncidentNotFoundError || error instanceof NoticeNotFoundError || error instanceof IncompleteError) return error.message;
  if (error instanceof ContentChangedError) return `${error.message}: \`/breach approve\` without a hash shows it`;
  if (error instanceof RecipientsChangedError) return `${error.message}: \`/breach approve\` without a hash shows it`;
  if (error instanceof ConcurrentUpdateError) return `${error.message}; nothing was changed, try again`;
  if (error instanceof InvalidCursorError) return `${error.message} (copy the whole "more" command)`;
  return undefined;
}

export async function runSlackJob(deps: SlackDeps, job: SlackJob): Promise<void> {
  try {
    if (job.kind === 'notice') {
      if (!deps.notices) throw new DomainValidationError('notice', 'Notices are not configured for Slack');
      const { actOnNotice } = await noticeApp();
      const notice = await actOnNotice(deps.notices, job.incidentId, job.noticeId, job.action, job.actor);
      if (job.responseUrl && job.confirmSuccess) {
        await deps.web.respond(job.responseUrl, { text: `Done: ${job.action.type} on notice ${notice.noticeId} of ${notice.incidentId} (now ${notice.status}).` });
      }
      return;
    }
    const incident = await actOnIncident(deps, job.incidentId, job.action, job.actor);
    if (job.responseUrl && job.confirmSuccess) {
      await deps.web.respond(job.responseUrl, { text: `Done: ${job.action.type} on ${incident.id} (now ${incident.status}).` });
    }
  } catch (error) {
    const text = refusalText(error);
    if (!text) throw error;
    if (job.responseUrl) await deps.web.respond(job.responseUrl, { text: `:no_entry: ${escapeSlack(text)}` });
  }
}

/** Incidents per `/breach list` answer. */
const SLACK_PAGE = 15;

const USAGE = [
  '*/breach* commands:',
  '`/breach list`: open incidents, most urgent first (15 at a time; it says how to see more)',
  '`/breach status <incident id>`: one incident',
  '`/breach ack <incident id>`: acknowledge',
  '`/breach tasks <incident id>`: its response tasks, owners and due times',
  '`/breach take <incident id> <task id>`: take a task',
  '`/breach done <incident id> <task id> <what was done>`: complete a task with a note',
  '`/breach notices <incident id>`: its notices and their status',
  '`/breach approve <incident id> <notice id>`: read the notice as it would be sent, with its content hash (DPO; not its author)',
  '`/breach approve <incident id> <notice id> <content hash> [<list hash>]`: approve exactly the content (and, for a notice sent to a list, the recipient list) you read (refused if either changed since)',
  '`/breach submitted <incident id> <notice id> <reference>`: record its submission to the authority now',
  '`/breach help`: this help',
].join('\n');

export type SlashResponse = { readonly response_type: 'ephemeral' | 'in_channel'; readonly text: string };

/** `/breach …`: answered at once; the acknowledgement itself is enqueued and reported through response_url. */
/** Slack's limit for a message's text is 40,000 characters; the review shows the text part, cut well before. */
const REVIEW_MAX = 2_800;

/** The notice as it would be sent (subject and text, escaped), its recipients and the hash an approval must name. */
function approvalReview(incidentId: string, noticeId: string, view: NoticeView): string {
  const { rendered, missing } = view.draft;
  // A notice too long to show here whole is approved where it can be read whole: no hash for unread text.
  const whole = rendered.text.length <= REVIEW_MAX;
  const text = whole ? rendered.text : `${rendered.text.slice(0, REVIEW_MAX)}\n… (${rendered.text.length - REVIEW_MAX} more characters)`;
  const list = view.recipients ? `\n*Recipients:* ${view.recipients.valid} valid of ${view.recipients.rows} rows, list hash \`${view.recipients.sha256}\`` : '';
  const hashes = view.recipients ? `${view.contentHash} ${view.recipients.sha256}` : view.contentHash;
  return [
    `*${escapeSlack(view.pack.name)}* \`${noticeId}\` version ${view.notice.version} (${view.notice.status})${list}`,
    ...(missing.length ? [`:warning: Missing: ${missing.map((m) => escapeSlack(missingText(m))).join('; ')}`] : []),
    `*Subject:* ${escapeSlack(rendered.subject)}`,
    '```',
    escapeSlack(text).replace(/```/g, "'''"),
    '```',
    ...(rendered.sms ? [`*SMS:* ${escapeSlack(rendered.sms)}`] : []),
    ...(whole
      ? [`*Content hash:* \`${view.contentHash}\``, `To approve exactly this ${view.recipients ? 'content and list' : 'content'}: \`/breach approve ${incidentId} ${noticeId} ${hashes}\``]
      : ['This notice is longer than Slack shows here: read it whole and approve it in the desk or with `breachclock approve`.']),
  ].join('\n');
}

/**
 * A Slack user linked to a breachclock account acts with that account's roles (its Cognito groups), never
 * with the Slack mapping's: one person, one identity and one set of roles in every channel. A linked account
 * that no longer exists or is disabled has none. Unlinked users keep the Slack mapping's roles.
 */
export async function withAccountRoles<D extends Pick<SlackDeps, 'roles' | 'accountRoles'>>(deps: D, userId: string): Promise<D> {
  const account = deps.roles.accountOf?.(userId);
  if (!account || !deps.accountRoles) return deps;
  const roles = (await deps.accountRoles.rolesOf(account)) ?? [];
  const base = deps.roles;
  return { ...deps, roles: { ...base, rolesOf: (id: string) => (id === userId ? roles : base.rolesOf(id)) } };
}

export async function handleSlashCommand(given: SlackDeps, form: URLSearchParams): Promise<SlashResponse> {
  const deps = await withAccountRoles(given, form.get('user_id') ?? '');
  const user: SlackUser = { id: form.get('user_id') ?? '', name: form.get('user_name') ?? undefined };
  const [verb = 'help', ...args] = (form.get('text') ?? '').trim().split(/\s+/).filter(Boolean);
  const reply = (text: string): SlashResponse => ({ response_type: 'ephemeral', text });
  // Incident and notice ids are short and plain: anything else is answered here, never looked up.
  if (args[0] !== undefined && !['help', 'list'].includes(verb.toLowerCase()) && !/^[A-Za-z0-9-]{1,64}$/.test(args[0])) {
    return reply(`"${escapeSlack(args[0].slice(0, 64))}${args[0].length > 64 ? '…' : ''}" is not an incident id (like INC-20261123-AB12CD34). ${USAGE}`);
  }
  if (args[1] !== undefined && ['approve', 'submitted'].includes(verb.toLowerCase()) && !/^NTC-[a-z0-9-]{1,80}$/.test(args[1])) {
    return reply(`"${escapeSlack(args[1].slice(0, 90))}" is not a notice id (like NTC-gdpr-authority-1a2b3c4d). ${USAGE}`);
  }
  if (args[1] !== undefined && ['take', 'done'].includes(verb.toLowerCase()) && !/^[a-z0-9][a-z0-9.-]{0,130}$/.test(args[1])) {
    return reply(`"${escapeSlack(args[1].slice(0, 90))}" is not a task id (like common.scope; \`/breach tasks <incident id>\` lists them). ${USAGE}`);
  }
  try {
    switch (verb.toLowerCase()) {
      case 'tasks': {
        if (!args[0]) return reply(`Which incident? ${USAGE}`);
        authorize(deps.roles, user.id, 'view');
        const incident = await deps.store.getIncident(args[0]);
        if (!incident) return reply(`Incident ${escapeSlack(args[0].slice(0, 64))} not found.`);
        const now = deps.clock.now();
        const open = openTasksInOrder(incident, now);
        const closed = (incident.tasks ?? []).filter((task) => task.status !== 'open');
        if (!open.length && !closed.length) return reply(`No tasks on ${incident.id}.`);
        return reply([`*${incident.id}* tasks: ${open.length} open, ${closed.length} done or set aside`, ...[...open, ...closed].map((task) => taskLine(task, incident, now))].join('\n'));
      }
      case 'take':
      case 'done': {
        if (!args[0] || !args[1]) return reply(`Which incident and task? ${USAGE}`);
        const done = verb.toLowerCase() === 'done';
        if (done && !args[2]) return reply(`Say what was done: \`/breach done ${args[0]} ${args[1]} <what was done>\``);
        authorize(deps.roles, user.id, done ? 'complete-task' : 'assign-task');
        const action: IncidentAction = done ? { type: 'complete-task', taskId: args[1], note: args.slice(2).join(' ') } : { type: 'assign-task', taskId: args[1] };
        await deps.enqueue({ kind: 'act', incidentId: args[0], action, actor: actorOf(user, deps.roles), ...(form.get('response_url') ? { responseUrl: form.get('response_url')! } : {}), confirmSuccess: true });
        return reply(`${done ? 'Completing' : 'Taking'} ${args[1]} on ${args[0]} …`);
      }
      case 'help':
        return reply(USAGE);
      case 'list': {
        authorize(deps.roles, user.id, 'view');
        const now = deps.clock.now();
        // Most urgent deadline first, a page at a time (a Slack message stays short): "more" gives the next command.
        const page = await deps.store.pageOpenIncidents({ limit: SLACK_PAGE, ...(args[0] ? { after: args[0] } : {}) });
        if (!page.incidents.length) return reply(args[0] ? 'No more open incidents.' : 'No open incidents.');
        const lines = page.incidents.map((incident) => ({ incident, clock: gdprClock(incident, now) })).map(({ incident, clock }) => `• *${incident.id}* ${incident.severity} · ${incident.status} · ${clock.status === 'overdue' ? `OVERDUE by ${formatDuration(-clock.timeLeftMs)}` : `${formatDuration(clock.timeLeftMs)} left`} · ${escapeSlack(incident.title)}`);
        if (page.next) lines.push(`more: \`/breach list ${page.next}\``);
        return reply(lines.join('\n'));
      }
      case 'status': {
        if (!args[0]) return reply(`Which incident? ${USAGE}`);
        authorize(deps.roles, user.id, 'view');
        const incident = await deps.store.getIncident(args[0]);
        if (!incident) return reply(`Incident ${escapeSlack(args[0].slice(0, 64))} not found.`);
        const clock = gdprClock(incident, deps.clock.now());
        return reply(
          `*${incident.id}* ${escapeSlack(incident.title)}\nStatus ${incident.status}, severity ${incident.severity}, ${incident.alertCount} alerts, acknowledged by ${escapeSlack(incident.acknowledgedBy ?? 'nobody')}, owner ${escapeSlack(incident.owner ?? 'nobody')}\nGDPR Art. 33 due ${clock.dueAt} (${clock.status === 'overdue' ? `OVERDUE by ${formatDuration(-clock.timeLeftMs)}` : `${formatDuration(clock.timeLeftMs)} left`})`,
        );
      }
      case 'ack': {
        if (!args[0]) return reply(`Which incident? ${USAGE}`);
        authorize(deps.roles, user.id, 'acknowledge');
        await deps.enqueue({ kind: 'act', incidentId: args[0], action: { type: 'acknowledge' }, actor: actorOf(user, deps.roles), ...(form.get('response_url') ? { responseUrl: form.get('response_url')! } : {}), confirmSuccess: true });
        return reply(`Acknowledging ${args[0]} …`);
      }
      case 'notices': {
        if (!args[0]) return reply(`Which incident? ${USAGE}`);
        authorize(deps.roles, user.id, 'view');
        if (!deps.notices) return reply('Notices are not configured for Slack.');
        const notices = await deps.notices.notices.listNotices(args[0]);
        if (!notices.length) return reply(`No notices on ${args[0]} yet (draft them in the API or the CLI).`);
        return reply(notices.map((n) => `• \`${n.noticeId}\` ${n.kind} (${n.language}) · ${n.status} · version ${n.version}${n.approval ? ` · approved by ${escapeSlack(n.approval.by)}` : ''}${n.submission ? ` · ref ${escapeSlack(n.submission.reference)}` : ''}`).join('\n'));
      }
      case 'approve': {
        if (!args[0] || !args[1]) return reply(`Which incident and notice? ${USAGE}`);
        authorize(deps.roles, user.id, 'approve-notice');
        if (!deps.roles.accountOf?.(user.id)) {
          return reply('Approving is a four-eyes step: link your Slack user to your breachclock account first (SLACK_ROLES "accounts", docs/slack.md), so the same person cannot write a notice in one channel and approve it in another. Or approve in the desk or the CLI.');
        }
        if (!deps.notices) return reply('Notices are not configured for Slack.');
        // Four eyes means reading first: without a hash, the answer is the notice as it would be sent and its
        // content hash; the approval names that hash, so what is approved is what was read (issue 24.2).
        const { noticeView } = await noticeApp();
        const view = await noticeView(deps.notices, args[0], args[1]);
        if (!args[2]) return reply(approvalReview(args[0], args[1], view));
        if (!/^[0-9a-f]{64}$/.test(args[2])) return reply(`"${escapeSlack(args[2].slice(0, 70))}" is not a content hash (64 hex digits): \`/breach approve ${args[0]} ${args[1]}\` shows the notice and its hash.`);
        if (args[3] !== undefined && !/^[0-9a-f]{64}$/.test(args[3])) return reply(`"${escapeSlack(args[3].slice(0, 70))}" is not a list hash (64 hex digits): \`/breach approve ${args[0]} ${args[1]}\` shows the notice, its recipients and both hashes.`);
        // The list is part of what is approved: its hash (the fourth word) as shown in the review.
        const action: NoticeAction = { type: 'approve', expectedVersion: view.notice.version, expectedContentHash: args[2], ...(args[3] ? { expectedRecipientsHash: args[3] } : {}) };
        await deps.enqueue({ kind: 'notice', incidentId: args[0], noticeId: args[1], action, actor: actorOf(user, deps.roles), ...(form.get('response_url') ? { responseUrl: form.get('response_url')! } : {}), confirmSuccess: true });
        return reply(`Approving version ${view.notice.version} of ${args[1]} (content ${args[2].slice(0, 12)}…) …`);
      }
      case 'submitted': {
        if (!args[0] || !args[1] || !args[2]) return reply(`Which incident, notice and the authority's reference? ${USAGE}`);
        authorize(deps.roles, user.id, 'submit-notice');
        const action: NoticeAction = { type: 'record-submission', submittedAt: deps.clock.now().toISOString(), reference: args.slice(2).join(' ') };
        await deps.enqueue({ kind: 'notice', incidentId: args[0], noticeId: args[1], action, actor: actorOf(user, deps.roles), ...(form.get('response_url') ? { responseUrl: form.get('response_url')! } : {}), confirmSuccess: true });
        return reply(`Recording the submission of ${args[1]} …`);
      }
      default:
        return reply(`Unknown command "${escapeSlack(verb)}".\n${USAGE}`);
    }
  } catch (error) {
    const text = refusalText(error);
    if (text) return reply(`:no_entry: ${escapeSlack(text)}`);
    throw error;
  }
}

// Every Slack payload is parsed with a schema before use (issue 15.7): a signed payload of the wrong shape
// is a 400 naming what was wrong, never a 500.
const slackUserSchema = z.looseObject({ id: z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id')), username: z.optional(z.string().check(z.maxLength(200))), name: z.optional(z.string().check(z.maxLength(200))) });
const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  trigger_id: z.optional(z.string().check(z.maxLength(300))),
  response_url: z.optional(z.string().check(z.maxLength(2_000))),
  user: slackUserSchema,
  actions: z.array(z.looseObject({ action_id: z.string().check(z.maxLength(255)), value: z.optional(z.string().check(z.maxLength(2_000))), action_ts: z.optional(z.string().check(z.maxLength(64))) })).check(z.minLength(1), z.maxLength(25)),
});
const viewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  user: slackUserSchema,
  view: z.looseObject({
    callback_id: z.string().check(z.maxLength(255)),
    private_metadata: z.string().check(z.maxLength(3_000)),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({ selected_date_time: z.optional(z.number()), value: z.optional(z.nullable(z.string())) }))) }),
  }),
});
type BlockActionsPayload = z.infer<typeof blockActionsSchema>;
type ViewSubmissionPayload = z.infer<typeof viewSubmissionSchema>;

function parsePayload<S extends z.ZodMiniType>(schema: S, payload: unknown): z.output<S> {
  const parsed = z.safeParse(schema, payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DomainValidationError(`payload.${issue.path.join('.')}`, `The Slack payload is not a valid ${String((payload as { type?: unknown }).type)} payload: ${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  }
  return parsed.data;
}

export type InteractionResponse = undefined | { response_action: 'errors'; errors: Record<string, string> } | { response_action: 'clear' };

const userOf = (user: SlackUser & { username?: string }): SlackUser => ({ id: user.id, ...(user.username ?? user.name ? { name: (user.username ?? user.name)! } : {}) });

/** POST /slack/actions: buttons of the live message and the modals they open. */
export async function handleInteraction(given: SlackDeps, payload: { type?: string } & Record<string, unknown>): Promise<InteractionResponse> {
  const userId = (payload.user as { id?: unknown } | undefined)?.id;
  const deps = await withAccountRoles(given, typeof userId === 'string' ? userId : '');
  if (payload.type === 'block_actions') return blockActions(deps, parsePayload(blockActionsSchema, payload));
  if (payload.type === 'view_submission') return viewSubmission(deps, parsePayload(viewSubmissionSchema, payload));
  return undefined;
}

async function blockActions(deps: SlackDeps, payload: BlockActionsPayload): Promise<InteractionResponse> {
  const [action] = payload.actions ?? [];
  if (!action?.value || action.action_id === SLACK_ACTIONS.open) return undefined;
  const dedupeKey = `slack:${payload.trigger_id ?? `${payload.user.id}:${action.action_ts}`}`;
  if (!(await deps.once(dedupeKey))) return undefined;
  const user = userOf(payload.user);
  const tell = async (text: string) => {
    if (payload.response_url) await deps.web.respond(payload.response_url, { text: `:no_entry: ${escapeSlack(text)}` });
  };
  const incidentId = action.value;
  try {
    switch (action.action_id) {
      case SLACK_ACTIONS.acknowledge:
      case SLACK_ACTIONS.takeOwnership: {
        const type = action.action_id === SLACK_ACTIONS.acknowledge ? 'acknowledge' : 'take-ownership';
        authorize(deps.roles, user.id, type);
        await deps.enqueue({ kind: 'act', incidentId, action: { type }, actor: actorOf(user, deps.roles), ...(payload.response_url ? { responseUrl: payload.response_url } : {}) });
        return undefined;
      }
      case SLACK_ACTIONS.confirm:
      case SLACK_ACTIONS.dismiss: {
        const confirm = action.action_id === SLACK_ACTIONS.confirm;
        authorize(deps.roles, user.id, confirm ? 'confirm' : 'dismiss');
        const incident = await deps.store.getIncident(incidentId);
        if (!incident) throw new IncidentNotFoundError(incidentId);
        if (!payload.trigger_id) return undefined;
        // The modal must open within 3 s of the click (trigger_id expiry): done here, not deferred.
        await deps.web.openView(payload.trigger_id, confirm ? confirmView(incident, deps.clock.now()) : dismissView(incident));
        return undefined;
      }
      case SLACK_ACTIONS.takeTask:
      case SLACK_ACTIONS.completeTask: {
        const ref = parseTaskRef(action.value);
        if (!ref) return undefined;
        if (action.action_id === SLACK_ACTIONS.takeTask) {
          authorize(deps.roles, user.id, 'assign-task');
          // Of two people clicking Take at once, the second is told who has it (decided on the fresh state).
          await deps.enqueue({ kind: 'act', incidentId: ref.incidentId, action: { type: 'assign-task', taskId: ref.taskId }, actor: actorOf(user, deps.roles), ...(payload.response_url ? { responseUrl: payload.response_url } : {}) });
          return undefined;
        }
        authorize(deps.roles, user.id, 'complete-task');
        const incident = await deps.store.getIncident(ref.incidentId);
        if (!incident) throw new IncidentNotFoundError(ref.incidentId);
        // The checks completing it will make, before the modal opens: a stale message is told at once.
        const task = findTask(incident.tasks ?? [], ref.taskId);
        assertStillOpen(task);
        if (!payload.trigger_id) return undefined;
        await deps.web.openView(payload.trigger_id, taskDoneView(incident, task));
        return undefined;
      }
      default:
        return undefined;
    }
  } catch (error) {
    const text = refusalText(error);
    if (!text) throw error;
    await tell(text);
    return undefined;
  }
}

async function viewSubmission(deps: SlackDeps, payload: ViewSubmissionPayload): Promise<InteractionResponse> {
  const user = userOf(payload.user);
  const values = payload.view.state.values;
  let incidentId = payload.view.private_metadata;
  let action: IncidentAction;
  let errorBlock: string;
  if (payload.view.callback_id === SLACK_VIEWS.taskDone) {
    const ref = parseTaskRef(payload.view.private_metadata);
    if (!ref) return undefined;
    incidentId = ref.incidentId;
    action = { type: 'complete-task', taskId: ref.taskId, note: values.note?.value?.value ?? '' };
    errorBlock = 'note';
  } else if (payload.view.callback_id === SLACK_VIEWS.confirm) {
    const seconds = values.aware_at?.value?.selected_date_time;
    action = {
      type: 'confirm',
      awareAt: seconds === undefined ? '' : new Date(seconds * 1000).toISOString(),
      justification: values.justification?.value?.value ?? '',
    };
    errorBlock = 'justification';
  } else if (payload.view.callback_id === SLACK_VIEWS.dismiss) {
    action = { type: 'dismiss', reason: values.reason?.value?.value ?? '' };
    errorBlock = 'reason';
  } else {
    return undefined;
  }
  try {
    authorize(deps.roles, user.id, action.type);
    // Done before answering so a mistake is shown in the modal itself (one transaction, well within 3 s).
    await actOnIncident(deps, incidentId, action, actorOf(user, deps.roles));
    return { response_action: 'clear' };
  } catch (error) {
    const text = refusalText(error);
    if (!text) throw error;
    const block = error instanceof DomainValidationError && error.path === 'awareAt' ? 'aware_at' : errorBlock;
    return { response_action: 'errors', errors: { [block]: text.slice(0, 150) } };
  }
}
