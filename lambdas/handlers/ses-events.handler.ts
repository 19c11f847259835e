import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import type { NoticeDeliveryDeps } from '../app/notices.js';
import { recordProviderEvent } from '../app/notice-provider-events.js';
import { sesEventSchema } from '../contracts/ses-event.js';
import { logger } from '../shared/logger.js';
import { DynamoDeliveryStore } from '../adapters/dynamo/dynamo-delivery-store.js';
import { buildOfficerRuntime } from './runtime.js';
import { once } from '../domain/once.js';

/**
 * SES configuration-set events (delivery, bounce, complaint) through the SNS topic: each is recorded on the
 * recipient it belongs to (matched by the SES message id). Lambda's own retries cover an outage; an event
 * for a message that is not ours is ignored.
 */
export function makeSesEventsHandler(deps: Pick<NoticeDeliveryDeps, 'deliveries' | 'clock'>) {
  return middy<SNSEvent, void>().handler(async (event) => {
    const counts = { recorded: 0, ignored: 0, 'unknown-message': 0, invalid: 0 };
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.Sns.Message);
      } catch {
        body = undefined;
      }
      const parsed = sesEventSchema.safeParse(body);
      if (!parsed.success) {
        counts.invalid++;
        continue;
      }
      counts[await recordProviderEvent(deps, parsed.data)]++;
    }
    logger.info('ses events', counts);
  });
}

const coldStart = once(() => {
  const runtime = buildOfficerRuntime();
  return makeSesEventsHandler({ deliveries: new DynamoDeliveryStore(runtime.doc, runtime.config.tableName), clock: runtime.clock });
});

export const handler = (event: SNSEvent, context: Context) => coldStart()(event, context);
