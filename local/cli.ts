import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';

/**
 * A terminal client for the local stack (and any breachclock API reachable with a token):
 *   list | show <id> | ack <id> | confirm <id> <awareAt> <justification> | dismiss <id> <reason> |
 *   close <id> <reason> | advance <duration> | clock | deliveries | notices … (see usage)
 */
const dataDir = resolve(process.env.BREACHCLOCK_DATA_DIR ?? '.data');
const baseUrl = (process.env.BREACHCLOCK_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
let token = process.env.BREACHCLOCK_API_TOKEN;
/** Read only when a command calls the API, so `help` works without a token or a running stack. */
function apiToken(): string {
  if (!token) {
    try {
      token = (JSON.parse(readFileSync(`${dataDir}/local-settings.json`, 'utf8')) as { apiToken: string }).apiToken;
    } catch {
      console.error(`No API token: set BREACHCLOCK_API_TOKEN or start the local stack first (npm start) so ${dataDir}/local-settings.json exists.`);
      process.exit(2);
    }
  }
  return token;
}

/** Terminal-safe: officers' and tools' text never brings escape sequences or bidi overrides to a terminal. */
// eslint-disable-next-line no-control-regex
const safe = (value: unknown) => String(value ?? '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
const actor = process.env.BREACHCLOCK_ACTOR ?? process.env.USER ?? 'cli';

async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken()}`, 'content-type': contentType, 'x-actor': actor },
      ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
  } catch {
    console.error(`Cannot reach ${baseUrl}: is the local stack running (npm start)?`);
    process.exit(2);
  }
  const payload = (await response.json()) as any;
  if (!response.ok) {
    console.error(`${response.status} ${payload?.error?.code ?? ''}: ${payload?.error?.message ?? ''}`);
    for (const detail of payload?.error?.details ?? []) console.error(`  ${detail.path}: ${detail.message}`);
    process.exit(1);
  }
  return payload;
}

const usage = `usage: npm run cli -- <command>
  list                                     open incidents, most urgent first
  show <id>                                one incident: clock, timers, timeline, messages
  verify <id>                              check the incident's hash-chained audit trail (exit 1 if tampered)
  register [from] [to] [--csv] [--outcome notified|not-notified|pending|dismissed] [--regime gdpr-art33]
                                           the Art. 33(5) register of every breach (default: the last year)
  ack <id>                                 acknowledge
  confirm <id> <awareAt|now> <justification>   confirm as a personal-data breach
  dismiss <id> <reason>                    not a personal-data breach
  close <id> <reason>                      close a confirmed or dismissed incident
  advance <duration>                       move local virtual time forward (e.g. 15m, 24h, 3d)
  clock                                    show local virtual time
  deliveries                               recorded Slack posts and SNS publishes

notices (docs/notices.md):
  packs                                    the notice kinds, their elements and legal sources
  notices <id>                             an incident's notices and their status
  draft <id> <kind> [lang] [el=text ...]   draft a notice (e.g. draft INC-… gdpr-people de what-to-do="…";
                                           a processor's notice names its controller: controller="Shop A")
  notice <id> <notice>                     elements (derived or yours), what is missing, the rendered text
  edit <id> <notice> el=text ...           change elements (el= removes yours); a new version
  approve <id> <notice>                    approve the version you read (someone else wrote it)
  recipients <id> <notice> <file.csv>      upload the affected people (email, phone, name, language)
  send <id> <notice>                       send the approved notice, then follow its progress
  progress <id> <notice>                   follow sending with a progress bar until done
  submitted <id> <notice> <reference> [at] record the submission to the authority (at: ISO time, default now)
  emails                                   emails captured by the local SES emulator`;

const [command, ...args] = process.argv.slice(2);
const need = (n: number) => {
  if (args.length < n) {
    console.error(usage);
    process.exit(2);
  }
};

switch (command) {
  case 'list': {
    const { now, incidents } = await call('GET', '/api/incidents');
    console.log(`now ${now}`);
    if (!incidents.length) console.log('no open incidents');
    for (const i of incidents) {
      const c = i.clocks[0];
      console.log(`${i.id}  ${i.severity.padEnd(8)} ${i.status.padEnd(12)} ${c.status.padEnd(8)} due ${c.dueAt} (${c.timeLeft}${c.provisional ? ', provisional' : ''})  alerts ${i.alertCount}  ${i.title}`);
    }
    break;
  }
  case 'show': {
    need(1);
    console.log(JSON.stringify(await call('GET', `/api/incidents/${encodeURIComponent(args[0]!)}`), null, 2));
    break;
  }
  case 'register': {
    const flags = new Map<string, string>();
    const dates: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--csv') flags.set('format', 'csv');
      else if (args[i]!.startsWith('--')) flags.set(args[i]!.slice(2), args[++i] ?? '');
      else dates.push(args[i]!);
    }
    const query = new URLSearchParams({ ...(dates[0] ? { from: dates[0] } : {}), ...(dates[1] ? { to: dates[1] } : {}), ...Object.fromEntries(flags) });
    if (flags.get('format') === 'csv') {
      const response = await fetch(`${baseUrl}/api/register?${query}`, { headers: { authorization: `Bearer ${apiToken()}`, 'x-actor': actor } });
      if (!response.ok) {
        console.error(`${response.status}: ${await response.text()}`);
        process.exit(1);
      }
      process.stdout.write(await response.text());
      break;
    }
    const register = await call('GET', `/api/register?${query}`);
    console.log(`register ${register.from} to ${register.to}: ${register.entries.length} incidents${register.truncated ? ' (truncated: narrow the period)' : ''}`);
    for (const e of register.entries) {
      console.log(`${e.incidentId}  ${e.outcome.padEnd(12)} ${e.status.padEnd(12)} risk ${String(e.effects.riskLevel ?? '-').padEnd(5)} ${e.facts.affected} people  ${safe(e.title)}`);
      for (const c of e.clocks) console.log(`    ${c.regime}/${c.obligation}: due ${c.dueAt ?? '-'} ${c.result}${c.reference ? ` ref ${safe(c.reference)}` : ''}`);
    }
    break;
  }
  case 'verify': {
    need(1);
    const result = await call('GET', `/api/incidents/${encodeURIComponent(args[0]!)}/trail`);
    console.log(result.ok ? `trail intact: ${result.events} events, head ${result.head?.hash}` : `TRAIL BROKEN: ${result.problems.length} problem(s)`);
    for (const p of result.problems) console.log(`  ${p.kind.padEnd(9)} #${p.seq}  ${safe(p.detail)}`);
    if (!result.ok) process.exit(1);
    break;
  }
  case 'ack':
    need(1);
    console.log(JSON.stringify((await call('POST', `/api/incidents/${encodeURIComponent(args[0]!)}/actions`, { action: 'acknowledge' })).incident, null, 2));
    break;
  case 'confirm': {
    need(3);
    const { now } = args[1] === 'now' ? await call('GET', '/local/clock') : { now: args[1] };
    const body = { action: 'confirm', awareAt: now, justification: args.slice(2).join(' ') };
    console.log(JSON.stringify((await call('POST', `/api/incidents/${encodeURIComponent(args[0]!)}/actions`, body)).incident, null, 2));
    break;
  }
  case 'dismiss':
  case 'close':
    need(2);
    console.log(JSON.stringify((await call('POST', `/api/incidents/${encodeURIComponent(args[0]!)}/actions`, { action: command, reason: args.slice(1).join(' ') })).incident, null, 2));
    break;
  case 'advance':
    need(1);
    console.log(JSON.stringify(await call('POST', '/local/clock/advance', { by: args[0] }), null, 2));
    break;
  case 'clock':
    console.log(JSON.stringify(await call('GET', '/local/clock'), null, 2));
    break;
  case 'deliveries':
    for (const d of (await call('GET', '/local/deliveries')).deliveries) {
      console.log(`${d.deliveredAt}  ${d.channel}${d.topic ? `:${d.topic}` : ''}  ${d.subject}`);
    }
    break;
  case 'packs':
    for (const pack of (await call('GET', '/api/notice-packs')).packs) {
      console.log(`${pack.kind.padEnd(22)} ${pack.languages.join('/').padEnd(9)} ${pack.channels.join(',').padEnd(11)} ${pack.name}`);
    }
    break;
  case 'notices': {
    need(1);
    for (const n of (await call('GET', `/api/incidents/${encodeURIComponent(args[0]!)}/notices`)).notices) {
      console.log(`${n.noticeId}  ${n.status.padEnd(9)} v${n.version}  ${n.language}  ${n.kind}${n.approval ? `  approved by ${safe(n.approval.by)}` : ''}${n.submission ? `  ref ${safe(n.submission.reference)}` : ''}`);
    }
    break;
  }
  case 'draft': {
    need(2);
    const [incidentId, kind, maybeLanguage, ...rest] = args;
    const language = maybeLanguage && /^(en|de|fr)$/.test(maybeLanguage) ? maybeLanguage : undefined;
    const { controller, ...fields } = parseFields(language ? rest : [maybeLanguage, ...rest].filter((a): a is string => Boolean(a)));
    const view = await call('POST', `/api/incidents/${encodeURIComponent(incidentId!)}/notices`, { kind, ...(language ? { language } : {}), ...(controller ? { controller } : {}), fields });
    printNotice(view);
    break;
  }
  case 'notice':
    need(2);
    printNotice(await call('GET', `/api/incidents/${encodeURIComponent(args[0]!)}/notices/${encodeURIComponent(args[1]!)}`));
    break;
  case 'edit': {
    need(3);
    const path = `/api/incidents/${encodeURIComponent(args[0]!)}/notices/${encodeURIComponent(args[1]!)}`;
    const { notice } = await call('GET', path);
    const fields = Object.fromEntries(Object.entries(parseFields(args.slice(2))).map(([k, v]) => [k, v === '' ? null : v]));
    printNotice(await call('POST', `${path}/actions`, { action: 'edit', fields, expectedVersion: notice.version }));
    break;
  }
  case 'approve': {
    need(2);
    const path = `/api/incidents/${encodeURIComponent(args[0]!)}/notices/${encodeURIComponent(args[1]!)}`;
    const { notice } = await call('GET', path);
    printNotice(await call('POST', `${path}/actions`, { action: 'approve', expectedVersion: notice.version }));
    break;
  }
  case 'recipients': {
    need(3);
    const csv = readFileSync(args[2]!);
    const path = `/api/incidents/${encodeURIComponent(args[0]!)}/notices/${encodeURIComponent(args[1]!)}/recipients`;
    let recipients;
    if (csv.byteLength <= 4 * 1024 * 1024) {
      ({ recipients } = await call('PUT', path, csv, 'text/csv'));
    } else {
      // Too large for the API: straight to the store through an upload URL (presigned S3 PUT on AWS), then attach.
      const target = await call('POST', `${path}/upload-url`, {});
      const uploaded = await fetch(target.url, { method: target.method, headers: target.headers, body: csv });
      if (!uploaded.ok) {
        console.error(`upload failed: ${uploaded.status} ${await uploaded.text()}`);
        process.exit(1);
      }
      ({ recipients } = await call('POST', path, { objectKey: target.objectKey }));
    }
    console.log(`${recipients.rows} rows: ${recipients.valid} valid, ${recipients.invalid} rejected; the list expires ${recipients.expiresAt}`);
    for (const e of recipients.errors) console.log(`  line ${e.line}: ${safe(e.message)}`);
    break;
  }
  case 'send':
  case 'progress': {
    need(2);
    const path = `/api/incidents/${encodeURIComponent(args[0]!)}/notices/${encodeURIComponent(args[1]!)}`;
    if (command === 'send') await call('POST', `${path}/actions`, { action: 'send' });
    await follow(path);
    break;
  }
  case 'submitted': {
    need(3);
    const submittedAt = args[3] ?? new Date().toISOString();
    printNotice(await call('POST', `/api/incidents/${encodeURIComponent(args[0]!)}/notices/${encodeURIComponent(args[1]!)}/actions`, { action: 'record-submission', reference: args[2], submittedAt }));
    break;
  }
  case 'emails':
    for (const e of (await call('GET', '/local/ses')).emails) console.log(`${safe(e.destination?.to?.[0]).padEnd(32)} ${safe(e.subject)}`);
    break;
  case undefined:
  case 'help':
  case '--help':
    console.log(usage);
    break;
  default:
    console.error(`unknown command "${command}"\n${usage}`);
    process.exit(2);
}

function parseFields(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) {
      console.error(`"${pair}" is not element=text`);
      process.exit(2);
    }
    fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return fields;
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
async function follow(path: string): Promise<void> {
  const bar = new SingleBar({ format: 'sending |{bar}| {percentage}% | {value}/{total} | sent {sent} delivered {delivered} failed {failed} parked {parked}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  for (;;) {
    const { notice, progress } = await call('GET', path);
    const total = progress?.planned ?? notice.recipients?.valid ?? 0;
    const done = progress ? progress.sent + progress.failed + progress.parked + progress.duplicates : 0;
    const payload = { sent: progress?.sent ?? 0, delivered: progress?.delivered ?? 0, failed: progress?.failed ?? 0, parked: progress?.parked ?? 0 };
    if (!started) {
      bar.start(total, done, payload);
      started = true;
    }
    bar.setTotal(total);
    bar.update(done, payload);
    if (notice.status !== 'sending') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  bar.stop();
}
