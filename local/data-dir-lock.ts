import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One local stack per data directory (issue 25.5): two stacks on the same `.data/` would run two DynamoDB Local
 * processes on the same files, two clocks firing the same timers and two dispatchers. The stack holds
 * `<dataDir>/stack.lock`, a small JSON file with its pid, while it runs; a second start is refused with the
 * holder's pid. A lock left by a process that no longer runs (kill -9, a crash, a reboot) is taken over.
 *
 * Takeover is not atomic: two starts that find the same stale lock at the same instant could both proceed. The
 * lock re-reads the file just before removing it, which narrows that window to a few microseconds.
 */

export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly host: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data directory ${dataDir} is in use by another breachclock local stack (pid ${holder.pid}, started ${holder.startedAt}): ` +
        `stop that one (kill ${holder.pid}), or set BREACHCLOCK_DATA_DIR to another directory.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

export const LOCK_FILE_NAME = 'stack.lock';

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): { text: string; holder?: LockHolder } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number') return { text, holder: { pid: parsed.pid, startedAt: String(parsed.startedAt ?? 'unknown'), host: String(parsed.host ?? '') } };
  } catch {
    // a half-written or foreign file: nobody holds it
  }
  return { text };
}

/** A lock held by a live process of this machine (a lock from another host, on a shared disk, is respected). */
const isLive = (holder: LockHolder | undefined): holder is LockHolder => Boolean(holder && (holder.host !== hostname() || processIsAlive(holder.pid)));

/** The running stack's URL and pid, in its data directory: what `breachclock` finds it by (issue 25.3). */
export const STACK_FILE_NAME = 'stack.json';

/** The URL of the stack running on this data directory, if one runs (its process alive), else undefined. */
export function runningStackUrl(dataDir: string): string | undefined {
  try {
    const { url, pid } = JSON.parse(readFileSync(join(dataDir, STACK_FILE_NAME), 'utf8')) as { url?: unknown; pid?: unknown };
    return typeof url === 'string' && /^http:\/\/[^/]+$/.test(url) && typeof pid === 'number' && processIsAlive(pid) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data directory's lock for this process, or throws DataDirLockedError naming the process that holds
 * it. The directory must exist. The lock is released by `release()` and, as a last resort, when this process exits.
 */
export function lockDataDir(dataDir: string, now: () => Date = () => new Date()): DataDirLock {
  const file = join(dataDir, LOCK_FILE_NAME);
  const mine: LockHolder = { pid: process.pid, startedAt: now().toISOString(), host: hostname() };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const found = readHolder(file);
    if (found === undefined) continue; // released in between: try again
    if (isLive(found.holder)) throw new DataDirLockedError(dataDir, found.holder);
    if (attempt >= 3) throw new Error(`Cannot take over the stale lock ${file}; remove it if no local stack runs on ${dataDir}`);
    // Stale: its process is gone. Remove it only if it is still the file judged stale.
    if (readHolder(file)?.text === found.text) {
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return { file, release };
}
