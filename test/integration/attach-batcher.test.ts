import { AttachBatcher } from '../../lambdas/app/attach-batcher.js';
import { FingerprintCache } from '../../lambdas/app/fingerprint-cache.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert, type IngestDeps, type NormalisedAlert } from '../../lambdas/app/ingest-alert.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';

describe('alert storms: group commit, the fingerprint cache and the alert stream\'s count on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let clock: FakeClock;
  let deps: IngestDeps;
  let transactions: number;

  const alert = (overrides: Partial<NormalisedAlert> = {}): NormalisedAlert => ({
    source: 'generic',
    fingerprint: 'storm',
    title: 'Credential stuffing',
    severity: 'high',
    observedAt: T0.toISOString(),
    ...overrides,
  });

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    clock = new FakeClock(T0);
    transactions = 0;
    const counting = {
      attachAlert: (a: Parameters<DynamoIncidentStore['attachAlert']>[0]) => (transactions++, store.attachAlert(a)),
      attachAlerts: (a: Parameters<DynamoIncidentStore['attachAlerts']>[0]) => (transactions++, store.attachAlerts(a)),
    };
    deps = {
      store,
      clock,
      ids: sequentialIds(),
      ladder: DEFAULT_LADDER,
      routing: DEFAULT_ROUTING,
      fingerprints: new FingerprintCache(),
      batcher: new AttachBatcher(counting),
    };
  });

  it('counts 300 concurrent alerts exactly, in far fewer transactions than alerts', async () => {
    await ingestAlert(deps, alert());
    const results = await Promise.all(Array.from({ length: 300 }, () => ingestAlert(deps, alert())));
    expect(results.every((r) => r.outcome === 'attached' && r.incidentId === 'INC-T-1')).toBe(true);
    await drainAlertStream(tableName, doc);
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.incident.alertCount).toBe(301);
    expect(transactions).toBeLessThan(100);
  });

  it('a repeated delivery inside a batch is found out alone; the rest of the batch is counted', async () => {
    await ingestAlert(deps, alert({ senderEventId: 'e-0' }));
    const results = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => ingestAlert(deps, alert({ senderEventId: `e-${i + 1}` }))),
      ingestAlert(deps, alert({ senderEventId: 'e-0' })),
    ]);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'attached')).toHaveLength(30);
    await drainAlertStream(tableName, doc);
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(31);
  });

  it('an alert that reaches an incident after its dismissal (a stale cached fingerprint) is placed again by the alert stream: it opens a new incident, and counts nothing on the dismissed one', async () => {
    await ingestAlert(deps, alert());
    await ingestAlert(deps, alert());
    clock.advanceMinutes(1);
    await actOnIncident({ store, clock: deps.clock, ladder: DEFAULT_LADDER }, 'INC-T-1', { type: 'dismiss', reason: 'Planned penetration test' }, 'bob');
    clock.advanceMinutes(1);
    // The cache still names INC-T-1 (5 s on a real clock), and the hot path has no condition on the incident.
    const late = await ingestAlert(deps, alert({ title: 'Credential stuffing, second wave' }));
    expect(late).toMatchObject({ outcome: 'attached', incidentId: 'INC-T-1' });
    await drainAlertStream(tableName, doc, deps);
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(2);
    const kept = (await store.listIncidentAlerts('INC-T-1', { limit: 10, order: 'newest' })).alerts.find((a) => a.alertId === late.alertId)!;
    expect(kept).toMatchObject({ movedTo: { incidentId: 'INC-T-2' } });
    expect(await store.getIncident('INC-T-2')).toMatchObject({ status: 'detected', title: 'Credential stuffing, second wave', alertCount: 1 });
    expect((await store.listOpenIncidents()).map((i) => i.id)).toEqual(['INC-T-2']);
  });
});
