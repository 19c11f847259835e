import middy from '@middy/core';
import { ingestAlert, type IngestDeps } from '../app/ingest-alert.js';
import { genericAlertSchema } from '../contracts/generic-alert.js';
import { bearerToken, HttpError, json, matchesAnySecret, readJsonBody, validate, type HttpEvent, type HttpResult } from '../shared/http.js';
import { httpErrors } from '../shared/http-errors.middleware.js';
import { logger } from '../shared/logger.js';
import { buildRuntime } from './runtime.js';

export interface IngestHandlerDeps {
  readonly ingest: IngestDeps;
  /** Valid bearer tokens (two during a rotation). */
  readonly tokens: () => Promise<readonly string[]>;
  readonly maxBodyBytes: number;
}

const SOURCES = ['generic'] as const;

/** POST /alerts/{source}: authenticate, validate, then open or attach; 202 { alertId, incidentId, deduplicated }. */
export function makeIngestHandler(deps: IngestHandlerDeps) {
  return middy<HttpEvent, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      const source = event.pathParameters?.source ?? '';
      if (!(SOURCES as readonly string[]).includes(source)) {
        throw new HttpError(404, 'unknown_source', `No alert source "${source}"; supported: ${SOURCES.join(', ')}`);
      }
      if (!matchesAnySecret(bearerToken(event), await deps.tokens())) {
        throw new HttpError(401, 'unauthorized', 'Missing or invalid bearer token (Authorization: Bearer <ingest token>)', [], {
          'www-authenticate': 'Bearer realm="breachclock-ingest"',
        });
      }
      const body = validate(genericAlertSchema, readJsonBody(event, deps.maxBodyBytes), 'alert');
      const result = await ingestAlert(deps.ingest, {
        source,
        fingerprint: body.fingerprint,
        title: body.title,
        severity: body.severity,
        ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}),
        ...(body.observedAt ? { observedAt: body.observedAt } : {}),
        ...(body.id ? { senderEventId: body.id } : {}),
        ...(body.details ? { details: body.details } : {}),
      });
      logger.info('alert ingested', { source, incidentId: result.incidentId, deduplicated: result.deduplicated, duplicateDelivery: result.duplicateDelivery });
      return json(202, result);
    });
}

let cached: ReturnType<typeof makeIngestHandler> | undefined;

export const handler = (event: HttpEvent, context: import('aws-lambda').Context) => {
  if (!cached) {
    const runtime = buildRuntime();
    cached = makeIngestHandler({ ingest: runtime.ingestDeps, tokens: runtime.ingestTokens, maxBodyBytes: runtime.config.maxAlertBytes });
  }
  return cached(event, context);
};
