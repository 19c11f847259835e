import { actOnIncident } from '../../app/act-on-incident.js';
import { IncidentNotFoundError } from '../../app/errors.js';
import { alertPageQuerySchema, incidentActionSchema, incidentPageQuerySchema, type IncidentActionRequest } from '../../contracts/incident-api.js';
import { alertInstanceView, alertWithoutPayload, incidentView, messageWithoutText, summary } from '../../contracts/incident-views.js';
import { errorResponses, ok } from '../../contracts/openapi.js';
import type { IncidentAction } from '../../domain/incident.js';
import { verifyIncidentTrail } from '../../app/trail-anchoring.js';
import { json } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';
import { INCIDENT_ID, route } from './route.js';

type Request<A extends IncidentActionRequest['action']> = Extract<IncidentActionRequest, { action: A }>;
type ActionOf<A extends IncidentActionRequest['action']> = Extract<IncidentAction, { type: A }>;

/** Each action request as the incident action of the same name (so the action names the permission it needs). */
const TO_ACTION: { readonly [A in IncidentActionRequest['action']]: (request: Request<A>) => ActionOf<A> } = {
  acknowledge: () => ({ type: 'acknowledge' }),
  'take-ownership': () => ({ type: 'take-ownership' }),
  'record-facts': (r) => ({ type: 'record-facts', facts: r.facts, ...(r.remove ? { remove: r.remove } : {}) }),
  'assess-risk': (r) => ({ type: 'assess-risk', input: r.input, rationale: r.rationale }),
  'propose-decision': (r) => ({
    type: 'propose-decision',
    regime: r.regime,
    notify: r.notify,
    rationale: r.rationale,
    ...(r.reasonsForDelay ? { reasonsForDelay: r.reasonsForDelay } : {}),
    ...(r.overrideReason ? { overrideReason: r.overrideReason } : {}),
  }),
  'record-submission': (r) => ({ type: 'record-submission', regime: r.regime, obligation: r.obligation, submittedAt: r.submittedAt, reference: r.reference, ...(r.noticeId ? { noticeId: r.noticeId } : {}), ...(r.reasonsForDelay !== undefined ? { reasonsForDelay: r.reasonsForDelay } : {}) }),
  'confirm-decision': (r) => ({ type: 'confirm-decision', regime: r.regime }),
  confirm: (r) => ({ type: 'confirm', awareAt: r.awareAt, justification: r.justification }),
  dismiss: (r) => ({ type: 'dismiss', reason: r.reason, ...(r.regimes ? { regimes: r.regimes } : {}) }),
  'confirm-regime': (r) => ({ type: 'confirm-regime', regime: r.regime, awareAt: r.awareAt, justification: r.justification }),
  'dismiss-regime': (r) => ({ type: 'dismiss-regime', regime: r.regime, reason: r.reason }),
  'adopt-rule-version': (r) => ({ type: 'adopt-rule-version', regime: r.regime }),
  'set-kind': (r) => ({ type: 'set-kind', kind: r.kind }),
  'add-task': (r) => ({ type: 'add-task', title: r.title, phase: r.phase, role: r.role, ...(r.dueAt ? { dueAt: r.dueAt } : {}), ...(r.blocksClose !== undefined ? { blocksClose: r.blocksClose } : {}) }),
  'assign-task': (r) => ({ type: 'assign-task', taskId: r.taskId, ...(r.owner ? { owner: r.owner } : {}) }),
  'complete-task': (r) => ({ type: 'complete-task', taskId: r.taskId, note: r.note }),
  'set-aside-task': (r) => ({ type: 'set-aside-task', taskId: r.taskId, reason: r.reason }),
  'reopen-task': (r) => ({ type: 'reopen-task', taskId: r.taskId, reason: r.reason }),
  close: (r) => ({ type: 'close', reason: r.reason, ...(r.override ? { override: r.override } : {}) }),
};

export function toAction(request: IncidentActionRequest): IncidentAction {
  return (TO_ACTION[request.action] as (request: IncidentActionRequest) => IncidentAction)(request);
}

const PARAMS = { id: INCIDENT_ID };

