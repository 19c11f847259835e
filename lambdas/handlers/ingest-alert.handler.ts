import { createHmac } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { DynamoAlertBatchQueue } from '../adapters/dynamo/dynamo-alert-batch-queue.js';
import type { AlertBatchQueue } from '../ports/alert-batch-queue.js';
import type { Context } from 'aws-lambda';
import {
  CertificateUnavailableError,
  confirmSubscription,
  SnsMessageVerifier,
  SnsSignatureError,
  snsEnvelopeSchema,
  type SubscriptionConfirmer,
} from '../adapters/sns-message-verifier.js';
import { firstOfEachFingerprint, ingestAlerts, type IngestDeps, type IngestResult } from '../app/ingest-alert.js';
import { assertStorable, PayloadFormatError, type NormalisedAlert } from '../domain/alert.js';
import { cloudWatchAlarmAlert } from '../domain/normalisers/cloudwatch.js';
import { NORMALISERS } from '../domain/normalisers/index.js';
import { SENTRY_RESOURCES } from '../domain/normalisers/sentry.js';
import { ALERT_SOURCES } from '../domain/sources.js';
import {
  bearerToken,
  header,
  HttpError,
  json,
  matchesAnySecret,
  parseJsonBody,
  readRawBody,
  validate,
  type HttpEvent,
  type HttpResult,
} from '../shared/http.js';
import { httpErrors } from './middleware/http-errors.middleware.js';
import { logger } from '../shared/logger.js';
import { countIngested, publishMetrics } from './middleware/metrics.js';
import { cachedSecret, parseIngestCredentials, type IngestCredentials } from '../shared/secrets.js';
import { buildRuntime } from './runtime.js';
import { ingestDepsFor } from './ingest-runtime.js';
import { onceAsync } from '../domain/once.js';

export interface IngestHandlerDeps {
  readonly ingest: IngestDeps;
  readonly credentials: () => Promise<IngestCredentials>;
  readonly maxBodyBytes: number;
  /** SNS topics allowed to post CloudWatch alarms (and to be subscribed to). */
  readonly snsAllowedTopicArns: readonly string[];
  readonly snsVerifier?: SnsMessageVerifier;
  readonly confirmSubscription?: SubscriptionConfirmer;
  /**
   * SNS notifications older than this (by their signed Timestamp) are refused as replays; default 24 hours:
   * above any SNS retry schedule a sender would set, and well inside the 7 days repeat deliveries are
   * remembered, so an old signed alarm can neither be replayed after that memory expired nor be lost.
   */
  readonly snsMaxMessageAgeMs?: number;
  /** The real clock, for security checks (never the local stack's virtual time); injectable for tests. */
  readonly securityNow?: () => Date;
  /** Where large groups are persisted to be placed after answering; without it every alert is placed in the request. */
  readonly batches?: AlertBatchQueue;
  /** Groups with more alerts than this are queued (default 100). */
  readonly queueAbove?: number;
}

const unauthorized = (how: string) =>
  new HttpError(401, 'unauthorized', `Missing or invalid credentials: ${how}`, [], { 'www-authenticate': 'Bearer realm="breachclock-ingest"' });

/** SNS could not be reached: SNS retries a 5xx, so this is a 503 with Retry-After, never a 500. */
const unavailable = (error: Error) => new HttpError(503, 'sns_unavailable', `${error.message}; try again later`, [], { 'retry-after': '30' });

/**
 * Authenticates a request as its source sends it (docs/sources.md), before its body is parsed: a caller
 * without credentials learns nothing about the parser. Constant-time comparisons throughout.
 */
function authenticate(source: string, event: HttpEvent, raw: Buffer, body: () => unknown, credentials: IngestCredentials): void {
  const bearerOk = matchesAnySecret(bearerToken(event), credentials.tokens);
  switch (source) {
    case 'sentry': {
      const signature = header(event, 'sentry-hook-signature');
      const valid = credentials.sentryClientSecrets.map((secret) => createHmac('sha256', secret).update(raw).digest('hex'));
      if (!matchesAnySecret(signature?.trim().toLowerCase(), valid)) {
        throw unauthorized('Sentry-Hook-Signature must be the HMAC-SHA256 of the body with the integration\'s client secret');
      }
      return;
    }
    case 'pagerduty': {
      // v3 webhooks: "v1=<hex HMAC-SHA256 of the body>" per subscription secret, comma-separated during a rotation.
      const signature = header(event, 'x-pagerduty-signature');
      if (signature !== undefined) {
        const valid = credentials.pagerdutyWebhookSecrets.map((secret) => createHmac('sha256', secret).update(raw).digest('hex'));
        const offered = signature.split(',').map((part) => part.trim()).filter((part) => part.startsWith('v1=')).map((part) => part.slice(3).toLowerCase());
        if (!offered.some((candidate) => matchesAnySecret(candidate, valid))) {
          throw unauthorized('X-PagerDuty-Signature must carry v1=<HMAC-SHA256 of the body> with the secret of a configured webhook subscription (pagerdutyWebhookSecrets)');
        }
        return;
      }
      if (bearerOk) return;
      // Events API v2 routing keys: opt-in (only when pagerdutyRoutingKeys is configured) and weaker.
      const parsed = body();
      const routingKey = typeof parsed === 'object' && parsed !== null ? (parsed as { routing_key?: unknown }).routing_key : undefined;
      if (!matchesAnySecret(typeof routingKey === 'string' ? routingKey : undefined, credentials.pagerdutyRoutingKeys)) {
        throw unauthorized('send X-PagerDuty-Signature (v3 webhooks), Authorization: Bearer <ingest token>, or a routing_key configured in pagerdutyRoutingKeys');
      }
      return;
    }
    default:
      if (!bearerOk) throw unauthorized('Authorization: Bearer <ingest token>');
  }
}

