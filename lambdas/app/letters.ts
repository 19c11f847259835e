import type { Organisation } from '../domain/notices/elements.js';
import type { Notice } from '../domain/notices/notice.js';
import type { RenderedNotice } from '../domain/notices/draft.js';
import type { PostalAddress } from '../domain/notices/postal-address.js';
import type { Recipient } from '../domain/notices/recipients.js';
import type { NoticeRef } from '../ports/delivery-store.js';
import type { LetterStore, StoredLetter } from '../ports/letters.js';

/** What one letter shows: the approved content, its hash, the notice and version, and whom it goes to. */
export interface LetterInput {
  readonly incidentId: string;
  readonly noticeId: string;
  readonly version: number;
  readonly contentHash: string;
  /** When it was approved: the PDF's dates (the same input gives the same bytes). */
  readonly approvedAt: string;
  readonly language: string;
  readonly rendered: RenderedNotice;
  readonly sender: Organisation;
  readonly recipientName?: string;
  readonly address: PostalAddress;
}

/** Letters as PDF (ADR 0019): a renderer per letter and one that binds letters into a print-ready batch. */
export interface LetterRenderer {
  letter(input: LetterInput): Promise<Uint8Array>;
  batch(letters: readonly Uint8Array[]): Promise<Uint8Array>;
}

/**
 * Writes letters: renders and stores one (under its object key) or binds a notice's letters into the batch.
 * `RenderingLetterWriter` does it in process (the local stack, the render function on AWS); on AWS the sender
 * asks the render function (`LambdaLetterWriter`), so the PDF library stays out of the sender's bundle.
 */
export interface LetterWriter {
  write(objectKey: string, input: LetterInput): Promise<StoredLetter>;
  writeBatch(ref: NoticeRef): Promise<StoredLetter | undefined>;
}
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
