import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { actOnIncident, type ActDeps } from '../app/act-on-incident.js';
import { IncidentNotFoundError } from '../app/errors.js';
import { alertPageQuerySchema, incidentActionSchema, incidentPageQuerySchema, taskQuerySchema, incidentIdSchema, type IncidentActionRequest } from '../contracts/incident-api.js';
import { formatDuration } from '../domain/duration.js';
import { gdprClock } from '../domain/gdpr-clock.js';
import { verifyTrail } from '../domain/trail.js';
import { actorLabel, samePerson } from '../domain/identity.js';
import { buildRegister, registerCsv } from '../app/register.js';
import { registerQuerySchema } from '../contracts/register-api.js';
import { openApiDocument } from '../contracts/openapi.js';
import { regimeClocks } from '../domain/regimes/engine.js';
import { RULE_PACKS } from '../domain/regimes/packs/index.js';
import type { Incident, IncidentAction } from '../domain/incident.js';
import { isOverdue, openBlockingTasks, taskDueAt } from '../domain/tasks/tasks.js';
import type { IncidentStore } from '../ports/incident-store.js';
import { authorize, PERMISSIONS, ROLES, type Permission, type Role, type RoleMap } from '../domain/roles.js';
import { bearerToken, decodePathSegment, header, HttpError, methodNotAllowed, json, matchesAnySecret, readJsonBody, validate, type HttpEvent, type HttpResult } from '../shared/http.js';
import { httpErrors } from './middleware/http-errors.middleware.js';
import { logger } from '../shared/logger.js';
import { buildRuntime } from './runtime.js';
import { S3Client } from '@aws-sdk/client-s3';
import { S3RecipientListStore } from '../adapters/notices/s3-recipient-list-store.js';
import { noticeDeps, required } from './notice-runtime.js';
import type { NoticeDeliveryDeps } from '../app/notices.js';
import { routeNotices } from './notice-routes.js';
import { once } from '../domain/once.js';

export interface ApiHandlerDeps extends ActDeps {
  readonly store: IncidentStore;
  /** Notices (drafts, approval, recipients, sending); the notice routes answer 404 without them. */
  readonly notices?: NoticeDeliveryDeps;
  readonly auth: { readonly mode: 'jwt' } | { readonly mode: 'token'; readonly tokens: readonly string[] };
}

function clockView(incident: Incident, now: Date) {
  const clock = gdprClock(incident, now);
  return { ...clock, timeLeft: clock.timeLeftMs >= 0 ? formatDuration(clock.timeLeftMs) : `-${formatDuration(-clock.timeLeftMs)}` };
}

function regimeView(incident: Incident, now: Date) {
  return {
    factsRecorded: Boolean(incident.facts),
    regimeClocks: regimeClocks(RULE_PACKS, incident, incident.facts, now),
  };
}

/** Each task with its due time now and whether it is overdue. */
function taskViews(incident: Incident, now: Date) {
  return (incident.tasks ?? []).map((task) => ({ ...task, dueAt: taskDueAt(task, incident) ?? null, overdue: isOverdue(task, incident, now) }));
}

function taskCounts(incident: Incident, now: Date) {
  const open = (incident.tasks ?? []).filter((task) => task.status === 'open');
  return { open: open.length, overdue: open.filter((task) => isOverdue(task, incident, now)).length, blocking: openBlockingTasks(open).length, total: incident.tasks?.length ?? 0 };
}

/** At most this many open incidents are read for one page of tasks (its `next` goes on from there). */
const TASK_SCAN_MAX = 500;

function summary(incident: Incident, now: Date) {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    source: incident.source,
    detectedAt: incident.detectedAt,
    awareAt: incident.awareAt ?? null,
    acknowledgedBy: incident.acknowledgedBy ?? null,
    alertCount: incident.alertCount,
    kind: incident.kind ?? null,
    tasks: taskCounts(incident, now),
    lastEscalation: incident.lastEscalation ?? null,
    overdueAt: incident.overdueAt ?? null,
    version: incident.version,
    clocks: [clockView(incident, now)],
    ...regimeView(incident, now),
  };
}

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

