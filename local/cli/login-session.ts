import { CliError, safe } from './cli-error.js';
import { credentialsPath, readCredentials, updateLogin, type StoredLogin } from './credentials.js';
import { refreshTokens, TokenEndpointError } from './oauth.js';

/**
 * The stored login's access token for a request (the API's JWT authorizer takes Cognito access tokens:
 * lambdas/handlers/api.handler.ts refuses ID tokens). An access or ID token that has expired or expires
 * within REFRESH_MARGIN_MS is refreshed first (the refresh_token grant) and the new tokens stored; a refused
 * or impossible refresh tells the officer to log in again.
 */

export const REFRESH_MARGIN_MS = 60_000;

/** The API URL of the last login, if any (the CLI's target when neither --url nor a local stack says otherwise). */
export function currentLoginUrl(path: string = credentialsPath()): string | undefined {
  return readCredentials(path).current;
}

export function storedLogin(apiUrl: string, path: string = credentialsPath()): StoredLogin | undefined {
  return readCredentials(path).logins[apiUrl];
}

const loginAgain = (apiUrl: string) => `run \`breachclock login --url ${apiUrl}\``;

/** The access token to send to apiUrl, refreshed when due; undefined when there is no login for it. */
export async function loginAccessToken(apiUrl: string, options: { now?: () => number; path?: string } = {}): Promise<string | undefined> {
  const now = options.now ?? Date.now;
  const path = options.path ?? credentialsPath();
  const login = storedLogin(apiUrl, path);
  if (!login) return undefined;
  if (login.expiresAt - now() > REFRESH_MARGIN_MS) return login.accessToken;
  let tokens;
  try {
    tokens = await refreshTokens({ domain: login.domain, clientId: login.clientId, redirectUris: [] }, login.refreshToken, now);
  } catch (error) {
    // Cognito out of reach but the token still good for a few seconds: use it; the next command tries again.
    if (error instanceof TokenEndpointError && error.error === 'unreachable' && login.expiresAt > now()) return login.accessToken;
    const why = error instanceof Error ? safe(error.message) : 'unknown error';
    const expired = login.expiresAt <= now() ? 'has expired' : 'expires within a minute';
    throw new CliError(`Your sign-in to ${apiUrl} ${expired} and could not be refreshed (${why}): ${loginAgain(apiUrl)}.`, 2);
  }
  const refreshed: StoredLogin = { ...login, accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken ?? login.refreshToken, expiresAt: tokens.expiresAt };
  updateLogin(refreshed, path);
  return refreshed.accessToken;
}

/** What to add to a 401 answered to a stored login's token. */
export const loginHint = (apiUrl: string) => `your sign-in was refused: ${loginAgain(apiUrl)}`;
