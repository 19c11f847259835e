import type { DynamoDBRecord } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { makeDispatchHandler } from '../../lambdas/handlers/dispatch-outbox.handler.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { PermanentDeliveryError } from '../../lambdas/ports/message-sender.js';
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
});
