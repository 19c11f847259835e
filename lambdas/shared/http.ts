import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { safeParse, type $ZodError, type $ZodType, type output } from 'zod/v4/core';

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

/** The raw body bytes (signatures are computed over them): 400 when missing, 413 when too large. */
export function readRawBody(event: HttpEvent, maxBytes: number): Buffer {
  if (!event.body) throw new HttpError(400, 'missing_body', 'The request has no body; send a JSON object');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > maxBytes) {
    throw new HttpError(413, 'body_too_large', `The body is ${raw.byteLength} bytes; the limit is ${maxBytes} bytes`);
  }
  return raw;
}

/**
 * Parses JSON: 415 unless the content type is JSON (SNS posts JSON as text/plain, so `allowTextPlain`),
 * 400 with the parser's reason, 400 when nested deeper than `maxDepth` (with the path where).
 */
export function parseJsonBody(event: HttpEvent, raw: Buffer, options: { maxDepth?: number; allowTextPlain?: boolean } = {}): unknown {
  const type = header(event, 'content-type');
  const textPlain = options.allowTextPlain && type !== undefined && /^text\/plain\b/i.test(type);
  if (type && !textPlain && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', `Content-Type must be application/json (got "${type}")`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const deepest = depthViolation(value, options.maxDepth ?? 32);
  if (deepest) {
    throw new HttpError(400, 'too_deeply_nested', `The body is nested deeper than ${options.maxDepth ?? 32} levels`, [
      { path: deepest, message: 'nesting limit reached here' },
    ]);
  }
  return value;
}

/** Reads and parses a JSON body with a size limit: 413 when too large, 400 when not JSON (with the parser's reason). */
export function readJsonBody(event: HttpEvent, maxBytes: number): unknown {
  return parseJsonBody(event, readRawBody(event, maxBytes));
}

/** The path at which `value` exceeds `maxDepth` levels of objects/arrays, or undefined. Iterative: no stack overflow. */
export function depthViolation(value: unknown, maxDepth: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '(body)' }];
  while (stack.length) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) return item.path;
    for (const [key, child] of Object.entries(item.value)) {
      stack.push({ value: child, depth: item.depth + 1, path: item.path === '(body)' ? key : `${item.path}.${key}` });
    }
  }
  return undefined;
}

export function zodDetails(error: $ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.length ? issue.path.join('.') : '(body)', message: issue.message }));
}

/** Validates with a zod schema (classic or mini: the same core); 400 listing every problem with its path. */
export function validate<S extends $ZodType>(schema: S, value: unknown, what: string): output<S> {
  const result = safeParse(schema, value);
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

/** Decodes one percent-encoded path segment; a malformed encoding (%ZZ, a cut UTF-8 sequence) is a 400, not a 500. */
export function decodePathSegment(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(400, 'invalid_request', `The ${what} is not a valid percent-encoded path segment`, [{ path: what, message: 'malformed percent-encoding' }]);
  }
}

/** 405 with the methods the path does allow (and the Allow header). */
export function methodNotAllowed(method: string, path: string, allow: string): HttpError {
  return new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allow}`, [], { allow });
}
