import { jest } from '@jest/globals';
import { Command } from 'commander';
import { createClient, type Client } from '../../local/cli/client.js';
import { registerIncidentCommands } from '../../local/cli/incidents.js';
import { registerLocalStackCommands } from '../../local/cli/local-stack.js';
import { registerRecordCommands } from '../../local/cli/records.js';
import { renderIncidentMessage } from '../../lambdas/domain/slack-message.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

// Issue 24.5: alert and officer text never reaches a terminal as escape codes or bidi overrides.
// ESC, C1 (CSI U+009B), bidi overrides and isolates, marks and line/paragraph separators.
const HOSTILE = 'Export \u001b[2J\u009b31m ok\u202etxt.exe\u2066x\u2069\u200f\u2028end';
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function cli(answer: unknown, extra: Partial<Client> = {}) {
  const program = new Command('breachclock').option('--json').exitOverride();
  const client = { ...createClient(program), call: async () => answer, ...extra } as Client;
  registerIncidentCommands(program, client);
  registerRecordCommands(program, client);
  registerLocalStackCommands(program, client);
  return program;
}

async function printed(run: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write);
  try {
    await run();
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return lines.join('\n');
}

describe('terminal output (issue 24.5)', () => {
  const tty = process.stdout.isTTY;
  afterEach(() => {
    process.stdout.isTTY = tty;
  });

  it('show --json prints JSON with every control and bidi character escaped (\\uXXXX), the same value', async () => {
    const incident = { id: 'INC-1', title: HOSTILE };
    const text = await printed(() => cli(incident).parseAsync(['--json', 'show', 'INC-1'], { from: 'user' }));
    expect(text).not.toMatch(RAW);
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(incident);
  });

  it('show is a readable summary (issue 25.3): facts, each clock by its law, thresholds, decisions, tasks; hostile text stripped', async () => {
    const answer = {
      now: '2026-12-05T10:00:00.000Z',
      incident: {
        id: 'INC-1', title: HOSTILE, status: 'acknowledged', severity: 'high', source: 'generic', detectedAt: '2026-12-04T10:00:00.000Z', awareAt: '2026-12-04T11:00:00.000Z',
        facts: { jurisdictions: [{ code: 'US-FL', affected: 499 }], role: 'controller', dataCategories: ['government-id'] },
        clocks: [{ status: 'running', dueAt: '2026-12-07T11:00:00.000Z', timeLeft: '2d 1h' }],
        regimeClocks: [{ regime: 'us-fl-breach', obligation: 'resident-notice', label: 'Notify affected Florida residents', status: 'running', dueAt: '2027-01-03T04:59:59.999Z', deadlineKind: 'legal', source: 'Fla. Stat. § 501.171(4)(a)' }],
        jurisdictions: [{ code: 'US-FL', affected: 499, regimes: [], thresholds: [{ label: 'Notify the Florida Department of Legal Affairs', rule: 'at least 500', affected: 499, crossed: false, margin: -1 }] }],
        decisions: { 'us-fl-breach': { regime: 'us-fl-breach', notify: true, proposedBy: 'dana' } },
        tasks: [{ status: 'open', title: 'Scope the breach', overdue: true }],
      },
      timeline: [{ at: '2026-12-04T11:00:00.000Z', type: 'incident.confirmed', actor: 'dana' }],
    };
    const text = await printed(() => cli(answer).parseAsync(['show', 'INC-1'], { from: 'user' }));
    expect(text).not.toMatch(RAW);
    expect(text).toContain('facts: US-FL 499 · controller · data government-id');
    expect(text).toContain('Notify affected Florida residents  running  due 2027-01-03 04:59Z  (Fla. Stat. § 501.171(4)(a))');
    expect(text).toContain('US-FL: Notify the Florida Department of Legal Affairs, at least 500: 499 (1 short)');
    expect(text).toContain('us-fl-breach: notify · proposed by dana · awaiting a second person');
    expect(text).toContain('OVERDUE Scope the breach');
    expect(text).toContain('the whole record: breachclock --json show INC-1');
  });

  it('--json of any command escapes them too', async () => {
    const answer = { from: 'a', to: 'b', truncated: false, entries: [{ incidentId: 'INC-1', title: HOSTILE }] };
    const text = await printed(() => cli(answer).parseAsync(['--json', 'register'], { from: 'user' }));
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(answer);
    const clock = await printed(() => cli({ now: HOSTILE }).parseAsync(['clock'], { from: 'user' }));
    expect(clock).not.toMatch(RAW);
  });

  it('register --csv to a terminal shows them as \\uXXXX; to a file or a pipe the CSV is byte for byte', async () => {
    const csv = `incidentId,title\r\nINC-1,"${HOSTILE}"\r\n`;
    const request = async () => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv' } });
    process.stdout.isTTY = true;
    const shown = await printed(() => cli({}, { request }).parseAsync(['register', '--csv'], { from: 'user' }));
    expect(shown).not.toMatch(RAW);
    expect(shown).toContain('\\u202e');
    expect(shown).toContain('incidentId,title\r\n');
    process.stdout.isTTY = false;
    expect(await printed(() => cli({}, { request }).parseAsync(['register', '--csv'], { from: 'user' }))).toBe(csv);
  });
});

