import type { ErrorAnswer } from '../../contracts/api-answers.js';

/**
 * The desk's one way to the API: the same HTTP API as the CLI, with the session's token. Answers are typed by
 * lambdas/contracts/api-answers.ts at each call site.
 */

/** How to sign in (served by the page's own origin): the API token locally, Cognito's hosted sign-in on AWS. */
export type DeskConfig = { readonly auth: 'token' } | { readonly auth: 'cognito'; readonly domain: string; readonly clientId: string; readonly uploadOrigin?: string };

export const session = {
  get token(): string | null {
    return sessionStorage.getItem('bc.token');
  },
  get actor(): string | null {
    return sessionStorage.getItem('bc.actor');
  },
  /** On AWS: Cognito's refresh token and when the access token expires (ms since the epoch, the browser's clock). */
  get refreshToken(): string | null {
    return sessionStorage.getItem('bc.refresh');
  },
  get expiresAt(): number | null {
    const at = Number(sessionStorage.getItem('bc.expires'));
    return Number.isFinite(at) && at > 0 ? at : null;
  },
  signIn(token: string, actor?: string, renewal?: { readonly refreshToken?: string; readonly expiresAt?: number }): void {
    sessionStorage.setItem('bc.token', token);
    if (actor !== undefined) sessionStorage.setItem('bc.actor', actor);
    if (renewal?.refreshToken) sessionStorage.setItem('bc.refresh', renewal.refreshToken);
    if (renewal?.expiresAt) sessionStorage.setItem('bc.expires', String(renewal.expiresAt));
  },
  forget(): void {
    for (const key of ['bc.token', 'bc.actor', 'bc.refresh', 'bc.expires']) sessionStorage.removeItem(key);
  },
};

/**
 * Renews the access token before it expires (Cognito's refresh token grant, set by auth.ts on AWS), so an officer
 * is not sent back to sign in every hour. One renewal at a time, however many requests are waiting for it.
 */
let refresher: (() => Promise<boolean>) | undefined;
let renewing: Promise<boolean> | undefined;
export const setTokenRefresher = (next: () => Promise<boolean>): void => {
  refresher = next;
};
/** Renew within this margin of expiry (requests in flight must not arrive with a token that just expired). */
const RENEW_MARGIN_MS = 60_000;
function renew(): Promise<boolean> {
  if (!refresher || !session.refreshToken) return Promise.resolve(false);
  renewing ??= refresher()
    .catch(() => false)
    .finally(() => {
      renewing = undefined;
    });
  return renewing;
}
/** Makes sure the session's token is not about to expire (a no-op with the API token or without a refresh token). */
export async function ensureFreshToken(): Promise<void> {
  const expiresAt = session.expiresAt;
  if (expiresAt !== null && expiresAt - Date.now() < RENEW_MARGIN_MS) await renew();
}

let config: DeskConfig = { auth: 'token' };
export const deskConfig = (): DeskConfig => config;
export const setDeskConfig = (next: DeskConfig): void => {
  config = next;
};

/** The token was refused (401): the desk signs out and says why. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
}

/** A 4xx/5xx of the API, with its own words (message and the details' paths). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly answer: ErrorAnswer['error'] | undefined,
    fallback: string,
  ) {
    const details = (answer?.details ?? []).map((d) => `${d.path}: ${d.message}`).join('; ');
    super(`${answer?.message ?? fallback}${details ? ` (${details})` : ''}`);
  }
}

/**
 * The stack's clock, not the browser's: every view the API answers carries its `now` (virtual time on the local
 * stack after `advance`), and countdowns and bars count from it, so the desk agrees with the CLI and the API.
 */
let clockSkewMs = 0;
export const serverNow = (): number => Date.now() + clockSkewMs;
function observeServerTime(payload: unknown): void {
  const now = (payload as { now?: unknown } | null)?.now;
  const at = typeof now === 'string' ? Date.parse(now) : NaN;
  if (Number.isFinite(at)) clockSkewMs = at - Date.now();
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${session.token ?? ''}`, ...(config.auth === 'token' && session.actor ? { 'x-actor': session.actor } : {}), ...extra };
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  await ensureFreshToken();
  const send = () =>
    fetch(path, {
      method,
      headers: authHeaders(body !== undefined ? { 'content-type': contentType } : {}),
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  let response = await send();
  // Refused although renewed in time (revoked, or the clock is off): renew once and try again, then sign in.
  if (response.status === 401 && (await renew())) response = await send();
  const payload: unknown = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  const error = (payload as Partial<ErrorAnswer> | null)?.error;
  if (response.status === 401) throw new TokenRefusedError(`The token was refused (${error?.message ?? 'not valid'}): sign in again with a valid one`);
  if (!response.ok) throw new ApiError(response.status, error, response.statusText);
  observeServerTime(payload);
  return payload as T;
}

export const incidentPath = (incidentId: string): string => `/api/incidents/${encodeURIComponent(incidentId)}`;
export const noticePath = (incidentId: string, noticeId: string): string => `${incidentPath(incidentId)}/notices/${encodeURIComponent(noticeId)}`;

/** The largest list the API takes in its body (lambdas/handlers/api/notice-routes.ts MAX_UPLOAD_BYTES): larger ones go to an upload URL. */
export const MAX_DIRECT_UPLOAD_BYTES = 5 * 1024 * 1024;

/** A refusal of the upload URL's PUT (the store, not the API): its status and words. */
export class UploadRefusedError extends Error {
  override readonly name = 'UploadRefusedError';
}

/**
 * A list PUT to the upload URL the API handed out (a presigned S3 PUT on AWS, the local stack's signed
 * `/local/uploads` URL locally), with exactly the headers the URL was signed with and no API token: the URL is
 * the permission. Only for the URL the API just answered.
 */
export async function putToUploadTarget(target: { readonly url: string; readonly method: 'PUT'; readonly headers: Readonly<Record<string, string>> }, body: Blob): Promise<void> {
  const response = await fetch(target.url, { method: target.method, headers: { ...target.headers }, body, credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    const message = /"message"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? (/<Message>([^<]*)<\/Message>/.exec(text)?.[1] || response.statusText);
    throw new UploadRefusedError(`The store refused the upload (${response.status}): ${message}`);
  }
}
