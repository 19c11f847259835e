import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCredentials, updateLogin } from '../../local/cli/credentials.js';

/**
 * Issue 25 §3: `breachclock login` end to end, as an officer runs it, against a small OAuth 2.0 authorization
 * server written here (Cognito's /oauth2/authorize, /oauth2/token with PKCE S256 and the refresh grant,
 * /oauth2/revoke) and a stand-in API (config.json, /api/me, /api/incidents) that accepts only the tokens it
 * issued and not yet expired. The test plays the browser: it reads the authorize URL the CLI prints,
 * follows the sign-in's redirect to the loopback callback (on 127.0.0.1 with Host localhost, as a browser
 * that resolved localhost does), then checks what was stored, and that a stored token past its expiry is
 * refreshed before the next command's request.
 */

const CLIENT_ID = 'cli-client-123';
const b64url = (bytes: Buffer) => bytes.toString('base64url');
/** A JWT-shaped token (unsigned: the stand-in API checks it by value, as its issued set). */
const token = (claims: Record<string, unknown>) => `${b64url(Buffer.from('{"alg":"none"}'))}.${b64url(Buffer.from(JSON.stringify(claims)))}.${b64url(randomBytes(16))}`;

interface Issued {
  accessToken: string;
  expiresAt: number;
}

class AuthorizationServer {
  readonly codes = new Map<string, { challenge: string; method: string; redirectUri: string; clientId: string }>();
  readonly refreshTokens = new Set<string>();
  readonly accessTokens = new Map<string, Issued>();
  readonly grants: string[] = [];
  readonly revoked: string[] = [];
  refuseRefresh = false;
  /** Answers every code with invalid_grant (a code used twice, or expired). */
  refuseCodes = false;
  server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private issue(expiresIn: number) {
    const accessToken = token({ token_use: 'access', username: 'dana@shop.example', client_id: CLIENT_ID, exp: Math.floor(Date.now() / 1000) + expiresIn });
    this.accessTokens.set(accessToken, { accessToken, expiresAt: Date.now() + expiresIn * 1000 });
    return { access_token: accessToken, id_token: token({ token_use: 'id', 'cognito:username': 'dana@shop.example', aud: CLIENT_ID, exp: Math.floor(Date.now() / 1000) + expiresIn }), token_type: 'Bearer', expires_in: expiresIn };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      // The managed login page: the officer signs in (with MFA); here they are signed in at once.
      const p = url.searchParams;
      if (p.get('response_type') !== 'code' || p.get('client_id') !== CLIENT_ID || p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge') || !p.get('state') || p.get('scope') !== 'openid email profile') {
        return json(400, { error: 'invalid_request' });
      }
      const code = b64url(randomBytes(16));
      this.codes.set(code, { challenge: p.get('code_challenge')!, method: 'S256', redirectUri: p.get('redirect_uri')!, clientId: CLIENT_ID });
      const back = new URL(p.get('redirect_uri')!);
      back.search = new URLSearchParams({ code, state: p.get('state')! }).toString();
      res.writeHead(302, { location: back.toString() });
      return void res.end();
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      this.grants.push(form.get('grant_type') ?? '');
      if (form.get('client_id') !== CLIENT_ID) return json(400, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code') {
        const code = this.codes.get(form.get('code') ?? '');
        this.codes.delete(form.get('code') ?? ''); // single use
        if (!code || code.redirectUri !== form.get('redirect_uri') || this.refuseCodes) return json(400, { error: 'invalid_grant' });
        const verifier = form.get('code_verifier') ?? '';
        if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge) return json(400, { error: 'invalid_grant', error_description: 'code_verifier does not match' });
        const refresh = b64url(randomBytes(32));
        this.refreshTokens.add(refresh);
        return json(200, { ...this.issue(3600), refresh_token: refresh });
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (this.refuseRefresh || !this.refreshTokens.has(form.get('refresh_token') ?? '')) return json(400, { error: 'invalid_grant', error_description: 'Refresh Token has expired' });
        return json(200, this.issue(3600));
      }
      return json(400, { error: 'unsupported_grant_type' });
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/revoke') {
      if (form.get('client_id') !== CLIENT_ID) return json(400, { error: 'invalid_client' });
      this.revoked.push(form.get('token') ?? '');
      this.refreshTokens.delete(form.get('token') ?? '');
      res.writeHead(200);
      return void res.end();
    }
    json(404, { error: 'not_found' });
  }
}

