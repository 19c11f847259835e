import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** An error with an HTTP status; 4xx messages are shown to the caller, 5xx are not. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorBody(code: string, message: string, details: readonly ErrorDetail[] = [], requestId?: string) {
  return { error: { code, message, ...(details.length ? { details } : {}), ...(requestId ? { requestId } : {}) } };
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Reads and parses a JSON body with a size limit: 413 when too large, 400 when not JSON (with the parser's reason). */
export function readJsonBody(event: HttpEvent, maxBytes: number): unknown {
  if (!event.body) throw new HttpError(400, 'missing_body', 'The request has no body; send a JSON object');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > maxBytes) {
    throw new HttpError(413, 'body_too_large', `The body is ${raw.byteLength} bytes; the limit is ${maxBytes} bytes`);
  }
  const type = header(event, 'content-type');
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', `Content-Type must be application/json (got "${type}")`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.length ? issue.path.join('.') : '(body)', message: issue.message }));
}

/** Validates with a zod schema; 400 listing every problem with its path. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'invalid_request', `The ${what} is not valid`, zodDetails(result.error));
  return result.data;
}

export function bearerToken(event: HttpEvent): string | undefined {
  const value = header(event, 'authorization');
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

/** Constant-time comparison against every configured secret (two may be valid during a rotation). */
export function matchesAnySecret(candidate: string | undefined, secrets: readonly string[]): boolean {
  if (!candidate) return false;
  const digest = createHash('sha256').update(candidate).digest();
  let matched = false;
  for (const secret of secrets) {
    if (!secret) continue;
    const expected = createHash('sha256').update(secret).digest();
    matched = timingSafeEqual(digest, expected) || matched;
  }
  return matched;
}
