import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { TrailSignatureVerifier } from '../../ports/trail-anchors.js';

/**
 * Verifies anchor signatures with public keys, only for the key ids it was configured to trust: an anchor that
 * names another key (one an attacker made) fails. Ed25519 (local) and ECDSA P-256 with SHA-256, DER-encoded
 * signatures (KMS ECC_NIST_P256, ECDSA_SHA_256).
 */
export class PublicKeyVerifier implements TrailSignatureVerifier {
  private readonly keys = new Map<string, Promise<KeyObject | undefined>>();

  /** `resolve` returns the trusted public key (SPKI DER) of a key id, or undefined for a key not trusted. */
  constructor(private readonly resolve: (keyId: string) => Promise<Uint8Array | undefined>) {}

  async verify(statement: string, signature: string, keyId: string): Promise<boolean> {
    let key = this.keys.get(keyId);
    if (!key) {
      key = this.resolve(keyId).then((der) => (der ? createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }) : undefined));
      // A failed lookup (KMS unreachable) is not remembered: the next verification asks again.
      key.catch(() => this.keys.delete(keyId));
      this.keys.set(keyId, key);
    }
    const publicKey = await key;
    if (!publicKey) return false;
    const algorithm = publicKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    return verify(algorithm, Buffer.from(statement, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  }
}
