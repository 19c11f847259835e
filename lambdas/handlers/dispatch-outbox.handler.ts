import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { dispatchOutboxMessage, type DispatchDeps, type DispatchOutcome } from '../app/dispatch-outbox.js';
import { logger } from '../shared/logger.js';
import { settleRecords } from '../shared/stream-records.js';
import { count, METRIC, publishMetrics } from './middleware/metrics.js';
import { buildAwsSender, noteRepostWith, noteUnconfirmedWith } from './delivery-runtime.js';
import { buildRuntime } from './runtime.js';
import { once } from '../domain/once.js';

/** The stream records the dispatcher acts on: new outbox items (also the event-source filter in CDK). */
export function outboxKeyOf(record: DynamoDBRecord): { incidentId: string; messageId: string } | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.entity?.S !== 'Outbox') return undefined;
  const incidentId = image.incidentId?.S;
  const messageId = image.messageId?.S;
  return incidentId && messageId ? { incidentId, messageId } : undefined;
}

/**
 * Fed by the table's stream. Each record is seen at least once; dispatchOutboxMessage makes the send
 * idempotent. Failed records are reported individually (ReportBatchItemFailures) so one bad message neither
 * blocks the shard nor makes the others resend.
 */
export function makeDispatchHandler(deps: DispatchDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().use(publishMetrics()).handler(async (event) => {
    const outcomes: Record<DispatchOutcome, number> = { delivered: 0, confirmed: 0, unconfirmed: 0, merged: 0, 'already-handled': 0, 'retry-scheduled': 0, failed: 0 };
    const response = await settleRecords(
      event.Records,
      outboxKeyOf,
      async (key) => {
        const outcome = await dispatchOutboxMessage(deps, key.incidentId, key.messageId);
        outcomes[outcome]++;
        // Given up for good (e.g. no such topic): report it so it reaches the on-failure destination and its alarm.
        return outcome !== 'failed';
      },
      (key, error) => {
        outcomes['retry-scheduled']++;
        logger.warn('delivery failed', { incidentId: key?.incidentId, messageId: key?.messageId, error: (error as Error).name });
      },
    );
    logger.info('dispatch', { records: event.Records.length, ...outcomes });
    count(METRIC.deliveriesFailed, outcomes.failed + outcomes['retry-scheduled']);
    count(METRIC.deliveriesGivenUp, outcomes.failed);
    // Parked for review (the DeliveriesUnconfirmedAlarm): a person decides whether to page again.
    count(METRIC.deliveriesUnconfirmed, outcomes.unconfirmed);
    if (outcomes.unconfirmed) logger.error('page parked as unconfirmed', { unconfirmed: outcomes.unconfirmed });
    return response;
  });
}

const coldStart = once(() => {
  const runtime = buildRuntime();
  return makeDispatchHandler({
    outbox: runtime.store,
    sender: buildAwsSender(runtime.config, { store: runtime.store, clock: runtime.clock, messageContext: runtime.messageContext }),
    clock: runtime.clock,
    noteRepost: noteRepostWith({ store: runtime.store, clock: runtime.clock, ladder: runtime.config.ladder, messageContext: runtime.messageContext }),
    noteUnconfirmed: noteUnconfirmedWith({ store: runtime.store, clock: runtime.clock, ladder: runtime.config.ladder, messageContext: runtime.messageContext }),
    // Slack's ~1 post a second per channel: a burst for one channel is merged into a digest.
    slackPacing: runtime.store,
  });
});

export const handler = (event: DynamoDBStreamEvent, context: Context) => coldStart()(event, context);
