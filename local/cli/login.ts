import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import { CliError, safe } from './cli-error.js';
import type { Client, Globals } from './client.js';
import { credentialsPath, readCredentials, removeLogin, saveLogin } from './credentials.js';
import { currentLoginUrl } from './login-session.js';
import { DEFAULT_LOGIN_TIMEOUT_SECONDS, loopbackTarget, waitForCallback } from './loopback.js';
import { authorizeUrl, codeChallenge, codeVerifier, discoverSignIn, exchangeCode, jwtClaim, newState, requireSecureUrl, revokeRefreshToken, type SignInConfig } from './oauth.js';

/**
 * `breachclock login` and `logout` on AWS (issue 25 §3): the officer signs in through the user pool's managed
 * login in a browser, with MFA, and the CLI keeps the tokens (credentials.ts) and refreshes them
 * (login-session.ts). The local stack needs no login: it takes its API token.
 */

/** Opens the URL in the default browser when the platform has a way; never fails (the URL is printed anyway). */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the printed URL is the way.
  }
}

/** The registered callback to serve: the one on --port, else the first the deployment registered. */
export function chooseRedirectUri(config: SignInConfig, port: number | undefined): string {
  if (port === undefined) return config.redirectUris[0]!;
  const match = config.redirectUris.find((uri) => loopbackTarget(uri).port === port);
  if (!match) {
    throw new CliError(
      `Port ${port} is not a callback registered on this deployment's CLI client (registered: ${config.redirectUris.map(safe).join(', ')}). Register it with the CDK context cliLoginCallbackUrls and deploy, or use one of these ports.`,
      2,
    );
  }
  return match;
}

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`--port must be a port number (1-65535), not ${safe(value)}`, 2);
  return port;
};
const parseSeconds = (value: string): number => {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) throw new CliError(`--timeout must be 1 to 3600 seconds, not ${safe(value)}`, 2);
  return seconds;
};

export function registerLoginCommands(program: Command, client: Client): void {
  const explicitUrl = (): string | undefined => program.opts<Globals>().url?.replace(/\/$/, '');

  program
    .command('login')
    .description("sign in to a deployment on AWS through its Cognito sign-in page in your browser (code + PKCE); the tokens are kept in ~/.config/breachclock and refreshed")
    .addOption(new Option('--port <port>', 'the loopback callback port (one the deployment registered; default its first, 8976)').env('BREACHCLOCK_LOGIN_PORT').argParser(parsePort))
    .option('--no-browser', 'only print the sign-in URL (open it in a browser on this machine)')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the browser to come back').default(DEFAULT_LOGIN_TIMEOUT_SECONDS).argParser(parseSeconds))
    .action(async (options: { port?: number; browser: boolean; timeout: number }) => {
      const apiUrl = explicitUrl() ?? currentLoginUrl();
      if (!apiUrl) throw new CliError('Which deployment? Pass its API URL: breachclock login --url <ApiUrl output> (or set BREACHCLOCK_URL).', 2);
      requireSecureUrl(apiUrl, 'The API URL');
      const path = credentialsPath();
      readCredentials(path); // a credentials file that is too open is refused before the browser is involved
      const config = await discoverSignIn(apiUrl);
      const redirectUri = chooseRedirectUri(config, options.port);
      const verifier = codeVerifier();
      const state = newState();
      const url = authorizeUrl(config, { redirectUri, state, challenge: codeChallenge(verifier) });
      const { port } = loopbackTarget(redirectUri);
      const callback = await waitForCallback({
        redirectUri,
        state,
        timeoutSeconds: options.timeout,
        onListening: () => {
          console.error(`Sign in to ${safe(apiUrl)} in your browser${options.browser ? ' (opening it now)' : ''}:\n\n  ${url}\n`);
          console.error(`Waiting on 127.0.0.1:${port} for the browser to come back (one callback; it closes after ${options.timeout} s)…`);
          if (options.browser) openBrowser(url);
        },
      });
      // Whatever happens now, the browser's tab gets an answer and the loopback server closes.
      let tokens;
      let username: string | undefined;
      try {
        try {
          tokens = await exchangeCode(config, { code: callback.code, redirectUri, verifier });
        } catch (error) {
          throw new CliError(`The sign-in did not complete: the token endpoint answered ${error instanceof Error ? safe(error.message) : 'an error'}. Run \`breachclock login\` again.`, 2);
        }
        username = jwtClaim(tokens.accessToken, 'username') ?? jwtClaim(tokens.idToken, 'cognito:username');
        saveLogin({ apiUrl, domain: config.domain, clientId: config.clientId, accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, ...(username ? { username } : {}), loggedInAt: new Date().toISOString() }, path);
      } catch (error) {
        callback.finish(false, 'The sign-in did not complete; your terminal says why.');
        throw error;
      }
      callback.finish(true, 'You are signed in to breachclock. You can close this tab and return to your terminal.');
      let roles: string[] | undefined;
      try {
        roles = ((await client.call('GET', '/api/me', undefined, { token: tokens.accessToken })) as { roles?: string[] }).roles;
      } catch (error) {
        console.error(`(signed in, but GET /api/me failed: ${error instanceof Error ? safe(error.message) : 'unknown error'})`);
      }
      client.out({ apiUrl, username: username ?? null, roles: roles ?? null, credentials: path, expiresAt: new Date(tokens.expiresAt).toISOString() }, () => {
        console.log(`Logged in to ${safe(apiUrl)}${username ? ` as ${safe(username)}` : ''}${roles ? ` (${roles.length ? roles.map(safe).join(', ') : 'no role yet: ask for a Cognito group'})` : ''}.`);
        console.log(`Tokens are in ${path} (mode 0600); they are refreshed before they expire until the sign-in's refresh token does, then run breachclock login again.`);
      });
    });

  program
    .command('logout')
    .description('forget the stored sign-in for a deployment (--url, else the last one) and revoke its refresh token at Cognito')
    .action(async () => {
      const apiUrl = explicitUrl() ?? currentLoginUrl();
      if (!apiUrl) throw new CliError('Not logged in to any deployment (nothing stored).', 2);
      const removed = removeLogin(apiUrl);
      if (!removed) throw new CliError(`Not logged in to ${safe(apiUrl)} (nothing stored for it).`, 2);
      const revocation = await revokeRefreshToken({ domain: removed.domain, clientId: removed.clientId, redirectUris: [] }, removed.refreshToken);
      client.out({ apiUrl, removed: true, revoked: revocation.revoked, ...(revocation.reason ? { reason: revocation.reason } : {}) }, () => {
        console.log(`Logged out of ${safe(apiUrl)}: its tokens are removed from ${credentialsPath()}.`);
        console.log(
          revocation.revoked
            ? "The refresh token is revoked at Cognito. An access token it issued is still accepted by the API's JWT authorizer until it expires (at most an hour): the authorizer checks signatures, not revocation."
            : `The refresh token could not be revoked at Cognito (${revocation.reason}): it stays valid until it expires, but nothing on this machine holds it any more.`,
        );
      });
    });
}
