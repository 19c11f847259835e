import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CliError, safe } from './cli-error.js';
import { stateMatches } from './oauth.js';

/**
 * The loopback redirect of `breachclock login` (RFC 8252 §7.3): an HTTP server on 127.0.0.1 only, at the
 * port and path of a callback URL registered on the CLI's Cognito client. It answers one callback (the
 * browser's return with ?code&state, or ?error) and closes, or closes when the time is up. Other paths are a
 * 404 and do not end the wait (a browser asks for /favicon.ico); a Host that is not the callback's own name
 * is a 421 (a page whose name rebinds to 127.0.0.1 cannot post to it).
 */

export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;

/** A registered callback the CLI can serve: http, a loopback host, a port. */
export function loopbackTarget(redirectUri: string): { port: number; path: string } {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new CliError(`The callback URL ${safe(redirectUri)} is not a URL`, 2);
  }
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(url.hostname) || !url.port || url.search || url.hash) {
    throw new CliError(`The callback URL ${safe(redirectUri)} is not a loopback URL the CLI can serve (http://localhost:<port>/<path>)`, 2);
  }
  return { port: Number(url.port), path: url.pathname };
}

export interface Callback {
  readonly code: string;
  /** Answers the browser's tab (after the code was exchanged) and closes the server. */
  finish(ok: boolean, message: string): void;
}

const page = (title: string, message: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')}</p></body></html>`;

function answer(response: ServerResponse, status: number, title: string, message: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'",
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  response.end(page(title, message));
}

/**
 * Listens on 127.0.0.1:<port> and resolves with the code of the one callback whose state matches; a callback
 * with another or no state, or with ?error, rejects (and closes). `onListening` runs once the port is bound
 * (print the authorize URL then, so the browser never arrives before the server).
 */
export function waitForCallback(options: { redirectUri: string; state: string; timeoutSeconds: number; onListening: () => void }): Promise<Callback> {
  const { port, path } = loopbackTarget(options.redirectUri);
  const hosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`]);
  return new Promise<Callback>((resolve, reject) => {
    let settled = false;
    const server = createServer();
    // Stops listening at once; drops every connection once the answer to the browser has been written.
    const close = (response?: ServerResponse) => {
      clearTimeout(timer);
      server.close();
      if (response && !response.writableFinished) response.once('finish', () => server.closeAllConnections());
      else server.closeAllConnections();
    };
    const fail = (error: CliError, response?: ServerResponse) => {
      if (settled) return;
      settled = true;
      close(response);
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new CliError(`No sign-in came back within ${options.timeoutSeconds} s: the login stopped waiting and closed 127.0.0.1:${port}. Run \`breachclock login\` again.`, 2)),
      options.timeoutSeconds * 1000,
    );
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!hosts.has(String(request.headers.host ?? '').toLowerCase())) return answer(response, 421, 'Wrong host', 'This server answers only localhost and 127.0.0.1.');
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
      if (request.method !== 'GET' || url.pathname !== path || settled) return answer(response, 404, 'Not found', 'This is breachclock login’s callback; nothing else is here.');
      const error = url.searchParams.get('error');
      if (!stateMatches(options.state, url.searchParams.get('state'))) {
        answer(response, 400, 'Sign-in refused', 'The answer does not belong to the sign-in started in your terminal (state). Nothing was stored; run breachclock login again.');
        return fail(new CliError('The callback’s state does not match the one this login sent: refusing it (a forged or stale redirect). Nothing was stored; run `breachclock login` again.', 2), response);
      }
      if (error) {
        const description = safe(url.searchParams.get('error_description') ?? '').slice(0, 300);
        answer(response, 400, 'Sign-in failed', `${safe(error)}${description ? `: ${description}` : ''}`);
        return fail(new CliError(`The sign-in failed: ${safe(error).slice(0, 100)}${description ? ` (${description})` : ''}`, 2), response);
      }
      const code = url.searchParams.get('code');
      if (!code) {
        answer(response, 400, 'Sign-in failed', 'The callback carried no code.');
        return fail(new CliError('The callback carried neither a code nor an error: nothing was stored; run `breachclock login` again.', 2), response);
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        code,
        finish(ok, message) {
          answer(response, ok ? 200 : 400, ok ? 'Signed in to breachclock' : 'Sign-in failed', message);
          close(response);
        },
      });
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      fail(
        new CliError(
          error.code === 'EADDRINUSE'
            ? `127.0.0.1:${port} is in use: stop what holds it, or log in with another registered callback port (--port; the deployment registers them with the CDK context cliLoginCallbackUrls).`
            : `Cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`,
          2,
        ),
      );
    });
    // 127.0.0.1 only: never every address; other machines cannot reach it.
    server.listen(port, '127.0.0.1', () => options.onListening());
  });
}