/**
 * POST /alerts/{source}: authenticate as the source does, validate its own format, route and ingest each
 * alert it carries. 202 { alertId, incidentId, deduplicated, … , results: [...] } (the top-level fields are
 * those of the first alert; a group such as Alertmanager's lists all in `results`).
 */
export function makeIngestHandler(deps: IngestHandlerDeps) {
  const verifier = deps.snsVerifier ?? new SnsMessageVerifier();
  const confirm = deps.confirmSubscription ?? confirmSubscription;

  async function cloudWatch(event: HttpEvent, raw: Buffer): Promise<NormalisedAlert[] | HttpResult> {
    const envelope = validate(snsEnvelopeSchema(), parseJsonBody(event, raw, { allowTextPlain: true }), 'SNS message');
    if (!deps.snsAllowedTopicArns.includes(envelope.TopicArn)) {
      throw new HttpError(403, 'topic_not_allowed', `SNS topic ${envelope.TopicArn} is not allowed to post here; add it to SNS_ALLOWED_TOPIC_ARNS`);
    }
    try {
      await verifier.verify(envelope);
    } catch (error) {
      if (error instanceof SnsSignatureError) throw new HttpError(401, 'invalid_signature', error.message);
      if (error instanceof CertificateUnavailableError) throw unavailable(error);
      throw error;
    }
    // The signature covers the Timestamp: a validly signed notification from long ago is a replay.
    // (A subscription confirmation stays valid for SNS's three days; it is checked by topic and signature.)
    const sent = Date.parse(envelope.Timestamp);
    const maxAge = deps.snsMaxMessageAgeMs ?? 86_400_000;
    const now = (deps.securityNow ?? (() => new Date()))().getTime();
    if (envelope.Type === 'Notification' && (!Number.isFinite(sent) || now - sent > maxAge || sent - now > 300_000)) {
      throw new HttpError(401, 'stale_message', `SNS message Timestamp ${envelope.Timestamp} is outside the accepted window (at most ${Math.round(maxAge / 60_000)} minutes old): refused as a possible replay`);
    }
    switch (envelope.Type) {
      case 'SubscriptionConfirmation':
        if (!envelope.SubscribeURL) throw new HttpError(400, 'invalid_request', 'SubscriptionConfirmation without SubscribeURL');
        try {
          await confirm(envelope.SubscribeURL);
        } catch (error) {
          if (error instanceof CertificateUnavailableError) throw unavailable(error);
          throw error;
        }
        logger.info('sns subscription confirmed', { topicArn: envelope.TopicArn });
        return json(200, { confirmed: true, topicArn: envelope.TopicArn });
      case 'UnsubscribeConfirmation':
        // Recorded in the log; the subscription is not renewed automatically.
        logger.warn('sns unsubscribe confirmation received', { topicArn: envelope.TopicArn });
        return json(200, { unsubscribed: true, topicArn: envelope.TopicArn });
      case 'Notification':
        return [cloudWatchAlarmAlert(envelope.Message, envelope.MessageId)];
    }
  }

  return middy<HttpEvent, HttpResult>()
    .use(publishMetrics())
    .use(httpErrors())
    .handler(async (event) => {
      const source = event.pathParameters?.source ?? '';
      if (!(ALERT_SOURCES as readonly string[]).includes(source)) {
        throw new HttpError(404, 'unknown_source', `No alert source "${source}"; supported: ${ALERT_SOURCES.join(', ')}`);
      }
      const raw = readRawBody(event, deps.maxBodyBytes);
      let alerts: NormalisedAlert[];
      if (source === 'cloudwatch') {
        const outcome = await cloudWatch(event, raw);
        if (!Array.isArray(outcome)) return outcome;
        alerts = outcome;
      } else {
        authenticate(
          source,
          event,
          raw,
          () => {
            try {
              return parseJsonBody(event, raw);
            } catch {
              return undefined; // an unparsable body carries no routing key: 401 below, not 400
            }
          },
          await deps.credentials(),
        );
        const body = parseJsonBody(event, raw);
        if (source === 'sentry') {
          const resource = header(event, 'sentry-hook-resource');
          if (!resource) throw new HttpError(400, 'invalid_request', 'Sentry-Hook-Resource header is missing: Sentry sends it with every webhook (event_alert, metric_alert, issue, …)', [{ path: 'headers.sentry-hook-resource', message: 'required' }]);
          if (!(SENTRY_RESOURCES as readonly string[]).includes(resource)) {
            // installation, comment, error …: acknowledged so Sentry's integration keeps working, not alerts.
            return json(200, { ignored: true, reason: `Sentry-Hook-Resource "${resource}" carries no alert (handled: ${SENTRY_RESOURCES.join(', ')})` });
          }
        }
        try {
          alerts = NORMALISERS[source]!.normalise({ body, headers: lowerCaseHeaders(event) });
        } catch (error) {
          if (error instanceof PayloadFormatError) throw new HttpError(400, 'invalid_format', `${error.message} for source "${source}"`, error.issues);
          throw error;
        }
      }
      // Every alert must fit in the store before any is written (413, not a 500 the sender retries forever).
      assertStorable(alerts);
      if (deps.batches && alerts.length > (deps.queueAbove ?? 100)) return queueLargeGroup(deps, deps.batches, source, alerts);
      const results: IngestResult[] = await ingestAlerts(deps.ingest, alerts);
      countIngested(results);
      logger.info('alerts ingested', {
        source,
        count: results.length,
        outcomes: results.map((r) => r.outcome),
        incidentIds: [...new Set(results.map((r) => r.incidentId).filter(Boolean))],
      });
      return json(202, { ...(results.length === 1 ? results[0] : {}), accepted: results.length, results });
    });
}

