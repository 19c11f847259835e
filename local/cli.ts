import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * A terminal client for the local stack (and any breachclock API reachable with a token):
 *   list | show <id> | ack <id> | confirm <id> <awareAt> <justification> | dismiss <id> <reason> |
 *   close <id> <reason> | advance <duration> | clock | deliveries
 */
const dataDir = resolve(process.env.BREACHCLOCK_DATA_DIR ?? '.data');
const baseUrl = (process.env.BREACHCLOCK_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
let token = process.env.BREACHCLOCK_API_TOKEN;
if (!token) {
  try {
    token = (JSON.parse(readFileSync(`${dataDir}/local-settings.json`, 'utf8')) as { apiToken: string }).apiToken;
  } catch {
    console.error(`No API token: set BREACHCLOCK_API_TOKEN or start the local stack first (npm start) so ${dataDir}/local-settings.json exists.`);
    process.exit(2);
  }
}
const actor = process.env.BREACHCLOCK_ACTOR ?? process.env.USER ?? 'cli';

async function call(method: string, path: string, body?: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-actor': actor },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
  ack <id>                                 acknowledge
  confirm <id> <awareAt|now> <justification>   confirm as a personal-data breach
  dismiss <id> <reason>                    not a personal-data breach
  close <id> <reason>                      close a confirmed or dismissed incident
  advance <duration>                       move local virtual time forward (e.g. 15m, 24h, 3d)
  clock                                    show local virtual time
  deliveries                               recorded Slack posts and SNS publishes`;

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
  case undefined:
  case 'help':
  case '--help':
    console.log(usage);
    break;
  default:
    console.error(`unknown command "${command}"\n${usage}`);
    process.exit(2);
}
