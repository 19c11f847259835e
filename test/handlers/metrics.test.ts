import type { SweepReport } from '../../lambdas/app/sweep-due-timers.js';
import { jest } from '@jest/globals';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeIngestHandler } from '../../lambdas/handlers/ingest-alert.handler.js';
import { makeSweepHandler } from '../../lambdas/handlers/sweep-due-timers.handler.js';
import { metrics } from '../../lambdas/handlers/middleware/metrics.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, RecordingSender, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext } from '../support/http-events.js';

/** Issue 11.11: what operators alarm on is counted (EMF through Powertools), per invocation. */
describe('metrics', () => {
  let added: [string, number][];
  beforeEach(() => {
    added = [];
    jest.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      added.push([name, value]);
      return metrics;
    });
  });
  afterEach(() => jest.restoreAllMocks());
  const total = (name: string) => added.filter(([n]) => n === name).reduce((sum, [, v]) => sum + v, 0);

  it('counts alerts ingested and incidents opened', async () => {
    const { store } = await freshTable();
    const clock = new FakeClock(T0);
    const handler = makeIngestHandler({ ingest: { store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, credentials: async () => ({ tokens: ['t'], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }), maxBodyBytes: 262_144, snsAllowedTopicArns: [] });
    const post = (body: unknown) => handler(httpEvent('POST', '/alerts/generic', { body, headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, routeKey: 'POST /alerts/{source}', pathParameters: { source: 'generic' } }), lambdaContext);
    const alert = { title: 'Exfiltration', severity: 'high', fingerprint: 'db/x', observedAt: T0.toISOString() };
    await post(alert);
    await post(alert); // attaches to the incident the first opened
    await post({ ...alert, fingerprint: 'db/y' });
    expect(total('IncidentsOpened')).toBe(2);
    expect(total('AlertsIngested')).toBe(3);
  });

  it('counts every completed sweep (an empty one too), the steps fired and the legal clocks that went overdue', async () => {
    const { store } = await freshTable();
    const clock = new FakeClock(T0);
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Card data exposure', severity: 'critical', observedAt: T0.toISOString() });
    const sender = new RecordingSender();
    const sweep = makeSweepHandler({ store, clock, ladder: DEFAULT_LADDER, dispatch: { outbox: store, sender, clock } });
    await sweep({}, lambdaContext);
    expect(total('SweepsCompleted')).toBe(1);
    expect(total('LegalClocksOverdue')).toBe(0);
    clock.set(hoursAfter(T0, 73));
    const report = (await sweep({}, lambdaContext)) as SweepReport;
    expect(report.overdue).toBe(1);
    expect(total('SweepsCompleted')).toBe(2);
    expect(total('EscalationsFired')).toBe(report.fired);
    expect(total('LegalClocksOverdue')).toBe(1);
  });
});
