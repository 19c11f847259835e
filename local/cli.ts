import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { stripControl } from '../lambdas/domain/control-characters.js';

/**
 * breachclock's command line: the same jobs as the dashboard and the API, from a terminal, against the local
 * stack or a deployed API (--url and --token, or BREACHCLOCK_URL and BREACHCLOCK_API_TOKEN).
 *
 *   npx breachclock --help            npx breachclock <command> --help
 *
 * Exit codes: 0 done; 1 refused or failed (the API said no, a check failed); 2 usage, configuration or
 * connection problem.
 */

class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

interface Globals {
  url?: string;
  token?: string;
  actor?: string;
  dataDir?: string;
  json?: boolean;
}

const program = new Command('breachclock')
  .description('Breach incidents, legal clocks and notices from a terminal (local stack or deployed API).')
  .addOption(new Option('--url <url>', 'the API base URL').env('BREACHCLOCK_URL'))
  .addOption(new Option('--token <token>', 'API token (local) or Cognito access token (AWS)').env('BREACHCLOCK_API_TOKEN'))
  .addOption(new Option('--actor <name>', 'who you are, recorded on every action (local stack)').env('BREACHCLOCK_ACTOR'))
  .addOption(new Option('--data-dir <dir>', "the local stack's data directory (its tokens)").env('BREACHCLOCK_DATA_DIR').default('.data'))
  .option('--json', 'print the API answer as JSON')
  .showHelpAfterError()
  .exitOverride();

const globals = (): Globals => program.opts<Globals>();
const dataDir = () => resolve(globals().dataDir ?? '.data');
const baseUrl = () => (globals().url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const actor = () => globals().actor ?? process.env.USER ?? 'cli';

function localSetting(name: 'apiToken' | 'ingestToken'): string {
  try {
    return (JSON.parse(readFileSync(`${dataDir()}/local-settings.json`, 'utf8')) as Record<string, string>)[name]!;
  } catch {
    throw new CliError(`No token: pass --token (or BREACHCLOCK_API_TOKEN), or start the local stack (npm start) so ${dataDir()}/local-settings.json exists.`, 2);
  }
}
const apiToken = () => globals().token ?? localSetting('apiToken');

/** Terminal-safe: alert and officer text never brings escape sequences or bidi overrides to a terminal. */
const safe = (value: unknown) => stripControl(String(value ?? ''));

async function request(method: string, path: string, body?: unknown, options: { contentType?: string; token?: string } = {}): Promise<Response> {
  try {
    return await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.token ?? apiToken()}`, 'content-type': options.contentType ?? 'application/json', 'x-actor': actor() },
      ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot reach ${baseUrl()}: is the local stack running (npm start), or is --url right?`, 2);
  }
}

async function call(method: string, path: string, body?: unknown, options: { contentType?: string; token?: string } = {}): Promise<any> {
  const response = await request(method, path, body, options);
  const text = await response.text();
  let payload: any;
  try {
    payload = text ? JSON.parse(text) : {};
  } catch {
    payload = { text };
  }
  if (!response.ok) {
    const details = (payload?.error?.details ?? []).map((d: { path: string; message: string }) => `\n  ${safe(d.path)}: ${safe(d.message)}`).join('');
    throw new CliError(`${response.status} ${safe(payload?.error?.code ?? '')}: ${safe(payload?.error?.message ?? text)}${details}`, response.status === 401 ? 2 : 1);
  }
  return payload;
}

/** Prints the answer as JSON with --json, else the human form. */
function out(payload: unknown, human: () => void): void {
  if (globals().json) console.log(JSON.stringify(payload, null, 2));
  else human();
}

const enc = encodeURIComponent;
const incidentPath = (id: string) => `/api/incidents/${enc(id)}`;
const noticePath = (id: string, notice: string) => `${incidentPath(id)}/notices/${enc(notice)}`;

function parseFields(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new CliError(`"${pair}" is not element=text`, 2);
    fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return fields;
}

function printIncident(incident: any): void {
  console.log(`${incident.id}  ${incident.status}  ${incident.severity}  ${safe(incident.title)}`);
}

