import type { Command } from 'commander';

/**
 * After a usage error (a typo, a missing argument, an unknown option) the command line prints commander's
 * message (with its "Did you mean …?") and one line of usage, not the whole help (issue 25.3):
 *
 *   error: unknown command 'lsit'
 *   (Did you mean list?)
 *   Usage: breachclock [options] <command>  (breachclock --help lists every command)
 *
 * Called once every command is registered: a command's usage line needs its arguments.
 */
export function showUsageAfterErrors(program: Command): void {
  const name = program.name();
  program.showHelpAfterError(`Usage: ${name} [options] <command>  (${name} --help lists every command)`);
  for (const command of program.commands) {
    command.showHelpAfterError(`Usage: ${name} ${command.name()} ${command.usage()}  (${name} ${command.name()} --help for more)`);
  }
}
