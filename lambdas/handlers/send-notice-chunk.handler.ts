import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { NoticeDeliveryDeps } from '../app/notices.js';
import { sendChunk } from '../app/notice-sending.js';
import { sendChunkSchema } from '../contracts/send-chunk.js';
import { logger } from '../shared/logger.js';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesEmailSender } from '../adapters/notices/ses-email-sender.js';
import { TokenBucket } from '../adapters/notices/token-bucket.js';
import type { LetterWriter } from '../ports/letters.js';
import type { SmsSender } from '../ports/notice-delivery.js';
import { onFirstUse } from './on-first-use.js';
import { recipientListsOnFirstUse } from './recipient-lists-on-first-use.js';
import { noticeDeps, required, type NoticeAdapters } from './notice-runtime.js';
import type { Config } from '../shared/config.js';
import { buildOfficerRuntime } from './runtime.js';
import { once } from '../domain/once.js';

/**
 * SQS consumer of the send queue, with a bounded maximum concurrency (the SES rate is shared by the
 * concurrent instances). A chunk that fails transiently is reported alone (ReportBatchItemFailures): SQS
 * redelivers it after the visibility timeout, and after maxReceiveCount it reaches the dead-letter queue and
 * its alarm. Recipients already sent are no-ops on redelivery.
 */
export function makeSendNoticeChunkHandler(deps: NoticeDeliveryDeps) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const chunk = sendChunkSchema.safeParse(body);
      if (!chunk.success) {
        // Not ours or damaged: retrying cannot help; the DLQ keeps it for an operator.
        logger.error('invalid send chunk', { messageId: record.messageId });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        const report = await sendChunk(deps, chunk.data);
        logger.info('send chunk', { noticeId: chunk.data.noticeId, index: chunk.data.index, ...report });
      } catch (error) {
        logger.warn('send chunk to retry', { noticeId: chunk.data.noticeId, index: chunk.data.index, error: (error as Error).name, reason: (error as Error).message });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}

/**
 * Letters through the render function, with the Lambda client imported on the first letter: most chunks are
 * emails and SMS, so the client is a chunk apart from the cold start (code splitting, ADR 0018 session 11).
 */
const lambdaLetters = (functionName: string) =>
  onFirstUse<LetterWriter>(async () => {
    const [{ LambdaClient }, { LambdaLetterWriter }] = await Promise.all([import('@aws-sdk/client-lambda'), import('../adapters/letters/lambda-letter-writer.js')]);
    return new LambdaLetterWriter(new LambdaClient({}), functionName);
  }, ['write', 'writeBatch']);

/**
 * SMS through SNS, with the SNS client imported on the first text message (ADR 0018): a chunk of people who all
 * have an email address (or a postal one) never loads it.
 */
const snsSms = (senderId: string | undefined) =>
  onFirstUse<SmsSender>(async () => {
    const [{ SNSClient }, { SnsSmsSender }] = await Promise.all([import('@aws-sdk/client-sns'), import('../adapters/notices/sns-sms-sender.js')]);
    return new SnsSmsSender(new SNSClient({}), senderId ? { senderId } : {});
  }, ['send']);

/**
 * The sender's adapters on AWS: SES for email, SNS for SMS and S3 for deleting a completed notice's list, each
 * client built on first use where only some chunks need it, and the letter renderer when one is configured.
 */
export function senderAdapters(n: Config['notices'], letterFunctionName = process.env.LETTER_FUNCTION_NAME): NoticeAdapters {
  return {
    email: new SesEmailSender(new SESv2Client(n.sesEndpoint ? { endpoint: n.sesEndpoint } : {}), {
      from: required(n.fromEmail, 'NOTICE_FROM_EMAIL'),
      ...(n.configurationSet ? { configurationSet: n.configurationSet } : {}),
      ...(n.replyTo ? { replyTo: n.replyTo } : {}),
    }),
    sms: snsSms(n.smsSenderId),
    // The chunk that completes a notice deletes its list: the delivery records are the proof, the addresses go.
    lists: recipientListsOnFirstUse(required(n.recipientBucket, 'RECIPIENT_BUCKET'), ['delete']),
    // The account's rate is shared by the concurrent senders (the event source's maximum concurrency).
    rate: new TokenBucket(n.sesSendRate / n.sendConcurrency),
    // Letters (issue 26.5): rendered by the render function, which alone bundles pdf-lib (ADR 0019).
    ...(letterFunctionName ? { letters: lambdaLetters(letterFunctionName) } : {}),
  };
}

const coldStart = once(() => {
  const runtime = buildOfficerRuntime();
  return makeSendNoticeChunkHandler(noticeDeps(runtime, senderAdapters(runtime.config.notices)));
});

export const handler = (event: SQSEvent, context: Context) => coldStart()(event, context);
