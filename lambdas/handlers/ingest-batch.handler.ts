import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoAlertBatchQueue } from '../adapters/dynamo/dynamo-alert-batch-queue.js';
import { foldAlertCounts, type AttachedAlert } from '../app/fold-alert-counts.js';
import { ingestAlerts, type IngestDeps } from '../app/ingest-alert.js';
import type { AlertBatchQueue } from '../ports/alert-batch-queue.js';
import type { StoredAlert } from '../ports/incident-store.js';
import { logger } from '../shared/logger.js';
import { settleRecords, unmarshallImage } from '../shared/stream-records.js';
import { countIngested, publishMetrics } from './middleware/metrics.js';
import { ingestDepsFor } from './ingest-runtime.js';
import { buildRuntime } from './runtime.js';
import { onceAsync } from '../domain/once.js';

/** The stream records this consumer places: a new chunk of a large alert group (also a CDK filter). */
export function batchKeyOf(record: DynamoDBRecord): { batchId: string; chunk: number } | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.entity?.S !== 'AlertBatch' || !image.batchId?.S || image.chunk?.N === undefined) return undefined;
  return { batchId: image.batchId.S, chunk: Number(image.chunk.N) };
}

/**
 * The stream records this consumer counts: an attached alert's delivery record, which holds the alert (also
 * a CDK filter). Its image is what ingest wrote, so no read is needed to keep the instance.
 */
export function attachedAlertOf(record: DynamoDBRecord): AttachedAlert | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.entity?.S !== 'Delivery' || image.outcome?.S !== 'attached' || !image.incidentId?.S || !image.alert?.M) return undefined;
  const alert = unmarshallImage(image.alert.M) as unknown as StoredAlert;
  return { ...alert, incidentId: image.incidentId.S };
}

/**
 * The alert stream (ADR 0011). Two kinds of record, at least once:
 * - alerts attached to an incident (their delivery records) are kept as its instances and folded into its
 *   count, one transaction per incident and batch; an instance is written only if it is not kept yet, so a
 *   redelivered record counts nothing twice. A failed incident reports its records alone (retried, then the
 *   dead-letter queue).
 * - the chunks of a large group (issue 12) are placed after the sender was answered; placing is idempotent
 *   per alert instance (sender event id), so a retried chunk counts nothing twice; the chunk is removed once
 *   placed. A failed chunk is reported alone.
 */
export function makeIngestBatchHandler(deps: { readonly ingest: IngestDeps; readonly batches: AlertBatchQueue }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(publishMetrics())
    .handler(async (event) => {
      const counted = await foldRecords(deps.ingest, event.Records);
      const placed = await settleRecords(
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
        (key, error) => logger.error('alert batch failed', { batchId: key?.batchId, chunk: key?.chunk, error: (error as Error).name }),
      );
      return { batchItemFailures: [...counted, ...placed.batchItemFailures] };
    });
}

/** Folds the batch's attached alerts, incident by incident; the records of an incident that failed are reported. */
async function foldRecords(ingest: IngestDeps, records: readonly DynamoDBRecord[]): Promise<{ itemIdentifier: string }[]> {
  const byIncident = new Map<string, { alerts: AttachedAlert[]; sequences: string[] }>();
  const failures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    let alert: AttachedAlert | undefined;
    try {
      alert = attachedAlertOf(record);
    } catch (error) {
      // A record that cannot be read is reported alone (retried, then the on-failure destination); the rest go on.
      logger.error('alert record unreadable', { sequenceNumber: record.dynamodb?.SequenceNumber, error: (error as Error).name });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      continue;
    }
    if (!alert) continue;
    const group = byIncident.get(alert.incidentId) ?? { alerts: [], sequences: [] };
    group.alerts.push(alert);
    group.sequences.push(record.dynamodb?.SequenceNumber ?? '');
    byIncident.set(alert.incidentId, group);
  }
  for (const [incidentId, group] of byIncident) {
    try {
      const report = await foldAlertCounts(ingest, incidentId, group.alerts);
      if (report.replaced) logger.warn('alerts reached a closed incident and were placed again', { incidentId, replaced: report.replaced });
    } catch (error) {
      logger.error('alert count failed', { incidentId, alerts: group.alerts.length, error: (error as Error).name });
      failures.push(...group.sequences.map((itemIdentifier) => ({ itemIdentifier })));
    }
  }
  return failures;
}

const coldStart = onceAsync(async () => {
  const runtime = buildRuntime();
  return makeIngestBatchHandler({ ingest: await ingestDepsFor(runtime), batches: new DynamoAlertBatchQueue(runtime.doc, runtime.config.tableName) });
});

export const handler = async (event: DynamoDBStreamEvent, context: Context) => (await coldStart())(event, context);