describe('breachclock login against a local OAuth 2.0 authorization server (issue 25.3)', () => {
  const auth = new AuthorizationServer();
  let api: Server;
  let apiUrl = '';
  let loopbackPort = 0;
  let config: string;
  const apiSeen: string[] = [];

  beforeAll(async () => {
    await auth.start();
    loopbackPort = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    api = createServer((req, res) => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/dashboard/config.json') {
        return json(200, { auth: 'cognito', domain: auth.url, clientId: 'desk-client', cli: { clientId: CLIENT_ID, redirectUris: [`http://localhost:${loopbackPort}/callback`] } });
      }
      // As the JWT authorizer: only a known access token that has not expired.
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const issued = auth.accessTokens.get(bearer);
      apiSeen.push(`${req.method} ${req.url?.split('?')[0]} ${issued ? (issued.expiresAt > Date.now() ? 'valid' : 'expired') : 'unknown'}`);
      if (!issued || issued.expiresAt <= Date.now()) return json(401, { message: 'Unauthorized' });
      if (req.url === '/api/me') return json(200, { actor: 'dana@shop.example', roles: ['dpo'] });
      if (req.url?.startsWith('/api/incidents')) return json(200, { now: new Date().toISOString(), incidents: [] });
      json(404, { error: { code: 'not_found', message: 'no' } });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
    config = mkdtempSync(join(tmpdir(), 'breachclock-login-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => auth.server.close(resolve));
    await new Promise((resolve) => api.close(resolve));
    rmSync(config, { recursive: true, force: true });
  });

  const credentials = () => join(config, 'breachclock', 'credentials.json');

  /** The CLI as an officer runs it, in a directory with no local stack, with its config in the test's directory. */
  function cli(args: string[], onStderr?: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BREACHCLOCK_') && name !== 'PORT'));
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'local/cli.ts', '--data-dir', join(config, 'no-stack'), ...args], {
      env: { ...env, XDG_CONFIG_HOME: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      onStderr?.(stderr);
    });
    return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  }

  /** The browser on 127.0.0.1 with Host localhost:<port>, as one that resolved localhost. */
  function browse(location: string): Promise<{ status: number; body: string }> {
    const url = new URL(location);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: Number(url.port), path: `${url.pathname}${url.search}`, headers: { host: url.host } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Runs `login`; when the CLI prints the authorize URL, the test opens it and follows the sign-in back. */
  async function login(tamper: (callback: URL) => void = () => undefined) {
    let browser: Promise<{ status: number; body: string }> | undefined;
    const run = cli(['--url', apiUrl, 'login', '--no-browser', '--timeout', '20'], (stderr) => {
      const printed = /(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/.exec(stderr)?.[1];
      if (!printed || browser) return;
      browser = (async () => {
        const signIn = await fetch(printed, { redirect: 'manual' });
        expect(signIn.status).toBe(302);
        const callback = new URL(signIn.headers.get('location')!);
        tamper(callback);
        return browse(callback.toString());
      })();
    });
    const result = await run;
    return { ...result, page: await browser };
  }

  it('signs in with code + PKCE through the loopback, stores the tokens 0600, and the next command uses them', async () => {
    const result = await login();
    expect(result.stderr).toContain(`Waiting on 127.0.0.1:${loopbackPort} for the browser to come back (one callback; it closes after 20 s)`);
    expect(result.page).toEqual({ status: 200, body: expect.stringContaining('You are signed in to breachclock') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${apiUrl} as dana@shop.example (dpo).`);
    expect(auth.grants).toEqual(['authorization_code']);

    const file = readCredentials(credentials());
    expect(statSync(credentials()).mode & 0o777).toBe(0o600);
    expect(statSync(join(config, 'breachclock')).mode & 0o777).toBe(0o700);
    expect(file.current).toBe(apiUrl);
    const stored = file.logins[apiUrl]!;
    expect(auth.accessTokens.has(stored.accessToken)).toBe(true);
    expect(auth.refreshTokens.has(stored.refreshToken)).toBe(true);
    expect(stored).toMatchObject({ apiUrl, domain: auth.url, clientId: CLIENT_ID, username: 'dana@shop.example' });
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    // No token on the terminal.
    for (const secret of [stored.accessToken, stored.idToken, stored.refreshToken]) expect(result.stdout + result.stderr).not.toContain(secret);

    // With no --url and no local stack, the CLI goes to the deployment it logged in to, with that token.
    apiSeen.length = 0;
    const list = await cli(['list']);
    expect(list).toMatchObject({ code: 0, stdout: expect.stringContaining('no open incidents') });
    expect(apiSeen).toEqual(['GET /api/incidents valid']);
  }, 60_000);

  it('refreshes an access token that has expired (or is within 60 s of it) before the request, and stores the new one', async () => {
    const before = readCredentials(credentials()).logins[apiUrl]!;
    auth.accessTokens.get(before.accessToken)!.expiresAt = Date.now() - 1000; // the API now refuses it
    updateLogin({ ...before, expiresAt: Date.now() + 30_000 }, credentials()); // within the 60 s margin
    apiSeen.length = 0;
    auth.grants.length = 0;
    const list = await cli(['--url', apiUrl, 'list']);
    expect(list).toMatchObject({ code: 0, stdout: expect.stringContaining('no open incidents') });
    expect(auth.grants).toEqual(['refresh_token']);
    expect(apiSeen).toEqual(['GET /api/incidents valid']);
    const after = readCredentials(credentials()).logins[apiUrl]!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken); // Cognito does not rotate it: kept
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(statSync(credentials()).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('says to run `breachclock login` when the refresh is refused, and sends no request', async () => {
    const stored = readCredentials(credentials()).logins[apiUrl]!;
    updateLogin({ ...stored, expiresAt: Date.now() - 1000 }, credentials());
    auth.refuseRefresh = true;
    apiSeen.length = 0;
    try {
      const list = await cli(['--url', apiUrl, 'list']);
      expect(list.code).toBe(2);
      expect(list.stderr).toContain(`Your sign-in to ${apiUrl} has expired and could not be refreshed (invalid_grant: Refresh Token has expired): run \`breachclock login --url ${apiUrl}\`.`);
      expect(apiSeen).toEqual([]);
    } finally {
      auth.refuseRefresh = false;
    }
  }, 60_000);

  it('refuses a callback whose state is not the one sent, and stores nothing new', async () => {
    const before = readCredentials(credentials()).logins[apiUrl]!;
    auth.grants.length = 0;
    const result = await login((callback) => callback.searchParams.set('state', 'forged-state'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('state does not match the one this login sent: refusing it');
    expect(result.page?.status).toBe(400);
    expect(auth.grants).toEqual([]); // the code was never exchanged
    expect(readCredentials(credentials()).logins[apiUrl]).toEqual(before);
  }, 60_000);

  it('ends a login whose code the token endpoint refuses: the error, an answer in the tab, the port closed', async () => {
    const before = readCredentials(credentials()).logins[apiUrl]!;
    auth.refuseCodes = true;
    try {
      const result = await login();
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('The sign-in did not complete: the token endpoint answered invalid_grant.');
      expect(result.page).toEqual({ status: 400, body: expect.stringContaining('your terminal says why') });
      expect(readCredentials(credentials()).logins[apiUrl]).toEqual(before);
    } finally {
      auth.refuseCodes = false;
    }
  }, 60_000);

  it('refuses a credentials file others can read, with the chmod that fixes it', async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(credentials(), 0o644);
    try {
      const list = await cli(['--url', apiUrl, 'list']);
      expect(list.code).toBe(2);
      expect(list.stderr).toContain(`(mode 0644): refusing to use its tokens. Fix it with: chmod 600 ${credentials()}`);
    } finally {
      chmodSync(credentials(), 0o600);
    }
  }, 60_000);

  it('logout removes the tokens and revokes the refresh token at /oauth2/revoke', async () => {
    const stored = readCredentials(credentials()).logins[apiUrl]!;
    const result = await cli(['logout']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged out of ${apiUrl}`);
    expect(result.stdout).toContain('The refresh token is revoked at Cognito.');
    expect(auth.revoked).toEqual([stored.refreshToken]);
    expect(readCredentials(credentials())).toEqual({ version: 1, logins: {} });
    const again = await cli(['--url', apiUrl, 'logout']);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining(`Not logged in to ${apiUrl}`) });
  }, 60_000);
});
