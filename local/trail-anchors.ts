import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TrailAnchor } from '../lambdas/domain/trail-anchor.js';
import type { TrailAnchorLog, TrailSigner } from '../lambdas/ports/trail-anchors.js';
import { PublicKeyVerifier } from '../lambdas/adapters/trail/public-key-verifier.js';

/**
 * The local stack's stand-ins for KMS and S3 Object Lock: an Ed25519 key file (mode 0600, kept apart from
 * DynamoDB Local's table files) and an append-only file of anchors. They show the mechanism and let `verify`
 * catch a re-chained trail; on one machine, though, whoever can write the data directory can also rewrite
 * both files. docs/architecture.md says what each proves.
 */
export class LocalTrailKey implements TrailSigner {
  readonly keyId: string;
  private constructor(private readonly privateKey: KeyObject, readonly publicKeyDer: Buffer) {
    this.keyId = `local-ed25519:${createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16)}`;
  }

  /** Loads the key file, or creates it (once) with mode 0600. */
  static loadOrCreate(file: string): LocalTrailKey {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ed25519');
      // 'wx': never replaces a key another process wrote first.
      try {
        writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    const privateKey = createPrivateKey(readFileSync(file));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
    return new LocalTrailKey(privateKey, createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  }

  async sign(statement: string): Promise<string> {
    return sign(null, Buffer.from(statement, 'utf8'), this.privateKey).toString('base64');
  }

  /** A verifier that trusts this key only. */
  verifier(): PublicKeyVerifier {
    return new PublicKeyVerifier(async (keyId) => (keyId === this.keyId ? this.publicKeyDer : undefined));
  }
}

/** Anchors appended one JSON line each (O_APPEND, fsynced); never rewritten by breachclock. */
export class FileTrailAnchorLog implements TrailAnchorLog {
  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  async append(anchor: TrailAnchor): Promise<void> {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      appendFileSync(fd, `${JSON.stringify(anchor)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async list(incidentId: string, limit = 1): Promise<TrailAnchor[]> {
    if (!existsSync(this.file)) return [];
    const anchors: TrailAnchor[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const anchor = JSON.parse(line) as TrailAnchor;
        if (anchor.incidentId === incidentId) anchors.push(anchor);
      } catch {
        // A torn last line (a crash mid-append) is not an anchor.
      }
    }
    return anchors.sort((a, b) => b.anchoredAt.localeCompare(a.anchoredAt) || b.seq - a.seq).slice(0, limit);
  }
}

/** Where the local stack keeps them, under its data directory. */
export function localTrailAnchoring(dataDir: string): { signer: LocalTrailKey; log: FileTrailAnchorLog } {
  return { signer: LocalTrailKey.loadOrCreate(join(dataDir, 'trail-key', 'ed25519.pem')), log: new FileTrailAnchorLog(join(dataDir, 'trail-anchors.jsonl')) };
}
