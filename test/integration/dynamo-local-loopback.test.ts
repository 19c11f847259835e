// Issue 24.6: DynamoDB Local listens on loopback only. Run as `npm start` runs it (startDynamoLocal with a data
// directory) and as the test suite's global setup runs it, it must answer on 127.0.0.1 and refuse connections
// on every other address of this machine. Where the machine has no other address, the listening socket's own
// address (from /proc/net/tcp and tcp6) is the evidence, so the test means something either way.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient, startDynamoLocal, type DynamoLocal } from '../../local/dynamo-local.js';

/** This machine's own addresses other than loopback (link-local IPv6 left out: it needs a zone to dial). */
function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info && !info.internal && !(info.family === 'IPv6' && info.address.toLowerCase().startsWith('fe80')))
    .map((info) => info!.address);
}

/** 'connected', or the error code of the attempt (ECONNREFUSED when nothing listens there). */
function dial(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

/** /proc/net/tcp* addresses: hex, each 32-bit word in host (little-endian) byte order. */
function decodeProcAddress(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().map((b) => parseInt(b, 16)));
  const bytes = words.flat();
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${bytes.slice(12).join('.')}`;
  if (groups.every((g) => g === '0')) return '::';
  return groups.join(':');
}

/** The local addresses of every listening TCP socket on `port`, or undefined where there is no /proc/net/tcp (not Linux). */
function listeningAddresses(port: number): string[] | undefined {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: LISTEN
      const [address, portHex] = local.split(':');
      if (parseInt(portHex!, 16) === port) addresses.push(decodeProcAddress(address!));
    }
  }
  return addresses;
}

const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];

/** Asserts DynamoDB Local on `port` answers on 127.0.0.1 and nowhere else; says what it could check. */
async function expectLoopbackOnly(port: number): Promise<void> {
  const client = localDynamoClient(`http://127.0.0.1:${port}`);
  try {
    await expect(client.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
  } finally {
    client.destroy();
  }
  const bound = listeningAddresses(port);
  const others = nonLoopbackAddresses();
  if (bound === undefined && others.length === 0) {
    throw new Error('cannot tell where DynamoDB Local listens: no /proc/net/tcp and no non-loopback address to dial');
  }
  if (bound !== undefined) {
    expect(bound.length).toBeGreaterThan(0);
    expect(bound.filter((address) => !LOOPBACK.includes(address))).toEqual([]);
  }
  const answers = await Promise.all(others.map(async (address) => `${address}: ${await dial(address, port)}`));
  expect(answers).toEqual(others.map((address) => `${address}: ECONNREFUSED`));
  console.log(
    `DynamoDB Local on port ${port}: listening on ${bound?.join(', ') ?? '(no /proc/net/tcp)'}; ` +
      (others.length ? `refused on ${others.join(', ')}` : 'this machine has no non-loopback address, so only the bound address was checked'),
  );
}

describe('DynamoDB Local listens on loopback only', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-dynamo-loopback-'));
  let dynamo: DynamoLocal | undefined;
  afterAll(async () => {
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a server on every interface is reachable on the addresses dialled here (so a refusal below means something)', async () => {
    const control = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => control.listen(0, resolve));
    const port = (control.address() as { port: number }).port;
    try {
      expect(listeningAddresses(port) ?? ['::']).toEqual(expect.arrayContaining([expect.stringMatching(/^(::|0\.0\.0\.0)$/)]));
      for (const address of nonLoopbackAddresses()) expect(`${address}: ${await dial(address, port)}`).toBe(`${address}: connected`);
    } finally {
      control.close();
    }
  });

  it('as `npm start` runs it (startDynamoLocal with a data directory)', async () => {
    dynamo = await startDynamoLocal({ dbPath: join(dataDir, 'dynamodb') });
    await expectLoopbackOnly(dynamo.port);
  }, 90_000);

  it("as the test suite's global setup runs it (TEST_DYNAMODB_ENDPOINT)", async () => {
    const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expectLoopbackOnly(Number(new URL(endpoint!).port));
  });
});
