import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';

const run = promisify(execFile);
const fail = (out: string): never => {
  throw new Error(`no notice id in:\n${out}`);
};

/**
 * Issue 25.4: the README's story, its fenced commands as written (parsed from README.md, so the test breaks when
 * README and product disagree), in a scratch directory whose `.data/` is the stack this test starts. What is
 * substituted, and only that: the stack's URL for http://127.0.0.1:3000 (PORT for the CLI), the incident and
 * notice ids for `INC-…` and `NTC-…` (from the earlier steps' output), and `npx breachclock` runs this repo's
 * bin/breachclock.mjs (what npx resolves it to). The approval answers "y" at a terminal (script(1)).
 */
describe('the README story', () => {
  const repo = resolve('.');
  const cwd = mkdtempSync(join(tmpdir(), 'breachclock-readme-'));
  let stack: LocalStack;

  const readme = readFileSync('README.md', 'utf8');
  const story = readme.slice(readme.indexOf('## Send a first alert'), readme.indexOf('## Deploy to AWS'));
  const blocks = [...story.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  /** A block's commands: continuation lines joined, comments dropped. */
  const commands = (block: string) =>
    block
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((line) => line.trim() && !line.trim().startsWith('#'))
      .map((line) => line.replace(/\s+#\s.*$/, '').trim());

  beforeAll(async () => {
    stack = await startLocalStack({
      dataDir: join(cwd, '.data'),
      port: 0,
      clockIntervalMs: 200,
      streamIntervalMs: 50,
      env: { ORGANISATION: JSON.stringify({ name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } }), SES_SEND_RATE: '200' },
    });
    mkdirSync(join(cwd, 'bin'));
    writeFileSync(join(cwd, 'bin', 'npx'), `#!/bin/sh\n[ "$1" = breachclock ] || exit 127\nshift\nexec "${process.execPath}" "${repo}/bin/breachclock.mjs" "$@"\n`);
    chmodSync(join(cwd, 'bin', 'npx'), 0o755);
    writeFileSync(join(cwd, 'people.csv'), 'email,name,language\nmia@example.com,Mia,en\nnoah@example.com,Noah,en\n');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs every step as written', async () => {
    expect(blocks).toHaveLength(3);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(cwd, 'bin')}${delimiter}${process.env.PATH}`, PORT: new URL(stack.url).port, USER: 'dana' };
    delete env.BREACHCLOCK_ACTOR;
    let incidentId = '';
    let noticeId = '';
    const variables: string[] = [];
    const sh = async (command: string, input?: string) => {
      const line = command.replaceAll('http://127.0.0.1:3000', stack.url).replaceAll('INC-…', incidentId).replaceAll('NTC-…', noticeId);
      const script = [...variables, input === undefined ? line : `printf '${input}' | script -qec ${JSON.stringify(line)} /dev/null`].join('\n');
      const done = await run('bash', ['-c', script], { cwd, env, encoding: 'utf8' }).catch((error: { code: number; stdout: string; stderr: string }) => {
        throw new Error(`README step failed (${error.code}): ${command}\n${error.stdout}\n${error.stderr}`);
      });
      if (/^\w+=\$\([^\n]*$/.test(command)) variables.push(line);
      return done.stdout;
    };

    // Send a first alert: the answer is the README's comment, each … any text.
    const [alert] = blocks;
    const first = await sh(commands(alert!).join('\n'));
    const shown = /# → (.*)\n#\s+(.*)/.exec(alert!)!;
    const pattern = new RegExp(`^${`${shown[1]}${shown[2]}`.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*').replace('INC-<today>', `INC-${stack.clock.now().toISOString().slice(0, 10).replaceAll('-', '')}`)}$`);
    expect(first.trim()).toMatch(pattern);
    incidentId = JSON.parse(first).incidentId;

    for (const command of commands(blocks[1]!)) await sh(command);
    expect(await sh('npx breachclock show INC-…')).toContain(incidentId);

    // The notices (the stack above was started with an ORGANISATION, as the README says).
    for (const command of commands(blocks[2]!)) {
      const out = await sh(command, / approve /.test(command) ? 'y\\n' : undefined);
      if (/ draft /.test(command)) noticeId = /^(NTC-\S+)/m.exec(out)?.[1] ?? fail(out);
      if (/ packs$/.test(command)) expect(out).toMatch(/gdpr-people[\s\S]*what-to-do/);
    }
    const notice = JSON.parse(await sh('npx breachclock --json notice INC-… NTC-…'));
    expect(notice.notice).toMatchObject({ status: 'submitted', submission: { reference: 'DPC-2026-0815' } });
    expect(notice.progress).toMatchObject({ sent: 2 });
  }, 120_000);
});
