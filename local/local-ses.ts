import { appendFileSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as sesEmulator from 'aws-ses-v2-local';
import * as sesEmulatorStore from 'aws-ses-v2-local/dist/store.js';

type StartEmulator = (config: { host: string; port: number }) => Promise<Server>;
/** CommonJS interop: Node's ESM loader puts module.exports on `default`, whose own `default` is the function. */
const startSesEmulator: StartEmulator = (() => {
  const loaded = sesEmulator as unknown as { default: StartEmulator | { default: StartEmulator } };
  return typeof loaded.default === 'function' ? loaded.default : loaded.default.default;
})();
import type { ProviderEvent } from '../lambdas/app/notices.js';

export interface LocalSes {
  /** The emulator's URL: its web page shows every captured email; the SES v2 API lives under /v2. */
  readonly url: string;
  readonly client: SESv2Client;
  /**
   * Reads the emulator's captured emails it has not reported yet and hands each to `onEvent` as a Delivery;
   * returns how many were recorded. An email the store does not know yet ("unknown-message": captured
   * before its sender recorded the message id) is offered again on later calls, for up to a minute.
   */
  relay(onEvent: (event: ProviderEvent) => Promise<'recorded' | 'ignored' | 'unknown-message'>): Promise<number>;
  stop(): Promise<void>;
}

interface CapturedEmail {
  readonly messageId: string;
  readonly at: number;
}

function readLines<T>(file: string): T[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as T];
        } catch {
          return []; // a line cut short by a kill mid-write
        }
      });
  } catch {
    return []; // first start
  }
}

/** Where the emulator's captured mail is written (the emulator's store is one per process). */
let capturedMailFile: string | undefined;

/**
 * Keeps the emulator's captured mail in the data directory (`ses-emails.jsonl`, mode 0600: notices to
 * affected people): what an earlier run captured is loaded back, and each email is written to the file
 * before the emulator answers the send, so a kill -9 cannot lose an email the sender was told was accepted.
 */
function persistCapturedMail(file: string): void {
  const store = sesEmulatorStore as unknown as { getStoreReadonly?: () => { emails: CapturedEmail[] }; default?: { getStoreReadonly: () => { emails: CapturedEmail[] } } };
  const getStore = store.getStoreReadonly ?? store.default!.getStoreReadonly;
  const emails = getStore().emails;
  capturedMailFile = file;
  emails.splice(0, emails.length, ...readLines<CapturedEmail>(file));
  if ((emails as { persisted?: boolean }).persisted) return;
  Object.defineProperty(emails, 'persisted', { value: true });
  Object.defineProperty(emails, 'push', {
    value: (...added: CapturedEmail[]) => {
      if (capturedMailFile) for (const email of added) appendFileSync(capturedMailFile, `${JSON.stringify(email)}\n`, { mode: 0o600 });
      return Array.prototype.push.apply(emails, added);
    },
  });
}

/** The Host values the emulator answers: its loopback names, without a port or with its own. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  const value = (host ?? '').toLowerCase();
  return ['127.0.0.1', 'localhost'].some((name) => value === name || value === `${name}:${port}`);
}

/**
 * DNS rebinding (issue 24.5): listening on 127.0.0.1 keeps other machines out, not a web page in a local
 * browser whose own name was made to resolve to 127.0.0.1; its requests carry that name as Host. The
 * emulator holds every captured email (notices to affected people), so any other Host is a 421 before the
 * emulator's routes see the request.
 */
function answerOnlyLoopbackNames(server: Server, port: number): void {
  const emulator = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isLoopbackHost(req.headers.host, port)) {
      for (const listener of emulator) listener.call(server, req, res);
      return;
    }
    res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Misdirected request: the local SES emulator answers only Host 127.0.0.1 or localhost\n');
  });
}

/**
 * The local SES v2 endpoint: the `aws-ses-v2-local` emulator, started in this process on 127.0.0.1 and
 * spoken to by the same SES v2 client code as on AWS. It captures mail instead of delivering it; the relay
 * stands in for SES's configuration-set event destination by reporting each captured message as delivered,
 * through the same code that records SES's events on AWS.
 */
export async function startLocalSes(options: { port?: number; dataDir?: string } = {}): Promise<LocalSes> {
  if (options.dataDir) persistCapturedMail(join(options.dataDir, 'ses-emails.jsonl'));
  const server: Server = await startSesEmulator({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  answerOnlyLoopbackNames(server, port);
  return relaying(`http://127.0.0.1:${port}`, options.dataDir, () => new Promise<void>((resolve) => server.close(() => resolve())));
}

/**
 * An SES v2 endpoint started elsewhere (SES_ENDPOINT): notices are sent there; when it is an
 * `aws-ses-v2-local` emulator, its captured mail is reported as delivered as with the built-in one.
 */
export function connectSes(endpoint: string, options: { dataDir?: string } = {}): LocalSes {
  return relaying(endpoint.replace(/\/+$/, ''), options.dataDir, async () => undefined);
}

function relaying(url: string, dataDir: string | undefined, close: () => Promise<void>): LocalSes {
  const client = new SESv2Client({ endpoint: url, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 });
  // Which captured emails were reported already, kept across restarts (a kill between recording an event and
  // writing this file reports it again, which recording ignores).
  const reportedFile = dataDir ? join(dataDir, 'ses-reported.jsonl') : undefined;
  const reported = new Set<string>(reportedFile ? readLines<string>(reportedFile) : []);
  const remember = (messageId: string) => {
    reported.add(messageId);
    if (reportedFile) appendFileSync(reportedFile, `${JSON.stringify(messageId)}\n`, { mode: 0o600 });
  };
  return {
    url,
    client,
    async relay(onEvent) {
      const response = await fetch(`${url}/store`);
      if (!response.ok) throw new Error(`SES emulator store answered ${response.status}`);
      const { emails } = (await response.json()) as { emails: CapturedEmail[] };
      let count = 0;
      for (const email of emails) {
        if (reported.has(email.messageId)) continue;
        const capturedAt = email.at > 1e12 ? email.at : email.at * 1000;
        const timestamp = new Date(capturedAt).toISOString();
        const outcome = await onEvent({ eventType: 'Delivery', mail: { messageId: email.messageId, timestamp }, delivery: { timestamp } });
        if (outcome === 'unknown-message' && Date.now() - capturedAt < 60_000) continue; // its send is not recorded yet
        remember(email.messageId);
        if (outcome === 'recorded') count++;
      }
      return count;
    },
    async stop() {
      client.destroy();
      await close();
    },
  };
}
