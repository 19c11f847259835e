import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Issue 25.3: `npx breachclock` as a user types it, from the repo. A typo gets commander's suggestion and one
 * line of usage, not the whole help; npm prints no engine warning before the command (`engines` says what the
 * machine's own Node needs to run npm and npx; the scripts and the CLI then run on the Node 24 the repo pins,
 * which npm puts first on PATH).
 */
describe('npx breachclock usage errors', () => {
  // As in a user's terminal: npm runs on the machine's own Node (jest runs on the pinned one, whose
  // node_modules/.bin npm put first on PATH). On a machine with an older Node this is where npm warned.
  // The npm_* variables of that outer npm go too: a nested npm stays quiet about engines.
  const PATH = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.endsWith(`node_modules${sep}.bin`)).join(delimiter);
  // A fresh npm cache, as on a first run: npx does not find `breachclock` in node_modules/.bin (npm never
  // links a project's own bin there), so it installs this folder into its cache (_npx) and checks `engines`
  // against the Node npm runs on: with ">=24" on an older Node, two EBADENGINE warnings of five lines each.
  const cache = mkdtempSync(join(tmpdir(), 'breachclock-npm-cache-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_|^INIT_CWD$|^NODE$/i.test(name))), PATH, npm_config_cache: cache, BREACHCLOCK_URL: 'http://127.0.0.1:9' };
  const npx = (...args: string[]) =>
    run('npx', ['breachclock', ...args], { encoding: 'utf8', env }).then(
      (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('a typo shows the suggestion and one line of usage, with no engine warning before it', async () => {
    const typo = await npx('lsit');
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: unknown command 'lsit'\n(Did you mean list?)\nUsage: breachclock [options] <command>  (breachclock --help lists every command)\n",
    });
  }, 30_000);

  it("a command's usage error shows that command's usage line", async () => {
    expect(await npx('draft')).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: missing required argument 'id'\nUsage: breachclock draft [options] <id> <kind> [elements...]  (breachclock draft --help for more)\n",
    });
    const option = await npx('list', '--bogus');
    expect(option.stderr).toBe("error: unknown option '--bogus'\nUsage: breachclock list [options]  (breachclock list --help for more)\n");
  }, 30_000);

  it('--help still prints the whole help, on stdout', async () => {
    const help = await npx('--help');
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: breachclock \[options\] \[command\][\s\S]*\n {2}submitted \[options\] <id> <noticeId> <reference>/);
  }, 30_000);
});
