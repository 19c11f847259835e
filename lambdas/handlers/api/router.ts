import { authorize } from '../../domain/roles.js';
import { HttpError, methodNotAllowed, readJsonBody, validate, type HttpResult } from '../../shared/http.js';
import type { AnyApiRoute, ApiHandlerDeps, ApiRequest, PathParam } from './route.js';

/** The routes of one path (e.g. /api/incidents/{id}/notices), in the table's order. */
interface PathRoutes {
  readonly segments: readonly string[];
  /** Of the first route of the path: every route of a path shares them (a test checks). */
  readonly params: Readonly<Record<string, PathParam>>;
  readonly routes: AnyApiRoute[];
}

/** What a request path matched: its path's routes, the one for the request's method if any, the raw segments. */
export interface Match {
  readonly path: PathRoutes;
  readonly route: AnyApiRoute | undefined;
  readonly segments: readonly string[];
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/**
 * The table-driven router: `find` matches a path to a route (a {param} matches one non-empty segment, a
 * literal itself); `serve` answers a request, in this order: 404 for an unknown path; each path parameter
 * parsed (a 400, before a 405); 405 naming the methods the path allows; a static permission (403); the query
 * and the body validated (400, 413, 415); a permission the body names (403); then the route's handler.
 */
export function makeRouter(table: readonly AnyApiRoute[]) {
  const paths: PathRoutes[] = [];
  for (const route of table) {
    const known = paths.find((p) => p.routes[0]!.path === route.path);
    if (known?.routes.some((r) => r.method === route.method)) throw new Error(`Two routes for ${route.method} ${route.path}`);
    if (known) known.routes.push(route);
    else paths.push({ segments: route.path.split('/'), params: route.params ?? {}, routes: [route] });
  }

  function find(method: string, path: string): Match | undefined {
    const segments = path.split('/');
    const matched = paths.find((p) => p.segments.length === segments.length && p.segments.every((s, i) => (isParam(s) ? segments[i] !== '' : s === segments[i])));
    return matched && { path: matched, route: matched.routes.find((r) => r.method === method), segments };
  }

  async function serve(match: Match | undefined, method: string, path: string, request: Omit<ApiRequest<unknown, unknown>, 'params' | 'query' | 'body'>, deps: ApiHandlerDeps): Promise<HttpResult> {
    if (!match) throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
    const params: Record<string, string> = {};
    match.path.segments.forEach((segment, i) => {
      if (!isParam(segment)) return;
      const name = segment.slice(1, -1);
      params[name] = match.path.params[name]!.parse(match.segments[i]!);
    });
    const { route } = match;
    if (!route) throw methodNotAllowed(method, path, match.path.routes.map((r) => r.method).join(', '));
    const check = (permission: Parameters<typeof authorize>[2]) => {
      if (request.roles) authorize(request.roles, request.actor, permission);
    };
    if (typeof route.permission === 'string' && route.permission !== 'signed-in' && route.permission !== 'public') check(route.permission);
    const query = route.query ? validate(route.query.schema, request.event.queryStringParameters ?? {}, route.query.what) : undefined;
    const body = route.body ? validate(route.body.schema(), readJsonBody(request.event, route.body.maxBytes), route.body.what) : undefined;
    if (typeof route.permission === 'function') check(route.permission(body));
    return route.handle({ ...request, params, query, body }, deps);
  }

  return { find, serve };
}
