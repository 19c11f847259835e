import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { makeDispatchHandler } from '../../lambdas/handlers/dispatch-outbox.handler.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { PermanentDeliveryError, RetryLaterError } from '../../lambdas/ports/message-sender.js';
import { dispatchOutboxMessage } from '../../lambdas/app/dispatch-outbox.js';
import { sweepDueTimers } from '../../lambdas/app/sweep-due-timers.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, RecordingSender, sequentialIds } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';
import { lambdaContext } from '../support/http-events.js';

function record(eventName: 'INSERT' | 'MODIFY', image: Record<string, unknown>, sequence: string): DynamoDBRecord {
  return { eventName, dynamodb: { SequenceNumber: sequence, NewImage: marshall(image) as never } };
}

describe('dispatcher (DynamoDB stream consumer)', () => {
  let store: DynamoIncidentStore;
  let sender: RecordingSender;
  let clock: FakeClock;
  let image: Record<string, unknown>;

  beforeEach(async () => {
    ({ store } = await freshTable());
    clock = new FakeClock(T0);
    sender = new RecordingSender();
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'x', severity: 'low', observedAt: T0.toISOString() });
    const message = (await store.getIncidentDetail('INC-T-1'))!.messages[0]!;
    image = { PK: 'INC#INC-T-1', SK: `MSG#${message.messageId}`, entity: 'Outbox', incidentId: 'INC-T-1', messageId: message.messageId };
  });

  it('delivers a new outbox item once, even when the stream hands the record over again', async () => {
    const handler = makeDispatchHandler({ outbox: store, sender, clock });
    const event = { Records: [record('INSERT', image, '1'), record('INSERT', { ...image, entity: 'Timer' }, '2'), record('MODIFY', image, '3')] };
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(sender.sent).toHaveLength(1);
    expect((await store.getMessage('INC-T-1', image.messageId as string))!.status).toBe('delivered');
  });

  it('reports a failed delivery by sequence number and schedules a retry', async () => {
    sender.failNext = 1;
    const handler = makeDispatchHandler({ outbox: store, sender, clock });
    expect(await handler({ Records: [record('INSERT', image, '42')] }, lambdaContext)).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
    const stored = await store.getMessage('INC-T-1', image.messageId as string);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: simulated outage' });
  });

  it('gives up at once on a permanent failure and reports it for the on-failure destination', async () => {
    const handler = makeDispatchHandler({
      outbox: store,
      sender: { send: async () => { throw new PermanentDeliveryError('No Slack webhook is configured'); } },
      clock,
    });
    expect(await handler({ Records: [record('INSERT', image, '7')] }, lambdaContext)).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect((await store.getMessage('INC-T-1', image.messageId as string))!.status).toBe('failed');
  });

  it('issue 15.3: a Slack outage then a 429 delays the message, never drops it: stream retries wait for the retry time, Retry-After is honoured', async () => {
    // Slack is down for ten minutes, then answers 429 "retry after 3600 s", then recovers.
    const attemptsAt: number[] = [];
    const flaky = {
      send: async (m: { messageId: string }) => {
        const minutes = (clock.now().getTime() - T0.getTime()) / 60_000;
        if (m.messageId === image.messageId) attemptsAt.push(minutes);
        if (minutes < 10) throw new Error('connect ECONNREFUSED slack.com');
        if (minutes < 60) throw new RetryLaterError('Slack chat.update rate limited: retry after 3600 s', 3_600_000);
        return { providerMessageId: `ts-${m.messageId}` };
      },
    };
    const handler = makeDispatchHandler({ outbox: store, sender: flaky, clock });
    const stream = () => handler({ Records: [record('INSERT', image, '1')] }, lambdaContext);
    const messageId = image.messageId as string;
    const sweep = () => sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: (incidentId, id) => dispatchOutboxMessage({ outbox: store, sender: flaky, clock }, incidentId, id).then(() => undefined, () => undefined) });

    expect((await stream()).batchItemFailures).toHaveLength(1);
    // Lambda retries the stream record at once, several times: none of them burns an attempt before its time.
    for (let i = 0; i < 5; i++) expect((await stream()).batchItemFailures).toHaveLength(0);
    expect(attemptsAt).toEqual([0]);
    // Minute by minute for an hour and a half: the clock re-drives the message when each retry is due.
    for (let minute = 1; minute <= 90; minute++) {
      clock.set(new Date(T0.getTime() + minute * 60_000));
      await sweep();
    }
    const message = (await store.getIncidentDetail('INC-T-1'))!.messages.find((m) => m.messageId === messageId)!;
    expect(message.status).toBe('delivered');
    expect(message.attempts).toBeLessThan(8);
    // Down until minute 10 (backoff 30 s, 1, 2, 4, 8 min; swept once a minute), a 429 at 16 asking for an
    // hour (longer than the 16-minute backoff): the next attempt at 76, delivered.
    expect(attemptsAt).toEqual([0, 1, 2, 4, 8, 16, 76]);
  });
});
