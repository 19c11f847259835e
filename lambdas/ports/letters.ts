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
