import type { Context } from 'aws-lambda';
import { toApiGatewayEvent } from '../../local/api-gateway-event.js';
import type { HttpEvent } from '../../lambdas/shared/http.js';

export const lambdaContext = { awsRequestId: 'test-request', functionName: 'test' } as Context;

export function httpEvent(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; routeKey?: string; pathParameters?: Record<string, string> } = {},
): HttpEvent {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return toApiGatewayEvent({
    method,
    url,
    routeKey: options.routeKey ?? `${method} ${url}`,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(body !== undefined ? { body } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
  });
}

export function parse(result: { body?: string }): any {
  return JSON.parse(result.body ?? 'null');
}
