import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { dispatchOutboxMessage, type DispatchDeps } from '../app/dispatch-outbox.js';
import { settleDuePage, sweepDueTimers, type SweepDeps, type SweepReport } from '../app/sweep-due-timers.js';
import type { DueItem, DuePage, DuePageQueue } from '../ports/timer-store.js';
import { logger } from '../shared/logger.js';
import { count, METRIC, publishMetrics } from './middleware/metrics.js';
import { buildAwsSender, noteRepostWith, noteUnconfirmedWith } from './delivery-runtime.js';
import { buildRuntime } from './runtime.js';
import { anchorOpenTrails } from '../app/trail-anchoring.js';
import { ANCHOR_TICK } from '../domain/trail-anchor.js';
import { once } from '../domain/once.js';
import { onFirstUse } from './on-first-use.js';

/**
 * Invoked every minute by EventBridge Scheduler: fires due escalation steps and re-drives stuck messages; a
 * burst is handed out in pages to the sweep queue (ADR 0016), which invokes this same function with SQS
 * events (bounded concurrency): each page is settled with the same conditional writes, exactly once.
 */
export function makeSweepHandler(deps: Omit<SweepDeps, 'redeliver'> & { readonly dispatch: DispatchDeps; readonly anchorOpenTrails?: () => Promise<{ anchored: number; unchanged: number; failed: number }> }) {
  const sweepDeps: SweepDeps = {
    ...deps,
    redeliver: (incidentId, messageId) =>
      dispatchOutboxMessage(deps.dispatch, incidentId, messageId).then(
        (outcome) => {
          // Given up on here as on the stream path: counted, and the DeliveriesGivenUp alarm tells operators.
          if (outcome === 'failed') {
            count(METRIC.deliveriesGivenUp, 1);
            logger.error('delivery given up', { incidentId, messageId });
          }
          // A page cut off by a crash that its provider cannot confirm (the clock's re-drive finds most of them).
          if (outcome === 'unconfirmed') {
            count(METRIC.deliveriesUnconfirmed, 1);
            logger.error('page parked as unconfirmed', { incidentId, messageId });
          }
        },
        (error: unknown) => {
          // The retry is already scheduled in the due index; one message must not stop the sweep.
          count(METRIC.deliveriesFailed, 1);
          logger.warn('re-delivery failed', { incidentId, messageId, error: (error as Error).name });
        },
      ),
  };
  return middy<unknown, SweepReport | SQSBatchResponse | { anchored: number; unchanged: number; failed: number }>().use(publishMetrics()).handler(async (event) => {
    if (isSqsEvent(event)) return settlePages(sweepDeps, event.Records);
    // Hourly (its own schedule): anchor every open incident whose trail moved since its last anchor.
    if (isAnchorTick(event)) {
      if (!deps.anchorOpenTrails) throw new Error('Trail anchoring is not configured (TRAIL_ANCHOR_BUCKET, TRAIL_SIGNING_KEY_ARN)');
      const anchored = await deps.anchorOpenTrails();
      logger.info('trail anchors', { ...anchored });
      if (anchored.failed > 0) throw new Error(`${anchored.failed} trail anchors failed`);
      return anchored;
    }
    const report = await sweepDueTimers(sweepDeps, (item, error) =>
      logger.error('due item failed', { kind: item.kind, incidentId: item.incidentId, error: error as Error }),
    );
    count(METRIC.sweepsCompleted, 1);
    count(METRIC.escalationsFired, report.fired);
    count(METRIC.legalClocksOverdue, report.overdue);
    count(METRIC.sweepErrors, report.errors);
    if (report.due > 0) logger.info('sweep', { ...report });
    else logger.debug('sweep: nothing due');
    if (report.errors > 0 && report.errors === report.due) throw new Error(`All ${report.due} due items failed`);
    return report;
  });
}

