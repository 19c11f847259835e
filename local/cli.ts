import { Command, CommanderError, Option } from 'commander';
import { registerCheckCommands } from './cli/checks.js';
import { CliError, createClient, safe } from './cli/client.js';
import { registerIncidentCommands } from './cli/incidents.js';
import { registerLocalStackCommands } from './cli/local-stack.js';
import { registerLoginCommands } from './cli/login.js';
import { registerNoticeCommands } from './cli/notices.js';
import { registerOfficerCommands } from './cli/officer.js';
import { registerRecordCommands } from './cli/records.js';
import { registerTaskCommands } from './cli/tasks.js';
import { showUsageAfterErrors } from './cli/usage.js';

/**
 * breachclock's command line: the same jobs as the dashboard and the API, from a terminal, against the local
 * stack or a deployed API (`breachclock login --url <ApiUrl>` once, or --url and --token, or BREACHCLOCK_URL and
 * BREACHCLOCK_API_TOKEN).
 *
 *   npx breachclock --help            npx breachclock <command> --help
 *
 * Exit codes: 0 done; 1 refused or failed (the API said no, a check failed); 2 usage, configuration or
 * connection problem.
 *
 * This module builds the program and its global options; each command group lives in local/cli/, on the
 * shared client in local/cli/client.ts. The groups register in this order, which is the order of --help.
 */

const program = new Command('breachclock')
  .description('Breach incidents, legal clocks and notices from a terminal (local stack or deployed API).')
  .addOption(new Option('--url <url>', 'the API base URL').env('BREACHCLOCK_URL'))
  .addOption(new Option('--token <token>', 'API token (local) or Cognito access token (AWS; default: the stored `breachclock login`)').env('BREACHCLOCK_API_TOKEN'))
  .addOption(new Option('--actor <name>', 'who you are, recorded on every action (local stack)').env('BREACHCLOCK_ACTOR'))
  .addOption(new Option('--data-dir <dir>', "the local stack's data directory (its tokens)").env('BREACHCLOCK_DATA_DIR').default('.data'))
  .option('--json', 'print the API answer as JSON')
  .exitOverride();

const client = createClient(program);
registerLoginCommands(program, client);
registerIncidentCommands(program, client);
registerOfficerCommands(program, client);
registerTaskCommands(program, client);
registerRecordCommands(program, client);
registerCheckCommands(program, client);
registerLocalStackCommands(program, client);
registerNoticeCommands(program, client);
showUsageAfterErrors(program);

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
