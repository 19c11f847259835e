import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

/**
 * Where `breachclock login` keeps tokens: `$XDG_CONFIG_HOME/breachclock/credentials.json`, else
 * `~/.config/breachclock/credentials.json`; the directory 0700, the file 0600, replaced atomically (a
 * temporary file in the same directory, fsync, rename). A file another user could read, or owned by someone
 * else, is refused with the command that fixes it. One login per API URL; `current` is the last one made.
 */

export interface StoredLogin {
  readonly apiUrl: string;
  /** The sign-in domain and the CLI's client id, as discovered at login (refresh and revoke go there). */
  readonly domain: string;
  readonly clientId: string;
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** Epoch ms when the access or ID token expires, whichever is first. */
  readonly expiresAt: number;
  readonly username?: string;
  /** ISO time of the login (refreshes keep it). */
  readonly loggedInAt: string;
}

export interface CredentialsFile {
  readonly version: 1;
  readonly current?: string;
  readonly logins: Readonly<Record<string, StoredLogin>>;
}

const EMPTY: CredentialsFile = { version: 1, logins: {} };

export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.config'), 'breachclock');
}

export const credentialsPath = (env: NodeJS.ProcessEnv = process.env): string => join(configDirectory(env), 'credentials.json');

const ownerOnly = process.platform !== 'win32';
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Refuses a credentials file anyone but its owner can read or write, a file owned by another user, and
 * anything that is not a regular file (a symlink is not followed).
 */
export function checkCredentialsMode(path: string, stat: { mode: number; uid: number; isFile(): boolean }): void {
  if (!stat.isFile()) throw new CliError(`${path} is not a regular file: remove it (rm ${path}) and run \`breachclock login\` again.`, 2);
  if (!ownerOnly) return;
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new CliError(`${path} belongs to another user (uid ${stat.uid}): refusing to use its tokens. Remove it and run \`breachclock login\` again.`, 2);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new CliError(`${path} is readable or writable by other users (mode ${octal(stat.mode)}): refusing to use its tokens. Fix it with: chmod 600 ${path}`, 2);
  }
}

/** The stored logins; none when there is no file. A file that is too open, not ours or not valid is a CliError. */
export function readCredentials(path: string = credentialsPath()): CredentialsFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return EMPTY;
    if (code === 'ELOOP') throw new CliError(`${path} is a symbolic link: refusing to follow it. Remove it (rm ${path}) and run \`breachclock login\` again.`, 2);
    throw new CliError(`Cannot read ${path}: ${code ?? (error as Error).message}`, 2);
  }
  try {
    checkCredentialsMode(path, fstatSync(fd));
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as CredentialsFile;
    if (parsed?.version !== 1 || typeof parsed.logins !== 'object' || parsed.logins === null) throw new Error('not a breachclock credentials file (version 1)');
    return parsed;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path} cannot be read (${(error as Error).message}): remove it (rm ${path}) and run \`breachclock login\` again.`, 2);
  } finally {
    closeSync(fd);
  }
}

/** The directory, created 0700 (and narrowed to 0700 when it is ours and wider). */
function ensureDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const stat = lstatSync(directory);
  if (!stat.isDirectory()) throw new CliError(`${directory} is not a directory: cannot store the login there.`, 2);
  if (ownerOnly && (stat.mode & 0o077) !== 0) {
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new CliError(`${directory} belongs to another user: cannot store the login there.`, 2);
    chmodSync(directory, 0o700);
  }
}

/** Replaces the file atomically: readers see the old or the new content, never a part, and never a wider mode. */
export function writeCredentials(file: CredentialsFile, path: string = credentialsPath()): void {
  const directory = dirname(path);
  ensureDirectory(directory);
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  // O_EXCL: never write through a file (or link) someone put at the temporary name.
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  // The umask may have narrowed the mode further, never widened it; set it exactly.
  if (ownerOnly) chmodSync(temporary, 0o600);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  try {
    const dirFd = openSync(directory, constants.O_RDONLY);
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is atomic.
  }
}

/** Stores one login (replacing the one for the same API URL) and makes it the current one. */
export function saveLogin(login: StoredLogin, path: string = credentialsPath()): void {
  const file = readCredentials(path);
  writeCredentials({ version: 1, current: login.apiUrl, logins: { ...file.logins, [login.apiUrl]: login } }, path);
}

/**
 * Updates the tokens of a stored login after a refresh (the login stays current or not as it was). A login
 * removed meanwhile (`logout` in another terminal) stays removed: false.
 */
export function updateLogin(login: StoredLogin, path: string = credentialsPath()): boolean {
  const file = readCredentials(path);
  if (!file.logins[login.apiUrl]) return false;
  writeCredentials({ ...file, logins: { ...file.logins, [login.apiUrl]: login } }, path);
  return true;
}

/** Removes one login; the file goes when none is left. Returns the removed login, if there was one. */
export function removeLogin(apiUrl: string, path: string = credentialsPath()): StoredLogin | undefined {
  const file = readCredentials(path);
  const removed = file.logins[apiUrl];
  if (!removed) return undefined;
  const logins = Object.fromEntries(Object.entries(file.logins).filter(([url]) => url !== apiUrl));
  if (Object.keys(logins).length === 0) rmSync(path, { force: true });
  else writeCredentials({ version: 1, ...(file.current && file.current !== apiUrl ? { current: file.current } : {}), logins }, path);
  return removed;
}
