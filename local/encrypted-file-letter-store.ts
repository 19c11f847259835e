import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { LetterStore, StoredLetter } from '../lambdas/ports/letters.js';
import { EncryptedFileListStore } from './encrypted-file-list-store.js';

/**
 * Letters locally: AES-256-GCM files in the data directory (`<data dir>/letters/`), like the recipient lists,
 * expiring with them (RECIPIENT_LIST_RETENTION_DAYS); each letter's SHA-256 beside it (`.sha256`).
 */
export class EncryptedFileLetterStore implements LetterStore {
  private constructor(
    private readonly dir: string,
    private readonly files: EncryptedFileListStore,
    private readonly retentionDays: number,
    private readonly clock: { now(): Date },
  ) {}

  static async create(dir: string, retentionDays: number, clock: { now(): Date }): Promise<EncryptedFileLetterStore> {
    return new EncryptedFileLetterStore(dir, await EncryptedFileListStore.create(dir), retentionDays, clock);
  }

  async put(objectKey: string, pdf: Uint8Array): Promise<StoredLetter> {
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await this.files.put(objectKey, Readable.from([Buffer.from(pdf)]), new Date(this.clock.now().getTime() + this.retentionDays * 86_400_000));
    await writeFile(join(this.dir, `${objectKey}.sha256`), `${sha256} ${pdf.byteLength}`, { mode: 0o600 });
    return { objectKey, sha256, bytes: pdf.byteLength };
  }

  async get(objectKey: string): Promise<Uint8Array | undefined> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.files.open(objectKey)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch {
      return undefined;
    }
  }

  async list(prefix: string): Promise<StoredLetter[]> {
    const names = await readdir(join(this.dir, prefix)).catch(() => [] as string[]);
    const letters: StoredLetter[] = [];
    // A letter whose file expired (swept with the lists) is not listed.
    for (const name of names.filter((n) => n.endsWith('.pdf.sha256') && names.includes(n.slice(0, -'.sha256'.length))).sort()) {
      const [sha256, bytes] = (await readFile(join(this.dir, prefix, name), 'utf8')).split(' ');
      letters.push({ objectKey: `${prefix}${name.slice(0, -'.sha256'.length)}`, sha256: sha256!, bytes: Number(bytes) });
    }
    return letters;
  }

  sweepExpired(now: Date): Promise<number> {
    return this.files.sweepExpired(now);
  }
}
