import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { actorLabel } from '../domain/identity.js';
import { once, onceAsync } from '../domain/once.js';
import { authorize, ROLES, type Role, type RoleMap } from '../domain/roles.js';
import { bearerToken, header, HttpError, matchesAnySecret, type HttpEvent, type HttpResult } from '../shared/http.js';
import { NOTICE_PATHS } from './api/notice-routes.js';
import type { ApiHandlerDeps } from './api/route.js';
import { makeRouter } from './api/router.js';
import { API_ROUTES, readPermission } from './api/routes.js';
import { httpErrors } from './middleware/http-errors.middleware.js';
import { noticeDeps, required } from './notice-runtime.js';
import { DynamoOfficerStore } from '../adapters/dynamo/dynamo-officer-store.js';
import { DynamoNoticeLinkStore } from '../adapters/dynamo/dynamo-notice-link-store.js';
import { buildRuntimeWith } from './runtime.js';
import { onFirstUse } from './on-first-use.js';
import type { RecipientListStore } from '../ports/notice-delivery.js';
import type { LetterStore } from '../ports/letters.js';
import type { TrailAnchorLog, TrailSignatureVerifier } from '../ports/trail-anchors.js';

export type { ApiHandlerDeps } from './api/route.js';

/** Roles from the JWT's Cognito groups (named like the roles: responder, dpo, legal, executive). */
function rolesFromClaims(claims: Record<string, unknown> | undefined): Role[] {
  const raw = claims?.['cognito:groups'];
  const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return groups.filter((g): g is Role => (ROLES as readonly string[]).includes(g));
}

/**
 * Who is acting: on AWS the access token's immutable subject (`sub`; API Gateway validated the token; roles
 * from its Cognito groups), with the username beside it for people to read; ID tokens are refused (one token
 * kind, so one person cannot appear as two). Locally the X-Actor header with the local token (the local
 * stack trusts its token holder with every role).
 */
function authenticate(event: HttpEvent, auth: ApiHandlerDeps['auth']): { actor: string; roles: RoleMap | undefined } {
  if (auth.mode === 'jwt') {
    const claims = event.requestContext.authorizer?.jwt?.claims;
    if (!claims?.sub) throw new HttpError(401, 'unauthorized', 'A valid Cognito access token is required');
    if (claims.token_use !== 'access') throw new HttpError(401, 'unauthorized', 'Use a Cognito access token (token_use "access"), not an ID token');
    const roles = rolesFromClaims(claims);
    const username = claims.username ?? claims['cognito:username'];
    return { actor: actorLabel(username === undefined ? undefined : String(username), `cognito:${String(claims.sub)}`), roles: { rolesOf: () => roles } };
  }
  if (!matchesAnySecret(bearerToken(event), auth.tokens)) {
    throw new HttpError(401, 'unauthorized', 'Missing or invalid bearer token (Authorization: Bearer <API token>)', [], {
      'www-authenticate': 'Bearer realm="breachclock-api"',
    });
  }
  const actor = header(event, 'x-actor')?.trim();
  if (actor !== undefined && !/^[\w.@+-]{1,128}$/.test(actor)) {
    throw new HttpError(400, 'invalid_actor', 'X-Actor must be 1-128 characters of letters, digits and . @ + - _', [{ path: 'headers.x-actor', message: 'invalid' }]);
  }
  return { actor: actor || 'api-token', roles: undefined };
}

const router = makeRouter(API_ROUTES);

/** API Gateway's HTTP API gives up on an integration after 30 s. */
const HTTP_API_TIMEOUT_MS = 30_000;
/** Time kept to build and send the answer after a long read stops. */
const ANSWER_MARGIN_MS = 3_000;

/** When a long read must stop: the function's remaining time or the HTTP API's timeout, less time to answer. */
function requestDeadline(context: Context | undefined): number {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : HTTP_API_TIMEOUT_MS;
  return Date.now() + Math.max(0, Math.min(remaining, HTTP_API_TIMEOUT_MS) - ANSWER_MARGIN_MS);
}

/** The routes of api/routes.ts: incidents, tasks, the register, notices, /api/me, /api/openapi.json. */
export function makeApiHandler(deps: ApiHandlerDeps) {
  return middy<HttpEvent, HttpResult>()
    .use(httpErrors())
    .handler(async (event, context) => {
      const method = event.requestContext.http.method;
      const path = event.rawPath.replace(/\/+$/, '');
      const now = deps.clock.now();
      const match = router.find(method, path);
      // The notice page behind a private link (GET /n/{token}) is the one route without credentials: the token is the key.
      const isPublic = match?.route?.permission === 'public';
      const { actor, roles } = isPublic ? { actor: 'anonymous', roles: undefined } : authenticate(event, deps.auth);
      // Reading needs a role too: a user of the pool in no group sees nothing (/api/me answers anyone signed in).
      // (A refusal is a 403 naming who may: the error middleware maps PermissionDeniedError.)
      if (roles && method === 'GET' && match?.route?.permission !== 'signed-in') authorize(roles, actor, readPermission(path));
      if (!deps.notices && NOTICE_PATHS.test(path)) throw new HttpError(404, 'not_found', 'Notices are not configured on this deployment');
      return router.serve(match, method, path, { event, actor, roles, now, deadline: requestDeadline(context) }, deps);
    });
}

/** The S3 adapters' module (the S3 and KMS clients, the CSV upload): a chunk loaded by the first request that needs it. */
const objectStores = () => import('./api-object-stores.js');

const coldStart = once(() => {
  const runtime = buildRuntimeWith((doc, tableName, options) => new DynamoOfficerStore(doc, tableName, options));
  const { config } = runtime;
  const bucket = required(config.notices.recipientBucket, 'RECIPIENT_BUCKET');
  const kmsKeyArn = config.notices.recipientKmsKeyArn;
  const anchoring = config.trailAnchors;
  // Built on first use: most requests (incidents, tasks, the register, the desk's reads) need no S3.
  const verification = anchoring ? onceAsync(async () => (await objectStores()).awsTrailVerification(anchoring)) : undefined;
  return makeApiHandler({
    store: runtime.store,
    clock: runtime.clock,
    ladder: config.ladder,
    tasks: config.tasks,
    messageContext: runtime.messageContext,
    notices: noticeDeps(runtime, {
      lists: onFirstUse<RecipientListStore>(async () => (await objectStores()).s3RecipientLists(bucket, kmsKeyArn), ['put', 'uploadTarget', 'open', 'delete']),
      // The notice's change to "sending" reaches the planner function through the table's stream (CDK filter).
      planner: { start: async () => undefined },
    }),
    auth: config.apiAuth === 'jwt' ? { mode: 'jwt' } : { mode: 'token', tokens: config.apiTokens },
    noticeLinks: new DynamoNoticeLinkStore(runtime.doc, config.tableName),
    letters: onFirstUse<LetterStore>(async () => (await objectStores()).s3Letters(bucket, kmsKeyArn), ['put', 'get', 'list']),
    ...(verification
      ? {
          trailAnchors: {
            log: onFirstUse<TrailAnchorLog>(async () => (await verification()).log, ['append', 'list']),
            verifier: onFirstUse<TrailSignatureVerifier>(async () => (await verification()).verifier, ['verify']),
          },
        }
      : {}),
  });
});

export const handler = (event: HttpEvent, context: Context) => coldStart()(event, context);
