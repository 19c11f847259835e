import { deskConfig, session, setTokenRefresher } from './api.js';

/** Cognito's hosted sign-in: the authorization code with PKCE (RFC 7636), a public client. */

const b64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const redirectUri = (): string => `${location.origin}/dashboard`;

function cognito(): { domain: string; clientId: string } {
  const config = deskConfig();
  if (config.auth !== 'cognito') throw new Error('This desk signs in with the API token');
  return config;
}

export async function startCognitoSignIn(): Promise<void> {
  const { domain, clientId } = cognito();
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem('bc.pkce', JSON.stringify({ verifier, state, hash: location.hash }));
  const url = new URL('/oauth2/authorize', domain);
  url.search = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri(), scope: 'openid email profile', state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
  location.assign(url.toString());
}

/** Back from the hosted sign-in with ?code=…&state=…: exchange the code for tokens; the access token is the API's. */
export async function finishCognitoSignIn(): Promise<void> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return;
  const { domain, clientId } = cognito();
  const saved = JSON.parse(sessionStorage.getItem('bc.pkce') ?? 'null') as { verifier: string; state: string; hash: string } | null;
  sessionStorage.removeItem('bc.pkce');
  history.replaceState(null, '', `${location.pathname}${saved?.hash ?? ''}`);
  if (params.has('error')) throw new Error(`Sign-in failed: ${params.get('error_description') ?? params.get('error')}`);
  if (!saved || saved.state !== params.get('state')) throw new Error('The sign-in answer does not match a sign-in started here (state); sign in again');
  const response = await fetch(new URL('/oauth2/token', domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: params.get('code') ?? '', redirect_uri: redirectUri(), code_verifier: saved.verifier }),
  });
  const tokens = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (!response.ok || !tokens.access_token) throw new Error(`Sign-in failed: ${tokens.error_description ?? tokens.error ?? response.status}`);
  keep(tokens, tokens.refresh_token);
}

interface TokenAnswer {
  readonly access_token?: string;
  readonly refresh_token?: string;
  readonly expires_in?: number;
  readonly error?: string;
  readonly error_description?: string;
}

function keep(tokens: TokenAnswer, refreshToken: string | undefined): void {
  if (!tokens.access_token) return;
  const lifetimeS = typeof tokens.expires_in === 'number' && tokens.expires_in > 0 ? tokens.expires_in : undefined;
  session.signIn(tokens.access_token, undefined, {
    ...(refreshToken ? { refreshToken } : {}),
    ...(lifetimeS ? { expiresAt: Date.now() + lifetimeS * 1000 } : {}),
  });
}

/**
 * Renews the access token with the refresh token (Cognito's `refresh_token` grant; a public client sends no
 * secret). Cognito keeps the refresh token unless rotation is on, when it answers a new one. False when refused:
 * the next 401 sends the officer back to sign in.
 */
export async function refreshCognitoTokens(): Promise<boolean> {
  const refreshToken = session.refreshToken;
  if (deskConfig().auth !== 'cognito' || !refreshToken) return false;
  const { domain, clientId } = cognito();
  const response = await fetch(new URL('/oauth2/token', domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }),
  });
  const tokens = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (!response.ok || !tokens.access_token) return false;
  keep(tokens, tokens.refresh_token ?? refreshToken);
  return true;
}
setTokenRefresher(refreshCognitoTokens);

/** On AWS, ends the hosted sign-in session too (Cognito's logout endpoint); the caller has forgotten the token. */
export function cognitoSignOut(): void {
  const { domain, clientId } = cognito();
  const url = new URL('/logout', domain);
  url.search = new URLSearchParams({ client_id: clientId, logout_uri: redirectUri() }).toString();
  location.assign(url.toString());
}
