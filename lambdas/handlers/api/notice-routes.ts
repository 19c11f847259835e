import { Readable } from 'node:stream';
import type { NoticeDeliveryDeps } from '../../app/notices.js';
import { attachUploadSchema, createNoticeSchema, noticeActionSchema, type NoticeActionRequest } from '../../contracts/notice-api.js';
import type { NoticeDetailAnswer, NoticeListAnswer, NoticePacksAnswer, RecipientsAnswer, UploadTargetAnswer } from '../../contracts/api-answers.js';
import { errorResponses, ok } from '../../contracts/openapi.js';
import type { NoticeAction } from '../../domain/notices/notice.js';
import type { Permission } from '../../domain/roles.js';
import { header, HttpError, json, readRawBody } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';
import { NOTICE_ID, NOTICE_INCIDENT_ID, route, type ApiHandlerDeps } from './route.js';

/** The largest list accepted through the API (Lambda's synchronous payload limit is 6 MB). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * The notice routes' paths, served or not: on a deployment without notices each answers 404 saying so
 * (before its parameters are looked at).
 */
export const NOTICE_PATHS = /^\/api\/notice-packs$|^\/api\/incidents\/[^/]+\/notices(\/|$)/;

const PERMISSION: Record<NoticeActionRequest['action'], Permission> = {
  edit: 'edit-notice',
  'accept-suggestion': 'edit-notice',
  approve: 'approve-notice',
  send: 'send-notice',
  'record-submission': 'submit-notice',
  withdraw: 'withdraw-notice',
};

function toAction(request: NoticeActionRequest, now: Date): NoticeAction {
  switch (request.action) {
    case 'edit':
      return { type: 'edit', fields: request.fields as Record<string, string | null>, expectedVersion: request.expectedVersion };
    case 'accept-suggestion':
      return { type: 'accept-suggestion', element: request.element, expectedVersion: request.expectedVersion, suggestionHash: request.suggestionHash };
    case 'approve':
      return { type: 'approve', expectedVersion: request.expectedVersion, expectedContentHash: request.expectedContentHash, ...(request.reviewedElements ? { reviewedElements: request.reviewedElements } : {}), ...(request.expectedRecipientsHash ? { expectedRecipientsHash: request.expectedRecipientsHash } : {}) };
    case 'send':
      return { type: 'start-sending' };
    case 'record-submission':
      return { type: 'record-submission', submittedAt: request.submittedAt ?? now.toISOString(), reference: request.reference };
    case 'withdraw':
      return { type: 'withdraw', reason: request.reason };
  }
}

/**
 * The notices' application code and views (the notice and jurisdiction packs' texts, rendering, the CSV
 * parser): imported by the first notice request, a chunk apart from the API's cold start (code splitting,
 * ADR 0018 session 11). The route table itself (paths, schemas, permissions, the OpenAPI document) stays here.
 */
const noticeApp = () => import('../../app/notices.js');
const noticeViews = () => import('../../contracts/notice-views.js');

/** The notice deps: there on every notice route (NOTICE_PATHS answer 404 before the routes without them). */
function noticesOf(deps: ApiHandlerDeps): NoticeDeliveryDeps {
  if (!deps.notices) throw new HttpError(404, 'not_found', 'Notices are not configured on this deployment');
  return deps.notices;
}

const INCIDENT = { id: NOTICE_INCIDENT_ID };
const NOTICE = { id: NOTICE_INCIDENT_ID, noticeId: NOTICE_ID };

