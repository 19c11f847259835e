import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Presets, SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { CliError, incidentPath, noticePath, safe, terminalText, type Client } from './client.js';
import { changedFields, editInEditor, editorText, keepEdits, parseEditorText, type EditableElement } from './editor.js';

function parseFields(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new CliError(`"${pair}" is not element=text`, 2);
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
    // Task text is only a suggestion (issue 26.2): shown here, in the notice once an officer accepts it (`accept`).
    if (element.suggestion && !element.value) console.log(`  suggest ${element.id.padEnd(20)} ${safe(element.suggestion.text)} [${element.suggestion.language}]`.slice(0, 200));
  }
  if (draft.missing.length) console.log(`cannot be approved yet: missing ${draft.missing.map((m: { label: string; legalSource: string; language: string; written?: string }) => `${m.label} (${m.legalSource}) in ${m.language}${m.written ? `, not ${m.written}` : ''}`).join('; ')}`);
  if (view.contentHash) console.log(`content hash ${view.contentHash}`);
  if (progress) console.log(`progress ${progress.percent} %: ${progress.sent} sent, ${progress.delivered} delivered, ${progress.bounced} bounced, ${progress.failed} failed, ${progress.parked} parked, ${progress.duplicates} duplicates of ${progress.planned ?? '?'}`);
}

