import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runningStackUrl } from '../data-dir-lock.js';
import { CliError, escaped, safe, TERMINAL_UNSAFE, TERMINAL_UNSAFE_BUT_CRLF } from './cli-error.js';
import { currentLoginUrl, loginAccessToken, loginHint } from './login-session.js';

export { CliError, safe };

/**
 * What every command group of the command line (local/cli.ts) shares: the global options, the HTTP client
 * against the API (with the stored login's token, refreshed when due: login-session.ts), the error that carries an
 * exit code (cli-error.ts), and the output helpers.
 */

export interface Globals {
  url?: string;
  token?: string;
  actor?: string;
  dataDir?: string;
  json?: boolean;
}

export interface RequestOptions {
  contentType?: string;
  token?: string;
}

export interface Client {
  /** The API base URL, without a trailing slash. */
  baseUrl(): string;
  /** A token from the local stack's local-settings.json. */
  localSetting(name: 'apiToken' | 'ingestToken'): string;
  /** The bare response (for answers that are not JSON); a connection problem is a CliError. */
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Response>;
  /** The parsed JSON answer; an answer that is not ok is a CliError. */
  call(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<any>;
  /** Whether --json was given. */
  json(): boolean;
  /** Prints the answer as JSON with --json, else the human form. */
  out(payload: unknown, human: () => void): void;
}

/**
 * JSON for a terminal (issue 24.5): JSON.stringify escapes C0 controls but leaves C1, the bidi overrides and
 * isolates raw; here they are escaped as \uXXXX too. The same JSON value, so a pipe or a file loses nothing.
 */
export const jsonText = (value: unknown): string => (JSON.stringify(value, null, 2) ?? 'null').replace(TERMINAL_UNSAFE, escaped);

/** Text (CSV) for a terminal: unsafe characters shown as \uXXXX, line ends (CRLF, LF) and tabs kept. */
export const terminalText = (text: string): string => text.replace(TERMINAL_UNSAFE_BUT_CRLF, escaped);

export const enc = encodeURIComponent;
export const incidentPath = (id: string) => `/api/incidents/${enc(id)}`;
export const noticePath = (id: string, notice: string) => `${incidentPath(id)}/notices/${enc(notice)}`;

/** The client reads the global options from the program when it is used, so after they were parsed. */
export function createClient(program: Command): Client {
  const globals = (): Globals => program.opts<Globals>();
  const dataDir = () => resolve(globals().dataDir ?? '.data');
  // --url (or BREACHCLOCK_URL), PORT; else the stack running on the data directory (its stack.json); else the
  // deployment of the last `breachclock login`; else port 3000.
  const baseUrl = () =>
    (globals().url ?? (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : (runningStackUrl(dataDir()) ?? currentLoginUrl() ?? 'http://127.0.0.1:3000'))).replace(/\/$/, '');
  const actor = () => globals().actor ?? process.env.USER ?? 'cli';

  function localSetting(name: 'apiToken' | 'ingestToken'): string {
    try {
      return (JSON.parse(readFileSync(`${dataDir()}/local-settings.json`, 'utf8')) as Record<string, string>)[name]!;
    } catch {
      throw new CliError(
        `No token: on AWS sign in with \`breachclock login --url <ApiUrl>\` (or pass --token); locally start the stack (npm start) so ${dataDir()}/local-settings.json exists.`,
        2,
      );
    }
  }
  // --token (or BREACHCLOCK_API_TOKEN); else the stored login for this API URL, refreshed when due; else the
  // local stack's API token. `fromLogin` says which, for the hint on a 401.
  let fromLogin = false;
  async function apiToken(): Promise<string> {
    const given = globals().token;
    if (given) return given;
    const stored = await loginAccessToken(baseUrl());
    fromLogin = stored !== undefined;
    return stored ?? localSetting('apiToken');
  }

  async function request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    const token = options.token ?? (await apiToken());
    try {
      return await fetch(`${baseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': options.contentType ?? 'application/json', 'x-actor': actor() },
        ...(body === undefined ? {} : { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`Cannot reach ${baseUrl()}: is the local stack running (npm start), or is --url right?`, 2);
    }
  }

  async function call(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<any> {
    const response = await request(method, path, body, options);
    const text = await response.text();
    let payload: any;
    try {
      payload = text ? JSON.parse(text) : {};
    } catch {
      payload = { text };
    }
    if (!response.ok) {
      const details = (payload?.error?.details ?? []).map((d: { path: string; message: string }) => `\n  ${safe(d.path)}: ${safe(d.message)}`).join('');
      const hint = response.status === 401 && fromLogin && options.token === undefined ? ` (${loginHint(baseUrl())})` : '';
      throw new CliError(`${response.status} ${safe(payload?.error?.code ?? '')}: ${safe(payload?.error?.message ?? text)}${details}${hint}`, response.status === 401 ? 2 : 1);
    }
    return payload;
  }

  const json = () => Boolean(globals().json);

  function out(payload: unknown, human: () => void): void {
    if (json()) console.log(jsonText(payload));
    else human();
  }

  return { baseUrl, localSetting, request, call, json, out };
}
