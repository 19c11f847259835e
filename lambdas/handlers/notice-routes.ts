import { Readable } from 'node:stream';
import { actOnNotice, attachUploadedRecipients, draftNoticeFor, noticeView, recipientUploadTarget, uploadRecipients, type NoticeDeliveryDeps } from '../app/notices.js';
import { attachUploadSchema, createNoticeSchema, noticeActionSchema, noticeIdSchema, type NoticeActionRequest } from '../contracts/notice-api.js';
import type { NoticeAction } from '../domain/notices/notice.js';
import { NOTICE_PACKS } from '../domain/notices/packs/index.js';
import { authorize, type Permission, type RoleMap } from '../domain/roles.js';
import { decodePathSegment, header, HttpError, methodNotAllowed, json, readJsonBody, readRawBody, validate, type HttpEvent, type HttpResult } from '../shared/http.js';
import { logger } from '../shared/logger.js';

/** The largest list accepted through the API (Lambda's synchronous payload limit is 6 MB). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const PERMISSION: Record<NoticeActionRequest['action'], Permission> = {
  edit: 'edit-notice',
  approve: 'approve-notice',
  send: 'send-notice',
  'record-submission': 'submit-notice',
  withdraw: 'withdraw-notice',
};

function toAction(request: NoticeActionRequest): NoticeAction {
  switch (request.action) {
    case 'edit':
      return { type: 'edit', fields: request.fields as Record<string, string | null>, expectedVersion: request.expectedVersion };
    case 'approve':
      return { type: 'approve', expectedVersion: request.expectedVersion };
    case 'send':
      return { type: 'start-sending' };
    case 'record-submission':
      return { type: 'record-submission', submittedAt: request.submittedAt, reference: request.reference };
    case 'withdraw':
      return { type: 'withdraw', reason: request.reason };
  }
}

function packSummary() {
  return NOTICE_PACKS.map((pack) => ({
    kind: pack.kind,
    version: pack.version,
    name: pack.name,
    legalSource: pack.legalSource,
    audience: pack.audience,
    regime: pack.regime,
    obligation: pack.obligation ?? null,
    channels: pack.channels,
    languages: pack.languages,
    elements: pack.elements,
  }));
}

/**
 * /api/notice-packs, /api/incidents/{id}/notices[/{noticeId}[/actions|/recipients]]. Returns undefined for
 * paths that are not notice routes.
 */
export async function routeNotices(
  event: HttpEvent,
  path: string,
  who: { actor: string; roles: RoleMap | undefined },
  deps: NoticeDeliveryDeps,
): Promise<HttpResult | undefined> {
  const method = event.requestContext.http.method;
  // Every GET was authorised ('view') by the API handler; writes need their own permission (403 by the error middleware).
  const check = (permission: Permission) => {
    if (who.roles) authorize(who.roles, who.actor, permission);
  };

  if (path === '/api/notice-packs') {
    if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
    return json(200, { packs: packSummary() });
  }
  const match = /^\/api\/incidents\/([^/]+)\/notices(?:\/([^/]+)(\/actions|\/recipients|\/recipients\/upload-url)?)?$/.exec(path);
  if (!match) return undefined;
  const incidentId = decodePathSegment(match[1]!, 'incident id');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(incidentId)) throw new HttpError(400, 'invalid_request', 'The incident id in the path is not valid', [{ path: 'incidentId', message: 'not an incident id' }]);

  if (!match[2]) {
    if (method === 'GET') {
        const notices = await deps.notices.listNotices(incidentId);
      return json(200, { notices: notices.map(({ approval, ...notice }) => ({ ...notice, ...(approval ? { approval: { by: approval.by, at: approval.at, version: approval.version, contentHash: approval.contentHash } } : {}) })) });
    }
    if (method !== 'POST') throw methodNotAllowed(method, path, 'GET, POST');
    check('draft-notice');
    const request = validate(createNoticeSchema(), readJsonBody(event, 65_536), 'notice');
    const notice = await draftNoticeFor(deps, incidentId, { ...request, fields: request.fields as Record<string, string> | undefined } as Parameters<typeof draftNoticeFor>[2], who.actor);
    logger.info('notice drafted', { incidentId, noticeId: notice.noticeId, kind: notice.kind });
    return json(201, await noticeView(deps, incidentId, notice.noticeId));
  }

  const noticeId = validate(noticeIdSchema, decodePathSegment(match[2], 'notice id'), 'notice id in the path');
  if (!match[3]) {
    if (method !== 'GET') throw methodNotAllowed(method, path, 'GET');
    const [view, versions, problems] = await Promise.all([
      noticeView(deps, incidentId, noticeId),
      deps.notices.listVersions(incidentId, noticeId),
      deps.deliveries.listDeliveries({ incidentId, noticeId }, { statuses: ['failed', 'unknown', 'bounced', 'complained'], limit: 100 }),
    ]);
    return json(200, { ...view, versions, needsReview: problems });
  }

  if (match[3] === '/recipients/upload-url') {
    if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
    check('upload-recipients');
    return json(200, await recipientUploadTarget(deps, incidentId, noticeId));
  }

  if (match[3] === '/recipients' && method === 'POST') {
    // A list uploaded to its upload URL: validated from the store, then attached.
    check('upload-recipients');
    const { objectKey } = validate(attachUploadSchema, readJsonBody(event, 4_096), 'uploaded list');
    const notice = await attachUploadedRecipients(deps, incidentId, noticeId, objectKey, who.actor);
    logger.info('recipients attached', { incidentId, noticeId, rows: notice.recipients?.rows, valid: notice.recipients?.valid });
    return json(200, { recipients: notice.recipients });
  }

  if (match[3] === '/recipients') {
    if (method !== 'PUT') throw methodNotAllowed(method, path, 'PUT, POST');
    check('upload-recipients');
    const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'text/csv') throw new HttpError(415, 'unsupported_media_type', 'Upload the list as Content-Type: text/csv (columns email, phone, name, language)');
    const body = readRawBody(event, MAX_UPLOAD_BYTES);
    const notice = await uploadRecipients(deps, incidentId, noticeId, Readable.from([body]), who.actor);
    logger.info('recipients uploaded', { incidentId, noticeId, rows: notice.recipients?.rows, valid: notice.recipients?.valid });
    return json(200, { recipients: notice.recipients });
  }

  if (method !== 'POST') throw methodNotAllowed(method, path, 'POST');
  const request = validate(noticeActionSchema(), readJsonBody(event, 65_536), 'notice action');
  check(PERMISSION[request.action]);
  await actOnNotice(deps, incidentId, noticeId, toAction(request), who.actor);
  logger.info('notice action', { incidentId, noticeId, action: request.action });
  return json(200, await noticeView(deps, incidentId, noticeId));
}