/** /api/incidents and /api/incidents/{id}[/actions|/evidence|/alerts|/trail]. */
export const INCIDENT_ROUTES = [
  route({
    method: 'GET',
    path: '/api/incidents',
    permission: 'view',
    query: { schema: incidentPageQuerySchema, what: 'incidents query' },
    doc: { summary: 'Open incidents, most urgent deadline first across pages, with every regime clock (paged: limit, next)', responses: { ...ok('{ now, incidents, next }'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] } },
    // Paged, most urgent deadline first across pages (the open index's order): a page stays small however many are open.
    handle: async ({ query: q, now }, deps) => {
      const page = await deps.store.pageOpenIncidents({ limit: q.limit, ...(q.next ? { after: q.next } : {}) });
      return json(200, { now: now.toISOString(), incidents: page.incidents.map((incident) => summary(incident, now)), next: page.next ?? null });
    },
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}',
    params: PARAMS,
    permission: 'view',
    doc: { summary: 'One incident: clocks, timers, timeline, messages', responses: { ...ok('{ incident, timers, timeline, messages, recentAlerts }'), ...errorResponses } },
    handle: async ({ params, now }, deps) => {
      const id = params.id!;
      const detail = await deps.store.getIncidentDetail(id);
      if (!detail) throw new IncidentNotFoundError(id);
      return json(200, {
        now: now.toISOString(),
        incident: incidentView(detail.incident, now),
        timers: detail.timers,
        // The kinds an incident may be given (set-kind), with their labels: the desk's picker.
        taskKinds: Object.entries(deps.tasks?.kinds ?? {}).map(([kind, value]) => ({ kind, label: value.label })),
        timeline: detail.timeline,
        messages: detail.messages.map(messageWithoutText),
        // Raw payloads and details (whatever personal data the tool put in them) only through /evidence.
        recentAlerts: detail.recentAlerts.map(alertWithoutPayload),
      });
    },
  }),
  route({
    method: 'POST',
    path: '/api/incidents/{id}/actions',
    params: PARAMS,
    body: { name: 'IncidentAction', schema: incidentActionSchema, maxBytes: 16_384, what: 'action' },
    // Each action needs the permission of its name.
    permission: (request) => request.action,
    doc: { summary: 'Act on an incident: acknowledge, facts, risk, decisions, confirm, dismiss, submissions …', responses: { ...ok('{ incident }'), ...errorResponses } },
    handle: async ({ params, body: request, actor }, deps) => {
      const id = params.id!;
      const incident = await actOnIncident(deps, id, toAction(request), actor);
      logger.info('incident action', { incidentId: id, action: request.action, status: incident.status });
      return json(200, { incident: summary(incident, deps.clock.now()) });
    },
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}/evidence',
    params: PARAMS,
    permission: 'view-evidence',
    doc: { summary: "The alerts' raw payloads (DPO or legal; each read is recorded on the timeline)", responses: { ...ok('{ incidentId, alerts }'), ...errorResponses } },
    handle: async ({ params, actor }, deps) => {
      const id = params.id!;
      const detail = await deps.store.getIncidentDetail(id);
      if (!detail) throw new IncidentNotFoundError(id);
      // Each read of the evidence is on the timeline (who, when, how many alerts).
      await actOnIncident(deps, id, { type: 'record-evidence-read', alerts: detail.recentAlerts.length }, actor);
      return json(200, { incidentId: id, alerts: detail.recentAlerts });
    },
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}/alerts',
    params: PARAMS,
    permission: 'view',
    query: { schema: alertPageQuerySchema, what: 'alerts query' },
    doc: { summary: "One page of the incident's distinct alert instances, each with first and last seen (no raw payloads: /evidence)", responses: { ...ok('{ incidentId, alertCount, order, alerts, next }'), ...errorResponses } },
    handle: async ({ params, query: q }, deps) => {
      const id = params.id!;
      const incident = await deps.store.getIncident(id);
      if (!incident) throw new IncidentNotFoundError(id);
      const page = await deps.store.listIncidentAlerts(id, { limit: q.limit, order: q.order, ...(q.next ? { after: q.next } : {}) });
      return json(200, {
        incidentId: id,
        // Distinct instances; repeats of one instance move its lastSeenAt and are never counted.
        alertCount: incident.alertCount,
        order: q.order,
        alerts: page.alerts.map(alertInstanceView),
        next: page.next ?? null,
      });
    },
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}/trail',
    params: PARAMS,
    permission: 'view',
    doc: {
      summary: "Verify the incident's audit trail: its hash chain, the signed anchors kept outside the table, and each notice's approval against its trail event",
      responses: { ...ok('{ ok, events, head, problems, anchoring }'), ...errorResponses },
    },
    handle: async ({ params, now }, deps) => {
      const id = params.id!;
      // Says which event was edited, removed, inserted or reordered; where the trail stops agreeing with its
      // anchors (a re-chained trail); and which notice's approval disagrees with its event.
      const result = await verifyIncidentTrail({ store: deps.store, ...(deps.notices ? { notices: deps.notices.notices } : {}), ...(deps.trailAnchors ? { anchors: deps.trailAnchors } : {}) }, id);
      return json(200, { incidentId: id, checkedAt: now.toISOString(), ...result });
    },
  }),
];
