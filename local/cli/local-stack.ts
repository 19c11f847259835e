import type { Command } from 'commander';
import { jsonText, safe, type Client } from './client.js';

/** The local stack only: advance and clock (its virtual time), deliveries and emails (what it recorded). */
export function registerLocalStackCommands(program: Command, client: Client): void {
  const { call, out } = client;

  program
    .command('advance <duration>')
    .description('move the local stack\'s virtual time forward (15m, 24h, 3d); runs one clock tick')
    .action(async (by: string) => console.log(jsonText(await call('POST', '/local/clock/advance', { by }))));
  program.command('clock').description("show the local stack's virtual time").action(async () => console.log(jsonText(await call('GET', '/local/clock'))));
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
}