/** /api/notice-packs, /api/incidents/{id}/notices[/{noticeId}[/actions|/recipients[/upload-url]]]. */
export const NOTICE_ROUTES = [
  route({
    method: 'GET',
    path: '/api/notice-packs',
    permission: 'view',
    doc: { summary: 'Notice kinds, their mandatory elements and legal sources', responses: { ...ok('{ packs }'), 401: errorResponses[401] } },
    handle: async () => json(200, { packs: (await noticeViews()).packSummary() } satisfies NoticePacksAnswer),
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}/notices',
    params: INCIDENT,
    permission: 'view',
    doc: { summary: "An incident's notices, and the US resident notice variants of its recorded states", responses: { ...ok('{ notices, usResidentVariants }'), ...errorResponses } },
    handle: async ({ params }, deps) => {
      const [{ usResidentVariantsFor }, { noticeListItem }] = await Promise.all([noticeApp(), noticeViews()]);
      const [notices, usResidentVariants] = await Promise.all([noticesOf(deps).notices.listNotices(params.id!), usResidentVariantsFor(noticesOf(deps), params.id!)]);
      return json(200, { notices: notices.map(noticeListItem), usResidentVariants } satisfies NoticeListAnswer);
    },
  }),
  route({
    method: 'POST',
    path: '/api/incidents/{id}/notices',
    params: INCIDENT,
    permission: 'draft-notice',
    body: { name: 'CreateNotice', schema: createNoticeSchema, maxBytes: 65_536, what: 'notice' },
    doc: { summary: 'Draft a notice from the incident (names what is missing)', responses: { ...ok('The notice view: notice, draft (elements, missing, rendered), progress', 201), ...errorResponses } },
    handle: async ({ params, body: request, actor }, deps) => {
      const incidentId = params.id!;
      const notices = noticesOf(deps);
      const { draftNoticeFor, noticeView } = await noticeApp();
      const notice = await draftNoticeFor(notices, incidentId, { ...request, fields: request.fields as Record<string, string> | undefined } as Parameters<typeof draftNoticeFor>[2], actor);
      logger.info('notice drafted', { incidentId, noticeId: notice.noticeId, kind: notice.kind });
      return json(201, await noticeView(notices, incidentId, notice.noticeId));
    },
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}/notices/{noticeId}',
    params: NOTICE,
    permission: 'view',
    doc: { summary: 'One notice: elements, missing, rendered formats, versions, progress, recipients needing review', responses: { ...ok('The notice view'), ...errorResponses } },
    handle: async ({ params }, deps) => {
      const { id: incidentId, noticeId } = params as { id: string; noticeId: string };
      const notices = noticesOf(deps);
      const { noticeView } = await noticeApp();
      const [view, versions, problems] = await Promise.all([
        noticeView(notices, incidentId, noticeId),
        notices.notices.listVersions(incidentId, noticeId),
        notices.deliveries.listDeliveries({ incidentId, noticeId }, { statuses: ['failed', 'unknown', 'bounced', 'complained'], limit: 100 }),
      ]);
      return json(200, { ...view, versions, needsReview: problems } satisfies NoticeDetailAnswer);
    },
  }),
  route({
    method: 'POST',
    path: '/api/incidents/{id}/notices/{noticeId}/actions',
    params: NOTICE,
    body: { name: 'NoticeAction', schema: noticeActionSchema, maxBytes: 65_536, what: 'notice action' },
    permission: (request) => PERMISSION[request.action],
    doc: { summary: 'Edit, approve (four eyes), send, record the submission, withdraw', responses: { ...ok('The notice view'), ...errorResponses } },
    handle: async ({ params, body: request, actor }, deps) => {
      const { id: incidentId, noticeId } = params as { id: string; noticeId: string };
      const notices = noticesOf(deps);
      const { actOnNotice, noticeView } = await noticeApp();
      await actOnNotice(notices, incidentId, noticeId, toAction(request, notices.clock.now()), actor);
      logger.info('notice action', { incidentId, noticeId, action: request.action });
      return json(200, await noticeView(notices, incidentId, noticeId));
    },
  }),
  route({
    method: 'PUT',
    path: '/api/incidents/{id}/notices/{noticeId}/recipients',
    params: NOTICE,
    permission: 'upload-recipients',
    doc: {
      summary: 'Upload the affected people (CSV up to 5 MB), validated row by row',
      requestBody: { required: true, description: 'Header row: email, phone, name, language', content: { 'text/csv': { schema: { type: 'string' } } } },
      responses: { ...ok('{ recipients: { rows, valid, invalid, sha256, errors, expiresAt }, status } (an approved notice turns draft: the list is part of what is approved)'), ...errorResponses, 413: { description: 'Over 5 MB: use the upload URL' }, 415: { description: 'Not text/csv' } },
    },
    handle: async ({ params, event, actor }, deps) => {
      const { id: incidentId, noticeId } = params as { id: string; noticeId: string };
      const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'text/csv') throw new HttpError(415, 'unsupported_media_type', 'Upload the list as Content-Type: text/csv (columns email, phone, name, language)');
      const body = readRawBody(event, MAX_UPLOAD_BYTES);
      const { uploadRecipients } = await noticeApp();
      const notice = await uploadRecipients(noticesOf(deps), incidentId, noticeId, Readable.from([body]), actor);
      logger.info('recipients uploaded', { incidentId, noticeId, rows: notice.recipients?.rows, valid: notice.recipients?.valid });
      return json(200, { recipients: notice.recipients, status: notice.status } satisfies RecipientsAnswer);
    },
  }),
  route({
    method: 'POST',
    path: '/api/incidents/{id}/notices/{noticeId}/recipients',
    params: NOTICE,
    permission: 'upload-recipients',
    body: { name: 'AttachUploadedList', schema: () => attachUploadSchema, maxBytes: 4_096, what: 'uploaded list' },
    doc: { summary: 'Attach a list uploaded to its upload URL (validated from the store)', responses: { ...ok('{ recipients, status }'), ...errorResponses } },
    // A list uploaded to its upload URL: validated from the store, then attached.
    handle: async ({ params, body: { objectKey }, actor }, deps) => {
      const { id: incidentId, noticeId } = params as { id: string; noticeId: string };
      const { attachUploadedRecipients } = await noticeApp();
      const notice = await attachUploadedRecipients(noticesOf(deps), incidentId, noticeId, objectKey, actor);
      logger.info('recipients attached', { incidentId, noticeId, rows: notice.recipients?.rows, valid: notice.recipients?.valid });
      return json(200, { recipients: notice.recipients, status: notice.status } satisfies RecipientsAnswer);
    },
  }),
  route({
    method: 'POST',
    path: '/api/incidents/{id}/notices/{noticeId}/recipients/upload-url',
    params: NOTICE,
    permission: 'upload-recipients',
    doc: { summary: 'Where to upload a larger list (a presigned S3 PUT, 15 minutes)', responses: { ...ok('{ objectKey, url, method, headers, validUntil }'), ...errorResponses } },
    handle: async ({ params }, deps) => json(200, (await (await noticeApp()).recipientUploadTarget(noticesOf(deps), params.id!, params.noticeId!)) satisfies UploadTargetAnswer),
  }),
];
