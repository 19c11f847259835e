import { AttachBatcher } from '../../lambdas/app/attach-batcher.js';
import { FingerprintCache } from '../../lambdas/app/fingerprint-cache.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert, type IngestDeps, type NormalisedAlert } from '../../lambdas/app/ingest-alert.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';

describe('alert storms: group commit and the fingerprint cache on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
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
    ({ store } = await freshTable());
    transactions = 0;
    const counting = {
      attachAlert: (a: Parameters<DynamoIncidentStore['attachAlert']>[0]) => (transactions++, store.attachAlert(a)),
      attachAlerts: (a: Parameters<DynamoIncidentStore['attachAlerts']>[0]) => (transactions++, store.attachAlerts(a)),
    };
    deps = {
      store,
      clock: new FakeClock(T0),
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
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(31);
  });

  it('a stale cached fingerprint after a dismissal opens a new incident instead of attaching to the dismissed one', async () => {
    await ingestAlert(deps, alert());
    await ingestAlert(deps, alert());
    await actOnIncident({ store, clock: deps.clock, ladder: DEFAULT_LADDER }, 'INC-T-1', { type: 'dismiss', reason: 'Planned penetration test' }, 'bob');
    const next = await ingestAlert(deps, alert());
    expect(next).toMatchObject({ outcome: 'opened', incidentId: 'INC-T-2' });
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(2);
  });
});
