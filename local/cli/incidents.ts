import type { Command } from 'commander';
import { incidentPath, jsonText, safe, type Client } from './client.js';

function printIncident(incident: any): void {
  console.log(`${incident.id}  ${incident.status}  ${incident.severity}  ${safe(incident.title)}`);
}

const when = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z') : '-');

/** `show`: what an officer reads first, every value through `safe` (alert and officer text is untrusted). */
export function printShow(answer: any): void {
  const i = answer.incident;
  console.log(`${safe(i.id)}  ${safe(i.title)}`);
  console.log(`${safe(i.status)} · ${safe(i.severity)} · from ${safe(i.source)} · detected ${when(i.detectedAt)}${i.awareAt ? ` · aware ${when(i.awareAt)}` : ' · awareness not confirmed'}${i.owner ? ` · owner ${safe(i.owner)}` : ''}   (now ${when(answer.now)})`);
  const facts = i.facts;
  if (!facts) console.log('facts: none recorded (the clocks assume people in the EU and the controller role until they are)');
  else {
    const people = (facts.jurisdictions ?? []).map((j: any) => `${safe(j.code)} ${j.affected}`).join(', ');
    console.log(`facts: ${people || 'no jurisdictions'}${facts.role ? ` · ${safe(facts.role)}` : ''}${facts.dataCategories?.length ? ` · data ${facts.dataCategories.map(safe).join(', ')}` : ''}`);
  }
  console.log('');
  console.log('clocks');
  const gdpr = i.clocks?.[0];
  if (gdpr) console.log(`  GDPR Art. 33 (72 h)  ${safe(gdpr.status).padEnd(9)} due ${when(gdpr.dueAt)} (${safe(gdpr.timeLeft)})`);
  for (const c of i.regimeClocks ?? []) {
    if (c.regime === 'gdpr-art33' && c.obligation === 'authority-notification') continue;
    const due = c.dueAt ? `${c.deadlineKind === 'target' ? 'target' : 'due'} ${when(c.dueAt)}` : c.waitingFor ? `waiting for ${safe(c.waitingFor)}` : 'no due time';
    console.log(`  ${safe(c.label)}  ${safe(c.status)}  ${due}  (${safe(c.source ?? c.legalSource)})${c.submission?.reference ? ` ref ${safe(c.submission.reference)}` : ''}`);
  }
  const thresholds = (i.jurisdictions ?? []).flatMap((j: any) => j.thresholds.map((t: any) => `  ${safe(j.code)}: ${safe(t.label)}, ${safe(t.rule)}: ${t.affected} ${t.crossed ? 'crossed' : `(${-t.margin} short)`}`));
  if (thresholds.length) {
    console.log('');
    console.log('thresholds');
    for (const line of thresholds) console.log(line);
  }
  const decisions = Object.values(i.decisions ?? {}) as any[];
  if (decisions.length) {
    console.log('');
    console.log('decisions');
    for (const d of decisions) console.log(`  ${safe(d.regime)}: ${d.notify ? 'notify' : 'do not notify'} · proposed by ${safe(d.proposedBy)}${d.confirmedBy ? ` · confirmed by ${safe(d.confirmedBy)}` : ' · awaiting a second person'}${d.stale ? ' · STALE (the risk changed)' : ''}`);
  }
  const open = (i.tasks ?? []).filter((t: any) => t.status === 'open');
  console.log('');
  console.log(`tasks: ${open.length} open of ${(i.tasks ?? []).length}${open.some((t: any) => t.overdue) ? ` (${open.filter((t: any) => t.overdue).length} overdue)` : ''}`);
  for (const t of open.slice(0, 10)) console.log(`  ${t.overdue ? 'OVERDUE ' : ''}${safe(t.title)}${t.dueAt ? ` (due ${when(t.dueAt)})` : ''}${t.owner ? ` · ${safe(t.owner)}` : ''}`);
  const timeline = answer.timeline ?? [];
  if (timeline.length) {
    console.log('');
    console.log('latest');
    for (const e of timeline.slice(-8)) console.log(`  ${when(e.at)}  ${safe(e.type)}${e.actor ? ` by ${safe(e.actor)}` : ''}`);
  }
  console.log('');
  console.log(`the whole record: breachclock --json show ${safe(i.id)}`);
}

/** Posts an action on an incident and prints the incident it answers with (also the task commands' way). */
export const act = (client: Client, id: string, body: unknown) =>
  client.call('POST', `${incidentPath(id)}/actions`, body).then((answer) => client.out(answer, () => printIncident(answer.incident)));

/** list, show, alerts and the incident actions: ack, own, confirm, dismiss, close. */
export function registerIncidentCommands(program: Command, client: Client): void {
  const { call, out } = client;

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
    .description('one incident as a readable summary: facts, every clock with its law, thresholds per jurisdiction, decisions, tasks, the latest timeline (--json: the whole record)')
    .action(async (id: string) => {
      const answer = await call('GET', incidentPath(id));
      if (client.json()) return console.log(jsonText(answer));
      printShow(answer);
    });

  program
    .command('clocks <id>')
    .description("every regime clock of an incident, with its pack version; says when a pack's version changed since the incident recorded it")
    .action(async (id: string) => {
      const answer = await call('GET', incidentPath(id));
      out(answer, () => {
        for (const c of answer.incident.regimeClocks ?? []) {
          console.log(`${c.regime}/${c.obligation} v${c.version}  ${String(c.status).padEnd(12)} due ${c.dueAt ?? '-'}  ${safe(c.label)}`);
          const change = c.ruleChange;
          if (!change) continue;
          const then = change.frozen ? 'closed: kept as at closing' : `the earlier counts until adopted: breachclock adopt-rule-version ${id} ${c.regime}`;
          console.log(`    RULE CHANGED: recorded v${change.recorded.version} due ${change.recorded.dueAt ?? '-'}; current v${change.current.version ?? '(withdrawn)'} due ${change.current.dueAt ?? '-'}; ${then}`);
        }
      });
    });

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

  program.command('ack <id>').description('acknowledge').action((id: string) => act(client, id, { action: 'acknowledge' }));
  program.command('own <id>').description('take ownership').action((id: string) => act(client, id, { action: 'take-ownership' }));
  program
    .command('confirm <id> <awareAt> <justification...>')
    .description('confirm as a personal-data breach; awareAt is an ISO time or "now"')
    .action(async (id: string, awareAt: string, justification: string[]) => {
      const at = awareAt === 'now' ? ((await call('GET', '/local/clock').catch(() => ({ now: new Date().toISOString() }))) as { now: string }).now : awareAt;
      await act(client, id, { action: 'confirm', awareAt: at, justification: justification.join(' ') });
    });
  program.command('dismiss <id> <reason...>').description('not a personal-data breach').action((id: string, reason: string[]) => act(client, id, { action: 'dismiss', reason: reason.join(' ') }));
  program
    .command('close <id> <reason...>')
    .description('close a confirmed or dismissed incident (blocking tasks open: --override with the reason)')
    .option('--override <reason>', 'close although blocking tasks are open (kept with the tasks it overrode)')
    .action((id: string, reason: string[], options: { override?: string }) => act(client, id, { action: 'close', reason: reason.join(' '), ...(options.override ? { override: options.override } : {}) }));
}
