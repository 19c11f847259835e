import { readFileSync } from 'node:fs';
import { errorBody, json, type HttpEvent, type HttpResult } from '../shared/http.js';

/**
 * How the desk signs people in: locally with the API token; on AWS through the Cognito user pool's hosted
 * sign-in (authorization code with PKCE, a public client: nothing secret is served here).
 */
export type DashboardConfig =
  | { readonly auth: 'token' }
  | {
      readonly auth: 'cognito';
      readonly domain: string;
      readonly clientId: string;
      /** `breachclock login`: the CLI's public client and its registered loopback callbacks (docs/deploy.md). */
      readonly cli?: { readonly clientId: string; readonly redirectUris: readonly string[] };
      /** The origin of the API's presigned upload URLs (the recipient list bucket): the desk may PUT a large list there. */
      readonly uploadOrigin?: string;
    };

/** What a browser is sent: the page, its style and the desk's bundled script (lib/desk-bundle.ts builds it). */
export type DeskFile = 'index.html' | 'app.css' | 'app.js';
export type DeskFiles = Readonly<Record<DeskFile, string>>;

const FILES: Readonly<Record<string, { readonly file: DeskFile; readonly type: string }>> = {
  '/dashboard': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/**
 * On Lambda the files sit beside the function's bundle (built and copied there at synth: lib/desk-bundle.ts);
 * read once per instance. The local stack builds them when it starts and passes them in.
 */
const cache = new Map<DeskFile, string>();
function besideBundle(file: DeskFile): string {
  let body = cache.get(file);
  if (body === undefined) {
    body = readFileSync(new URL(`./dashboard/${file}`, import.meta.url), 'utf8');
    cache.set(file, body);
  }
  return body;
}

/** The content security policy: no inline script, no framing; the page talks to its own origin and, on AWS, the sign-in domain. */
export function contentSecurityPolicy(config: DashboardConfig): string {
  const connect = config.auth === 'cognito' ? `'self' ${new URL(config.domain).origin}${config.uploadOrigin ? ` ${new URL(config.uploadOrigin).origin}` : ''}` : "'self'";
  return `default-src 'none'; script-src 'self'; style-src 'self'; connect-src ${connect}; img-src 'self' data: blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/** GET /dashboard, its script and style, and /dashboard/config.json (how to sign in). */
export function dashboardResponse(path: string, method: string, config: DashboardConfig, files: DeskFiles | ((file: DeskFile) => string) = besideBundle): HttpResult {
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
  return { statusCode: 200, headers: { ...headers, 'content-type': file.type }, body: method === 'HEAD' ? '' : typeof files === 'function' ? files(file.file) : files[file.file] };
}

/** The deployed desk's configuration, from the environment the stack sets (and the CLI's client, when set). */
export function dashboardConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const domain = env.COGNITO_DOMAIN;
  const clientId = env.COGNITO_CLIENT_ID;
  if (!domain || !clientId) throw new Error('COGNITO_DOMAIN and COGNITO_CLIENT_ID must be set for the deployed dashboard');
  const cliClientId = env.COGNITO_CLI_CLIENT_ID;
  const redirectUris = (env.COGNITO_CLI_REDIRECT_URIS ?? '').split(',').map((uri) => uri.trim()).filter(Boolean);
  if (Boolean(cliClientId) !== redirectUris.length > 0) throw new Error('COGNITO_CLI_CLIENT_ID and COGNITO_CLI_REDIRECT_URIS are set together or not at all');
  const uploadOrigin = env.DESK_UPLOAD_ORIGIN?.trim();
  if (uploadOrigin && new URL(uploadOrigin).protocol !== 'https:') throw new Error(`DESK_UPLOAD_ORIGIN must be an https origin: ${uploadOrigin}`);
  return { auth: 'cognito', domain, clientId, ...(cliClientId ? { cli: { clientId: cliClientId, redirectUris } } : {}), ...(uploadOrigin ? { uploadOrigin: new URL(uploadOrigin).origin } : {}) };
}

let config: DashboardConfig | undefined;

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  config ??= dashboardConfigFromEnv();
  return dashboardResponse(event.rawPath, event.requestContext.http.method, config);
};
