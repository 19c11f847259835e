import { spawnSync } from 'node:child_process';

/** One finding in cfn-lint's `--format json` output. */
export interface CfnLintMatch {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string; readonly ShortDescription: string };
  readonly Location: { readonly Path: readonly (string | number)[] | null };
}

export interface CfnLintResult {
  readonly status: number;
  readonly matches: readonly CfnLintMatch[];
  readonly errors: readonly CfnLintMatch[];
  readonly warnings: readonly CfnLintMatch[];
}

/** The cfn-lint binary: `CFN_LINT` if set, else `cfn-lint` on PATH (scripts/preflight.mjs checks it is there). */
export const CFN_LINT = process.env.CFN_LINT ?? 'cfn-lint';

/**
 * Runs cfn-lint (AWS's CloudFormation linter, checking templates against CloudFormation's resource
 * specification) on template files. Its exit status is a bit mask: 2 errors, 4 warnings, 8 informational,
 * 1 a fatal failure of its own; anything but JSON on stdout is a failure to run, never "no findings".
 */
export function runCfnLint(files: readonly string[], options: { regions?: readonly string[] } = {}): CfnLintResult {
  const args = ['--format', 'json', '--regions', ...(options.regions ?? ['eu-west-1']), '--', ...files];
  const result = spawnSync(CFN_LINT, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`could not run ${CFN_LINT} (${result.error.message}); npm test's preflight (scripts/preflight.mjs) says how to install it`);
  }
  let matches: CfnLintMatch[];
  try {
    matches = JSON.parse(result.stdout) as CfnLintMatch[];
  } catch {
    throw new Error(`${CFN_LINT} exited ${result.status} without JSON output:\n${result.stdout}\n${result.stderr}`);
  }
  if (!Array.isArray(matches) || (result.status ?? 1) & 1) {
    throw new Error(`${CFN_LINT} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return {
    status: result.status ?? 0,
    matches,
    errors: matches.filter((m) => m.Level === 'Error'),
    warnings: matches.filter((m) => m.Level === 'Warning'),
  };
}

/** One line per finding: file, rule, where, what. */
export function describeMatch(match: CfnLintMatch): string {
  const file = match.Filename.split('/').pop();
  return `${file} ${match.Rule.Id} at ${(match.Location.Path ?? []).join('/')}: ${match.Message}`;
}
