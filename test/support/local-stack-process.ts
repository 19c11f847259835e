import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portIsFree } from '../../local/dynamo-local.js';
import { waitFor } from './wait.js';

/**
 * `npm start` (local/start.ts) as a terminal runs it: its own process group (detached), DynamoDB Local's JVM in
 * it, on a data directory of its own and free ports. The crash tests (issue 27.1) kill the group with SIGKILL and
 * start it again on the same data directory.
 */
export class LocalStackProcess {
  readonly dataDir: string;
  url = '';
  apiToken = '';
  ingestToken = '';
  private child: ChildProcess | undefined;
  private ports: { port: number; dynamo: number; ses: number } | undefined;

  /** `env`: the stack's settings beyond its data directory and ports. */
  constructor(name: string, private readonly env: Readonly<Record<string, string>>) {
    this.dataDir = mkdtempSync(join(tmpdir(), `breachclock-${name}-`));
  }

  /** Starts the stack (the same ports every time) and answers its output so far. */
  async start(): Promise<string[]> {
    const ports = (this.ports ??= { port: await freePort(), dynamo: await freePort(), ses: await freePort() });
    const output: string[] = [];
    const started = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BREACHCLOCK_DATA_DIR: this.dataDir, PORT: String(ports.port), DYNAMODB_PORT: String(ports.dynamo), SES_PORT: String(ports.ses), ...this.env },
    });
    this.child = started;
    started.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    started.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitFor(() => (output.join('').includes('local stack is running') ? true : undefined), `the local stack to start:\n${output.join('')}`, { timeoutMs: 60_000, intervalMs: 100 });
    ({ apiToken: this.apiToken, ingestToken: this.ingestToken } = JSON.parse(readFileSync(join(this.dataDir, 'local-settings.json'), 'utf8')) as { apiToken: string; ingestToken: string });
    this.url = `http://127.0.0.1:${ports.port}`;
    return output;
  }

  /** Freezes the whole group (DynamoDB Local included), so the moment is not a clean one, then kills it. */
  async killGroup(): Promise<void> {
    const child = this.child!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGSTOP');
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    // The JVM is in the group too: wait until its port is free again.
    await waitFor(async () => (await portIsFree(this.ports!.dynamo)) || undefined, 'DynamoDB Local to be gone', { timeoutMs: 10_000, intervalMs: 100 });
    this.child = undefined;
  }

  /** The API as an officer (`x-actor`), with the local stack's API token. */
  async api(method: string, path: string, body?: unknown, actor = 'dana.dpo', contentType = 'application/json'): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiToken}`, 'content-type': contentType, 'x-actor': actor },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  }

  /** Stops a running stack (SIGTERM, then SIGKILL after 10 s) and removes its data directory. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
