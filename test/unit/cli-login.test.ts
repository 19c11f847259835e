import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentSecurityPolicy, dashboardConfigFromEnv } from '../../lambdas/handlers/dashboard.handler.js';
import { CliError } from '../../local/cli/cli-error.js';
import { configDirectory, readCredentials, removeLogin, saveLogin, updateLogin, type StoredLogin } from '../../local/cli/credentials.js';
import { chooseRedirectUri } from '../../local/cli/login.js';
import { loginAccessToken } from '../../local/cli/login-session.js';
import { loopbackTarget, waitForCallback } from '../../local/cli/loopback.js';
import { authorizeUrl, codeChallenge, codeVerifier, discoverSignIn, jwtExpiry, newState, requireSecureUrl, stateMatches, VERIFIER_CHARSET } from '../../local/cli/oauth.js';

/** Issue 25 §3: the pieces of `breachclock login` — PKCE, state, the credentials file, the loopback server. */

describe('PKCE (RFC 7636)', () => {
  it('makes a verifier of 43 characters from the unreserved set, different every time', () => {
    const verifiers = Array.from({ length: 50 }, () => codeVerifier());
    for (const verifier of verifiers) {
      expect(verifier).toHaveLength(43);
      expect(verifier).toMatch(VERIFIER_CHARSET);
      expect(verifier).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    }
    expect(new Set(verifiers).size).toBe(50);
  });

  it('computes the S256 challenge of Appendix B', () => {
    expect(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('refuses a verifier outside §4.1 (too short, too long, other characters)', () => {
    for (const bad of ['short', 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}=`]) expect(() => codeChallenge(bad)).toThrow(/43 to 128/);
    expect(codeChallenge('a'.repeat(128))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('asks for the code with the S256 challenge, the state, the exact callback and the openid scopes', () => {
    const url = new URL(authorizeUrl({ domain: 'https://bc.auth.eu-west-1.amazoncognito.com', clientId: 'cli123', redirectUris: [] }, { redirectUri: 'http://localhost:8976/callback', state: 'st', challenge: 'ch' }));
    expect(url.origin + url.pathname).toBe('https://bc.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cli123',
      redirect_uri: 'http://localhost:8976/callback',
      scope: 'openid email profile',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });
});

describe('state', () => {
  it('is 128 random bits, base64url', () => {
    const state = newState();
    expect(state).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newState()).not.toBe(state);
  });

  it('matches only the very state sent', () => {
    const state = newState();
    expect(stateMatches(state, state)).toBe(true);
    expect(stateMatches(state, `${state}x`)).toBe(false);
    expect(stateMatches(state, state.slice(1))).toBe(false);
    expect(stateMatches(state, newState())).toBe(false);
    expect(stateMatches(state, '')).toBe(false);
    expect(stateMatches(state, null)).toBe(false);
    expect(stateMatches(state, undefined)).toBe(false);
  });
});

describe('URLs the login trusts', () => {
  it('sends codes and tokens only over https, or to this machine', () => {
    expect(requireSecureUrl('https://abc.execute-api.eu-west-1.amazonaws.com', 'The API URL').host).toBe('abc.execute-api.eu-west-1.amazonaws.com');
    expect(requireSecureUrl('http://127.0.0.1:3000', 'The API URL').port).toBe('3000');
    expect(() => requireSecureUrl('http://abc.execute-api.eu-west-1.amazonaws.com', 'The API URL')).toThrow(/must be https/);
    expect(() => requireSecureUrl('not a url', 'The API URL')).toThrow(/not a URL/);
  });

  it('serves only loopback callbacks, and only ones the deployment registered', () => {
    expect(loopbackTarget('http://localhost:8976/callback')).toEqual({ port: 8976, path: '/callback' });
    for (const bad of ['https://localhost:8976/callback', 'http://0.0.0.0:8976/callback', 'http://example.com:8976/callback', 'http://localhost/callback', 'nope']) {
      expect(() => loopbackTarget(bad)).toThrow(CliError);
    }
    const config = { domain: 'https://d', clientId: 'c', redirectUris: ['http://localhost:8976/callback', 'http://localhost:9000/cb'] };
    expect(chooseRedirectUri(config, undefined)).toBe('http://localhost:8976/callback');
    expect(chooseRedirectUri(config, 9000)).toBe('http://localhost:9000/cb');
    expect(() => chooseRedirectUri(config, 1234)).toThrow(/Port 1234 is not a callback registered.*8976.*cliLoginCallbackUrls/);
  });

  it('reads the expiry of a JWT (to refresh in time) and nothing from a token that is not one', () => {
    const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    expect(jwtExpiry(jwt({ exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
    expect(jwtExpiry(jwt({}))).toBeUndefined();
    expect(jwtExpiry('opaque')).toBeUndefined();
  });
});

describe('the credentials file', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'breachclock-login-unit-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const login = (apiUrl: string, token = 'access-1'): StoredLogin => ({
    apiUrl,
    domain: 'https://bc.auth.eu-west-1.amazoncognito.com',
    clientId: 'cli123',
    accessToken: token,
    idToken: 'id-1',
    refreshToken: 'refresh-1',
    expiresAt: 1_900_000_000_000,
    loggedInAt: '2026-12-05T12:00:00.000Z',
  });

  it('lives in $XDG_CONFIG_HOME/breachclock, else ~/.config/breachclock (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(configDirectory({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/dana' })).toBe('/x/config/breachclock');
    expect(configDirectory({ HOME: '/home/dana' })).toBe('/home/dana/.config/breachclock');
    expect(configDirectory({ XDG_CONFIG_HOME: 'relative', HOME: '/home/dana' })).toBe('/home/dana/.config/breachclock');
  });

  it('is written 0600 in a 0700 directory, atomically (no temporary file left), one login per API URL', () => {
    const path = join(home, 'cfg', 'breachclock', 'credentials.json');
    const old = process.umask(0o000); // the widest umask: the modes must not depend on it
    try {
      saveLogin(login('https://a.example'), path);
      saveLogin(login('https://b.example'), path);
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'cfg', 'breachclock')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(home, 'cfg', 'breachclock'))).toEqual(['credentials.json']);
    const file = readCredentials(path);
    expect(file.current).toBe('https://b.example');
    expect(Object.keys(file.logins).sort()).toEqual(['https://a.example', 'https://b.example']);
  });

  it('narrows a directory of its own that others can enter back to 0700', () => {
    const directory = join(home, 'breachclock');
    mkdirSync(directory, { mode: 0o755 });
    chmodSync(directory, 0o755);
    saveLogin(login('https://a.example'), join(directory, 'credentials.json'));
    expect(statSync(directory).mode & 0o777).toBe(0o700);
  });

  it.each(['0644', '0640', '0604', '0660', '0606', '0700'])('refuses a file with mode %s and says the chmod that fixes it', (octal) => {
    const mode = parseInt(octal, 8);
    if (mode === 0o700) {
      // The owner's execute bit is no one else's business: only group and other bits count.
      const path = join(home, 'credentials.json');
      saveLogin(login('https://a.example'), path);
      chmodSync(path, mode);
      expect(readCredentials(path).current).toBe('https://a.example');
      return;
    }
    const path = join(home, 'credentials.json');
    saveLogin(login('https://a.example'), path);
    chmodSync(path, mode);
    expect(() => readCredentials(path)).toThrow(`readable or writable by other users (mode 0${mode.toString(8)}): refusing to use its tokens. Fix it with: chmod 600 ${path}`);
    chmodSync(path, 0o600);
    expect(readCredentials(path).current).toBe('https://a.example');
  });

  it('refuses a symbolic link and a file that is not one of ours, and reads no file as no login', () => {
    const path = join(home, 'credentials.json');
    expect(readCredentials(path)).toEqual({ version: 1, logins: {} });
    const target = join(home, 'elsewhere.json');
    writeFileSync(target, JSON.stringify({ version: 1, logins: {} }), { mode: 0o600 });
    symlinkSync(target, path);
    expect(() => readCredentials(path)).toThrow(/symbolic link: refusing to follow it/);
    rmSync(path);
    writeFileSync(path, '{"not":"ours"}', { mode: 0o600 });
    expect(() => readCredentials(path)).toThrow(/cannot be read \(not a breachclock credentials file/);
  });

  it('a refresh does not bring back a login removed meanwhile', () => {
    const path = join(home, 'credentials.json');
    saveLogin(login('https://a.example'), path);
    saveLogin(login('https://b.example'), path);
    removeLogin('https://a.example', path);
    expect(updateLogin(login('https://a.example', 'access-2'), path)).toBe(false);
    expect(Object.keys(readCredentials(path).logins)).toEqual(['https://b.example']);
    expect(updateLogin(login('https://b.example', 'access-2'), path)).toBe(true);
    expect(readCredentials(path).logins['https://b.example']?.accessToken).toBe('access-2');
  });

  it('uses a token still valid for seconds when Cognito cannot be reached to refresh it, and says to log in once it has expired', async () => {
    const path = join(home, 'credentials.json');
    const unreachable = { ...login('https://a.example'), domain: 'http://127.0.0.1:9' };
    saveLogin({ ...unreachable, expiresAt: Date.now() + 30_000 }, path);
    expect(await loginAccessToken('https://a.example', { path })).toBe('access-1');
    expect(await loginAccessToken('https://nowhere.example', { path })).toBeUndefined();
    saveLogin({ ...unreachable, expiresAt: Date.now() - 1 }, path);
    await expect(loginAccessToken('https://a.example', { path })).rejects.toThrow(
      'Your sign-in to https://a.example has expired and could not be refreshed (unreachable: cannot reach http://127.0.0.1:9): run `breachclock login --url https://a.example`.',
    );
  });

  it('logout removes one login, and the file with the last', () => {
    const path = join(home, 'credentials.json');
    saveLogin(login('https://a.example'), path);
    saveLogin(login('https://b.example'), path);
    expect(removeLogin('https://b.example', path)?.refreshToken).toBe('refresh-1');
    expect(readCredentials(path)).toEqual({ version: 1, logins: { 'https://a.example': login('https://a.example') } });
    expect(removeLogin('https://nowhere.example', path)).toBeUndefined();
    removeLogin('https://a.example', path);
    expect(existsSync(path)).toBe(false);
  });
});

describe('the loopback server', () => {
  /** A free port on 127.0.0.1 (listen on 0, note it, close). */
  async function freePort(): Promise<number> {
    const { createServer } = await import('node:net');
    return new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
  }
  /** The browser: GET on 127.0.0.1 with the Host it would send. */
  function browse(port: number, path: string, host = `localhost:${port}`): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }
  const refused = (port: number) => browse(port, '/callback').then(() => false, (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');

  it('takes the callback with the right state, ignores other paths and other hosts, and closes after it', async () => {
    const port = await freePort();
    let pending!: ReturnType<typeof waitForCallback>;
    await new Promise<void>((resolve) => {
      pending = waitForCallback({ redirectUri: `http://localhost:${port}/callback`, state: 'the-state', timeoutSeconds: 10, onListening: resolve });
    });
    expect((await browse(port, '/favicon.ico')).status).toBe(404);
    expect((await browse(port, '/callback?code=c&state=the-state', 'rebound.example:80')).status).toBe(421);
    const answer = browse(port, '/callback?code=the-code&state=the-state');
    const callback = await pending;
    expect(callback.code).toBe('the-code');
    callback.finish(true, 'You are signed in <b>');
    const page = await answer;
    expect(page.status).toBe(200);
    expect(page.body).toContain('You are signed in &lt;b&gt;');
    expect(await refused(port)).toBe(true);
  });

  it.each([
    ['another state', '/callback?code=c&state=forged'],
    ['no state', '/callback?code=c'],
  ])('refuses a callback with %s, stores nothing and closes', async (_case, path) => {
    const port = await freePort();
    let pending!: ReturnType<typeof waitForCallback>;
    await new Promise<void>((resolve) => {
      pending = waitForCallback({ redirectUri: `http://localhost:${port}/callback`, state: 'the-state', timeoutSeconds: 10, onListening: resolve });
    });
    const outcome = pending.then(() => 'accepted', (error: Error) => error.message);
    const page = await browse(port, path);
    expect(page.status).toBe(400);
    expect(await outcome).toMatch(/state does not match.*refusing it/);
    expect(await refused(port)).toBe(true);
  });

  it('reports an error the sign-in page sent back, without control characters', async () => {
    const port = await freePort();
    let pending!: ReturnType<typeof waitForCallback>;
    await new Promise<void>((resolve) => {
      pending = waitForCallback({ redirectUri: `http://localhost:${port}/callback`, state: 's', timeoutSeconds: 10, onListening: resolve });
    });
    const outcome = pending.then(() => 'accepted', (error: Error) => error.message);
    await browse(port, `/callback?state=s&error=access_denied&error_description=${encodeURIComponent('User said no\u001b[31m')}`);
    expect(await outcome).toBe('The sign-in failed: access_denied (User said no[31m)');
  });

  it('gives up after the timeout and closes', async () => {
    const port = await freePort();
    const started = Date.now();
    const outcome = await waitForCallback({ redirectUri: `http://localhost:${port}/callback`, state: 's', timeoutSeconds: 1, onListening: () => undefined }).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/No sign-in came back within 1 s: the login stopped waiting and closed 127\.0\.0\.1:\d+/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await refused(port)).toBe(true);
  });

  it('listens on 127.0.0.1 only: not on the machine\'s other addresses', async () => {
    const other = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    const port = await freePort();
    let pending!: ReturnType<typeof waitForCallback>;
    await new Promise<void>((resolve) => {
      pending = waitForCallback({ redirectUri: `http://localhost:${port}/callback`, state: 's', timeoutSeconds: 5, onListening: resolve });
    });
    const settled = pending.catch(() => undefined);
    if (other) {
      const reached = await new Promise<boolean>((resolve) => {
        const req = httpRequest({ host: other.address, port, path: '/favicon.ico', headers: { host: `localhost:${port}` }, timeout: 2000 }, () => resolve(true));
        req.on('error', () => resolve(false));
        req.on('timeout', () => req.destroy());
        req.end();
      });
      expect(reached).toBe(false);
    }
    expect((await browse(port, '/favicon.ico')).status).toBe(404);
    await browse(port, '/callback?state=wrong');
    await settled;
  });

  it('says which port is taken', async () => {
    const { createServer } = await import('node:net');
    const holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    try {
      await expect(waitForCallback({ redirectUri: `http://localhost:${port}/callback`, state: 's', timeoutSeconds: 5, onListening: () => undefined })).rejects.toThrow(`127.0.0.1:${port} is in use`);
    } finally {
      holder.close();
    }
  });
});

describe('config.json names the CLI client (the desk function\'s environment)', () => {
  it('adds the CLI client and its callbacks when the stack sets them, and refuses half of it', () => {
    const base = { COGNITO_DOMAIN: 'https://bc.auth.eu-west-1.amazoncognito.com', COGNITO_CLIENT_ID: 'desk' };
    expect(dashboardConfigFromEnv(base)).toEqual({ auth: 'cognito', domain: base.COGNITO_DOMAIN, clientId: 'desk' });
    expect(dashboardConfigFromEnv({ ...base, COGNITO_CLI_CLIENT_ID: 'cli', COGNITO_CLI_REDIRECT_URIS: 'http://localhost:8976/callback,http://localhost:9000/cb' })).toEqual({
      auth: 'cognito',
      domain: base.COGNITO_DOMAIN,
      clientId: 'desk',
      cli: { clientId: 'cli', redirectUris: ['http://localhost:8976/callback', 'http://localhost:9000/cb'] },
    });
    expect(() => dashboardConfigFromEnv({ ...base, COGNITO_CLI_CLIENT_ID: 'cli' })).toThrow(/set together/);
  });

  it('names the recipient list bucket as an upload origin, which the CSP then allows (and nothing else)', () => {
    const base = { COGNITO_DOMAIN: 'https://bc.auth.eu-west-1.amazoncognito.com', COGNITO_CLIENT_ID: 'desk' };
    const bucket = 'https://breachclock-recipient-lists-1-eu-west-1.s3.eu-west-1.amazonaws.com';
    const config = dashboardConfigFromEnv({ ...base, DESK_UPLOAD_ORIGIN: bucket });
    expect(config).toMatchObject({ uploadOrigin: bucket });
    expect(contentSecurityPolicy(config)).toContain(`connect-src 'self' https://bc.auth.eu-west-1.amazoncognito.com ${bucket};`);
    expect(contentSecurityPolicy(dashboardConfigFromEnv(base))).toContain("connect-src 'self' https://bc.auth.eu-west-1.amazoncognito.com;");
    expect(() => dashboardConfigFromEnv({ ...base, DESK_UPLOAD_ORIGIN: 'http://bucket.example' })).toThrow(/https origin/);
  });
});

describe('how the CLI learns the sign-in from the API URL alone', () => {
  /** A stand-in API answering config.json with the given body. */
  async function withConfig(body: unknown, run: (apiUrl: string) => Promise<void>): Promise<void> {
    const server = createHttpServer((req, res) => {
      res.writeHead(req.url === '/dashboard/config.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/dashboard/config.json' ? body : {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('reads the domain and the CLI client from /dashboard/config.json', async () => {
    await withConfig({ auth: 'cognito', domain: 'https://bc.auth.eu-west-1.amazoncognito.com/', clientId: 'desk', cli: { clientId: 'cli', redirectUris: ['http://localhost:8976/callback'] } }, async (apiUrl) => {
      expect(await discoverSignIn(apiUrl)).toEqual({ domain: 'https://bc.auth.eu-west-1.amazoncognito.com', clientId: 'cli', redirectUris: ['http://localhost:8976/callback'] });
    });
  });

  it('says so for the local stack, a deployment without the CLI client, a sign-in domain without https, and a wrong URL', async () => {
    await withConfig({ auth: 'token' }, async (apiUrl) => {
      await expect(discoverSignIn(apiUrl)).rejects.toThrow(/signs in with its API token \(the local stack\): no login needed/);
    });
    await withConfig({ auth: 'cognito', domain: 'https://bc.auth.eu-west-1.amazoncognito.com', clientId: 'desk' }, async (apiUrl) => {
      await expect(discoverSignIn(apiUrl)).rejects.toThrow(/names no CLI sign-in client: deploy this version/);
    });
    await withConfig({ auth: 'cognito', domain: 'http://bc.example', clientId: 'desk', cli: { clientId: 'cli', redirectUris: ['http://localhost:8976/callback'] } }, async (apiUrl) => {
      await expect(discoverSignIn(apiUrl)).rejects.toThrow(/The sign-in domain must be https/);
    });
    await withConfig({}, async (apiUrl) => {
      await expect(discoverSignIn(`${apiUrl}/nowhere`)).rejects.toThrow(/answered 404 without the sign-in configuration/);
    });
    await expect(discoverSignIn('http://127.0.0.1:9')).rejects.toThrow(/Cannot reach http:\/\/127\.0\.0\.1:9\/dashboard\/config\.json/);
  });
});
