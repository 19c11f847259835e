import { createHmac } from 'node:crypto';
import { matchesAnySecret } from './http.js';

export class SlackSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackSignatureError';
  }
}

export interface SlackRequest {
  readonly rawBody: Buffer | string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

/**
 * Slack request signing, v0: HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the app's signing secret,
 * compared in constant time against every configured secret (two during a rotation). Requests older or
 * newer than `toleranceSeconds` (5 minutes) are refused: a captured request cannot be replayed later.
 */
export function verifySlackRequest(request: SlackRequest, secrets: readonly string[], now: Date, toleranceSeconds = 300): void {
  if (!request.timestamp || !request.signature) throw new SlackSignatureError('X-Slack-Request-Timestamp and X-Slack-Signature are required');
  if (!/^\d{1,12}$/.test(request.timestamp)) throw new SlackSignatureError('X-Slack-Request-Timestamp is not a Unix time');
  const skew = Math.abs(now.getTime() / 1000 - Number(request.timestamp));
  if (skew > toleranceSeconds) throw new SlackSignatureError(`The request is ${Math.round(skew)} s old; requests older than ${toleranceSeconds} s are refused`);
  const base = Buffer.concat([Buffer.from(`v0:${request.timestamp}:`), Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.from(request.rawBody)]);
  const expected = secrets.filter(Boolean).map((secret) => `v0=${createHmac('sha256', secret).update(base).digest('hex')}`);
  if (!matchesAnySecret(request.signature.trim(), expected)) throw new SlackSignatureError('X-Slack-Signature does not match the signing secret');
}

/** Signs like Slack does (tests, the local stack's demo client). */
export function signSlackRequest(rawBody: string, secret: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}