/** Alerts of one persisted chunk, by JSON size in bytes: well under DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 300_000;

/**
 * A large group (over `queueAbove` alerts) is answered within the sender's deadline (issue 12): the first alert
 * of each fingerprint is placed now (it opens the incident, so the clock starts and the answer names it); the
 * rest is persisted in chunks and placed by the stream consumer (ingest-batch.handler.ts). A retry of the same
 * group places nothing twice (alert instances are deduplicated by their sender event id).
 */
async function queueLargeGroup(deps: IngestHandlerDeps, batches: AlertBatchQueue, source: string, alerts: readonly NormalisedAlert[]): Promise<HttpResult> {
  const { first, rest } = firstOfEachFingerprint(alerts);
  const now = first.map((index) => alerts[index]!);
  const later = rest.map((index) => alerts[index]!);
  const placed = await ingestAlerts(deps.ingest, now);
  countIngested(placed);
  const batchId = randomUUID();
  const chunks: { batchId: string; chunk: number; alerts: NormalisedAlert[] }[] = [];
  let size = 0;
  for (const alert of later) {
    const length = Buffer.byteLength(JSON.stringify(alert));
    if (!chunks.length || size + length > CHUNK_BYTES) {
      chunks.push({ batchId, chunk: chunks.length, alerts: [] });
      size = 0;
    }
    chunks.at(-1)!.alerts.push(alert);
    size += length;
  }
  await batches.enqueue(chunks);
  logger.info('alert group queued', { source, placed: placed.length, queued: later.length, chunks: chunks.length, batchId });
  return json(202, { ...(placed.length === 1 ? placed[0] : {}), accepted: alerts.length, placed: placed.length, queued: later.length, batchId, results: placed });
}

function lowerCaseHeaders(event: HttpEvent): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(event.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
}

const coldStart = onceAsync(async () => {
  const runtime = buildRuntime();
  return makeIngestHandler({
    ingest: await ingestDepsFor(runtime),
    // Only the ingest function reads the tokens' secret (the others carry no Secrets Manager client).
    credentials: runtime.config.ingestTokensSecretArn
      ? cachedSecret(runtime.config.ingestTokensSecretArn, parseIngestCredentials)
      : async (): Promise<IngestCredentials> => ({
          tokens: runtime.config.ingestTokens,
          sentryClientSecrets: runtime.config.sentryClientSecrets,
          pagerdutyRoutingKeys: runtime.config.pagerdutyRoutingKeys,
          pagerdutyWebhookSecrets: runtime.config.pagerdutyWebhookSecrets,
        }),
    maxBodyBytes: runtime.config.maxAlertBytes,
    snsAllowedTopicArns: runtime.config.snsAllowedTopicArns,
    // Certificates of this region only; SignatureVersion 1 refused when the deployment says so (issue 24.5).
    snsVerifier: new SnsMessageVerifier(undefined, runtime.config.snsVerification),
    batches: new DynamoAlertBatchQueue(runtime.doc, runtime.config.tableName),
  });
});

export const handler = async (event: HttpEvent, context: Context) => (await coldStart())(event, context);
