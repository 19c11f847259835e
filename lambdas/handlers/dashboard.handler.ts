import { existsSync, readFileSync } from 'node:fs';
import { errorBody, json, type HttpEvent, type HttpResult } from '../shared/http.js';

/**
 * How the desk signs people in: locally with the API token; on AWS through the Cognito user pool's hosted
 * sign-in (authorization code with PKCE, a public client: nothing secret is served here).
 */
export type DashboardConfig = { readonly auth: 'token' } | { readonly auth: 'cognito'; readonly domain: string; readonly clientId: string };

const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/dashboard': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** The assets sit beside the bundle on Lambda (copied there at bundling) and in lambdas/dashboard/ in the source tree. */
function assetDirectory(): URL {
  const beside = new URL('./dashboard/', import.meta.url);
  return existsSync(new URL('index.html', beside)) ? beside : new URL('../dashboard/', import.meta.url);
}

const cache = new Map<string, string>();
function asset(file: string): string {
  let body = cache.get(file);
  if (body === undefined) {
    body = readFileSync(new URL(file, assetDirectory()), 'utf8');
    cache.set(file, body);
  }
  return body;
}

/** The content security policy: no inline script, no framing; the page talks to its own origin and, on AWS, the sign-in domain. */
export function contentSecurityPolicy(config: DashboardConfig): string {
  const connect = config.auth === 'cognito' ? `'self' ${new URL(config.domain).origin}` : "'self'";
  return `default-src 'none'; script-src 'self'; style-src 'self'; connect-src ${connect}; img-src 'self' data: blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/** GET /dashboard, its script and style, and /dashboard/config.json (how to sign in). */
export function dashboardResponse(path: string, method: string, config: DashboardConfig): HttpResult {
  if (method !== 'GET' && method !== 'HEAD') {
    return { ...json(405, errorBody('method_not_allowed', `${method} is not allowed on ${path}; use GET`)), headers: { 'content-type': 'application/json', allow: 'GET, HEAD' } };
  }
  const headers = {
    'content-security-policy': contentSecurityPolicy(config),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000',
    'cache-control': 'no-store',
  };
  if (path === '/dashboard/config.json') {
    return { statusCode: 200, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(config) };
  }
  const file = FILES[path];
  if (!file) return json(404, errorBody('not_found', `No dashboard file ${path}`));
  return { statusCode: 200, headers: { ...headers, 'content-type': file.type }, body: method === 'HEAD' ? '' : asset(file.file) };
}

/** The deployed desk's configuration, from the environment the stack sets. */
export function dashboardConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const domain = env.COGNITO_DOMAIN;
  const clientId = env.COGNITO_CLIENT_ID;
  if (!domain || !clientId) throw new Error('COGNITO_DOMAIN and COGNITO_CLIENT_ID must be set for the deployed dashboard');
  return { auth: 'cognito', domain, clientId };
}

let config: DashboardConfig | undefined;

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  config ??= dashboardConfigFromEnv();
  return dashboardResponse(event.rawPath, event.requestContext.http.method, config);
};
