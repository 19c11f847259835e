import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';

/**
 * A client that reuses a keep-alive connection after a few idle seconds (Alertmanager's webhook, repeat_interval 4 s)
 * must find it open: with Node's default of 5 s the stack closed it, and the next POST met a reset.
 */
describe('the local stack keeps idle connections open', () => {
  let dataDir: string;
  let stack: LocalStack;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'breachclock-keep-alive-'));
    stack = await startLocalStack({ dataDir, port: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a second request on the same connection after 6 s idle', async () => {
    const { hostname, port } = new URL(stack.url);
    const socket: Socket = connect(Number(port), hostname);
    let received = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    const request = `GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`;
    const answers = () => received.match(/HTTP\/1\.1 200/g)?.length ?? 0;
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(request);
    await until(() => answers() === 1);
    expect(answers()).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(closed).toBe(false);
    socket.write(request);
    await until(() => answers() === 2);
    expect(answers()).toBe(2);
    socket.destroy();
  }, 30_000);
});
