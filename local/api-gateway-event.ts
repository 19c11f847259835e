import { randomUUID } from 'node:crypto';
import type { HttpEvent } from '../lambdas/shared/http.js';

export interface RawRequest {
  readonly method: string;
  /** Path with query string, e.g. /api/incidents?x=1 */
  readonly url: string;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly body?: Buffer | string;
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  readonly sourceIp?: string;
}

/** Turns an HTTP request into the API Gateway HTTP API (payload 2.0) event the Lambda handlers receive on AWS. */
export function toApiGatewayEvent(request: RawRequest): HttpEvent {
  const url = new URL(request.url, 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
  const isText = body ? /json|text|x-www-form-urlencoded/i.test(headers['content-type'] ?? 'application/json') : false;
  const now = new Date();
  const queryStringParameters = Object.fromEntries(url.searchParams.entries());
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: request.method.toUpperCase(),
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: request.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body ? !isText : false,
    ...(body ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
  };
}
