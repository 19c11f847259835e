import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { TrailSigner } from '../../ports/trail-anchors.js';

/**
 * Signs anchors with an asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256): the private key never leaves KMS,
 * and only the functions granted kms:Sign on it can sign. The table's writers hold no such grant.
 */
export class KmsTrailSigner implements TrailSigner {
  constructor(
    private readonly kms: KMSClient,
    readonly keyId: string,
  ) {}

  async sign(statement: string): Promise<string> {
    const out = await this.kms.send(new SignCommand({ KeyId: this.keyId, Message: Buffer.from(statement, 'utf8'), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
    if (!out.Signature) throw new Error(`KMS returned no signature for ${this.keyId}`);
    return Buffer.from(out.Signature).toString('base64');
  }
}

/** The trusted key's public half from KMS (kms:GetPublicKey); any other key id is not trusted. */
export function kmsPublicKeys(kms: KMSClient, trustedKeyIds: readonly string[]): (keyId: string) => Promise<Uint8Array | undefined> {
  return async (keyId) => {
    if (!trustedKeyIds.includes(keyId)) return undefined;
    const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    if (out.KeyUsage !== 'SIGN_VERIFY' || !out.PublicKey) throw new Error(`KMS key ${keyId} is not a signing key`);
    return out.PublicKey;
  };
}
