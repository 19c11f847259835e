import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/dynamo-local.js';
import { DataDirLockedError, lockDataDir, LOCK_FILE_NAME } from '../../local/data-dir-lock.js';
import { portIsFree } from '../../local/port-check.js';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';

/**
 * Issue 25.5: a second `npm start` (tsx local/start.ts, as the npm script runs it) on a data directory a stack
 * holds, or with a port taken, answers with one line naming the holder or the variable to set, and starts
 * nothing: no DynamoDB Local on the same files, no EADDRINUSE trace.
 */
describe('a second npm start', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachclock-second-start-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** `npm start` without the preflight; killed after 20 s (before the fix it started DynamoDB Local and ran). */
  const start = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
      const began = Date.now();
      const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'local/start.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGINT'), 20_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, ms: Date.now() - began });
      });
    });
  const ports = async () => ({ PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), SES_PORT: String(await freePort()) });

  it('refuses a data directory a running stack holds, naming its pid, and starts no DynamoDB Local', async () => {
    const dir = dataDir();
    const first: LocalStack = await startLocalStack({ dataDir: dir, port: 0 });
    try {
      const env = await ports();
      const second = await start({ ...env, BREACHCLOCK_DATA_DIR: dir });
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(
        `[breachclock] The data directory ${dir} is in use by another breachclock local stack (pid ${process.pid}, started ${JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).startedAt}): stop that one (kill ${process.pid}), or set BREACHCLOCK_DATA_DIR to another directory.\n`,
      );
      expect(await portIsFree(Number(env.DYNAMODB_PORT))).toBe(true);
      // The first stack is untouched.
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  }, 60_000);

  it('answers a taken PORT with one line and the variable to set, before starting anything', async () => {
    const dir = dataDir();
    const env = await ports();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(Number(env.PORT), '127.0.0.1', resolve));
    try {
      const second = await start({ ...env, BREACHCLOCK_DATA_DIR: dir });
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(`[breachclock] Port ${env.PORT} (the HTTP API) is already in use: set PORT to a free port (e.g. PORT=${Number(env.PORT) < 65_000 ? Number(env.PORT) + 1000 : Number(env.PORT) - 1000} npm start), or stop what holds it (lsof -i :${env.PORT}).\n`);
      expect(existsSync(join(dir, 'dynamodb'))).toBe(false);
      expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
      expect(await portIsFree(Number(env.DYNAMODB_PORT))).toBe(true);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 60_000);

  it('takes over a stale lock whose process is gone; refuses a live one; a corrupt one counts as stale', async () => {
    const dir = dataDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => gone.once('exit', () => resolve(gone.pid!)));
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: deadPid, startedAt: '2026-01-01T00:00:00.000Z', host: (await import('node:os')).hostname() }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    writeFileSync(join(dir, LOCK_FILE_NAME), '{"pi');
    lockDataDir(dir).release();
  });
});
