import { Option, type Command } from 'commander';
import { CliError, incidentPath, safe, terminalText, type Client } from './client.js';

/** The records: verify (an incident's hash-chained audit trail) and register (the Art. 33(5) register). */
export function registerRecordCommands(program: Command, client: Client): void {
  const { call, out } = client;

  program
    .command('verify <id>')
    .description("check the incident's audit trail: its hash chain, its signed anchors and its notices' approvals (exit 1 when it was tampered with)")
    .action(async (id: string) => {
      const result = await call('GET', `${incidentPath(id)}/trail`);
      out(result, () => {
        console.log(result.ok ? `trail intact: ${result.events} events, head ${result.head?.hash}` : `TRAIL BROKEN: ${result.problems.length} problem(s)`);
        for (const p of result.problems) console.log(`  ${p.kind.padEnd(17)} #${p.seq}  ${safe(p.detail)}`);
        const a = result.anchoring;
        if (!a?.configured) console.log('  anchors: not configured (the chain is checked against itself only)');
        else if (!a.newest) console.log(`  anchors: none yet (${a.unanchoredEvents} events rest on the chain alone)`);
        else
          console.log(
            `  anchors: ${a.anchors}, the newest at ${a.newest.anchoredAt} (${safe(a.newest.reason)}, event ${a.newest.seq}) ${a.newest.agrees ? 'agrees' : 'DISAGREES'}; signed anchors cover events 1–${a.agreesThrough}${a.unanchoredEvents ? `, ${a.unanchoredEvents} later events not yet anchored` : ''}`,
          );
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
        const response = await client.request('GET', `/api/register?${query}`);
        if (!response.ok) throw new CliError(`${response.status}: ${safe(await response.text())}`, 1);
        // Byte for byte to a file or a pipe (a spreadsheet, an authority); to a terminal, unsafe characters as \uXXXX.
        const csv = await response.text();
        process.stdout.write(process.stdout.isTTY ? terminalText(csv) : csv);
        return;
      }
      const register = await call('GET', `/api/register?${query}`);
      out(register, () => {
        console.log(`register ${register.from} to ${register.to}: ${register.entries.length} incidents${register.truncated ? ' (truncated: narrow the period)' : ''}`);
        for (const e of register.entries) {
          console.log(`${e.incidentId}  ${e.outcome.padEnd(12)} ${e.status.padEnd(12)} risk ${String(e.effects.riskLevel ?? '-').padEnd(5)} ${e.facts.affected} people  ${safe(e.title)}`);
          for (const c of e.clocks) console.log(`    ${c.regime}/${c.obligation} (v${c.version}): due ${c.dueAt ?? '-'} ${c.result}${c.reference ? ` ref ${safe(c.reference)}` : ''}${c.currentRule ? ` [rule changed: v${c.currentRule.version ?? '-'} due ${c.currentRule.dueAt ?? '-'}]` : ''}`);
        }
      });
    });
}
