import { createSign, generateKeyPairSync } from 'node:crypto';
import { stringToSign, type SnsEnvelope } from '../../lambdas/adapters/sns-message-verifier.js';

/** A test signing key standing in for SNS's: the verifier gets its public key as "the certificate". */
export const snsTestKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const snsTestCertificate = snsTestKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

export function signSns<T extends Record<string, unknown>>(envelope: T, privateKey = snsTestKeys.privateKey): T {
  const e = envelope as unknown as SnsEnvelope;
  const signer = createSign(e.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
  signer.update(stringToSign(e));
  return { ...envelope, Signature: signer.sign(privateKey, 'base64') };
}
