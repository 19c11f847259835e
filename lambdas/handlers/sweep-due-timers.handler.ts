import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { dispatchOutboxMessage, type DispatchDeps } from '../app/dispatch-outbox.js';
import { sweepDueTimers, type SweepDeps, type SweepReport } from '../app/sweep-due-timers.js';
import { logger } from '../shared/logger.js';
import { count, METRIC, publishMetrics } from './middleware/metrics.js';
import { buildAwsSender, noteRepostWith } from './delivery-runtime.js';
import { buildRuntime } from './runtime.js';
import { anchorOpenTrails } from '../app/trail-anchoring.js';
import { ANCHOR_TICK } from '../domain/trail-anchor.js';
import { awsAnchorDeps } from './trail-anchor-runtime.js';
import { once } from '../domain/once.js';

/** Invoked every minute by EventBridge Scheduler: fires due escalation steps and re-drives stuck messages. */
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
        },
        (error: unknown) => {
          // The retry is already scheduled in the due index; one message must not stop the sweep.
          count(METRIC.deliveriesFailed, 1);
          logger.warn('re-delivery failed', { incidentId, messageId, error: (error as Error).name });
        },
      ),
  };
  return middy<unknown, SweepReport | { anchored: number; unchanged: number; failed: number }>().use(publishMetrics()).handler(async (event) => {
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

const isAnchorTick = (event: unknown): boolean => typeof event === 'object' && event !== null && (event as { breachclockTask?: unknown }).breachclockTask === ANCHOR_TICK.breachclockTask;

const coldStart = once(() => {
  const runtime = buildRuntime();
  return makeSweepHandler({
    store: runtime.store,
    clock: runtime.clock,
    ladder: runtime.config.ladder,
    messageContext: runtime.messageContext,
    ...(runtime.config.trailAnchors ? { anchorOpenTrails: () => anchorOpenTrails(awsAnchorDeps(runtime.config.trailAnchors!, runtime.store)) } : {}),
    dispatch: {
      outbox: runtime.store,
      sender: buildAwsSender(runtime.config, { store: runtime.store, clock: runtime.clock, messageContext: runtime.messageContext }),
      clock: runtime.clock,
      noteRepost: noteRepostWith({ store: runtime.store, clock: runtime.clock, ladder: runtime.config.ladder, messageContext: runtime.messageContext }),
    },
  });
});

export const handler = (event: unknown, context: Context) => coldStart()(event, context);
