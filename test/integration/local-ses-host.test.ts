import { request } from 'node:http';
import { startLocalSes, type LocalSes } from '../../local/local-ses.js';

/** A raw request with the Host header a browser on a rebinding attacker's page would send. */
function get(port: number, host: string | undefined, path = '/store'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', ...(host === undefined ? { setHost: false } : { headers: { host } }) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

// Issue 24.5: DNS rebinding. A page on attacker.example that rebinds its name to 127.0.0.1 reaches the
// emulator with its own name as Host; the emulator holds every captured email (notices to affected people).
describe('the local SES emulator answers only its loopback names', () => {
  let ses: LocalSes;
  let port: number;
  beforeAll(async () => {
    ses = await startLocalSes();
    port = Number(new URL(ses.url).port);
  });
  afterAll(async () => ses.stop());

  it.each(['attacker.example', 'attacker.example:PORT', '127.0.0.1.nip.io:PORT', 'localhost.attacker.example', '127.0.0.1:1', '0.0.0.0:PORT', undefined])('refuses Host %p (421)', async (host) => {
    const answer = await get(port, host?.replace('PORT', String(port)));
    // No Host at all: Node's server answers 400 before anyone (HTTP/1.1 requires it).
    expect(answer.status).toBe(host === undefined ? 400 : 421);
    expect(answer.body).not.toContain('emails');
  });

  it.each(['127.0.0.1', '127.0.0.1:PORT', 'localhost', 'localhost:PORT', 'LOCALHOST:PORT'])('answers Host %p', async (host) => {
    const answer = await get(port, host.replace('PORT', String(port)));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveProperty('emails');
  });

  it('the SES v2 client and the relay still work', async () => {
    expect(await ses.relay(async () => 'recorded')).toBe(0);
  });
});
