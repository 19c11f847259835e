import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CliError, safe } from './cli-error.js';

/**
 * OAuth 2.0 for `breachclock login` against the deployment's Cognito user pool (managed login / hosted UI):
 * the authorization code grant with PKCE (RFC 7636, S256) for a public client, the refresh_token grant and
 * token revocation (RFC 7009, Cognito's /oauth2/revoke). Node's crypto and fetch only.
 */

/** The sign-in a deployment publishes at /dashboard/config.json (nothing secret): its domain and the CLI's public client. */
export interface SignInConfig {
  /** The user pool's sign-in domain, e.g. https://breachclock-111111111111.auth.eu-west-1.amazoncognito.com */
  readonly domain: string;
  readonly clientId: string;
  /** The loopback callback URLs registered on the CLI's client (Cognito matches redirect_uri exactly). */
  readonly redirectUris: readonly string[];
}

/** Tokens as the token endpoint answers them (only what the CLI keeps). */
export interface TokenSet {
  readonly accessToken: string;
  readonly idToken: string;
  /** Absent from a refresh answer unless the pool rotates refresh tokens: the caller keeps the old one. */
  readonly refreshToken?: string;
  /** When the access (or ID) token expires, whichever is first, in epoch milliseconds. */
  readonly expiresAt: number;
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. 32 random bytes → 43 base64url characters (256 bits). */
export const VERIFIER_CHARSET = /^[A-Za-z0-9\-._~]{43,128}$/;

export function codeVerifier(): string {
  return b64url(randomBytes(32));
}

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))), without padding. */
export function codeChallenge(verifier: string): string {
  if (!VERIFIER_CHARSET.test(verifier)) throw new Error('A PKCE code verifier is 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_", "~" (RFC 7636 §4.1)');
  return b64url(createHash('sha256').update(verifier, 'ascii').digest());
}

/** An unguessable state (128 bits) binding the callback to the sign-in this process started. */
export function newState(): string {
  return b64url(randomBytes(16));
}

/** Whether the callback's state is the one sent (constant time; a missing or different state is false). */
export function stateMatches(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string' || received.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const SCOPES = 'openid email profile';

export function authorizeUrl(config: SignInConfig, params: { redirectUri: string; state: string; challenge: string }): string {
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: params.redirectUri,
    scope: SCOPES,
    state: params.state,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Only https, except on this machine (a test's authorization server): tokens and codes never travel in clear. */
export function requireSecureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${what} is not a URL: ${safe(value)}`, 2);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new CliError(`${what} must be https:// (got ${safe(url.origin)})`, 2);
  return url;
}

/** The JWT's `exp` (seconds) without verifying it: only to know when to refresh; the API verifies tokens. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT's claim as text, unverified (the username to show after login). */
export function jwtClaim(token: string, claim: string): string | undefined {
  try {
    const value = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>)[claim];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The token endpoint refused (its `error`, e.g. invalid_grant) or could not be reached (`unreachable`). */
export class TokenEndpointError extends Error {
  override readonly name = 'TokenEndpointError';
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${error}${description ? `: ${description}` : ''}`, options);
  }
}

async function tokenRequest(config: SignInConfig, form: Record<string, string>, now: () => number): Promise<TokenSet & { refreshToken?: string }> {
  let response: Response;
  try {
    response = await fetch(new URL('/oauth2/token', config.domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new TokenEndpointError('unreachable', `cannot reach ${new URL(config.domain).origin}`, { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new TokenEndpointError(typeof body.error === 'string' ? safe(body.error) : `http_${response.status}`, typeof body.error_description === 'string' ? safe(body.error_description) : undefined);
  const { access_token: accessToken, id_token: idToken, refresh_token: refreshToken, expires_in: expiresIn, token_type: tokenType } = body;
  if (typeof accessToken !== 'string' || typeof idToken !== 'string' || typeof expiresIn !== 'number' || String(tokenType).toLowerCase() !== 'bearer') {
    throw new TokenEndpointError('invalid_response', 'the token endpoint did not answer with a bearer access token, an ID token and expires_in');
  }
  const expiries = [now() + expiresIn * 1000, jwtExpiry(accessToken), jwtExpiry(idToken)].filter((at): at is number => at !== undefined);
  return { accessToken, idToken, ...(typeof refreshToken === 'string' ? { refreshToken } : {}), expiresAt: Math.min(...expiries) };
}

/** The authorization code and its verifier for tokens (Cognito's /oauth2/token). */
export async function exchangeCode(config: SignInConfig, params: { code: string; redirectUri: string; verifier: string }, now: () => number = Date.now): Promise<TokenSet & { refreshToken: string }> {
  const tokens = await tokenRequest(config, { grant_type: 'authorization_code', client_id: config.clientId, code: params.code, redirect_uri: params.redirectUri, code_verifier: params.verifier }, now);
  if (!tokens.refreshToken) throw new TokenEndpointError('invalid_response', 'the token endpoint gave no refresh token');
  return tokens as TokenSet & { refreshToken: string };
}

/** New access and ID tokens from the refresh token. */
export function refreshTokens(config: SignInConfig, refreshToken: string, now: () => number = Date.now): Promise<TokenSet> {
  return tokenRequest(config, { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken }, now);
}

/** Revokes the refresh token (and the access tokens it issued) at Cognito's /oauth2/revoke; false when it could not. */
export async function revokeRefreshToken(config: SignInConfig, refreshToken: string): Promise<{ revoked: boolean; reason?: string }> {
  try {
    const response = await fetch(new URL('/oauth2/revoke', config.domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: config.clientId }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return { revoked: true };
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    return { revoked: false, reason: `${response.status}${typeof body.error === 'string' ? ` ${safe(body.error)}` : ''}` };
  } catch {
    return { revoked: false, reason: `cannot reach ${new URL(config.domain).origin}` };
  }
}

/**
 * How a deployment signs the CLI in, from its public /dashboard/config.json (the source the desk reads): the
 * sign-in domain and the CLI's client with its registered loopback callbacks. The local stack answers
 * { auth: "token" }: it needs no login.
 */
export async function discoverSignIn(apiUrl: string): Promise<SignInConfig> {
  const where = `${apiUrl}/dashboard/config.json`;
  let response: Response;
  try {
    response = await fetch(where, { redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch {
    throw new CliError(`Cannot reach ${safe(where)}: is --url the deployment's ApiUrl output (e.g. https://abc123.execute-api.eu-west-1.amazonaws.com)?`, 2);
  }
  const config = (await response.json().catch(() => undefined)) as Record<string, any> | undefined;
  if (!response.ok || !config) throw new CliError(`${safe(where)} answered ${response.status} without the sign-in configuration: is --url the deployment's ApiUrl output?`, 2);
  if (config.auth === 'token') throw new CliError(`${safe(apiUrl)} signs in with its API token (the local stack): no login needed; pass --token, or let the CLI read .data/local-settings.json.`, 2);
  const cli = config.cli as { clientId?: unknown; redirectUris?: unknown } | undefined;
  if (config.auth !== 'cognito' || typeof config.domain !== 'string' || typeof cli?.clientId !== 'string' || !Array.isArray(cli.redirectUris) || !cli.redirectUris.every((u) => typeof u === 'string') || cli.redirectUris.length === 0) {
    throw new CliError(`${safe(where)} names no CLI sign-in client: deploy this version of breachclock (its stateless stack adds the CLI's Cognito client), then log in again.`, 2);
  }
  requireSecureUrl(config.domain, 'The sign-in domain');
  return { domain: config.domain.replace(/\/$/, ''), clientId: cli.clientId, redirectUris: cli.redirectUris as string[] };
}