function toAction(request: IncidentActionRequest): IncidentAction {
  switch (request.action) {
    case 'acknowledge':
      return { type: 'acknowledge' };
    case 'take-ownership':
      return { type: 'take-ownership' };
    case 'record-facts':
      return { type: 'record-facts', facts: request.facts, ...(request.remove ? { remove: request.remove } : {}) };
    case 'assess-risk':
      return { type: 'assess-risk', input: request.input, rationale: request.rationale };
    case 'propose-decision':
      return {
        type: 'propose-decision',
        regime: request.regime,
        notify: request.notify,
        rationale: request.rationale,
        ...(request.reasonsForDelay ? { reasonsForDelay: request.reasonsForDelay } : {}),
        ...(request.overrideReason ? { overrideReason: request.overrideReason } : {}),
      };
    case 'record-submission':
      return {
        type: 'record-submission',
        regime: request.regime,
        obligation: request.obligation,
        submittedAt: request.submittedAt,
        reference: request.reference,
        ...(request.noticeId ? { noticeId: request.noticeId } : {}),
      };
    case 'confirm-decision':
      return { type: 'confirm-decision', regime: request.regime };
    case 'confirm':
      return { type: 'confirm', awareAt: request.awareAt, justification: request.justification };
    case 'dismiss':
      return { type: 'dismiss', reason: request.reason, ...(request.regimes ? { regimes: request.regimes } : {}) };
    case 'confirm-regime':
      return { type: 'confirm-regime', regime: request.regime, awareAt: request.awareAt, justification: request.justification };
    case 'dismiss-regime':
      return { type: 'dismiss-regime', regime: request.regime, reason: request.reason };
    case 'set-kind':
      return { type: 'set-kind', kind: request.kind };
    case 'add-task':
      return { type: 'add-task', title: request.title, phase: request.phase, role: request.role, ...(request.dueAt ? { dueAt: request.dueAt } : {}), ...(request.blocksClose !== undefined ? { blocksClose: request.blocksClose } : {}) };
    case 'assign-task':
      return { type: 'assign-task', taskId: request.taskId, ...(request.owner ? { owner: request.owner } : {}) };
    case 'complete-task':
      return { type: 'complete-task', taskId: request.taskId, note: request.note };
    case 'set-aside-task':
      return { type: 'set-aside-task', taskId: request.taskId, reason: request.reason };
    case 'reopen-task':
      return { type: 'reopen-task', taskId: request.taskId, reason: request.reason };
    case 'close':
      return { type: 'close', reason: request.reason, ...(request.override ? { override: request.override } : {}) };
  }
}

