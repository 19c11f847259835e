import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RecipientListStore } from '../lambdas/ports/notice-delivery.js';

const IV = 12;

/** An upload to an object key that already holds a list (a reused upload URL). */
export class ObjectExistsError extends Error {
  constructor(readonly objectKey: string) {
    super(`${objectKey} already holds an uploaded list; an upload URL serves one upload`);
    this.name = 'ObjectExistsError';
  }
}
const TAG = 16;

/**
 * The local stand-in for the S3 bucket: each list in its own file under the data directory, AES-256-GCM
 * encrypted with a key kept beside the local settings (mode 0600), with its expiry in a sidecar file; lists
 * past their expiry are deleted by `sweepExpired` (the clock tick), as S3's lifecycle rule does on AWS.
 */
export class EncryptedFileListStore implements RecipientListStore {
  /** The local stack's URL for uploads (set once its server listens): the local stand-in for presigned PUTs. */
  uploadBase?: string;

  private constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  private signature(objectKey: string, until: number): string {
    return createHmac('sha256', this.key).update(`${objectKey}\n${until}`).digest('hex');
  }

  async uploadTarget(objectKey: string, validUntil: Date): Promise<{ url: string; method: 'PUT'; headers: Record<string, string> }> {
    if (!this.uploadBase) throw new Error('uploads are not served here');
    this.path(objectKey);
    const until = validUntil.getTime();
    const query = new URLSearchParams({ key: objectKey, until: String(until), signature: this.signature(objectKey, until) });
    return { url: `${this.uploadBase}/local/uploads?${query}`, method: 'PUT', headers: { 'content-type': 'text/csv', 'if-none-match': '*' } };
  }

  /** Checks a local upload URL's signature and expiry; returns the object key it may write. */
  verifyUpload(query: URLSearchParams, now: Date): string | undefined {
    const objectKey = query.get('key') ?? '';
    const until = Number(query.get('until'));
    const given = Buffer.from(query.get('signature') ?? '', 'hex');
    const expected = Buffer.from(this.signature(objectKey, until), 'hex');
    if (!objectKey || !Number.isFinite(until) || until < now.getTime() || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return objectKey;
  }

  static async create(dir: string): Promise<EncryptedFileListStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const keyFile = join(dir, '.list-key');
    let key: Buffer;
    try {
      key = Buffer.from(await readFile(keyFile, 'utf8'), 'base64');
    } catch {
      key = randomBytes(32);
      await writeFile(keyFile, key.toString('base64'), { mode: 0o600 });
    }
    return new EncryptedFileListStore(dir, key);
  }

  private path(objectKey: string): string {
    if (!/^[\w./-]+$/.test(objectKey) || objectKey.includes('..')) throw new Error('invalid object key');
    return join(this.dir, objectKey);
  }

  /**
   * Stores a list. `ifAbsent` (an upload URL's PUT, like S3's `If-None-Match: *`) refuses an object that
   * exists: an upload URL cannot overwrite a list once uploaded (`ObjectExistsError`).
   */
  async put(objectKey: string, body: Readable, expiresAt: Date, options: { ifAbsent?: boolean } = {}): Promise<void> {
    const file = this.path(objectKey);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    if (options.ifAbsent) {
      // Created exclusively (O_EXCL) before anything is read: a second PUT to the same key fails here.
      const created = await open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw new ObjectExistsError(objectKey);
        throw error;
      });
      await created.close();
    }
    const out = createWriteStream(file, { mode: 0o600 });
    out.write(iv);
    await pipeline(body, cipher, out, { end: false });
    await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), () => resolve()).once('error', reject));
    await writeFile(`${file}.expires`, expiresAt.toISOString(), { mode: 0o600 });
  }

  async open(objectKey: string): Promise<Readable> {
    const file = this.path(objectKey);
    const { size } = await stat(file);
    const handle = await open(file, 'r');
    const head = Buffer.alloc(IV);
    const tag = Buffer.alloc(TAG);
    try {
      await handle.read(head, 0, IV, 0);
      await handle.read(tag, 0, TAG, size - TAG);
    } finally {
      await handle.close();
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, head);
    decipher.setAuthTag(tag);
    const out = new PassThrough();
    pipeline(createReadStream(file, { start: IV, end: size - TAG - 1 }), decipher, out).catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  async delete(objectKey: string): Promise<void> {
    const file = this.path(objectKey);
    await rm(file, { force: true });
    await rm(`${file}.expires`, { force: true });
  }

  /** The walk in progress: a tick that comes while one runs joins it instead of walking the same files. */
  private sweeping: Promise<number> | undefined;

  /**
   * Deletes every list whose expiry has passed; returns how many. A list deleted meanwhile (`delete`, the
   * notice's own clean-up) is passed over, not an error: it was ENOENT noise in the local stack's log.
   */
  sweepExpired(now: Date): Promise<number> {
    this.sweeping ??= this.walkExpired(now).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async walkExpired(now: Date): Promise<number> {
    let deleted = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.endsWith('.expires')) {
          const written = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return undefined;
            throw error;
          });
          if (written === undefined) continue;
          const expires = Date.parse(written);
          if (expires <= now.getTime()) {
            await rm(path.slice(0, -'.expires'.length), { force: true });
            await rm(path, { force: true });
            deleted++;
          }
        }
      }
    };
    await walk(this.dir);
    return deleted;
  }
}
