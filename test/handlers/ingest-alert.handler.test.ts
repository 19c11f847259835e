import { makeIngestHandler } from '../../lambdas/handlers/ingest-alert.handler.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';
import first from '../events/generic/first-alert.json' with { type: 'json' };

const TOKEN = 'ingest-token-current';
const OLD_TOKEN = 'ingest-token-previous';

describe('POST /alerts/{source}', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let handler: ReturnType<typeof makeIngestHandler>;

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(T0), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      credentials: async () => ({ tokens: [TOKEN, OLD_TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: 4096,
      snsAllowedTopicArns: [],
    });
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, source = 'generic') =>
    handler(httpEvent('POST', `/alerts/${source}`, { body, headers, routeKey: 'POST /alerts/{source}', pathParameters: { source } }), lambdaContext);

  it('answers 202 with the alert and incident ids; the same fingerprint again is counted, a retried delivery is not', async () => {
    const opened = await post(first);
    expect(opened.statusCode).toBe(202);
    expect(parse(opened)).toMatchObject({ alertId: 'ALR-1', incidentId: 'INC-T-1', deduplicated: false, duplicateDelivery: false, outcome: 'opened', accepted: 1 });
    const again = await post({ ...first, id: 'evt-0002' }, { authorization: `Bearer ${OLD_TOKEN}` });
    expect(parse(again)).toMatchObject({ incidentId: 'INC-T-1', deduplicated: true, duplicateDelivery: false });
    const retried = await post(first);
    expect(parse(retried)).toMatchObject({ alertId: 'ALR-1', incidentId: 'INC-T-1', deduplicated: true, duplicateDelivery: true, outcome: 'duplicate' });
    await drainAlertStream(tableName, doc);
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(2);
  });

  it('keeps numbers in details that DynamoDB cannot hold as a JS number (beyond ±2^53−1) as text: found by the fuzz suite, a 500 before', async () => {
    const result = await post({ ...first, id: 'evt-big', details: { database: -9007199254740992, rows: 1e20, fine: 120000, tiny: 1e-200 } });
    expect(result.statusCode).toBe(202);
    const [alert] = (await store.getIncidentDetail('INC-T-1'))!.recentAlerts;
    expect(alert!.details).toEqual({ database: '-9007199254740992', rows: '100000000000000000000', fine: 120000, tiny: '1e-200' });
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['a non-bearer scheme', { authorization: `Basic ${TOKEN}` }],
  ])('refuses %s with 401 and writes nothing', async (_name, headers) => {
    const result = await post(first, headers as Record<string, string>);
    expect(result.statusCode).toBe(401);
    expect(parse(result).error.code).toBe('unauthorized');
    expect(await store.listOpenIncidents()).toHaveLength(0);
  });

  it('says what is wrong and where on an invalid alert, and writes nothing', async () => {
    const result = await post({ title: '', severity: 'urgent', fingerprint: 'x', occurredAt: '23/11/2026', extra: true });
    expect(result.statusCode).toBe(400);
    const { error } = parse(result);
    expect(error.code).toBe('invalid_format');
    expect(error.message).toMatch(/Not a valid breachclock generic alert payload for source "generic"/);
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'severity', 'occurredAt', '(body)']));
    expect(error.details).toContainEqual({ path: '(body)', message: 'Unrecognized key: "extra"' });
    expect(await store.listOpenIncidents()).toHaveLength(0);
  });

  it('requires occurredAt or observedAt', async () => {
    const { occurredAt: _o, ...withoutTimes } = first;
    const result = await post(withoutTimes);
    expect(result.statusCode).toBe(400);
    expect(parse(result).error.details[0]).toMatchObject({ path: 'occurredAt', message: expect.stringMatching(/observedAt/) });
  });

  it('rejects malformed JSON with 400, an oversized body with 413, an unknown source with 404', async () => {
    expect(parse(await post('{"title": ')).error.code).toBe('invalid_json');
    const big = await post({ ...first, details: { blob: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(parse(big).error.message).toMatch(/limit is 4096 bytes/);
    const unknown = await post(first, { authorization: `Bearer ${TOKEN}` }, 'nagios');
    expect(unknown.statusCode).toBe(404);
    expect(parse(unknown).error.message).toMatch(/supported: generic, alertmanager, grafana, datadog, cloudwatch, guardduty, securityhub, sentry, pagerduty/);
  });
});