/** A worker's invocation from the sweep queue: each page settled; a page with an item that failed is received again (then its DLQ). */
async function settlePages(deps: SweepDeps, records: readonly SQSRecord[]): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    const page = parseDuePage(record.body);
    if (!page) {
      // Not ours (a message written by hand): kept in the DLQ for a look, never settled.
      logger.error('sweep page unreadable', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const report = await settleDuePage(deps, page, (item, error) => logger.error('due item failed', { kind: item.kind, incidentId: item.incidentId, error: error as Error }));
    count(METRIC.escalationsFired, report.fired);
    count(METRIC.legalClocksOverdue, report.overdue);
    count(METRIC.sweepErrors, report.errors);
    logger.info('sweep page', { ...report });
    // Its settled items are found settled next time (stale); the failed ones are tried again.
    if (report.errors > 0) batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
}

const isSqsEvent = (event: unknown): event is { Records: SQSRecord[] } =>
  typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records) && (event as { Records: { eventSource?: unknown }[] }).Records.every((r) => r?.eventSource === 'aws:sqs');

// Ids are the table's own (a sort key holds them): any non-empty string within a key's size.
const ID = { test: (x: string) => x.length > 0 && x.length <= 1_000 };
const isDueItem = (x: unknown): x is DueItem => {
  const item = x as Record<string, unknown> | null;
  if (typeof item !== 'object' || item === null || typeof item.incidentId !== 'string' || !ID.test(item.incidentId) || typeof item.dueAt !== 'string') return false;
  if (item.kind === 'timer') return typeof item.timerId === 'string' && ID.test(item.timerId);
  return item.kind === 'outbox' && typeof item.messageId === 'string' && ID.test(item.messageId);
};

/** A page from the sweep queue, checked item by item (ids only). */
export function parseDuePage(body: string): DuePage | undefined {
  try {
    const parsed = JSON.parse(body) as { items?: unknown };
    if (!Array.isArray(parsed.items) || parsed.items.length > 1_000 || !parsed.items.every(isDueItem)) return undefined;
    return { items: parsed.items };
  } catch {
    return undefined;
  }
}

const isAnchorTick = (event: unknown): boolean => typeof event === 'object' && event !== null && (event as { breachclockTask?: unknown }).breachclockTask === ANCHOR_TICK.breachclockTask;

/** The sweep queue, with the SQS client imported on the first burst handed out in pages (ADR 0018): an ordinary tick needs none. */
const duePageQueue = (queueUrl: string) =>
  onFirstUse<DuePageQueue>(async () => {
    const [{ SQSClient }, { SqsDuePageQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('../adapters/clock/sqs-due-page-queue.js')]);
    return new SqsDuePageQueue(new SQSClient({}), queueUrl);
  }, ['enqueue']);

const coldStart = once(() => {
  const runtime = buildRuntime();
  return makeSweepHandler({
    store: runtime.store,
    clock: runtime.clock,
    ladder: runtime.config.ladder,
    messageContext: runtime.messageContext,
    ...(runtime.config.sweepQueueUrl ? { fanOut: { queue: duePageQueue(runtime.config.sweepQueueUrl) } } : {}),
    // The KMS and S3 clients only for the hourly tick: a chunk of their own, loaded then (ADR 0018, session 11).
    ...(runtime.config.trailAnchors
      ? { anchorOpenTrails: async () => anchorOpenTrails((await import('./trail-anchor-runtime.js')).awsAnchorDeps(runtime.config.trailAnchors!, runtime.store)) }
      : {}),
    dispatch: {
      outbox: runtime.store,
      sender: buildAwsSender(runtime.config, { store: runtime.store, clock: runtime.clock, messageContext: runtime.messageContext }),
      clock: runtime.clock,
      noteRepost: noteRepostWith({ store: runtime.store, clock: runtime.clock, ladder: runtime.config.ladder, messageContext: runtime.messageContext }),
      noteUnconfirmed: noteUnconfirmedWith({ store: runtime.store, clock: runtime.clock, ladder: runtime.config.ladder, messageContext: runtime.messageContext }),
      slackPacing: runtime.store,
    },
  });
});

export const handler = (event: unknown, context: Context) => coldStart()(event, context);
