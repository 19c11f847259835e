import { makeRouter } from '../../lambdas/handlers/api/router.js';
import { API_ROUTES, apiDocument, readPermission } from '../../lambdas/handlers/api/routes.js';

/** A concrete path of a route's path: each {param} by a valid value. */
const SAMPLE: Record<string, string> = { id: 'INC-T-1', noticeId: 'NTC-gdpr-authority-00000000', token: 'x'.repeat(43) };
/** The API function serves /api/* and the notice page behind a private link, /n/{token} (issue 26.5). */
const servedByApi = (path: string) => path.startsWith('/api/') || path.startsWith('/n/');
const concrete = (path: string) => path.replace(/\{([^}]+)\}/g, (_m, name: string) => SAMPLE[name] ?? 'x');
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

describe('the API route table', () => {
  const router = makeRouter(API_ROUTES);
  const { document, routes: documented } = apiDocument();

  it('is what the OpenAPI document says the API serves, and the router serves exactly those routes', () => {
    const table = API_ROUTES.map((r) => key(r.method, r.path)).sort();
    const documentedApi = documented.filter((r) => servedByApi(r.path)).map((r) => key(r.method, r.path)).sort();
    expect(documentedApi).toEqual(table);
    // The document's paths object holds the same operations as its route list.
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((method) => key(method, path)));
    expect(operations.sort()).toEqual(documented.map((r) => key(r.method, r.path)).sort());
    // Each documented /api route reaches its own route in the router; the other functions' routes reach none.
    for (const { method, path } of documented) {
      const match = router.find(method.toUpperCase(), concrete(path));
      if (servedByApi(path)) expect([key(method, path), match?.route?.path, match?.route?.method]).toEqual([key(method, path), path, method.toUpperCase()]);
      else expect([key(method, path), match]).toEqual([key(method, path), undefined]);
    }
  });

  it('declares each route once, its paths do not overlap, and every route of a path shares its parameters', () => {
    expect(new Set(API_ROUTES.map((r) => key(r.method, r.path))).size).toBe(API_ROUTES.length);
    for (const route of API_ROUTES) {
      // A concrete path of one route's path is matched by that path only.
      expect([route.path, router.find(route.method, concrete(route.path))?.path.routes[0]?.path]).toEqual([route.path, route.path]);
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect([route.path, Object.keys(route.params ?? {})]).toEqual([route.path, names]);
      for (const other of API_ROUTES.filter((r) => r.path === route.path)) expect(other.params).toBe(route.params);
    }
  });

  it('declares for each read the permission the router checks before routing (/api/me: anyone signed in; /n/{token}: anyone with the link)', () => {
    for (const route of API_ROUTES.filter((r) => r.method === 'GET')) {
      expect([route.path, route.permission]).toEqual([route.path, route.path === '/api/me' ? 'signed-in' : route.path === '/n/{token}' ? 'public' : readPermission(route.path)]);
    }
  });
});
