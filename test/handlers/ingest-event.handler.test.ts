import type { EventBridgeEvent } from 'aws-lambda';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { PayloadFormatError } from '../../lambdas/domain/alert.js';
import { makeEventIngestHandler, UnsupportedEventError } from '../../lambdas/handlers/ingest-event.handler.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { lambdaContext } from '../support/http-events.js';
import gdExfil from '../events/guardduty/eventbridge-exfiltration.json' with { type: 'json' };
import shImported from '../events/securityhub/eventbridge-imported.json' with { type: 'json' };

const asEvent = (value: unknown) => value as EventBridgeEvent<string, unknown>;

describe('EventBridge → ingest (GuardDuty, Security Hub)', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let handler: ReturnType<typeof makeEventIngestHandler>;

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    handler = makeEventIngestHandler({
      ingest: { store, clock: new FakeClock(new Date('2026-11-23T03:00:00Z')), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
    });
  });

  it('opens from a GuardDuty finding event; EventBridge redelivering the same event changes nothing', async () => {
    const [first] = await handler(asEvent(gdExfil), lambdaContext);
    const [again] = await handler(asEvent(gdExfil), lambdaContext);
    expect(first).toMatchObject({ outcome: 'opened', incidentId: 'INC-T-1' });
    expect(again).toMatchObject({ outcome: 'duplicate', incidentId: 'INC-T-1' });
    // A new occurrence of the same finding (new event id) attaches to the same incident.
    const [next] = await handler(asEvent({ ...gdExfil, id: 'new-event', detail: { ...gdExfil.detail, service: { ...gdExfil.detail.service, count: 2 } } }), lambdaContext);
    expect(next).toMatchObject({ outcome: 'attached', incidentId: 'INC-T-1' });
    await drainAlertStream(tableName, doc);
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(2);
  });

  it('opens from a Security Hub findings event', async () => {
    expect(await handler(asEvent(shImported), lambdaContext)).toEqual([expect.objectContaining({ outcome: 'opened' })]);
  });

  it('throws (so EventBridge retries, then dead-letters) on unsupported or malformed events', async () => {
    await expect(handler(asEvent({ ...gdExfil, source: 'aws.ec2' }), lambdaContext)).rejects.toThrow(UnsupportedEventError);
    await expect(handler(asEvent({ ...gdExfil, detail: { id: 'x' } }), lambdaContext)).rejects.toThrow(PayloadFormatError);
  });
});
