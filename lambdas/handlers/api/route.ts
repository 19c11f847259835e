import type * as z from '../../domain/zod-mini.js';
import type { ActDeps } from '../../app/act-on-incident.js';
import type { NoticeDeliveryDeps } from '../../app/notices.js';
import type { VerifyTrailDeps } from '../../app/trail-anchoring.js';
import { incidentIdSchema } from '../../contracts/incident-api.js';
import { noticeIdSchema } from '../../contracts/notice-api.js';
import type { RouteDoc } from '../../contracts/openapi.js';
import type { Permission, RoleMap } from '../../domain/roles.js';
import type { OfficerStore } from '../../ports/incident-store.js';
import type { NoticeLinkStore } from '../../ports/notice-pages.js';
import type { LetterStore } from '../../ports/letters.js';
import { decodePathSegment, HttpError, validate, type HttpEvent, type HttpResult } from '../../shared/http.js';

export interface ApiHandlerDeps extends ActDeps {
  readonly store: OfficerStore;
  /** Notices (drafts, approval, recipients, sending); the notice routes answer 404 without them. */
  readonly notices?: NoticeDeliveryDeps;
  readonly auth: { readonly mode: 'jwt' } | { readonly mode: 'token'; readonly tokens: readonly string[] };
  /** Where the letters' PDFs are kept (issue 26.5): listed and opened, never rendered, by the API. */
  readonly letters?: LetterStore;
  /** The private links of the notice page (GET /n/{token}, issue 26.5); the page answers 404 without them. */
  readonly noticeLinks?: NoticeLinkStore;
  /** The trail's signed anchors, kept outside the table; without them the trail is checked against itself only. */
  readonly trailAnchors?: VerifyTrailDeps['anchors'];
}

/** A request that reached its route: who asks, and its path parameters, query and body, validated. */
export interface ApiRequest<Q = undefined, B = undefined> {
  readonly event: HttpEvent;
  readonly actor: string;
  readonly roles: RoleMap | undefined;
  /** The clock read once for the request. */
  readonly now: Date;
  /** When a long read must stop to answer in time (epoch milliseconds, wall clock): the function's or the HTTP API's deadline, whichever is first. */
  readonly deadline?: number;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Q;
  readonly body: B;
}

/** A path parameter: its schema (documented) and how a path segment becomes its value (a 400 when it cannot). */
export interface PathParam {
  readonly schema: z.ZodMiniType;
  parse(segment: string): string;
}

/**
 * Who may call a route: anyone (`public`: no credentials at all, the notice page behind a private link), anyone signed in, one permission, or the permission the validated body names (an
 * action), checked after the body is validated. A static permission is checked before the query and body.
 */
export type RoutePermission<B> = 'public' | 'signed-in' | Permission | ((body: B) => Permission);

/**
 * One route of the API: method, path, permission, request schemas, documentation and handler. The router
 * and the OpenAPI document are both derived from the table of these (routes.ts).
 */
export interface ApiRoute<Q = undefined, B = undefined> extends RouteDoc {
  readonly params?: Readonly<Record<string, PathParam>>;
  readonly permission: RoutePermission<B>;
  /** Validated from the query string; `what` names it in a 400 ("The tasks query is not valid"). */
  readonly query?: { readonly schema: z.ZodMiniType<Q>; readonly what: string };
  /** A JSON body of at most maxBytes (413), validated (400, naming `what`). */
  readonly body?: { readonly name: string; readonly schema: () => z.ZodMiniType<B>; readonly maxBytes: number; readonly what: string };
  handle(request: ApiRequest<Q, B>, deps: ApiHandlerDeps): Promise<HttpResult> | HttpResult;
}

export type AnyApiRoute = ApiRoute<unknown, unknown>;

/** Declares a route with its query and body types inferred from their schemas. */
export function route<Q = undefined, B = undefined>(declared: ApiRoute<Q, B>): AnyApiRoute {
  return declared as unknown as AnyApiRoute;
}

/** The incident id of /api/incidents/{id}/…: a 400 naming the id when malformed. */
export const INCIDENT_ID: PathParam = {
  schema: incidentIdSchema,
  parse: (segment) => validate(incidentIdSchema, decodePathSegment(segment, 'incident id'), 'incident id in the path'),
};

/** The incident id of the notice routes: the same pattern, its 400 naming incidentId. */
export const NOTICE_INCIDENT_ID: PathParam = {
  schema: incidentIdSchema,
  parse: (segment) => {
    const incidentId = decodePathSegment(segment, 'incident id');
    if (!/^[A-Za-z0-9-]{1,64}$/.test(incidentId)) throw new HttpError(400, 'invalid_request', 'The incident id in the path is not valid', [{ path: 'incidentId', message: 'not an incident id' }]);
    return incidentId;
  },
};

export const NOTICE_ID: PathParam = {
  schema: noticeIdSchema,
  parse: (segment) => validate(noticeIdSchema, decodePathSegment(segment, 'notice id'), 'notice id in the path'),
};