describe('the Slack header (issue 24.5)', () => {
  it('carries no control or bidi character (a header is plain text: nothing else escapes it)', () => {
    const { blocks } = renderIncidentMessage(anIncident({ title: HOSTILE }), hoursAfter(T0, 1));
    const header = blocks.find((b) => (b as { type: string }).type === 'header') as { text: { text: string } };
    expect(header.text.text).not.toMatch(RAW);
    expect(header.text.text).toContain('Export [2J31m oktxt.exe');
  });
});

describe('packs (issue 25.4)', () => {
  it('lists what each pack must contain: every element, when it is required, and its legal source', async () => {
    const { NOTICE_PACKS } = await import('../../lambdas/domain/notices/packs/index.js');
    const { packSummary } = await import('../../lambdas/contracts/notice-views.js');
    const { registerNoticeCommands } = await import('../../local/cli/notices.js');
    const program = new Command('breachclock').option('--json').exitOverride();
    registerNoticeCommands(program, { ...createClient(program), call: async () => ({ packs: packSummary() }) } as Client);
    const text = await printed(() => program.parseAsync(['packs'], { from: 'user' }));
    const people = NOTICE_PACKS.find((pack) => pack.kind === 'gdpr-people')!;
    expect(text).toContain(`gdpr-people`);
    for (const element of people.elements) expect(text).toContain(`${element.id.padEnd(22)} ${element.label} (${element.legalSource})`);
    expect(text).toMatch(/ {2}required {9}nature {17}\S/);
  });
});

describe('suggestions (issue 26.2)', () => {
  it('`notice` shows task text as a suggestion and what is missing in which language; `accept` takes it by the hash read', async () => {
    const { registerNoticeCommands } = await import('../../local/cli/notices.js');
    const view = {
      notice: { noticeId: 'NTC-gdpr-people-1', kind: 'gdpr-people', language: 'de', status: 'draft', version: 3 },
      draft: {
        elements: [{ id: 'measures-taken', required: true, source: 'missing', suggestion: { text: 'Revoke key on db-prod-07', language: 'en', authors: ['sam'], hash: 'a'.repeat(64) } }],
        missing: [{ id: 'measures-taken', label: 'What we have done', legalSource: 'GDPR Art. 34(2)', language: 'de' }],
      },
    };
    const posted: unknown[] = [];
    const program = new Command('breachclock').option('--json').exitOverride();
    registerNoticeCommands(program, { ...createClient(program), call: async (method: string, _path: string, body?: unknown) => (method === 'POST' ? (posted.push(body), view) : view) } as Client);
    const text = await printed(() => program.parseAsync(['notice', 'INC-1', 'NTC-gdpr-people-1'], { from: 'user' }));
    expect(text).toMatch(/suggest measures-taken +Revoke key on db-prod-07 \[en\]/);
    expect(text).toContain('missing What we have done (GDPR Art. 34(2)) in de');
    await printed(() => program.parseAsync(['accept', 'INC-1', 'NTC-gdpr-people-1', 'measures-taken'], { from: 'user' }));
    expect(posted).toEqual([{ action: 'accept-suggestion', element: 'measures-taken', expectedVersion: 3, suggestionHash: 'a'.repeat(64) }]);
  });
});