function printNotice(view: any): void {
  const { notice, draft, progress } = view;
  console.log(`${notice.noticeId}  ${notice.kind} (${notice.language})  ${notice.status}  version ${notice.version}${notice.approval ? `, approved v${notice.approval.version} by ${safe(notice.approval.by)}` : ''}`);
  for (const element of draft.elements) {
    const mark = element.required && !element.value ? 'MISSING' : element.source === 'field' ? 'yours  ' : element.source === 'derived' ? 'derived' : '       ';
    console.log(`  ${mark} ${element.id.padEnd(20)} ${safe(element.value ?? '')}`.slice(0, 200));
  }
  if (draft.missing.length) console.log(`cannot be approved yet: missing ${draft.missing.map((m: { label: string; legalSource: string }) => `${m.label} (${m.legalSource})`).join('; ')}`);
  if (progress) console.log(`progress ${progress.percent} %: ${progress.sent} sent, ${progress.delivered} delivered, ${progress.bounced} bounced, ${progress.failed} failed, ${progress.parked} parked, ${progress.duplicates} duplicates of ${progress.planned ?? '?'}`);
}

/** Follows a sending notice with a progress bar until every recipient is accounted for. */
async function follow(path: string): Promise<any> {
  const bar = new SingleBar({ format: 'sending |{bar}| {percentage}% | {value}/{total} | sent {sent} delivered {delivered} failed {failed} parked {parked}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  for (;;) {
    const view = await call('GET', path);
    const { notice, progress } = view;
    const total = progress?.planned ?? notice.recipients?.valid ?? 0;
    const done = progress ? progress.sent + progress.failed + progress.parked + progress.duplicates : 0;
    const payload = { sent: progress?.sent ?? 0, delivered: progress?.delivered ?? 0, failed: progress?.failed ?? 0, parked: progress?.parked ?? 0 };
    if (!globals().json) {
      if (!started) bar.start(total, done, payload);
      started = true;
      bar.setTotal(total);
      bar.update(done, payload);
    }
    if (notice.status !== 'sending') {
      if (started) bar.stop();
      return view;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---- incidents -----------------------------------------------------------------------------------------

program
  .command('list')
  .description('open incidents, most urgent deadline first, with their GDPR clock (one page; --next for the following)')
  .option('--limit <n>', 'incidents per page (at most 100)', '100')
  .option('--next <cursor>', 'the cursor printed under the previous page')
  .action(async (options: { limit: string; next?: string }) => {
    const answer = await call('GET', `/api/incidents?${new URLSearchParams({ limit: options.limit, ...(options.next ? { next: options.next } : {}) })}`);
    out(answer, () => {
      console.log(`now ${answer.now}`);
      if (!answer.incidents.length) console.log('no open incidents');
      for (const i of answer.incidents) {
        const c = i.clocks[0];
        console.log(`${i.id}  ${i.severity.padEnd(8)} ${i.status.padEnd(12)} ${c.status.padEnd(8)} due ${c.dueAt} (${c.timeLeft}${c.provisional ? ', provisional' : ''})  alerts ${i.alertCount}  tasks ${i.tasks.open} open${i.tasks.overdue ? ` (${i.tasks.overdue} overdue)` : ''}  ${safe(i.title)}`);
      }
      if (answer.next) console.log(`more: breachclock list --next ${answer.next}`);
    });
  });

program
  .command('show <id>')
  .description('one incident: clocks of every regime, timers, timeline, messages (JSON)')
  .action(async (id: string) => console.log(JSON.stringify(await call('GET', incidentPath(id)), null, 2)));

program
  .command('alerts <id>')
  .description("an incident's distinct alert instances, each with first and last seen (one page; --next for the following)")
  .option('--limit <n>', 'instances per page (at most 100)', '50')
  .option('--oldest', 'oldest first (the default is newest first)')
  .option('--next <cursor>', 'the cursor printed under the previous page')
  .action(async (id: string, options: { limit: string; oldest?: boolean; next?: string }) => {
    const query = new URLSearchParams({ limit: options.limit, order: options.oldest ? 'oldest' : 'newest', ...(options.next ? { next: options.next } : {}) });
    const answer = await call('GET', `${incidentPath(id)}/alerts?${query}`);
    out(answer, () => {
      console.log(`${answer.alertCount} distinct alert instances on ${answer.incidentId}`);
      for (const a of answer.alerts) {
        console.log(`${a.receivedAt}  last seen ${a.lastSeenAt}${a.repeats ? ` (${a.repeats} repeats)` : ''}  ${a.status.padEnd(8)} ${a.outcome.padEnd(8)} ${safe(a.title)}${a.labels?.instance ? `  ${safe(a.labels.instance)}` : ''}`.slice(0, 240));
      }
      if (answer.next) console.log(`more: breachclock alerts ${id} --next ${answer.next}${options.oldest ? ' --oldest' : ''}`);
    });
  });

const act = (id: string, body: unknown) => call('POST', `${incidentPath(id)}/actions`, body).then((answer) => out(answer, () => printIncident(answer.incident)));
program.command('ack <id>').description('acknowledge').action((id: string) => act(id, { action: 'acknowledge' }));
program.command('own <id>').description('take ownership').action((id: string) => act(id, { action: 'take-ownership' }));
program
  .command('confirm <id> <awareAt> <justification...>')
  .description('confirm as a personal-data breach; awareAt is an ISO time or "now"')
  .action(async (id: string, awareAt: string, justification: string[]) => {
    const at = awareAt === 'now' ? ((await call('GET', '/local/clock').catch(() => ({ now: new Date().toISOString() }))) as { now: string }).now : awareAt;
    await act(id, { action: 'confirm', awareAt: at, justification: justification.join(' ') });
  });
program.command('dismiss <id> <reason...>').description('not a personal-data breach').action((id: string, reason: string[]) => act(id, { action: 'dismiss', reason: reason.join(' ') }));
program
  .command('close <id> <reason...>')
  .description('close a confirmed or dismissed incident (blocking tasks open: --override with the reason)')
  .option('--override <reason>', 'close although blocking tasks are open (kept with the tasks it overrode)')
  .action((id: string, reason: string[], options: { override?: string }) => act(id, { action: 'close', reason: reason.join(' '), ...(options.override ? { override: options.override } : {}) }));

// ---- response tasks --------------------------------------------------------------------------------------

function printTask(task: any, incidentId?: string): void {
  const state = task.status === 'open' ? (task.owner ? `owner ${safe(task.owner)}` : 'nobody has taken it') : `${task.status === 'done' ? 'done' : 'not applicable'} by ${safe(task.closedBy)}: ${safe(task.note)}`;
  console.log(`${incidentId ? `${incidentId}  ` : ''}${task.id.padEnd(44)} ${task.status.padEnd(14)} ${task.role.padEnd(9)} ${task.dueAt ? `due ${task.dueAt}${task.overdue ? ' OVERDUE' : ''}` : 'no due time'}${task.blocksClose ? ' (blocks closing)' : ''}\n    ${safe(task.title)} · ${state}`);
}

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

program.command('take <id> <taskId>').description('take a task (or --to someone to hand it over)').option('--to <owner>', 'hand it to this identity').action((id: string, taskId: string, options: { to?: string }) => act(id, { action: 'assign-task', taskId, ...(options.to ? { owner: options.to } : {}) }));
program.command('done <id> <taskId> <note...>').description('complete a task with a note of what was done').action((id: string, taskId: string, note: string[]) => act(id, { action: 'complete-task', taskId, note: note.join(' ') }));
program.command('na <id> <taskId> <reason...>').description('set a task aside as not applicable, with the reason').action((id: string, taskId: string, reason: string[]) => act(id, { action: 'set-aside-task', taskId, reason: reason.join(' ') }));
program.command('reopen <id> <taskId> <reason...>').description('reopen a done or set-aside task').action((id: string, taskId: string, reason: string[]) => act(id, { action: 'reopen-task', taskId, reason: reason.join(' ') }));
program
  .command('add-task <id> <phase> <role> <title...>')
  .description('add a task by hand (phase: triage, contain, preserve, eradicate, restore, verify, notify)')
  .option('--due <instant>', 'when it is due (ISO-8601 with a zone)')
  .option('--blocks-close', 'the incident cannot be closed while it is open')
  .action((id: string, phase: string, role: string, title: string[], options: { due?: string; blocksClose?: boolean }) =>
    act(id, { action: 'add-task', title: title.join(' '), phase, role, ...(options.due ? { dueAt: options.due } : {}), ...(options.blocksClose ? { blocksClose: true } : {}) }));
program.command('kind <id> <kind>').description("set the incident's kind; its template tasks are added (credential-compromise, data-exfiltration, ransomware, lost-device, misdirected-email)").action((id: string, kind: string) => act(id, { action: 'set-kind', kind }));

program
  .command('verify <id>')
  .description("check the incident's hash-chained audit trail (exit 1 when it was tampered with)")
  .action(async (id: string) => {
    const result = await call('GET', `${incidentPath(id)}/trail`);
    out(result, () => {
      console.log(result.ok ? `trail intact: ${result.events} events, head ${result.head?.hash}` : `TRAIL BROKEN: ${result.problems.length} problem(s)`);
      for (const p of result.problems) console.log(`  ${p.kind.padEnd(9)} #${p.seq}  ${safe(p.detail)}`);
    });
    if (!result.ok) process.exitCode = 1;
  });

program
  .command('register')
  .description('the Art. 33(5) register of every breach (default: the last year)')
  .option('--from <date>', 'detected at or after (YYYY-MM-DD or ISO time)')
  .option('--to <date>', 'detected before')
  .addOption(new Option('--outcome <outcome>', 'only these').choices(['notified', 'not-notified', 'pending', 'dismissed']))
  .option('--regime <regime>', 'only incidents with a clock of this regime, e.g. gdpr-art33')
  .option('--csv', 'CSV (for a spreadsheet or an authority)')
  .action(async (options: { from?: string; to?: string; outcome?: string; regime?: string; csv?: boolean }) => {
    const query = new URLSearchParams(Object.entries({ from: options.from, to: options.to, outcome: options.outcome, regime: options.regime, ...(options.csv ? { format: 'csv' } : {}) }).filter((e): e is [string, string] => Boolean(e[1])));
    if (options.csv) {
      const response = await request('GET', `/api/register?${query}`);
      if (!response.ok) throw new CliError(`${response.status}: ${safe(await response.text())}`, 1);
      process.stdout.write(await response.text());
      return;
    }
    const register = await call('GET', `/api/register?${query}`);
    out(register, () => {
      console.log(`register ${register.from} to ${register.to}: ${register.entries.length} incidents${register.truncated ? ' (truncated: narrow the period)' : ''}`);
      for (const e of register.entries) {
        console.log(`${e.incidentId}  ${e.outcome.padEnd(12)} ${e.status.padEnd(12)} risk ${String(e.effects.riskLevel ?? '-').padEnd(5)} ${e.facts.affected} people  ${safe(e.title)}`);
        for (const c of e.clocks) console.log(`    ${c.regime}/${c.obligation}: due ${c.dueAt ?? '-'} ${c.result}${c.reference ? ` ref ${safe(c.reference)}` : ''}`);
      }
    });
  });

program
  .command('alert')
  .description('send a test alert to /alerts/generic (with the ingest token)')
  .requiredOption('--title <title>', 'what happened')
  .addOption(new Option('--severity <severity>').choices(['critical', 'high', 'medium', 'low', 'info']).default('high'))
  .requiredOption('--fingerprint <fingerprint>', 'the same fingerprint attaches to the same open incident')
  .option('--ingest-token <token>', 'the ingest token (default: the local stack\'s)')
  .action(async (options: { title: string; severity: string; fingerprint: string; ingestToken?: string }) => {
    const answer = await call('POST', '/alerts/generic', { title: options.title, severity: options.severity, fingerprint: options.fingerprint, observedAt: new Date().toISOString() }, { token: options.ingestToken ?? localSetting('ingestToken') });
    out(answer, () => console.log(`${answer.outcome}: ${answer.incidentId ?? 'recorded only'} (alert ${answer.alertId}${answer.deduplicated ? ', deduplicated' : ''})`));
  });

program
  .command('smoke')
  .description('check a deployment end to end: who you are, the API description, the desk, an alert in, its incident and clock (exit 1 on any failure)')
  .option('--ingest-token <token>', "an ingest token (default: the local stack's)")
  .action(async (options: { ingestToken?: string }) => {
    const checks: { check: string; ok: boolean; detail: string }[] = [];
    const step = async (check: string, run: () => Promise<string>) => {
      try {
        checks.push({ check, ok: true, detail: await run() });
      } catch (error) {
        checks.push({ check, ok: false, detail: error instanceof Error ? error.message : String(error) });
      }
    };
    await step('GET /api/me', async () => {
      const me = await call('GET', '/api/me');
      if (!me.roles.length) throw new Error(`${me.actor} has no role: add the user to a Cognito group (responder, dpo, legal, executive)`);
      return `${safe(me.actor)}: ${me.roles.join(', ')}`;
    });
    await step('GET /api/openapi.json', async () => `OpenAPI ${(await call('GET', '/api/openapi.json')).openapi}`);
    await step('GET /dashboard', async () => {
      const response = await fetch(`${baseUrl()}/dashboard`);
      if (!response.ok || !response.headers.get('content-security-policy')) throw new Error(`${response.status}, content-security-policy ${response.headers.get('content-security-policy') ? 'set' : 'missing'}`);
      const config = (await fetch(`${baseUrl()}/dashboard/config.json`).then((r) => r.json())) as { auth: string };
      return `${response.status}, ${config.auth} sign-in`;
    });
    let incidentId: string | undefined;
    await step('POST /alerts/generic', async () => {
      const fingerprint = `smoke-test/${new Date().toISOString()}`;
      const answer = await call('POST', '/alerts/generic', { title: 'breachclock smoke test (dismiss me)', severity: 'low', fingerprint, observedAt: new Date().toISOString(), labels: { smoke_test: 'true' } }, { token: options.ingestToken ?? localSetting('ingestToken') });
      incidentId = answer.incidentId;
      if (!incidentId) throw new Error(`accepted but ${answer.outcome}: the routing rules did not open an incident for a generic alert`);
      return `${answer.outcome} ${incidentId}`;
    });
    if (incidentId) {
      await step('GET the incident and its GDPR clock', async () => {
        const { incident } = await call('GET', incidentPath(incidentId!));
        const clock = incident.clocks?.[0];
        if (!clock?.dueAt) throw new Error('no GDPR clock on the incident');
        return `${incident.status}, due ${clock.dueAt}`;
      });
      await step('verify its audit trail', async () => {
        const trail = await call('GET', `${incidentPath(incidentId!)}/trail`);
        if (!trail.ok) throw new Error('trail broken');
        return `${trail.events} events intact`;
      });
    }
    // The test incident pages like any other: dismissed at once when the caller may (the DPO), else said.
    let dismissed = false;
    if (incidentId && checks.every((c) => c.ok)) {
      await step('dismiss the test incident', async () => {
        await call('POST', `${incidentPath(incidentId!)}/actions`, { action: 'dismiss', reason: 'breachclock smoke test: not a breach' });
        dismissed = true;
        return 'dismissed';
      });
      if (!dismissed) checks.pop(); // not a DPO: not a failure of the deployment
    }
    out({ ok: checks.every((c) => c.ok), incidentId: incidentId ?? null, dismissed, checks }, () => {
      for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}: ${c.detail}`);
      if (incidentId && !dismissed) console.log(`(a DPO dismisses the test incident: breachclock dismiss ${incidentId} "smoke test")`);
    });
    if (!checks.every((c) => c.ok)) process.exitCode = 1;
  });

// ---- local stack ---------------------------------------------------------------------------------------

program
  .command('advance <duration>')
  .description('move the local stack\'s virtual time forward (15m, 24h, 3d); runs one clock tick')
  .action(async (by: string) => console.log(JSON.stringify(await call('POST', '/local/clock/advance', { by }), null, 2)));
program.command('clock').description("show the local stack's virtual time").action(async () => console.log(JSON.stringify(await call('GET', '/local/clock'), null, 2)));
program
  .command('deliveries')
  .description('Slack posts and SNS publishes the local stack recorded')
  .action(async () => {
    const answer = await call('GET', '/local/deliveries');
    out(answer, () => {
      for (const d of answer.deliveries) console.log(`${d.deliveredAt}  ${d.channel}${d.topic ? `:${d.topic}` : ''}  ${safe(d.subject)}`);
    });
  });
program
  .command('emails')
  .description('emails captured by the local SES emulator')
  .action(async () => {
    const answer = await call('GET', '/local/ses');
    out(answer, () => {
      for (const e of answer.emails) console.log(`${safe(e.destination?.to?.[0]).padEnd(32)} ${safe(e.subject)}`);
    });
  });

// ---- notices -------------------------------------------------------------------------------------------

program
  .command('packs')
  .description('the notice kinds, their languages, channels and mandatory elements')
  .action(async () => {
    const answer = await call('GET', '/api/notice-packs');
    out(answer, () => {
      for (const pack of answer.packs) console.log(`${pack.kind.padEnd(22)} ${pack.languages.join('/').padEnd(9)} ${pack.channels.join(',').padEnd(11)} ${pack.name}`);
    });
  });
program
  .command('notices <id>')
  .description("an incident's notices and their status")
  .action(async (id: string) => {
    const answer = await call('GET', `${incidentPath(id)}/notices`);
    out(answer, () => {
      for (const n of answer.notices) console.log(`${n.noticeId}  ${n.status.padEnd(9)} v${n.version}  ${n.language}  ${n.kind}${n.approval ? `  approved by ${safe(n.approval.by)}` : ''}${n.submission ? `  ref ${safe(n.submission.reference)}` : ''}`);
    });
  });
program
  .command('draft <id> <kind> [elements...]')
  .description('draft a notice; elements as element=text (e.g. what-to-do="Change your password")')
  .addOption(new Option('--language <language>').choices(['en', 'de', 'fr']))
  .option('--controller <name>', "a processor's notice: the controller it goes to")
  .option('--follow-up-of <noticeId>', 'a follow-up (Art. 33(4)) of a submitted notice')
  .action(async (id: string, kind: string, elements: string[], options: { language?: string; controller?: string; followUpOf?: string }) => {
    const view = await call('POST', `${incidentPath(id)}/notices`, {
      kind,
      fields: parseFields(elements),
      ...(options.language ? { language: options.language } : {}),
      ...(options.controller ? { controller: options.controller } : {}),
      ...(options.followUpOf ? { followUpOf: options.followUpOf } : {}),
    });
    out(view, () => printNotice(view));
  });
program
  .command('notice <id> <noticeId>')
  .description('one notice: elements (derived or yours), what is missing, progress')
  .action(async (id: string, notice: string) => {
    const view = await call('GET', noticePath(id, notice));
    out(view, () => printNotice(view));
  });
program
  .command('edit <id> <noticeId> <elements...>')
  .description('change elements (element= removes yours): a new version')
  .action(async (id: string, notice: string, elements: string[]) => {
    const { notice: current } = await call('GET', noticePath(id, notice));
    const fields = Object.fromEntries(Object.entries(parseFields(elements)).map(([k, v]) => [k, v === '' ? null : v]));
    const view = await call('POST', `${noticePath(id, notice)}/actions`, { action: 'edit', fields, expectedVersion: current.version });
    out(view, () => printNotice(view));
  });
program
  .command('approve <id> <noticeId>')
  .description('approve the version you read (someone else must have written it)')
  .action(async (id: string, notice: string) => {
    const { notice: current } = await call('GET', noticePath(id, notice));
    const view = await call('POST', `${noticePath(id, notice)}/actions`, { action: 'approve', expectedVersion: current.version });
    out(view, () => printNotice(view));
  });
program
  .command('recipients <id> <noticeId> <file>')
  .description('upload the affected people (CSV: email, phone, name, language); large files go through an upload URL')
  .action(async (id: string, notice: string, file: string) => {
    const csv = readFileSync(file);
    const path = `${noticePath(id, notice)}/recipients`;
    let answer: any;
    if (csv.byteLength <= 4 * 1024 * 1024) answer = await call('PUT', path, csv, { contentType: 'text/csv' });
    else {
      const target = await call('POST', `${path}/upload-url`, {});
      const uploaded = await fetch(target.url, { method: target.method, headers: target.headers, body: csv });
      if (!uploaded.ok) throw new CliError(`upload failed: ${uploaded.status} ${safe(await uploaded.text())}`, 1);
      answer = await call('POST', path, { objectKey: target.objectKey });
    }
    out(answer, () => {
      const r = answer.recipients;
      console.log(`${r.rows} rows: ${r.valid} valid, ${r.invalid} rejected; the list expires ${r.expiresAt}`);
      for (const e of r.errors) console.log(`  line ${e.line}: ${safe(e.message)}`);
    });
  });
program
  .command('send <id> <noticeId>')
  .description('send the approved notice, then follow it with a progress bar')
  .action(async (id: string, notice: string) => {
    await call('POST', `${noticePath(id, notice)}/actions`, { action: 'send' });
    const view = await follow(noticePath(id, notice));
    out(view, () => printNotice(view));
  });
program
  .command('progress <id> <noticeId>')
  .description('follow a sending notice with a progress bar until done')
  .action(async (id: string, notice: string) => {
    const view = await follow(noticePath(id, notice));
    out(view, () => printNotice(view));
  });
program
  .command('submitted <id> <noticeId> <reference>')
  .description('record the submission to the recipient (authority reference); stops its clock')
  .option('--at <time>', 'when it was submitted (ISO time; default now)')
  .action(async (id: string, notice: string, reference: string, options: { at?: string }) => {
    const view = await call('POST', `${noticePath(id, notice)}/actions`, { action: 'record-submission', reference, submittedAt: options.at ?? new Date().toISOString() });
    out(view, () => printNotice(view));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; a usage error exits 2 (commander printed it).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof CliError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else {
    console.error(safe((error as Error).message));
    process.exitCode = 2;
  }
}
