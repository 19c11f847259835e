import { countIngested, publishMetrics } from './middleware/metrics.js';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { ingestAlert, type IngestDeps, type IngestResult } from '../app/ingest-alert.js';
import { NORMALISERS } from '../domain/normalisers/index.js';
import { logger } from '../shared/logger.js';
import { buildRuntime } from './runtime.js';
import { ingestDepsFor } from './ingest-runtime.js';
import { onceAsync } from '../domain/once.js';

const SOURCES: Readonly<Record<string, string>> = { 'aws.guardduty': 'guardduty', 'aws.securityhub': 'securityhub' };

/** Thrown for events this function is not meant to get (the EventBridge rule filters them out). */
export class UnsupportedEventError extends Error {
  constructor(readonly eventSource: string, readonly detailType: string) {
    super(`No alert source for EventBridge events from "${eventSource}" ("${detailType}"); expected aws.guardduty or aws.securityhub`);
    this.name = 'UnsupportedEventError';
  }
}

/**
 * GuardDuty findings and Security Hub findings straight from an EventBridge rule: the same normalisers,
 * routing and ingest as POST /alerts/{source}. Authentication is IAM (only EventBridge may invoke). A failure
 * is thrown so EventBridge retries and then sends the event to the dead-letter queue: nothing is lost.
 */
export function makeEventIngestHandler(deps: { readonly ingest: IngestDeps }) {
  return middy<EventBridgeEvent<string, unknown>, IngestResult[]>().use(publishMetrics()).handler(async (event) => {
    const source = SOURCES[event.source];
    if (!source) throw new UnsupportedEventError(event.source, event['detail-type']);
    const alerts = NORMALISERS[source]!.normalise({ body: event, headers: {} });
    const results: IngestResult[] = [];
    for (const alert of alerts) results.push(await ingestAlert(deps.ingest, alert));
    countIngested(results);
    logger.info('event ingested', { source, eventId: event.id, outcomes: results.map((r) => r.outcome), incidentIds: results.map((r) => r.incidentId) });
    return results;
  });
}

const coldStart = onceAsync(async () => makeEventIngestHandler({ ingest: await ingestDepsFor(buildRuntime()) }));

export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context) => (await coldStart())(event, context);
