import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { planNoticeSends, RecipientListChangedError, type NoticeDeliveryDeps } from '../app/notices.js';
import type { NoticeRef } from '../ports/delivery-store.js';
import type { SendQueue } from '../ports/notice-delivery.js';
import { logger } from '../shared/logger.js';
import { settleRecords } from '../shared/stream-records.js';
import { noticeDeps, required } from './notice-runtime.js';
import { onFirstUse } from './on-first-use.js';
import { recipientListsOnFirstUse } from './recipient-lists-on-first-use.js';
import { buildOfficerRuntime } from './runtime.js';
import { once } from '../domain/once.js';

/**
 * The stream records that start planning: a notice in "sending" (also the event-source filter in CDK). The
 * stream carries new images only, so later changes of a sending notice come here too: planNoticeSends
 * returns at once once planning is done.
 */
export function noticeToPlan(record: DynamoDBRecord): NoticeRef | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'MODIFY' || image?.entity?.S !== 'Notice' || image.status?.S !== 'sending') return undefined;
  const incidentId = image.incidentId?.S;
  const noticeId = image.noticeId?.S;
  return incidentId && noticeId ? { incidentId, noticeId } : undefined;
}

/**
 * Fed by the table's stream when a notice starts sending: streams the list from S3 into the send queue
 * (bounded memory at any size), then records how many sends were queued. Each record is seen at least
 * once; planning again re-queues chunks whose sends are idempotent.
 */
export function makePlanNoticeSendsHandler(deps: NoticeDeliveryDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler((event) =>
    settleRecords(
      event.Records,
      noticeToPlan,
      async (ref) => {
        try {
          const result = await planNoticeSends(deps, ref);
          logger.info('notice sends planned', { ...ref, ...result });
        } catch (error) {
          // The stored list is not the approved one: nothing was queued, and no retry will change that.
          if (!(error instanceof RecipientListChangedError)) throw error;
          logger.error('planning refused: the stored recipient list is not the approved list', { ...ref, error: error.name, approvedHash: error.approvedHash, storedHash: error.storedHash });
        }
      },
      (ref, error) => logger.error('planning failed', { ...ref, error: (error as Error).name, reason: (error as Error).message }),
    ),
  );
}

/**
 * The recipient list in S3 (read and deleted: no upload code here) and the send queue, each with its AWS client
 * imported on first use (ADR 0018): an invocation that plans a list needs both, one for a notice whose planning
 * is done (later changes of a sending notice reach this function too) needs neither.
 */
const sendQueue = (queueUrl: string) =>
  onFirstUse<SendQueue>(async () => {
    const [{ SQSClient }, { SqsSendQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('../adapters/notices/sqs-send-queue.js')]);
    return new SqsSendQueue(new SQSClient({}), queueUrl);
  }, ['enqueue']);

const coldStart = once(() => {
  const runtime = buildOfficerRuntime();
  const n = runtime.config.notices;
  return makePlanNoticeSendsHandler(
    noticeDeps(runtime, {
      lists: recipientListsOnFirstUse(required(n.recipientBucket, 'RECIPIENT_BUCKET'), ['open', 'delete']),
      queue: sendQueue(required(n.sendQueueUrl, 'SEND_QUEUE_URL')),
    }),
  );
});

export const handler = (event: DynamoDBStreamEvent, context: Context) => coldStart()(event, context);
