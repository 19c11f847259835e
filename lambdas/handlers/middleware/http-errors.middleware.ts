import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { IncidentNotFoundError, IngestContentionError, NoticeNotFoundError } from '../../app/errors.js';
import { ContentChangedError, DomainValidationError, IllegalTransitionError, IncompleteError, missingText, RecipientsChangedError } from '../../domain/errors.js';
import { PermissionDeniedError } from '../../domain/roles.js';
import { TaskConflictError } from '../../domain/tasks/tasks.js';
import { AlertTooLargeError, PayloadFormatError } from '../../domain/alert.js';
import { ConcurrentUpdateError, InvalidCursorError } from '../../ports/incident-store.js';
import { errorBody, HttpError, json, type HttpEvent, type HttpResult } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';

/** Maps errors to HTTP: known ones to a clear 4xx/503 with what was wrong and where; the rest to a bare 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof PermissionDeniedError) return new HttpError(403, 'forbidden', error.message);
  if (error instanceof DomainValidationError) return new HttpError(400, error.code, error.message, [{ path: error.path, message: error.message }]);
  if (error instanceof IllegalTransitionError) return new HttpError(409, error.code, error.message);
  if (error instanceof ContentChangedError) return new HttpError(409, error.code, error.message, [{ path: 'expectedContentHash', message: `the content hash now is ${error.contentHash}` }, ...error.changed.map((element) => ({ path: `elements.${element.id}`, message: `changed since you reviewed it: ${element.label}` }))]);
  if (error instanceof RecipientsChangedError) return new HttpError(409, error.code, error.message, [{ path: 'expectedRecipientsHash', message: `the recipient list's hash now is ${error.recipientsHash}` }]);
  if (error instanceof TaskConflictError) return new HttpError(409, 'task_conflict', error.message);
  if (error instanceof IncidentNotFoundError || error instanceof NoticeNotFoundError) return new HttpError(404, 'not_found', error.message);
  if (error instanceof IncompleteError) return new HttpError(409, error.code, error.message, error.missing.map((m) => ({ path: `fields.${m.id}`, message: `missing: ${missingText(m)}` })));
  if (error instanceof InvalidCursorError) return new HttpError(400, 'invalid_cursor', error.message, [{ path: 'query.next', message: error.detail }]);
  if (error instanceof ConcurrentUpdateError) return new HttpError(409, 'concurrent_update', `${error.message}; reload and try again`);
  if (error instanceof PayloadFormatError) return new HttpError(400, 'invalid_format', `${error.message} for source "${error.source}"`, error.issues);
  if (error instanceof AlertTooLargeError) return new HttpError(413, 'alert_too_large', error.message, [{ path: error.path, message: `${error.fieldBytes} bytes` }]);
  if (error instanceof IngestContentionError) return new HttpError(503, 'contention', error.message, [], { 'retry-after': '1' });
  return new HttpError(500, 'internal_error', 'Internal error; nothing was half-written, retry or report the request id', [], {}, { cause: error });
}

export function httpErrors(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    onError: async (request) => {
      const mapped = toHttpError(request.error);
      const requestId = request.context?.awsRequestId;
      if (mapped.status >= 500) {
        // Error name and message only: never the event body.
        logger.error('request failed', { error: request.error as Error, route: request.event?.routeKey, requestId });
      } else {
        logger.info('request refused', { status: mapped.status, code: mapped.code, route: request.event?.routeKey });
      }
      request.response = json(mapped.status, errorBody(mapped.code, mapped.message, mapped.details, requestId), mapped.headers);
    },
  };
}
