import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runningStackUrl } from '../data-dir-lock.js';
import { stripControl } from '../../lambdas/domain/control-characters.js';

/**
 * What every command group of the command line (local/cli.ts) shares: the global options, the HTTP client
 * against the API, the error that carries an exit code, and the output helpers.
 */

/** A failure the command line reports as its message alone, with its exit code (1 refused or failed, 2 usage, configuration or connection). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

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
 * What a terminal must not be given raw from alert or officer text: C0 controls but tab and line feed (ESC
 * starts escape sequences, CR overwrites a line), DEL, C1 (U+009B is a one-character CSI), the bidi marks,
 * embeddings, overrides and isolates (U+202E turns "exe.txt" into "txt.exe"), the Arabic letter mark and the
 * line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE_BUT_CRLF = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escaped = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Terminal-safe: alert and officer text never brings escape sequences or bidi overrides to a terminal. */
export const safe = (value: unknown) => stripControl(String(value ?? '')).replace(TERMINAL_UNSAFE, '');

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
  // --url (or BREACHCLOCK_URL), PORT; else the stack running on the data directory (its stack.json), else port 3000.
  const baseUrl = () => (globals().url ?? (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : (runningStackUrl(dataDir()) ?? 'http://127.0.0.1:3000'))).replace(/\/$/, '');
  const actor = () => globals().actor ?? process.env.USER ?? 'cli';

  function localSetting(name: 'apiToken' | 'ingestToken'): string {
    try {
      return (JSON.parse(readFileSync(`${dataDir()}/local-settings.json`, 'utf8')) as Record<string, string>)[name]!;
    } catch {
      throw new CliError(`No token: pass --token (or BREACHCLOCK_API_TOKEN), or start the local stack (npm start) so ${dataDir()}/local-settings.json exists.`, 2);
    }
  }
  const apiToken = () => globals().token ?? localSetting('apiToken');

  async function request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
    try {
      return await fetch(`${baseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token ?? apiToken()}`, 'content-type': options.contentType ?? 'application/json', 'x-actor': actor() },
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
      throw new CliError(`${response.status} ${safe(payload?.error?.code ?? '')}: ${safe(payload?.error?.message ?? text)}${details}`, response.status === 401 ? 2 : 1);
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
