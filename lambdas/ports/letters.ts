import type { RenderedNotice } from '../domain/notices/draft.js';
import type { Organisation } from '../domain/notices/elements.js';
import type { PostalAddress } from '../domain/notices/postal-address.js';
import type { NoticeRef } from './delivery-store.js';

/**
 * Where letter PDFs are kept (issue 26.5): next to the notice's other artefacts (S3 with the data key on AWS,
 * AES-256-GCM files in the data directory locally), under `letters/<incident>/<notice>/`.
 */
export interface StoredLetter {
  readonly objectKey: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface LetterStore {
  put(objectKey: string, pdf: Uint8Array): Promise<StoredLetter>;
  get(objectKey: string): Promise<Uint8Array | undefined>;
  /** Every letter under a prefix, with its hash and size, in key order. */
  list(prefix: string): Promise<StoredLetter[]>;
}

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
