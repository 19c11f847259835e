import { createVerify } from 'node:crypto';
import * as z from '../domain/zod-mini.js';
import { once } from '../domain/once.js';

/**
 * An SNS message posted to an HTTPS subscription (Notification, SubscriptionConfirmation, UnsubscribeConfirmation).
 * Built on first use: only CloudWatch alarms arrive through SNS.
 */
export const snsEnvelopeSchema = once(() =>
  z.object({
    Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
    MessageId: z.string().check(z.minLength(1)),
    TopicArn: z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN')),
    Message: z.string(),
    Timestamp: z.string(),
    SignatureVersion: z.enum(['1', '2']),
    Signature: z.string().check(z.minLength(1)),
    SigningCertURL: z.string().check(z.minLength(1)),
    Subject: z.optional(z.string()),
    Token: z.optional(z.string()),
    SubscribeURL: z.optional(z.string()),
    UnsubscribeURL: z.optional(z.string()),
  }),
);
export type SnsEnvelope = z.infer<ReturnType<typeof snsEnvelopeSchema>>;

export class SnsSignatureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnsSignatureError';
  }
}

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const SNS_HOST_PARTS = /^sns\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/**
 * Issue 24.5: a certificate may sign for a topic only from the topic's own region (SNS signs with the
 * region's certificate) and partition (aws-cn is served from amazonaws.com.cn), and from the deployment's
 * region when the verifier is given one: an SNS certificate of any other region proves nothing about ours.
 */
function certificateRegionProblem(certUrl: string, topicArn: string, region?: string): string | undefined {
  const host = SNS_HOST_PARTS.exec(new URL(certUrl).hostname);
  const arn = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):/.exec(topicArn);
  if (!host || !arn) return `SigningCertURL or TopicArn does not name a region`;
  const [, certRegion, china] = host;
  const [, partition, topicRegion] = arn;
  if (Boolean(china) !== (partition === 'aws-cn')) return `SigningCertURL's host is not of the topic's partition (${partition})`;
  if (certRegion !== topicRegion) return `SigningCertURL's region ${certRegion} is not the topic's region ${topicRegion}`;
  if (region && certRegion !== region) return `SigningCertURL's region ${certRegion} is not this deployment's region ${region}`;
  return undefined;
}

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
/** The signing certificate (or the confirmation URL) could not be reached: a passing outage, not a bad message. */
export class CertificateUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateUnavailableError';
  }
}

/** A redirect is never followed (issue 24.5): the host checked is the host that answers. */
const isRedirect = (response: Response) => response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);

export const fetchCertificate: CertificateFetcher = async (url) => {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
  } catch (error) {
    throw new CertificateUnavailableError(`Could not fetch the SNS signing certificate: ${(error as Error).message}`, { cause: error });
  }
  if (isRedirect(response)) throw new SnsSignatureError(`The SNS signing certificate URL answered a redirect (HTTP ${response.status}); redirects are not followed`);
  if (!response.ok) throw new CertificateUnavailableError(`Could not fetch the SNS signing certificate: HTTP ${response.status}`);
  return response.text();
};

export interface SnsVerifierOptions {
  /** The deployment's region: certificates of any other region are refused (besides the TopicArn's check). */
  readonly region?: string;
  /** Refuse SignatureVersion 1 (RSA-SHA1); set the topic's SignatureVersion attribute to 2 first. */
  readonly requireSignatureVersion2?: boolean;
}

/**
 * Verifies SNS message signatures: certificate URL must be an AWS SNS host of the signed TopicArn's region
 * and partition (and the deployment's region, when given), SignatureVersion 1 (SHA1, unless version 2 is
 * required) or 2 (SHA256) over the canonical string. Certificates are cached per URL.
 */
export class SnsMessageVerifier {
  private readonly certificates = new Map<string, Promise<string>>();

  constructor(
    private readonly fetchCert: CertificateFetcher = fetchCertificate,
    private readonly options: SnsVerifierOptions = {},
  ) {}

  async verify(envelope: SnsEnvelope): Promise<void> {
    if (!isAwsSnsUrl(envelope.SigningCertURL, /\.pem$/)) {
      throw new SnsSignatureError(`SigningCertURL ${envelope.SigningCertURL} is not an AWS SNS certificate URL`);
    }
    const regionProblem = certificateRegionProblem(envelope.SigningCertURL, envelope.TopicArn, this.options.region);
    if (regionProblem) throw new SnsSignatureError(regionProblem);
    if (this.options.requireSignatureVersion2 && envelope.SignatureVersion !== '2') {
      throw new SnsSignatureError('SignatureVersion 1 (SHA1) is refused: this deployment requires SignatureVersion 2 (set it on the topic)');
    }
    // Cached per certificate (origin and path: a query string does not make another entry), at most 32.
    const url = new URL(envelope.SigningCertURL);
    const key = `${url.origin}${url.pathname}`;
    let certificate = this.certificates.get(key);
    if (!certificate) {
      if (this.certificates.size >= 32) this.certificates.delete(this.certificates.keys().next().value!);
      certificate = this.fetchCert(envelope.SigningCertURL);
      this.certificates.set(key, certificate);
      certificate.catch(() => this.certificates.delete(key));
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
  let response: Response;
  try {
    response = await fetch(subscribeUrl, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
  } catch (error) {
    throw new CertificateUnavailableError(`Could not reach SNS to confirm the subscription: ${(error as Error).message}`, { cause: error });
  }
  if (isRedirect(response)) throw new SnsSignatureError(`SubscribeURL answered a redirect (HTTP ${response.status}); redirects are not followed`);
  if (!response.ok) throw new CertificateUnavailableError(`SNS answered HTTP ${response.status} to the subscription confirmation`);
};
