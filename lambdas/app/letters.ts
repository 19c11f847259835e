import type { Organisation } from '../domain/notices/elements.js';
import type { Notice } from '../domain/notices/notice.js';
import type { Recipient } from '../domain/notices/recipients.js';
import type { NoticeRef } from '../ports/delivery-store.js';
import type { LetterInput, LetterRenderer, LetterStore, LetterWriter, StoredLetter } from '../ports/letters.js';

export type { LetterInput, LetterRenderer, LetterWriter } from '../ports/letters.js';
export type LetterDeps = LetterWriter;

export const letterPrefix = (ref: NoticeRef): string => `letters/${ref.incidentId}/${ref.noticeId}/`;
const BATCH = 'batch.pdf';

export class RenderingLetterWriter implements LetterWriter {
  constructor(
    private readonly store: LetterStore,
    private readonly renderer: LetterRenderer,
  ) {}

  async write(objectKey: string, input: LetterInput): Promise<StoredLetter> {
    if (!objectKey.startsWith(letterPrefix(input)) || !objectKey.endsWith('.pdf') || objectKey.includes('..')) throw new Error('not a letter of this notice');
    return this.store.put(objectKey, await this.renderer.letter(input));
  }

  /** Binds every stored letter of a notice into one print-ready batch file (after the last letter was written). */
  async writeBatch(ref: NoticeRef): Promise<StoredLetter | undefined> {
    const letters = (await this.store.list(letterPrefix(ref))).filter((l) => !l.objectKey.endsWith(`/${BATCH}`));
    if (!letters.length) return undefined;
    const pdfs: Uint8Array[] = [];
    for (const letter of letters) {
      const pdf = await this.store.get(letter.objectKey);
      if (pdf) pdfs.push(pdf);
    }
    return this.store.put(`${letterPrefix(ref)}${BATCH}`, await this.renderer.batch(pdfs));
  }
}

/**
 * Renders and stores one person's letter, named by their recipient key (a hash, no address): writing it again
 * (a redelivered chunk) stores the same letter under the same name.
 */
export async function writeLetter(deps: LetterWriter, notice: Notice, recipient: Recipient, key: string, sender: Organisation): Promise<StoredLetter> {
  const approval = notice.approval;
  if (!approval || !recipient.postal) throw new Error(`line ${recipient.line}: no approved content or no postal address`);
  return deps.write(`${letterPrefix(notice)}${key}.pdf`, {
    incidentId: notice.incidentId,
    noticeId: notice.noticeId,
    version: approval.version,
    contentHash: approval.contentHash,
    approvedAt: approval.at,
    language: notice.language,
    rendered: approval.rendered,
    sender,
    ...(recipient.name ? { recipientName: recipient.name } : {}),
    address: recipient.postal,
  });
}

export const writeLetterBatch = (deps: LetterWriter, ref: NoticeRef): Promise<StoredLetter | undefined> => deps.writeBatch({ incidentId: ref.incidentId, noticeId: ref.noticeId });

export interface LetterListing {
  readonly letters: readonly (StoredLetter & { readonly name: string })[];
  readonly batch?: StoredLetter & { readonly name: string };
}

/** The notice's letters with their hashes (names are recipient keys: no address), and the batch file. */
export async function listLetters(store: LetterStore, ref: NoticeRef): Promise<LetterListing> {
  const all = (await store.list(letterPrefix(ref))).map((l) => ({ ...l, name: l.objectKey.slice(letterPrefix(ref).length) }));
  const batch = all.find((l) => l.name === BATCH);
  return { letters: all.filter((l) => l.name !== BATCH), ...(batch ? { batch } : {}) };
}

/** One stored letter (or the batch) by its name, or undefined. */
export async function readLetter(store: LetterStore, ref: NoticeRef, name: string): Promise<Uint8Array | undefined> {
  if (!/^(?:[a-f0-9]{40}|batch)\.pdf$/.test(name)) return undefined;
  return store.get(`${letterPrefix(ref)}${name}`);
}
