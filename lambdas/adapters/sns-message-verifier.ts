import { createVerify } from 'node:crypto';
import * as z from 'zod';

/** An SNS message posted to an HTTPS subscription (Notification, SubscriptionConfirmation, UnsubscribeConfirmation). */
export const snsEnvelopeSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1),
  TopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN'),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
  Subject: z.string().optional(),
  Token: z.string().optional(),
  SubscribeURL: z.string().optional(),
  UnsubscribeURL: z.string().optional(),
});
export type SnsEnvelope = z.infer<typeof snsEnvelopeSchema>;

export class SnsSignatureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnsSignatureError';
  }
}

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Only AWS SNS endpoints over HTTPS may serve signing certificates or confirm subscriptions. */
export function isAwsSnsUrl(url: string, pathPattern?: RegExp): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && SNS_HOST.test(parsed.hostname) && !parsed.username && !parsed.password && (!pathPattern || pathPattern.test(parsed.pathname));
  } catch {
    return false;
  }
}

/** The canonical string SNS signs, per message type (AWS SNS developer guide, "Verifying the signatures"). */
export function stringToSign(envelope: SnsEnvelope): string {
  const fields =
    envelope.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  let text = '';
  for (const field of fields) {
    const value = envelope[field];
    if (value === undefined) {
      if (field === 'Subject') continue;
      throw new SnsSignatureError(`SNS ${envelope.Type} lacks ${field}`);
    }
    text += `${field}\n${value}\n`;
  }
  return text;
}

export type CertificateFetcher = (url: string) => Promise<string>;

/** Fetches the PEM certificate over HTTPS (only from AWS SNS hosts; checked before). */
export const fetchCertificate: CertificateFetcher = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new SnsSignatureError(`Could not fetch the SNS signing certificate: HTTP ${response.status}`);
  return response.text();
};

/**
 * Verifies SNS message signatures: certificate URL must be an AWS SNS host, SignatureVersion 1 (SHA1) or
 * 2 (SHA256) over the canonical string. Certificates are cached per URL.
 */
export class SnsMessageVerifier {
  private readonly certificates = new Map<string, Promise<string>>();

  constructor(private readonly fetchCert: CertificateFetcher = fetchCertificate) {}

  async verify(envelope: SnsEnvelope): Promise<void> {
    if (!isAwsSnsUrl(envelope.SigningCertURL, /\.pem$/)) {
      throw new SnsSignatureError(`SigningCertURL ${envelope.SigningCertURL} is not an AWS SNS certificate URL`);
    }
    let certificate = this.certificates.get(envelope.SigningCertURL);
    if (!certificate) {
      certificate = this.fetchCert(envelope.SigningCertURL);
      this.certificates.set(envelope.SigningCertURL, certificate);
      certificate.catch(() => this.certificates.delete(envelope.SigningCertURL));
    }
    const pem = await certificate;
    const verifier = createVerify(envelope.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    verifier.update(stringToSign(envelope), 'utf8');
    let valid = false;
    try {
      valid = verifier.verify(pem, envelope.Signature, 'base64');
    } catch (error) {
      throw new SnsSignatureError('The SNS signature could not be checked', { cause: error });
    }
    if (!valid) throw new SnsSignatureError('The SNS message signature is not valid');
  }
}

export type SubscriptionConfirmer = (subscribeUrl: string) => Promise<void>;

/** Confirms an SNS subscription by visiting SubscribeURL (an AWS SNS host only). */
export const confirmSubscription: SubscriptionConfirmer = async (subscribeUrl) => {
  if (!isAwsSnsUrl(subscribeUrl)) throw new SnsSignatureError(`SubscribeURL ${subscribeUrl} is not an AWS SNS URL`);
  const response = await fetch(subscribeUrl, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`SNS answered HTTP ${response.status} to the subscription confirmation`);
};
