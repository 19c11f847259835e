import type { MeAnswer } from '../../contracts/api-answers.js';
import { errorResponses, ok, openApiDocument } from '../../contracts/openapi.js';
import { once } from '../../domain/once.js';
import { PERMISSIONS, ROLES, type Permission } from '../../domain/roles.js';
import { json } from '../../shared/http.js';
import { INCIDENT_ROUTES } from './incident-routes.js';
import { NOTICE_ROUTES } from './notice-routes.js';
import { NOTICE_PAGE_ROUTES } from './notice-page-routes.js';
import { LETTER_ROUTES } from './letter-routes.js';
import { REGISTER_ROUTES } from './register-routes.js';
import { route, type AnyApiRoute } from './route.js';
import { TASK_ROUTES } from './task-routes.js';

/**
 * The permission a read (GET) needs, from its path: 'view', or 'view-evidence' for the evidence and for a
 * letter's PDF (a name and a postal address: personal data; the list of letters holds only hashes). Checked
 * before the path is looked up, so a caller without it learns nothing of which paths exist; each GET route
 * of the table declares the same (a test checks), /api/me excepted (anyone signed in).
 */
export const readPermission = (path: string): Permission => (path.endsWith('/evidence') || /\/letters\/[^/]+$/.test(path) ? 'view-evidence' : 'view');

/** Every route the API function serves; the router and the OpenAPI document are both derived from it. */
export const API_ROUTES: readonly AnyApiRoute[] = [
  ...INCIDENT_ROUTES,
  ...TASK_ROUTES,
  ...REGISTER_ROUTES,
  ...NOTICE_ROUTES,
  ...NOTICE_PAGE_ROUTES,
  ...LETTER_ROUTES,
  route({
    method: 'GET',
    path: '/api/me',
    // Who am I: answered to anyone signed in, so the desk can say "you have no role" and show only what the roles allow.
    permission: 'signed-in',
    doc: { summary: 'Who you are to breachclock: your recorded identity, roles and what they allow (a user with no role gets an answer too)', responses: { ...ok('{ actor, roles, permissions }'), 401: errorResponses[401] } },
    handle: ({ actor, roles }) => {
      const mine = roles ? ROLES.filter((role) => roles.rolesOf(actor).includes(role)) : [...ROLES];
      const permissions = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => PERMISSIONS[permission].some((role) => mine.includes(role)));
      return json(200, { actor, roles: mine, permissions: permissions.sort() } satisfies MeAnswer);
    },
  }),
  route({
    method: 'GET',
    path: '/api/openapi.json',
    permission: 'view',
    doc: { summary: 'This document', responses: ok('OpenAPI 3.1') },
    handle: () => json(200, apiDocument().document),
  }),
];

/** The OpenAPI document of these routes and the other functions' (built on first request). */
export const apiDocument = once(() => openApiDocument(API_ROUTES));
