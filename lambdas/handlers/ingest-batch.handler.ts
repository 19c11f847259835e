import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoAlertBatchQueue } from '../adapters/dynamo/dynamo-alert-batch-queue.js';
import { ingestAlerts, type IngestDeps } from '../app/ingest-alert.js';
import type { AlertBatchQueue } from '../ports/alert-batch-queue.js';
import { logger } from '../shared/logger.js';
import { settleRecords } from '../shared/stream-records.js';
import { countIngested, publishMetrics } from '../shared/metrics.js';
import { ingestDepsFor } from './ingest-runtime.js';
import { buildRuntime } from './runtime.js';

/** The stream records this consumer acts on: a new chunk of a large alert group (also the CDK filter). */
export function batchKeyOf(record: DynamoDBRecord): { batchId: string; chunk: number } | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.entity?.S !== 'AlertBatch' || !image.batchId?.S || image.chunk?.N === undefined) return undefined;
  return { batchId: image.batchId.S, chunk: Number(image.chunk.N) };
}

/**
 * Places the alerts of a large group after the sender was answered (issue 12). At least once: placing is
 * idempotent per alert instance (sender event id), so a retried chunk counts nothing twice; the chunk is
 * removed once placed. A failure is reported per record (retries, then the dead-letter queue).
 */
export function makeIngestBatchHandler(deps: { readonly ingest: IngestDeps; readonly batches: AlertBatchQueue }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(publishMetrics())
    .handler((event) =>
      settleRecords(
        event.Records,
        batchKeyOf,
        async (key) => {
          const chunk = await deps.batches.get(key.batchId, key.chunk);
          if (!chunk) return; // already placed and removed (a redelivered record)
          const results = await ingestAlerts(deps.ingest, chunk.alerts);
          countIngested(results);
          await deps.batches.done(key.batchId, key.chunk);
          logger.info('alert batch placed', { batchId: key.batchId, chunk: key.chunk, alerts: results.length });
        },
        (key, error) => logger.error('alert batch failed', { batchId: key.batchId, chunk: key.chunk, error: (error as Error).name }),
      ),
    );
}

let cached: ReturnType<typeof makeIngestBatchHandler> | undefined;

export const handler = (event: DynamoDBStreamEvent, context: Context) => {
  if (!cached) {
    const runtime = buildRuntime();
    cached = makeIngestBatchHandler({ ingest: ingestDepsFor(runtime), batches: new DynamoAlertBatchQueue(runtime.doc, runtime.config.tableName) });
  }
  return cached(event, context);
};
