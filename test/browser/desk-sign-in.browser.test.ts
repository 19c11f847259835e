import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Route } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import { waitFor } from '../support/wait.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

const b64url = (bytes: Buffer): string => bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

interface Grant {
  readonly grant_type: string;
  readonly client_id: string;
  readonly refresh_token?: string;
}

/**
 * The desk's sign-in on AWS (issue 25.2: "Access token refresh on AWS; today the officer signs in again after an
 * hour"), in headless Chromium against the local stack. The desk's configuration names Cognito, and Cognito's two
 * endpoints are answered by the test on the page's own origin (the strict CSP allows only it): the authorization
 * code with PKCE, then the refresh token grant before the access token expires, a renewal after a 401, and a
 * refused renewal that sends the officer back to sign in with the reason.
 */
describe('desk sign-in with Cognito: PKCE, then the token renewed before it expires', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-desk-sign-in-'));
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('Chromium not found: npm test installs it (scripts/preflight.mjs), or set CHROMIUM_PATH');
    stack = await startLocalStack({ dataDir, port: 0, clockIntervalMs: 1_000, streamIntervalMs: 200 });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A browser whose desk signs in with "Cognito" answered by `tokens` (the grants it received are kept). */
  async function deskWithCognito(tokens: (grant: Grant) => { status: number; body: Record<string, unknown> }): Promise<{ context: BrowserContext; grants: Grant[]; challenge: () => string | undefined }> {
    const context = await browser.newContext();
    const grants: Grant[] = [];
    let challenge: string | undefined;
    let state: string | undefined;
    await context.route('**/dashboard/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ auth: 'cognito', domain: stack.url, clientId: 'desk-client' }) }));
    await context.route('**/oauth2/authorize?**', (route: Route) => {
      const url = new URL(route.request().url());
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('client_id')).toBe('desk-client');
      challenge = url.searchParams.get('code_challenge') ?? undefined;
      state = url.searchParams.get('state') ?? undefined;
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code: 'code-1', state: state ?? '' }).toString();
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    await context.route('**/oauth2/token', (route: Route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      const grant = Object.fromEntries(form) as unknown as Grant & { code_verifier?: string; code?: string };
      grants.push({ grant_type: grant.grant_type, client_id: grant.client_id, ...(grant.refresh_token ? { refresh_token: grant.refresh_token } : {}) });
      if (grant.grant_type === 'authorization_code') {
        // The verifier must hash to the challenge the authorize request carried (RFC 7636 S256).
        const ok = grant.code === 'code-1' && challenge === b64url(createHash('sha256').update(grant.code_verifier ?? '').digest());
        if (!ok) return route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'invalid_grant' }) });
      }
      const answer = tokens(grant);
      return route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
    });
    return { context, grants, challenge: () => challenge };
  }

  it('renews the access token with the refresh token before it expires, without a new sign-in', async () => {
    const { context, grants } = await deskWithCognito((grant) =>
      grant.grant_type === 'authorization_code'
        ? { status: 200, body: { access_token: stack.apiToken, refresh_token: 'refresh-1', expires_in: 62, token_type: 'Bearer' } }
        : { status: 200, body: { access_token: stack.apiToken, expires_in: 3600, token_type: 'Bearer' } },
    );
    const page = await context.newPage();
    await page.goto(`${stack.url}/dashboard`);
    await page.locator('#cognito-button').click();
    await page.getByText('No open incidents.').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).search).toBe(''); // the code is not left in the address bar
    // 62 s of life and a 60 s margin: the desk's next request renews first.
    await waitFor(() => (grants.some((g) => g.grant_type === 'refresh_token') ? true : undefined), 'the desk to renew its token', { timeoutMs: 30_000, intervalMs: 200 });
    expect(grants.find((g) => g.grant_type === 'refresh_token')).toEqual({ grant_type: 'refresh_token', client_id: 'desk-client', refresh_token: 'refresh-1' });
    // Renewed once (3600 s now), and still signed in.
    await page.waitForTimeout(3_000);
    expect(grants.filter((g) => g.grant_type === 'refresh_token')).toHaveLength(1);
    await expect(page.locator('#sign-in').count()).resolves.toBe(0);
    await context.close();
  }, 90_000);

  it('a token the API refuses is renewed once and the request tried again', async () => {
    const { context, grants } = await deskWithCognito((grant) =>
      grant.grant_type === 'authorization_code'
        ? { status: 200, body: { access_token: 'revoked-token', refresh_token: 'refresh-2', expires_in: 3600, token_type: 'Bearer' } }
        : { status: 200, body: { access_token: stack.apiToken, expires_in: 3600, token_type: 'Bearer' } },
    );
    const page = await context.newPage();
    await page.goto(`${stack.url}/dashboard`);
    await page.locator('#cognito-button').click();
    await page.getByText('No open incidents.').waitFor({ timeout: 20_000 });
    expect(grants.map((g) => g.grant_type)).toEqual(['authorization_code', 'refresh_token']);
    await context.close();
  }, 60_000);

  it('a refused renewal sends the officer back to sign in, saying why', async () => {
    const { context, grants } = await deskWithCognito((grant) =>
      grant.grant_type === 'authorization_code'
        ? { status: 200, body: { access_token: 'revoked-token', refresh_token: 'refresh-3', expires_in: 3600, token_type: 'Bearer' } }
        : { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh Token has been revoked' } },
    );
    const page = await context.newPage();
    await page.goto(`${stack.url}/dashboard`);
    await page.locator('#cognito-button').click();
    await page.locator('#cognito-button').waitFor({ timeout: 20_000 });
    await expect(page.locator('body').textContent()).resolves.toMatch(/token was refused/i);
    expect(grants.map((g) => g.grant_type)).toEqual(['authorization_code', 'refresh_token']);
    await context.close();
  }, 60_000);
});
