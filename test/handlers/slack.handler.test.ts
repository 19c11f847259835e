import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { runSlackJob, type SlackDeps, type SlackJob } from '../../lambdas/app/slack-interactions.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { parseRoleMap } from '../../lambdas/domain/roles.js';
import type { Role } from '../../lambdas/domain/role-names.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { renderIncidentMessage, SLACK_ACTIONS, SLACK_VIEWS, taskRef } from '../../lambdas/domain/slack-message.js';
import { defaultTaskTemplates } from '../../lambdas/domain/tasks/templates.js';
import { handleSlackJobEvent, makeSlackHandler } from '../../lambdas/handlers/slack.handler.js';
import { signSlackJob } from '../../lambdas/shared/slack-signature.js';
import { RecordingSlackWebApi } from '../../local/recording-slack-api.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { minutesAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';
import { buttonPress, slackRequest } from '../support/slack.js';

const SECRET = 'slack-signing-secret';
const RESPONDER = { id: 'U0RESPONDER', username: 'rita' };
const OTHER = { id: 'U0OTHER', username: 'omar' };
const DPO = { id: 'U0DPO', username: 'dana' };

describe('Slack: /slack/commands and /slack/actions', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  let web: RecordingSlackWebApi;
  let jobs: SlackJob[];
  let deps: SlackDeps;
  let handler: ReturnType<typeof makeSlackHandler>;

  beforeEach(async () => {
    ({ store } = await freshTable());
    clock = new FakeClock(T0);
    web = new RecordingSlackWebApi(clock);
    jobs = [];
    deps = {
      store,
      clock,
      ladder: DEFAULT_LADDER,
      roles: parseRoleMap({ users: { [RESPONDER.id]: ['responder'], [OTHER.id]: ['responder'], [DPO.id]: ['dpo'] } }),
      web,
      once: (key) => store.rememberOnce(key, 86_400, clock.now()),
      enqueue: async (job) => {
        jobs.push(job);
      },
    };
    handler = makeSlackHandler({ ...deps, signingSecrets: async () => [SECRET], securityNow: () => clock.now() });
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Admin export', severity: 'high', observedAt: T0.toISOString() });
    clock.advanceMinutes(2);
  });

  const call = async (path: string, fields: Record<string, string>, options: { secret?: string; at?: Date } = {}) => {
    const { body, headers } = slackRequest(fields, options.secret ?? SECRET, options.at ?? clock.now());
    const result = await handler(httpEvent('POST', path, { body, headers }), lambdaContext);
    return { status: result.statusCode, body: result.body ? parse(result) : undefined };
  };
  const command = (user: { id: string; username: string }, text: string) =>
    call('/slack/commands', { command: '/breach', text, user_id: user.id, user_name: user.username, response_url: 'https://hooks.slack.com/commands/T0/1/x', trigger_id: `t-${text}` });
  const runJobs = async () => {
    const pending = jobs.splice(0);
    await Promise.all(pending.map((job) => runSlackJob(deps, job)));
  };

  it('refuses unsigned, wrongly signed and stale requests with 401', async () => {
    expect((await handler(httpEvent('POST', '/slack/commands', { body: 'text=list', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), lambdaContext)).statusCode).toBe(401);
    expect((await call('/slack/commands', { text: 'list', user_id: RESPONDER.id }, { secret: 'wrong' })).status).toBe(401);
    const stale = await call('/slack/commands', { text: 'list', user_id: RESPONDER.id }, { at: minutesAfter(clock.now(), -6) });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/older than 300 s/);
  });

  it('answers /breach help, list, status and unknown input (with usage), ephemerally', async () => {
    expect((await command(RESPONDER, '')).body.text).toMatch(/\/breach list/);
    const list = await command(RESPONDER, 'list');
    expect(list.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/INC-T-1\* high · detected · 2d 23h 58m left · Admin export/) });
    expect((await command(RESPONDER, 'status INC-T-1')).body.text).toMatch(/GDPR Art\. 33 due/);
    expect((await command(RESPONDER, 'status INC-NOPE')).body.text).toBe('Incident INC-NOPE not found.');
    expect((await command(RESPONDER, 'frobnicate')).body.text).toMatch(/Unknown command "frobnicate"[\s\S]*\/breach ack/);
    expect((await command({ id: 'U0STRANGER', username: 'x' }, 'list')).body.text).toMatch(/no breachclock role/);
  });

  it('/breach ack answers at once and acknowledges through the queued job, reporting via response_url', async () => {
    expect((await command(RESPONDER, 'ack INC-T-1')).body.text).toBe('Acknowledging INC-T-1 …');
    expect((await store.getIncident('INC-T-1'))!.status).toBe('detected');
    await runJobs();
    expect((await store.getIncident('INC-T-1'))!).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'rita [slack:U0RESPONDER]' });
    expect(web.responses.at(-1)!.text).toMatch(/Done: acknowledge on INC-T-1/);
  });

  it('two people pressing at the same moment: one wins, the other is told who did', async () => {
    await call('/slack/actions', buttonPress(RESPONDER, SLACK_ACTIONS.acknowledge, 'INC-T-1', 'trig-1'));
    await call('/slack/actions', buttonPress(OTHER, SLACK_ACTIONS.acknowledge, 'INC-T-1', 'trig-2'));
    await runJobs();
    const incident = await store.getIncident('INC-T-1');
    expect(incident!.status).toBe('acknowledged');
    expect(web.responses).toHaveLength(1);
    expect(web.responses[0]!.text).toMatch(new RegExp(`already acknowledged by ${incident!.acknowledgedBy!.replace(/[()[\]]/g, '\\$&')}`));
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.timeline.filter((e) => e.type === 'incident.acknowledged')).toHaveLength(1);
  });

  it('a retried or doubled interaction (same trigger_id) is done once', async () => {
    const press = buttonPress(RESPONDER, SLACK_ACTIONS.takeOwnership, 'INC-T-1', 'trig-same');
    await call('/slack/actions', press);
    await call('/slack/actions', press);
    expect(jobs).toHaveLength(1);
  });

  it('refuses a DPO-only action by a responder with an ephemeral explanation, and lets the DPO confirm through the modal', async () => {
    await call('/slack/actions', buttonPress(RESPONDER, SLACK_ACTIONS.confirm, 'INC-T-1', 'trig-3'));
    expect(web.views).toHaveLength(0);
    expect(web.responses[0]).toMatchObject({ ephemeral: true, text: expect.stringMatching(/Only the DPO or legal may confirm/) });

    await call('/slack/actions', buttonPress(DPO, SLACK_ACTIONS.confirm, 'INC-T-1', 'trig-4'));
    expect(web.views).toHaveLength(1);
    const view = web.views[0]!.view as { callback_id: string; private_metadata: string };
    expect(view).toMatchObject({ callback_id: SLACK_VIEWS.confirm, private_metadata: 'INC-T-1' });

    const submit = (justification: string, awareSeconds: number) => ({
      payload: JSON.stringify({
        type: 'view_submission',
        user: { id: DPO.id, username: DPO.username },
        view: { callback_id: SLACK_VIEWS.confirm, private_metadata: 'INC-T-1', state: { values: { aware_at: { value: { selected_date_time: awareSeconds } }, justification: { value: { value: justification } } } } },
      }),
    });
    const short = await call('/slack/actions', submit('short', Math.floor(T0.getTime() / 1000)));
    expect(short.body).toMatchObject({ response_action: 'errors', errors: { justification: expect.stringMatching(/justification/i) } });
    const future = await call('/slack/actions', submit('Logs show customer rows left the network', Math.floor(T0.getTime() / 1000) + 86_400));
    expect(future.body).toMatchObject({ response_action: 'errors', errors: { aware_at: expect.stringMatching(/in the future/) } });
    const ok = await call('/slack/actions', submit('Logs show customer rows left the network', Math.floor(T0.getTime() / 1000) + 60));
    expect(ok.body).toEqual({ response_action: 'clear' });
    expect(await store.getIncident('INC-T-1')).toMatchObject({ status: 'confirmed', awareAt: minutesAfter(T0, 1).toISOString(), awareSetBy: 'dana [slack:U0DPO]' });
  });

  describe('response tasks (issue 16)', () => {
    const tasks = defaultTaskTemplates();
    beforeEach(async () => {
      deps = { ...deps, tasks };
      handler = makeSlackHandler({ ...deps, signingSecrets: async () => [SECRET], securityNow: () => clock.now() });
      // A credential-stuffing alert: an incident of that kind, with its tasks.
      await ingestAlert({ store, clock, ids: sequentialIds('INC-K'), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, tasks }, { source: 'generic', fingerprint: 'cs', title: 'Credential stuffing on login', severity: 'high', observedAt: clock.now().toISOString() });
    });

    it('the live message shows open tasks with Take and Done buttons; /breach tasks lists them all', async () => {
      const incident = (await store.getIncident('INC-K-1'))!;
      const { blocks } = renderIncidentMessage(incident, clock.now());
      const rendered = JSON.stringify(blocks);
      expect(rendered).toContain('Revoke active sessions and tokens of the affected accounts');
      expect(rendered).toContain(SLACK_ACTIONS.takeTask);
      expect(rendered).toContain(taskRef('INC-K-1', 'credential-compromise.revoke-sessions'));
      expect(rendered).toMatch(/… and \d+ more: `\/breach tasks INC-K-1`/);
      const listed = await command(RESPONDER, 'tasks INC-K-1');
      expect(listed.body.text).toMatch(/INC-K-1\* tasks: \d+ open, 0 done/);
      expect(listed.body.text).toContain('`gdpr-art33.decide-notify`');
      expect((await command(RESPONDER, 'take INC-K-1 NOT_A_TASK!')).body.text).toMatch(/is not a task id/);
    });

    it('two people pressing Take at once: one owns the task, the other is told who; Done opens a modal whose note completes it', async () => {
      const ref = taskRef('INC-K-1', 'credential-compromise.revoke-sessions');
      const press = (user: { id: string; username: string }, action: string, trigger: string) => {
        const body = JSON.parse(buttonPress(user, action, 'x', trigger).payload);
        body.actions[0].value = ref;
        return { payload: JSON.stringify(body) };
      };
      await call('/slack/actions', press(RESPONDER, SLACK_ACTIONS.takeTask, 'task-1'));
      await call('/slack/actions', press(OTHER, SLACK_ACTIONS.takeTask, 'task-2'));
      // Both jobs run concurrently, as two Lambda invocations would.
      await runJobs();
      const task = (await store.getIncident('INC-K-1'))!.tasks!.find((t) => t.id === 'credential-compromise.revoke-sessions')!;
      expect([`rita [slack:${RESPONDER.id}]`, `omar [slack:${OTHER.id}]`]).toContain(task.owner);
      expect(web.responses).toHaveLength(1);
      expect(web.responses[0]!.text).toMatch(/already taken by/);
      const detail = await store.getIncidentDetail('INC-K-1');
      expect(detail!.timeline.filter((e) => e.type === 'task.assigned')).toHaveLength(1);

      await call('/slack/actions', press(OTHER, SLACK_ACTIONS.completeTask, 'task-3'));
      const view = web.views.at(-1)!.view as { callback_id: string; private_metadata: string };
      expect(view).toMatchObject({ callback_id: SLACK_VIEWS.taskDone, private_metadata: ref });
      const submit = (note: string) => ({
        payload: JSON.stringify({ type: 'view_submission', user: { id: OTHER.id, username: OTHER.username }, view: { callback_id: SLACK_VIEWS.taskDone, private_metadata: ref, state: { values: { note: { value: { value: note } } } } } }),
      });
      expect((await call('/slack/actions', submit(' '))).body).toMatchObject({ response_action: 'errors', errors: { note: expect.stringMatching(/note/) } });
      expect((await call('/slack/actions', submit('Sessions revoked in Okta for 40 accounts'))).body).toEqual({ response_action: 'clear' });
      const done = (await store.getIncident('INC-K-1'))!.tasks!.find((t) => t.id === 'credential-compromise.revoke-sessions')!;
      expect(done).toMatchObject({ status: 'done', note: 'Sessions revoked in Okta for 40 accounts', closedBy: `omar [slack:${OTHER.id}]` });
      // Done again (a stale message): told, nothing changes.
      await call('/slack/actions', press(RESPONDER, SLACK_ACTIONS.completeTask, 'task-4'));
      expect(web.responses.at(-1)!.text).toMatch(/already done by omar/);
    });

    it('/breach take and /breach done with a note, reported through response_url', async () => {
      await command(RESPONDER, 'take INC-K-1 common.scope');
      await command(RESPONDER, 'done INC-K-1 common.scope Scoped: 40 accounts, login service only');
      expect((await command(RESPONDER, 'done INC-K-1 common.scope')).body.text).toMatch(/Say what was done/);
      await runJobs();
      const task = (await store.getIncident('INC-K-1'))!.tasks!.find((t) => t.id === 'common.scope')!;
      expect(task).toMatchObject({ owner: `rita [slack:${RESPONDER.id}]`, status: 'done', note: 'Scoped: 40 accounts, login service only' });
      // The note shows in the list, escaped like everything people write.
      await command(RESPONDER, 'take INC-K-1 common.lessons');
      await command(RESPONDER, 'done INC-K-1 common.lessons <!channel> reviewed');
      await runJobs();
      const listed = (await command(RESPONDER, 'tasks INC-K-1')).body.text as string;
      expect(listed).toContain('done by rita [slack:U0RESPONDER]: Scoped: 40 accounts, login service only');
      expect(listed).toContain('&lt;!channel&gt; reviewed');
      expect(listed).not.toContain('<!channel>');
    });
  });
  describe('internal jobs (issue 24.5): the queued work carries nothing a caller can choose', () => {
    const acknowledgeAsDpo: SlackJob = { kind: 'act', incidentId: 'INC-T-1', action: { type: 'acknowledge' }, actor: 'dana [slack:U0DPO]' };
    // What the function is given when something invokes it directly (lambda:InvokeFunction), not through Slack.
    const jobDeps = () => ({ ...deps, signingSecrets: async () => [SECRET], securityNow: () => clock.now() });

    it('refuses an unsigned job that names any actor, and does nothing', async () => {
      await expect(handleSlackJobEvent(jobDeps(), { breachclockSlackJob: acknowledgeAsDpo })).rejects.toThrow(/not signed|signature/i);
      expect((await store.getIncident('INC-T-1'))!.status).toBe('detected');
      expect(web.responses).toHaveLength(0);
    });

    it('refuses a job signed with another key, a changed job and an expired one', async () => {
      const forged = signSlackJob(acknowledgeAsDpo, ['not-the-signing-secret'], clock.now());
      await expect(handleSlackJobEvent(jobDeps(), { breachclockSlackJob: forged })).rejects.toThrow(/signature/i);
      const genuine = signSlackJob({ ...acknowledgeAsDpo, actor: 'rita [slack:U0RESPONDER]' }, [SECRET], clock.now());
      const altered = { ...genuine, job: { ...genuine.job, actor: 'dana [slack:U0DPO]' } };
      await expect(handleSlackJobEvent(jobDeps(), { breachclockSlackJob: altered })).rejects.toThrow(/signature/i);
      clock.advanceMinutes(16);
      await expect(handleSlackJobEvent(jobDeps(), { breachclockSlackJob: genuine })).rejects.toThrow(/expired/i);
      expect((await store.getIncident('INC-T-1'))!.status).toBe('detected');
    });

    it('runs a job this function signed, as the actor Slack named', async () => {
      await command(RESPONDER, 'ack INC-T-1');
      const [job] = jobs.splice(0);
      await handleSlackJobEvent(jobDeps(), { breachclockSlackJob: signSlackJob(job!, [SECRET], clock.now()) });
      expect((await store.getIncident('INC-T-1'))!).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'rita [slack:U0RESPONDER]' });
    });
  });
  describe('workspace and app (issue 24.5): a request signed with the secret but from another workspace or app is refused', () => {
    const WORKSPACE = { teamId: 'T0OURS', appId: 'A0OURS' };
    beforeEach(() => {
      handler = makeSlackHandler({ ...deps, signingSecrets: async () => [SECRET], securityNow: () => clock.now(), workspace: WORKSPACE });
    });
    const ack = (extra: Record<string, string>) =>
      call('/slack/commands', { command: '/breach', text: 'ack INC-T-1', user_id: RESPONDER.id, user_name: RESPONDER.username, response_url: 'https://hooks.slack.com/commands/T0/1/x', ...extra });
    const press = (fields: Record<string, unknown>) => {
      const payload = JSON.parse(buttonPress(RESPONDER, SLACK_ACTIONS.acknowledge, 'INC-T-1', `trig-${JSON.stringify(fields)}`).payload) as Record<string, unknown>;
      return call('/slack/actions', { payload: JSON.stringify({ ...payload, ...fields }) });
    };

    it('slash commands: another team, another app or no team is a 403 and queues nothing; ours is answered', async () => {
      const strangers: Record<string, string>[] = [{ team_id: 'T0THEIRS', api_app_id: 'A0OURS' }, { team_id: 'T0OURS', api_app_id: 'A0THEIRS' }, { api_app_id: 'A0OURS' }];
      for (const extra of strangers) {
        const answer = await ack(extra);
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('wrong_workspace');
      }
      expect(jobs).toHaveLength(0);
      expect((await ack({ team_id: 'T0OURS', api_app_id: 'A0OURS' })).status).toBe(200);
      expect(jobs).toHaveLength(1);
    });

    it('interactions: the team (team.id, else user.team_id) and api_app_id must be ours', async () => {
      expect((await press({ team: { id: 'T0THEIRS' }, user: { ...RESPONDER, team_id: 'T0OURS' }, api_app_id: 'A0OURS' })).status).toBe(403);
      expect((await press({ user: { ...RESPONDER, team_id: 'T0THEIRS' }, api_app_id: 'A0OURS' })).status).toBe(403);
      expect((await press({ team: { id: 'T0OURS' }, api_app_id: 'A0THEIRS' })).status).toBe(403);
      expect((await press({ team: null, user: { id: RESPONDER.id, username: RESPONDER.username } })).status).toBe(403);
      expect(jobs).toHaveLength(0);
      expect((await press({ team: { id: 'T0OURS' }, api_app_id: 'A0OURS' })).status).toBe(200);
      expect(jobs).toHaveLength(1);
    });
  });

  describe('a Slack user linked to an account acts with the account\'s groups (issue 24.5)', () => {
    const groups: Record<string, readonly Role[] | undefined> = {};
    const linked = (slack: Role[]) => {
      deps = {
        ...deps,
        roles: parseRoleMap({ users: { [DPO.id]: slack, [RESPONDER.id]: ['responder'] }, accounts: { [DPO.id]: 'cognito:sub-dana' } }),
        accountRoles: { rolesOf: async (account) => groups[account] },
      };
      handler = makeSlackHandler({ ...deps, signingSecrets: async () => [SECRET], securityNow: () => clock.now() });
    };

    it('the Slack mapping says DPO, the account is only a responder: acknowledging works, approving is refused', async () => {
      groups['cognito:sub-dana'] = ['responder'];
      linked(['dpo']);
      expect((await command(DPO, 'approve INC-T-1 NTC-gdpr-authority-1a2b3c4d')).body.text).toMatch(/Only the DPO may approve notice; your role: responder/);
      expect((await command(DPO, 'ack INC-T-1')).body.text).not.toMatch(/no breachclock role|Only/);
    });

    it('the account is a DPO though the Slack mapping says responder: the account wins', async () => {
      groups['cognito:sub-dana'] = ['dpo'];
      linked(['responder']);
      expect((await command(DPO, 'approve INC-T-1 NTC-gdpr-authority-1a2b3c4d')).body.text).not.toMatch(/Only the DPO/);
    });

    it('a disabled or deleted account has no roles, whatever the Slack mapping says; unlinked users keep the mapping', async () => {
      groups['cognito:sub-dana'] = undefined;
      linked(['dpo']);
      expect((await command(DPO, 'list')).body.text).toMatch(/no breachclock role/);
      expect((await command(RESPONDER, 'list')).body.text).toMatch(/INC-T-1/);
    });
  });
});