/** GET /api/incidents, GET /api/incidents/{id}, POST /api/incidents/{id}/actions */
export function makeApiHandler(deps: ApiHandlerDeps) {
  return middy<HttpEvent, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      const { actor, roles } = authenticate(event, deps.auth);
      const method = event.requestContext.http.method;
      const path = event.rawPath.replace(/\/+$/, '');
      const now = deps.clock.now();
      // Who am I: answered to anyone signed in, so the desk can say "you have no role" and show only what the roles allow.
      if (path === '/api/me') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const mine = roles ? ROLES.filter((role) => roles.rolesOf(actor).includes(role)) : [...ROLES];
        const permissions = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => PERMISSIONS[permission].some((role) => mine.includes(role)));
        return json(200, { actor, roles: mine, permissions: permissions.sort() });
      }
      // Reading needs a role too: a user of the pool in no group sees nothing.
      // (A refusal is a 403 naming who may: the error middleware maps PermissionDeniedError.)
      if (roles && method === 'GET') authorize(roles, actor, path.endsWith('/evidence') ? 'view-evidence' : 'view');

      if (path === '/api/incidents') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        // Paged, most urgent deadline first across pages (the open index's order): a page stays small however many are open.
        const q = validate(incidentPageQuerySchema, event.queryStringParameters ?? {}, 'incidents query');
        const page = await deps.store.pageOpenIncidents({ limit: q.limit, ...(q.next ? { after: q.next } : {}) });
        return json(200, { now: now.toISOString(), incidents: page.incidents.map((incident) => summary(incident, now)), next: page.next ?? null });
      }

      // Tasks across open incidents: "my tasks" (owner=me), someone's, a role's, or everyone's. Paged like the
      // incidents: incident by incident in the open index's order (most urgent deadline first), 25 at a time,
      // until `limit` tasks or 500 incidents are read; soonest due first within a page. A page holds the tasks
      // of whole incidents, so it may pass `limit` by the tasks of one read of 25.
      if (path === '/api/tasks') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const q = validate(taskQuerySchema, event.queryStringParameters ?? {}, 'tasks query');
        const owner = q.owner === 'me' ? actor : q.owner;
        const tasks: (ReturnType<typeof taskViews>[number] & { incidentId: string; incidentTitle: string; incidentSeverity: string })[] = [];
        let after = q.next;
        for (let scanned = 0; scanned < TASK_SCAN_MAX && tasks.length < q.limit; ) {
          const page = await deps.store.pageOpenIncidents({ limit: 25, ...(after ? { after } : {}) });
          for (const incident of page.incidents) {
            for (const task of taskViews(incident, now)) {
              if ((q.status === 'all' || task.status === q.status) && (!owner || samePerson(task.owner, owner)) && (!q.role || task.role === q.role)) {
                tasks.push({ incidentId: incident.id, incidentTitle: incident.title, incidentSeverity: incident.severity, ...task });
              }
            }
          }
          scanned += 25;
          after = page.next;
          if (!after) break;
        }
        tasks.sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999') || a.incidentId.localeCompare(b.incidentId));
        return json(200, { now: now.toISOString(), owner: owner ?? null, tasks, next: after ?? null });
      }

      if (path === '/api/openapi.json') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        return json(200, openApiDocument().document);
      }

      if (path === '/api/register') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const q = validate(registerQuerySchema, event.queryStringParameters ?? {}, 'register query');
        const to = new Date(q.to ?? now).toISOString();
        const from = new Date(q.from ?? Date.parse(to) - 366 * 86_400_000).toISOString();
        if (from >= to) throw new HttpError(400, 'invalid_request', 'from must be before to', [{ path: 'from', message: 'after to' }]);
        const register = await buildRegister({ store: deps.store, ...(deps.notices ? { notices: deps.notices.notices } : {}), clock: deps.clock }, { from, to, limit: 5_000, ...(q.regime ? { regime: q.regime } : {}), ...(q.outcome ? { outcome: q.outcome } : {}) });
        logger.info('register exported', { entries: register.entries.length, format: q.format });
        if (q.format === 'csv') {
          return {
            statusCode: 200,
            headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="breach-register-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`, ...(register.truncated ? { 'x-truncated': 'true' } : {}) },
            body: registerCsv(register.entries),
          };
        }
        return json(200, { from, to, generatedAt: now.toISOString(), truncated: register.truncated, entries: register.entries });
      }

      if (path === '/api/notice-packs' || /^\/api\/incidents\/[^/]+\/notices(\/|$)/.test(path)) {
        if (!deps.notices) throw new HttpError(404, 'not_found', 'Notices are not configured on this deployment');
        const routed = await routeNotices(event, path, { actor, roles }, deps.notices);
        if (routed) return routed;
      }

      const match = /^\/api\/incidents\/([^/]+)(\/actions|\/trail|\/evidence|\/alerts)?$/.exec(path);
      if (!match) throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
      const id = validate(incidentIdSchema, decodePathSegment(match[1]!, 'incident id'), 'incident id in the path');

      if (match[2] === '/evidence') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const detail = await deps.store.getIncidentDetail(id);
        if (!detail) throw new IncidentNotFoundError(id);
        // Each read of the evidence is on the timeline (who, when, how many alerts).
        await actOnIncident(deps, id, { type: 'record-evidence-read', alerts: detail.recentAlerts.length }, actor);
        return json(200, { incidentId: id, alerts: detail.recentAlerts });
      }

      if (match[2] === '/alerts') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const q = validate(alertPageQuerySchema, event.queryStringParameters ?? {}, 'alerts query');
        const incident = await deps.store.getIncident(id);
        if (!incident) throw new IncidentNotFoundError(id);
        const page = await deps.store.listIncidentAlerts(id, { limit: q.limit, order: q.order, ...(q.next ? { after: q.next } : {}) });
        return json(200, {
          incidentId: id,
          // Distinct instances; repeats of one instance move its lastSeenAt and are never counted.
          alertCount: incident.alertCount,
          order: q.order,
          alerts: page.alerts.map(({ details: _details, raw: _raw, ...alert }) => ({ ...alert, lastSeenAt: alert.lastSeenAt ?? alert.receivedAt, repeats: alert.repeats ?? 0 })),
          next: page.next ?? null,
        });
      }

      if (match[2] === '/trail') {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const detail = await deps.store.getIncidentDetail(id);
        if (!detail) throw new IncidentNotFoundError(id);
        // Recomputes every hash of the incident's audit trail and says which event was edited, removed, inserted or reordered.
        return json(200, { incidentId: id, checkedAt: now.toISOString(), ...verifyTrail(id, detail.timeline, detail.incident.trail) });
      }

      if (!match[2]) {
        if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
        const detail = await deps.store.getIncidentDetail(id);
        if (!detail) throw new IncidentNotFoundError(id);
        return json(200, {
          now: now.toISOString(),
          incident: { ...detail.incident, clocks: [clockView(detail.incident, now)], ...regimeView(detail.incident, now), tasks: taskViews(detail.incident, now) },
          timers: detail.timers,
          // The kinds an incident may be given (set-kind), with their labels: the desk's picker.
          taskKinds: Object.entries(deps.tasks?.kinds ?? {}).map(([kind, value]) => ({ kind, label: value.label })),
          timeline: detail.timeline,
          messages: detail.messages.map(({ text: _text, ...message }) => message),
          // Raw payloads and details (whatever personal data the tool put in them) only through /evidence.
          recentAlerts: detail.recentAlerts.map(({ details: _details, raw: _raw, ...alert }) => alert),
        });
      }

      if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
      const request = validate(incidentActionSchema(), readJsonBody(event, 16_384), 'action');
      const action = toAction(request);
      if (roles) authorize(roles, actor, action.type);
      const incident = await actOnIncident(deps, id, action, actor);
      logger.info('incident action', { incidentId: id, action: request.action, status: incident.status });
      return json(200, { incident: summary(incident, deps.clock.now()) });
    });
}

const coldStart = once(() => {
  const runtime = buildRuntime();
  const { config } = runtime;
  return makeApiHandler({
    store: runtime.store,
    clock: runtime.clock,
    ladder: config.ladder,
    tasks: config.tasks,
    messageContext: runtime.messageContext,
    notices: noticeDeps(runtime, {
      lists: new S3RecipientListStore(new S3Client({}), required(config.notices.recipientBucket, 'RECIPIENT_BUCKET'), config.notices.recipientKmsKeyArn),
      // The notice's change to "sending" reaches the planner function through the table's stream (CDK filter).
      planner: { start: async () => undefined },
    }),
    auth: config.apiAuth === 'jwt' ? { mode: 'jwt' } : { mode: 'token', tokens: config.apiTokens },
  });
});

export const handler = (event: HttpEvent, context: Context) => coldStart()(event, context);
