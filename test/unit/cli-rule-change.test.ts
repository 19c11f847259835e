import { jest } from '@jest/globals';
import { Command } from 'commander';
import { createClient, type Client } from '../../local/cli/client.js';
import { registerIncidentCommands } from '../../local/cli/incidents.js';
import { registerOfficerCommands } from '../../local/cli/officer.js';
import { registerRecordCommands } from '../../local/cli/records.js';

/** Issue 28.4: the CLI says when a pack's version changed since the incident recorded its clocks. */
const changed = {
  regime: 'california-1798-82',
  obligation: 'resident-notice',
  version: '2025-01',
  label: 'Notify affected California residents',
  status: 'running',
  dueAt: '2026-12-16T07:59:59.999Z',
  ruleChange: { recorded: { version: '2025-01', dueAt: '2026-12-16T07:59:59.999Z', rule: '25 calendar days', at: 'x' }, current: { version: '2026-12', dueAt: '2026-12-21T07:59:59.999Z', rule: '30 calendar days' }, frozen: false },
};
const plain = { regime: 'gdpr-art33', obligation: 'authority-notification', version: '2026-11', label: 'Notify the lead supervisory authority', status: 'running', dueAt: '2026-11-24T09:00:00.000Z' };

function cli(answer: unknown, calls: unknown[][] = []) {
  const program = new Command('breachclock').option('--json').exitOverride();
  const client = { ...createClient(program), call: async (...args: unknown[]) => (calls.push(args), answer) } as Client;
  registerIncidentCommands(program, client);
  registerOfficerCommands(program, client);
  registerRecordCommands(program, client);
  return program;
}

async function printed(run: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    await run();
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

describe('breachclock clocks / adopt-rule-version / register: rule changes (issue 28.4)', () => {
  it('clocks lists each clock with its pack version, and says "rule changed" with both deadlines and how to adopt', async () => {
    const text = await printed(() => cli({ incident: { id: 'INC-1', status: 'confirmed', regimeClocks: [plain, changed] } }).parseAsync(['clocks', 'INC-1'], { from: 'user' }));
    expect(text).toContain('gdpr-art33/authority-notification v2026-11');
    expect(text).toMatch(/california-1798-82\/resident-notice v2025-01 .*due 2026-12-16T07:59:59.999Z/);
    expect(text).toMatch(/RULE CHANGED: recorded v2025-01 due 2026-12-16T07:59:59.999Z; current v2026-12 due 2026-12-21T07:59:59.999Z/);
    expect(text).toContain('breachclock adopt-rule-version INC-1 california-1798-82');
  });

  it('a closed incident says its clock is kept as at closing', async () => {
    const text = await printed(() => cli({ incident: { id: 'INC-1', status: 'closed', regimeClocks: [{ ...changed, ruleChange: { ...changed.ruleChange, frozen: true } }] } }).parseAsync(['clocks', 'INC-1'], { from: 'user' }));
    expect(text).toMatch(/RULE CHANGED.*kept as at closing/);
    expect(text).not.toContain('adopt-rule-version');
  });

  it('adopt-rule-version posts the action', async () => {
    const calls: unknown[][] = [];
    await printed(() => cli({ incident: { id: 'INC-1', status: 'confirmed', severity: 'high', title: 't' } }, calls).parseAsync(['adopt-rule-version', 'INC-1', 'california-1798-82'], { from: 'user' }));
    expect(calls[0]).toEqual(['POST', '/api/incidents/INC-1/actions', { action: 'adopt-rule-version', regime: 'california-1798-82' }]);
  });

  it('register prints each clock\'s version and a rule change', async () => {
    const entry = { incidentId: 'INC-1', outcome: 'notified', status: 'closed', effects: { riskLevel: 'risk' }, facts: { affected: 3 }, title: 't', clocks: [{ regime: 'california-1798-82', obligation: 'resident-notice', version: '2025-01', dueAt: 'D1', result: 'met', currentRule: { version: '2026-12', dueAt: 'D2' } }] };
    const text = await printed(() => cli({ from: 'a', to: 'b', truncated: false, entries: [entry] }).parseAsync(['register'], { from: 'user' }));
    expect(text).toContain('california-1798-82/resident-notice (v2025-01): due D1 met [rule changed: v2026-12 due D2]');
  });
});
