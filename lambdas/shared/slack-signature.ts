import { createHmac } from 'node:crypto';
import { canonical } from '../domain/trail.js';
import type { SlackWorkspace } from './config.js';
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

/**
 * Internal Slack jobs (issue 24.5). The Slack function answers Slack at once and runs the action in an
 * asynchronous invocation of itself; that event names the actor, so a job is accepted only when this
 * function signed it: HMAC-SHA256 over `v1:{expiresAt}:{canonical JSON of the job}` with a key derived from
 * the Slack signing secret and a fixed label (never the signing secret itself, so a v0 request signature is
 * never a job signature and back). Anyone allowed to invoke the function but not to read the Slack secret
 * cannot make a job; a job lives `SLACK_JOB_TTL_SECONDS`, so a captured one cannot be replayed later.
 */
export interface SignedSlackJob<J = unknown> {
  readonly v: 1;
  readonly job: J;
  /** Unix seconds after which the job is refused. */
  readonly expiresAt: number;
  readonly signature: string;
}

export class SlackJobSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackJobSignatureError';
  }
}

/** Lambda runs an asynchronous invocation within seconds and retries a failed one after 1 and 2 minutes. */
export const SLACK_JOB_TTL_SECONDS = 900;
const JOB_KEY_LABEL = 'breachclock/slack-job/v1';

const jobMac = (secret: string, expiresAt: number, job: unknown) => {
  const key = createHmac('sha256', secret).update(JOB_KEY_LABEL).digest();
  return `v1=${createHmac('sha256', key).update(`v1:${expiresAt}:${canonical(job)}`).digest('hex')}`;
};

/** Signs a job with the first (newest) signing secret; the job expires `ttlSeconds` after `now`. */
export function signSlackJob<J>(job: J, secrets: readonly string[], now: Date, ttlSeconds = SLACK_JOB_TTL_SECONDS): SignedSlackJob<J> {
  const secret = secrets.find(Boolean);
  if (!secret) throw new SlackJobSignatureError('No Slack signing secret is configured: Slack jobs cannot be signed');
  const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
  return { v: 1, job, expiresAt, signature: jobMac(secret, expiresAt, job) };
}

/**
 * The job of a signed envelope, if one of the signing secrets (two during a rotation) signed it and it has not
 * expired; anything else (no envelope, a bare job, another key, a changed job or time) is refused.
 */
export function verifySlackJob(envelope: unknown, secrets: readonly string[], now: Date): unknown {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new SlackJobSignatureError('The Slack job is not signed');
  const { v, job, expiresAt, signature } = envelope as Partial<SignedSlackJob>;
  if (v !== 1 || typeof signature !== 'string' || !Number.isSafeInteger(expiresAt) || typeof job !== 'object' || job === null) {
    throw new SlackJobSignatureError('The Slack job is not signed (a job is {v: 1, job, expiresAt, signature})');
  }
  const expected = secrets.filter(Boolean).map((secret) => jobMac(secret, expiresAt!, job));
  if (!matchesAnySecret(signature, expected)) throw new SlackJobSignatureError('The Slack job signature does not match: not signed by this function');
  if (now.getTime() / 1000 > expiresAt!) throw new SlackJobSignatureError(`The Slack job expired at ${new Date(expiresAt! * 1000).toISOString()}`);
  return job;
}

export class SlackWorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackWorkspaceError';
  }
}

/**
 * A signed request comes from Slack, not necessarily from our workspace: an app installed in several
 * workspaces (or a second app given the same secret) signs theirs alike, and their user ids could match
 * the role mapping's. The request's team must be ours, and its app when it names one (issue 24.5).
 */
export function verifySlackWorkspace(origin: { readonly teamId?: string | undefined; readonly appId?: string | undefined }, expected: SlackWorkspace): void {
  if (!origin.teamId) throw new SlackWorkspaceError('The request names no Slack team (workspace)');
  if (origin.teamId !== expected.teamId) throw new SlackWorkspaceError(`The request comes from another Slack workspace (${origin.teamId.slice(0, 24)})`);
  if (expected.appId && origin.appId && origin.appId !== expected.appId) throw new SlackWorkspaceError(`The request is for another Slack app (${origin.appId.slice(0, 24)})`);
}