/** Follows a sending notice with a progress bar until every recipient is accounted for. */
async function follow(client: Client, path: string): Promise<any> {
  const bar = new SingleBar({ format: 'sending |{bar}| {percentage}% | {value}/{total} | sent {sent} delivered {delivered} failed {failed} parked {parked}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  for (;;) {
    const view = await client.call('GET', path);
    const { notice, progress } = view;
    const total = progress?.planned ?? notice.recipients?.valid ?? 0;
    const done = progress ? progress.sent + progress.failed + progress.parked + progress.duplicates : 0;
    const payload = { sent: progress?.sent ?? 0, delivered: progress?.delivered ?? 0, failed: progress?.failed ?? 0, parked: progress?.parked ?? 0 };
    if (!client.json()) {
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

/** When a pack's element is required, as `packs` says it. */
const REQUIRED: Record<string, string> = { always: 'required', 'when-late': 'when late', 'when-follow-up': 'in a follow-up', when: 'when facts say', no: 'optional' };

/** The list's people per jurisdiction against the facts, and the command that records them (the officer's choice). */
function printRegions(id: string, regions: any, recorded: { code: string; affected: number }[]): void {
  if (!regions) return;
  const counts = Object.entries(regions.byJurisdiction as Record<string, number>).sort(([a], [b]) => a.localeCompare(b));
  console.log(`by region: ${counts.map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}${regions.withoutRegion ? `; ${regions.withoutRegion} without a region` : ''} (rows: a person listed twice counts twice)`);
  for (const [code, n] of Object.entries(regions.readAsCountries as Record<string, number>)) console.log(`  ${n} row(s) give "${code}": read as the country; write US-${code} for the US state`);
  if (!regions.differFromFacts.length) return console.log('the recorded facts hold the same counts');
  for (const d of regions.differFromFacts) console.log(`  ${d.code}: ${d.list} in the list, ${d.facts === null ? 'not in the facts' : `${d.facts} in the facts`}`);
  console.log(`to record the list's counts (the facts' other jurisdictions kept): breachclock facts ${id} --affected ${[...new Map([...recorded.map((j): [string, number] => [j.code, j.affected]), ...counts]).entries()].map(([c, n]) => `${c}=${n}`).join(',')}`);
}

/** Notices: packs, notices, draft, notice, edit, approve, recipients, send, progress, submitted. */
export function registerNoticeCommands(program: Command, client: Client): void {
  const { call, out } = client;

  program
    .command('packs')
    .description('the notice kinds, their languages and channels, and what each must contain: every element, when it is required, its legal source')
    .action(async () => {
      const answer = await call('GET', '/api/notice-packs');
      out(answer, () => {
        for (const [i, pack] of answer.packs.entries()) {
          if (i) console.log('');
          console.log(`${pack.kind.padEnd(22)} ${pack.languages.join('/').padEnd(9)} ${pack.channels.join(',').padEnd(11)} ${safe(pack.name)} (${safe(pack.legalSource)})`);
          // What it must contain (issue 25.4): each element, when it is required, and its legal source.
          for (const element of pack.elements) console.log(`  ${(REQUIRED[element.required] ?? element.required).padEnd(16)} ${element.id.padEnd(22)} ${safe(element.label)} (${safe(element.legalSource)})`);
        }
      });
    });
  program
    .command('notices <id>')
    .description("an incident's notices and their status")
    .action(async (id: string) => {
      const answer = await call('GET', `${incidentPath(id)}/notices`);
      out(answer, () => {
        for (const n of answer.notices) console.log(`${n.noticeId}  ${n.status.padEnd(9)} v${n.version}  ${n.language}  ${n.kind}${n.approval ? `  approved by ${safe(n.approval.by)}` : ''}${n.submission ? `  ref ${safe(n.submission.reference)}` : ''}`);
        const us = answer.usResidentVariants as { variants: { states: string[]; why: string }[]; ownPacks: { code: string; kind: string }[] } | undefined;
        for (const v of us?.variants ?? []) console.log(`us-resident variant --states ${v.states.join(',')}: ${safe(v.why)}`);
        for (const p of us?.ownPacks ?? []) console.log(`${p.code}: its own notice, ${p.kind}`);
      });
    });
  program
    .command('draft <id> <kind> [elements...]')
    .description('draft a notice; elements as element=text (e.g. what-to-do="Change your password")')
    .addOption(new Option('--language <language>').choices(['en', 'de', 'fr']))
    .option('--controller <name>', "a processor's notice: the controller it goes to")
    .option('--states <codes>', 'a us-resident notice: the states of its variant, comma-separated (e.g. US-FL,US-MA,US-TX; `notices <id>` lists the variants)')
    .option('--answers <regime/obligation>', 'a report to a regulator, the consumer reporting agencies or a data owner: the clock it answers (e.g. us-tx-breach/attorney-general; `clocks <id>` lists them)')
    .option('--follow-up-of <noticeId>', 'a follow-up (Art. 33(4)) of a submitted notice')
    .action(async (id: string, kind: string, elements: string[], options: { language?: string; controller?: string; states?: string; answers?: string; followUpOf?: string }) => {
      const view = await call('POST', `${incidentPath(id)}/notices`, {
        kind,
        fields: parseFields(elements),
        ...(options.language ? { language: options.language } : {}),
        ...(options.controller ? { controller: options.controller } : {}),
        ...(options.states ? { states: options.states.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(options.answers ? { answers: options.answers } : {}),
        ...(options.followUpOf ? { followUpOf: options.followUpOf } : {}),
      });
      out(view, () => printNotice(view));
    });
  program
    .command('notice <id> <noticeId>')
    .description('one notice: elements (derived or yours), what is missing, progress; --rendered shows it as it would be sent')
    .addOption(new Option('--rendered [format]', 'print the rendered notice instead: text (default), sms, markdown or html').choices(['text', 'sms', 'markdown', 'html']))
    .action(async (id: string, notice: string, options: { rendered?: string | true }) => {
      const view = await call('GET', noticePath(id, notice));
      if (!options.rendered) return out(view, () => printNotice(view));
      const format = options.rendered === true ? 'text' : options.rendered;
      const rendered = view.draft.rendered as Record<string, string | undefined>;
      const body = rendered[format];
      if (body === undefined) throw new CliError(`${notice} has no ${format} format; it has: ${Object.keys(rendered).filter((k) => k !== 'subject' && rendered[k] !== undefined).join(', ')}`, 1);
      out({ format, subject: rendered.subject, body, contentHash: view.contentHash }, () => {
        if (format === 'text' && rendered.subject) console.log(`Subject: ${safe(rendered.subject)}\n`);
        // The terminal shows text, never control sequences from officer or alert text (safe strips them).
        console.log(terminalText(body));
        if (view.contentHash) console.log(`\ncontent hash ${view.contentHash}`);
      });
    });
  program
    .command('edit <id> <noticeId> [elements...]')
    .description('change elements (element= removes yours): a new version; without elements, opens the notice in $VISUAL/$EDITOR')
    .action(async (id: string, notice: string, elements: string[]) => {
      const current = await call('GET', noticePath(id, notice));
      let fields: Record<string, string | null>;
      if (elements.length) {
        fields = Object.fromEntries(Object.entries(parseFields(elements)).map(([k, v]) => [k, v === '' ? null : v]));
      } else {
        const draftElements = current.draft.elements as EditableElement[];
        const saved = editInEditor(editorText(current.notice, draftElements));
        if (saved === undefined) throw new CliError('the file was emptied: nothing was changed', 1);
        fields = changedFields(draftElements, parseEditorText(saved, new Set(draftElements.map((e) => e.id))));
        if (!Object.keys(fields).length) throw new CliError('nothing was changed', 1);
      }
      const view = await call('POST', `${noticePath(id, notice)}/actions`, { action: 'edit', fields, expectedVersion: current.notice.version }).catch((error: unknown) => {
        // Refused (someone saved a version meanwhile, or a value is wrong): what was written in the editor is kept.
        if (elements.length || !(error instanceof CliError)) throw error;
        const kept = keepEdits(notice, fields);
        throw new CliError(`${error.message}\nyour text is kept in ${kept}; run the edit again and paste it in`, error.exitCode);
      });
      out(view, () => printNotice(view));
    });
  program
    .command('accept <id> <noticeId> <element>')
    .description("take an element's suggested text (from the response tasks, shown by `notice`) as the notice's text: an edit by you")
    .action(async (id: string, notice: string, element: string) => {
      const { notice: current, draft } = await call('GET', noticePath(id, notice));
      const suggestion = draft.elements.find((e: { id: string }) => e.id === element)?.suggestion;
      if (!suggestion) throw new CliError(`${notice} has no suggested text for ${element}`, 2);
      const view = await call('POST', `${noticePath(id, notice)}/actions`, { action: 'accept-suggestion', element, expectedVersion: current.version, suggestionHash: suggestion.hash });
      out(view, () => printNotice(view));
    });
  program
    .command('approve <id> <noticeId>')
    .description('show the notice as it would be sent, then approve exactly that content (someone else must have written it)')
    .option('--hash <contentHash>', 'approve without asking: the content hash you reviewed (shown by `notice` and by this command)')
    .option('--list-hash <sha256>', 'with --hash, for a notice sent to a list: the recipient list hash you reviewed')
    .action(async (id: string, notice: string, options: { hash?: string; listHash?: string }) => {
      const review = await call('GET', noticePath(id, notice));
      if (options.hash !== undefined && !/^[0-9a-f]{64}$/.test(options.hash)) throw new CliError('--hash takes the 64-hex-digit content hash that `notice` shows', 2);
      if (options.listHash !== undefined && !/^[0-9a-f]{64}$/.test(options.listHash)) throw new CliError('--list-hash takes the 64-hex-digit list hash that `notice` shows', 2);
      if (options.hash === undefined) {
        // Four eyes means reading first: the rendered notice, its recipients and its hash, then a question.
        const { rendered } = review.draft;
        console.log(`${review.pack.name}: ${notice} version ${review.notice.version}${review.notice.recipients ? `, to ${review.notice.recipients.valid} recipients` : ''}`);
        console.log(`Subject: ${safe(rendered.subject)}\n\n${safe(rendered.text)}\n`);
        if (rendered.sms) console.log(`SMS: ${safe(rendered.sms)}\n`);
        console.log(`content hash ${review.contentHash}`);
        if (review.recipients) console.log(`recipient list: ${review.recipients.valid} valid recipients of ${review.recipients.rows} rows, list hash ${review.recipients.sha256}`);
        if (!process.stdin.isTTY) throw new CliError(`Not approved: read the notice above, then approve exactly it with --hash ${review.contentHash}${review.recipients ? ` --list-hash ${review.recipients.sha256}` : ''}`, 2);
        const prompt = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await prompt.question('Approve exactly this content? [y/N] ').finally(() => prompt.close());
        if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Not approved', 1);
      }
      const view = await call('POST', `${noticePath(id, notice)}/actions`, {
        action: 'approve',
        expectedVersion: review.notice.version,
        expectedContentHash: options.hash ?? review.contentHash,
        // The list is part of what is approved: the hash given, or the one printed above and agreed to.
        ...((options.hash === undefined ? review.recipients?.sha256 : options.listHash) ? { expectedRecipientsHash: options.hash === undefined ? review.recipients.sha256 : options.listHash } : {}),
        // What was shown in this run, element by element: a refusal then names what changed.
        ...(options.hash === undefined ? { reviewedElements: review.elementHashes } : {}),
      });
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
        console.log(`list hash ${r.sha256}${answer.status === 'draft' ? ' (the list is part of what is approved: approve the notice with this list)' : ''}`);
        for (const e of r.errors) console.log(`  line ${e.line}${e.column ? ` (${e.column})` : ''}: ${safe(e.message)}`);
      });
      // Where the people live, by the list's region column (issue 28.1): shown, never recorded by itself.
      if (answer.recipients?.regions && !client.json()) {
        const [view, incident] = await Promise.all([call('GET', noticePath(id, notice)), call('GET', incidentPath(id))]);
        printRegions(id, view.recipients?.regions, incident.incident?.facts?.jurisdictions ?? incident.facts?.jurisdictions ?? []);
      }
    });
  program
    .command('send <id> <noticeId>')
    .description('send the approved notice, then follow it with a progress bar')
    .action(async (id: string, notice: string) => {
      await call('POST', `${noticePath(id, notice)}/actions`, { action: 'send' });
      const view = await follow(client, noticePath(id, notice));
      out(view, () => printNotice(view));
    });
  program
    .command('progress <id> <noticeId>')
    .description('follow a sending notice with a progress bar until done')
    .action(async (id: string, notice: string) => {
      const view = await follow(client, noticePath(id, notice));
      out(view, () => printNotice(view));
    });
  program
    .command('submitted <id> <noticeId> <reference>')
    .description('record the submission to the recipient (authority reference); stops its clock')
    .option('--at <time>', "when it was submitted (ISO time; default now on the API's clock, the local stack's virtual time)")
    .action(async (id: string, notice: string, reference: string, options: { at?: string }) => {
      const view = await call('POST', `${noticePath(id, notice)}/actions`, { action: 'record-submission', reference, ...(options.at ? { submittedAt: options.at } : {}) });
      out(view, () => printNotice(view));
    });
}
