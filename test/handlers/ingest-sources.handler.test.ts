import { createHmac } from 'node:crypto';
import { CertificateUnavailableError, SnsMessageVerifier } from '../../lambdas/adapters/sns-message-verifier.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING, DEFAULT_ROUTING_CONFIG, parseRoutingRules } from '../../lambdas/domain/routing.js';
import { AttachBatcher } from '../../lambdas/app/attach-batcher.js';
import { DynamoAlertBatchQueue } from '../../lambdas/adapters/dynamo/dynamo-alert-batch-queue.js';
import { makeIngestBatchHandler } from '../../lambdas/handlers/ingest-batch.handler.js';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { FingerprintCache } from '../../lambdas/app/fingerprint-cache.js';
import { makeIngestHandler } from '../../lambdas/handlers/ingest-alert.handler.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';
import { signSns, snsTestCertificate } from '../support/sns.js';
import amGroup from '../events/alertmanager/group-firing.json' with { type: 'json' };
import amResolved from '../events/alertmanager/resolved.json' with { type: 'json' };
import grafana from '../events/grafana/firing.json' with { type: 'json' };
import ddRecommended from '../events/datadog/recommended-template.json' with { type: 'json' };
import ddRecovered from '../events/datadog/recommended-recovered.json' with { type: 'json' };
import cwAlarm from '../events/cloudwatch/alarm-notification.json' with { type: 'json' };
import cwOk from '../events/cloudwatch/alarm-ok.json' with { type: 'json' };
import cwCpu from '../events/cloudwatch/cpu-alarm.json' with { type: 'json' };
import cwSubscription from '../events/cloudwatch/subscription-confirmation.json' with { type: 'json' };
import gdExfil from '../events/guardduty/eventbridge-exfiltration.json' with { type: 'json' };
import gdRecon from '../events/guardduty/eventbridge-recon-low.json' with { type: 'json' };
import shImported from '../events/securityhub/eventbridge-imported.json' with { type: 'json' };
import sentryEvent from '../events/sentry/event-alert-triggered.json' with { type: 'json' };
import pdTrigger from '../events/pagerduty/trigger.json' with { type: 'json' };
import pdResolve from '../events/pagerduty/resolve.json' with { type: 'json' };
import pdWebhook from '../events/pagerduty/webhook-v3-triggered.json' with { type: 'json' };

const TOKEN = 'ingest-token';
const SENTRY_SECRET = 'sentry-client-secret';
const PD_WEBHOOK_SECRET = 'pd-webhook-subscription-secret';
/** Just after the fixtures' events (their observation times must lie in the past). */
const NOW = new Date('2026-11-23T03:00:00Z');
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:breachclock-alarms';

describe('POST /alerts/{source} for every monitoring tool', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let handler: ReturnType<typeof makeIngestHandler>;
  let confirmed: string[];
  /** The incident once the alert stream has counted its attached alerts (ADR 0011). */
  const counted = async (id: string) => {
    await drainAlertStream(tableName, doc);
    return (await store.getIncident(id))!;
  };

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    confirmed = [];
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: ['old-secret', SENTRY_SECRET], pagerdutyRoutingKeys: [pdTrigger.routing_key], pagerdutyWebhookSecrets: [PD_WEBHOOK_SECRET] }),
      maxBodyBytes: 1_048_576,
      snsAllowedTopicArns: [TOPIC],
      snsVerifier: new SnsMessageVerifier(async () => snsTestCertificate),
      securityNow: () => new Date('2026-11-23T03:35:00Z'), // the real clock: the fixtures' SNS times run to 03:31
      confirmSubscription: async (url) => {
        confirmed.push(url);
      },
    });
  });

  const post = async (source: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const result = await handler(
      httpEvent('POST', `/alerts/${source}`, { body, headers: { 'content-type': 'application/json', ...headers }, routeKey: 'POST /alerts/{source}', pathParameters: { source } }),
      lambdaContext,
    );
    return { status: result.statusCode, body: parse(result) };
  };

  it('edges (issue 15.4, 15.6): authentication before parsing; Sentry without its resource header; SNS unreachable is a 503 with Retry-After', async () => {
    // An unauthenticated caller learns nothing about the parser: 401 for garbage, as for a valid body.
    expect((await post('generic', '{not json', {})).status).toBe(401);
    expect((await post('pagerduty', '{not json', {})).status).toBe(401);
    const raw = JSON.stringify(sentryEvent);
    const signature = createHmac('sha256', SENTRY_SECRET).update(raw).digest('hex');
    const noResource = await post('sentry', raw, { 'sentry-hook-signature': signature });
    expect(noResource.status).toBe(400);
    expect(noResource.body.error.details).toEqual([expect.objectContaining({ path: 'headers.sentry-hook-resource' })]);

    const offline = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: 262_144,
      snsAllowedTopicArns: [TOPIC],
      snsVerifier: new SnsMessageVerifier(async () => {
        throw new CertificateUnavailableError('Could not fetch the SNS signing certificate: fetch failed');
      }),
      confirmSubscription: async () => undefined,
    });
    const result = await offline(httpEvent('POST', '/alerts/cloudwatch', { body: signSns(cwAlarm), headers: { 'content-type': 'text/plain; charset=UTF-8' }, routeKey: 'POST /alerts/{source}', pathParameters: { source: 'cloudwatch' } }), lambdaContext);
    expect(result.statusCode).toBe(503);
    expect(result.headers!['retry-after']).toBe('30');
  });

  it('Alertmanager: a group opens one incident (its groupKey), each alert counted once; a repeat notification counts nothing; the resolution is noted on the incident, which stays open (issue 12)', async () => {
    const opened = await post('alertmanager', amGroup);
    expect(opened.status).toBe(202);
    expect(opened.body.accepted).toBe(2);
    expect(opened.body.results.map((r: { outcome: string; rule: string; incidentId: string }) => [r.outcome, r.rule, r.incidentId])).toEqual([
      ['opened', 'labelled-breach-candidate', 'INC-T-1'],
      ['attached', 'labelled-breach-candidate', 'INC-T-1'],
    ]);
    // Alertmanager's repeat_interval (or its retry after a timeout) sends the same group again.
    const repeated = await post('alertmanager', amGroup);
    expect(repeated.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect((await counted('INC-T-1')).alertCount).toBe(2);
    const resolved = await post('alertmanager', amResolved);
    expect(resolved.body).toMatchObject({ incidentId: 'INC-T-1', outcome: 'noted' });
    await drainAlertStream(tableName, doc);
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.incident).toMatchObject({ status: 'detected', lastSourceStatus: { status: 'resolved', source: 'alertmanager' }, alertCount: 2 });
    expect(detail!.timeline.map((e) => e.type)).toEqual(['incident.opened', 'alert.resolved']);
    expect(await store.listOpenIncidents()).toHaveLength(1);
    expect(detail!.messages.map((m) => m.messageId)).toContain('INC-T-1.alert.resolved.v2.slack');
    expect((await post('alertmanager', amGroup, {})).status).toBe(401);
  });

  it('one attack, one incident (issue 12): a 1,000-alert Alertmanager group is one incident with 1,000 alerts; its repeat counts nothing', async () => {
    const big = {
      ...amGroup,
      alerts: Array.from({ length: 1_000 }, (_, i) => ({ ...amGroup.alerts[0]!, fingerprint: `cs-${i.toString(16).padStart(6, '0')}`, labels: { ...amGroup.alerts[0]!.labels, instance: `web-${i}:443` } })),
    };
    const body = JSON.stringify(big);
    expect(body.length).toBeGreaterThan(262_144); // larger than the old default body limit
    // As the runtime builds it: with the fingerprint cache and the attach batcher (group commit).
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, fingerprints: new FingerprintCache(), batcher: new AttachBatcher(store) },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: 1_048_576,
      snsAllowedTopicArns: [],
    });
    // (How fast: npm run bench:storm, docs/benchmarks.md.)
    const first = await post('alertmanager', body);
    expect(first.status).toBe(202);
    const outcomes = (first.body.results as { outcome: string; incidentId: string }[]).reduce<Record<string, number>>((n, r) => ({ ...n, [r.outcome]: (n[r.outcome] ?? 0) + 1 }), {});
    expect(outcomes).toEqual({ opened: 1, attached: 999 });
    const again = await post('alertmanager', body);
    expect((again.body.results as { outcome: string }[]).every((r) => r.outcome === 'duplicate')).toBe(true);
    await drainAlertStream(tableName, doc);
    const open = await store.listOpenIncidents();
    expect(open).toHaveLength(1);
    expect(open[0]!.alertCount).toBe(1_000);
    // Paging follows the incident: one opening message, not one per alert.
    const detail = await store.getIncidentDetail(open[0]!.id);
    expect(detail!.messages.length).toBeLessThanOrEqual(2);
  }, 120_000);

  it('a large group is answered at once: the first alert placed, the rest persisted and placed from the stream, nothing counted twice (issue 12)', async () => {
    const batches = new DynamoAlertBatchQueue(doc, tableName);
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: 1_048_576,
      snsAllowedTopicArns: [],
      batches,
    });
    const big = { ...amGroup, alerts: Array.from({ length: 1_000 }, (_, i) => ({ ...amGroup.alerts[0]!, fingerprint: `q-${i}` })) };
    const answer = await post('alertmanager', big);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ accepted: 1_000, placed: 1, queued: 999, outcome: 'opened', incidentId: 'INC-T-1' });
    expect((await store.getIncident('INC-T-1'))!.alertCount).toBe(1);

    // What the table's stream hands the consumer: one INSERT per chunk (placed twice: a redelivered record).
    const chunksOf = async (batchId: string) => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `BATCH#${batchId}` }, ...(start ? { ExclusiveStartKey: start } : {}) }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const chunks = await chunksOf(answer.body.batchId);
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    const records = chunks.map((c, i) => ({ eventName: 'INSERT' as const, dynamodb: { SequenceNumber: String(i), NewImage: marshall({ entity: 'AlertBatch', batchId: c.batchId, chunk: c.chunk }) as never } }));
    const consumer = makeIngestBatchHandler({ ingest: { store, clock: new FakeClock(NOW), ids: { ...sequentialIds('INC-B'), alertId: ((n) => () => `ALR-B-${++n}`)(0) }, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, batches });
    // Chunks stay well under DynamoDB's 400 KB item limit and hold every queued alert.
    expect(chunks.every((c) => String(c.alerts).length <= 310_000)).toBe(true);
    expect(chunks.map((c) => JSON.parse(String(c.alerts)).length).reduce((a, b) => a + b, 0)).toBe(999);
    expect((await consumer({ Records: records }, lambdaContext)).batchItemFailures).toEqual([]);
    expect((await consumer({ Records: records }, lambdaContext)).batchItemFailures).toEqual([]);
    expect((await counted('INC-T-1')).alertCount).toBe(1_000);
    expect(await store.listOpenIncidents()).toHaveLength(1);
    // Placed chunks are removed; the same group sent again counts nothing.
    expect(await chunksOf(answer.body.batchId)).toEqual([]);
    const again = await post('alertmanager', big);
    expect(again.body).toMatchObject({ placed: 1, queued: 999, outcome: 'duplicate' });
  }, 120_000);

  it('a routing rule groups by its own keys (groupBy): alerts from different senders\' groups with the same alert name and cluster are one incident (issue 12)', async () => {
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: await parseRoutingRules([{ name: 'per-attack', when: { labels: { breach_candidate: 'true' } }, then: 'open', groupBy: ['alertname', 'cluster'] }, ...DEFAULT_ROUTING_CONFIG]) },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: 1_048_576,
      snsAllowedTopicArns: [],
    });
    const alert = (i: number, cluster: string) => ({ ...amGroup.alerts[0]!, fingerprint: `fp-${i}`, labels: { ...amGroup.alerts[0]!.labels, cluster, instance: `db-${i}` } });
    const a = await post('alertmanager', { ...amGroup, groupKey: 'route-a', alerts: [alert(1, 'eu'), alert(2, 'eu')] });
    const b = await post('alertmanager', { ...amGroup, groupKey: 'route-b', alerts: [alert(3, 'eu'), alert(4, 'us')] });
    const ids = [...a.body.results, ...b.body.results].map((r: { incidentId: string }) => r.incidentId);
    expect(ids.slice(0, 3)).toEqual(['INC-T-1', 'INC-T-1', 'INC-T-1']);
    expect(ids[3]).toBe('INC-T-2');
    expect((await counted('INC-T-1')).alertCount).toBe(3);
    await expect(parseRoutingRules([{ name: 'x', then: 'open', groupBy: [] }])).rejects.toThrow(/groupBy/);
  });

  it('Grafana: a security-labelled alert opens; a repeat notification of the same instance counts nothing; a new instance in the group attaches and counts', async () => {
    expect((await post('grafana', grafana)).body).toMatchObject({ outcome: 'opened', rule: 'security-category-label' });
    expect((await post('grafana', grafana)).body).toMatchObject({ outcome: 'duplicate', incidentId: 'INC-T-1' });
    const second = { ...grafana, alerts: [{ ...grafana.alerts[0]!, fingerprint: 'another-instance' }] };
    expect((await post('grafana', second)).body).toMatchObject({ outcome: 'attached', incidentId: 'INC-T-1', deduplicated: true });
    expect((await counted('INC-T-1')).alertCount).toBe(2);
  });

  it('Datadog: opens, notes the recovery, and ignores a retried notification with the same id', async () => {
    expect((await post('datadog', ddRecommended)).body).toMatchObject({ outcome: 'opened', incidentId: 'INC-T-1' });
    expect((await post('datadog', ddRecommended)).body).toMatchObject({ outcome: 'duplicate', duplicateDelivery: true, incidentId: 'INC-T-1' });
    expect((await post('datadog', ddRecovered)).body).toMatchObject({ outcome: 'noted', incidentId: 'INC-T-1' });
    expect((await counted('INC-T-1')).alertCount).toBe(1);
  });

  describe('CloudWatch alarms through SNS', () => {
    const sns = (body: unknown) => post('cloudwatch', body, { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' });

    it('refuses a validly signed message from outside the replay window (issue 11.5)', async () => {
      const old = await sns(signSns({ ...cwAlarm, Timestamp: '2026-11-22T03:30:00.000Z', MessageId: 'replayed-1' }));
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('stale_message');
      const future = await sns(signSns({ ...cwAlarm, Timestamp: '2026-11-23T04:00:00.000Z', MessageId: 'replayed-2' }));
      expect(future.status).toBe(401);
    });

    it('verifies the signature, opens for a breach-candidate alarm, is idempotent per MessageId, notes OK, records a CPU alarm', async () => {
      expect((await sns(signSns(cwAlarm))).body).toMatchObject({ outcome: 'opened', rule: 'described-breach-candidate' });
      expect((await sns(signSns(cwAlarm))).body).toMatchObject({ outcome: 'duplicate', incidentId: 'INC-T-1' });
      expect((await sns(signSns(cwOk))).body).toMatchObject({ outcome: 'noted', incidentId: 'INC-T-1' });
      expect((await sns(signSns(cwCpu))).body).toMatchObject({ outcome: 'recorded', incidentId: null });
      expect(await store.listOpenIncidents()).toHaveLength(1);
    });

    it('refuses unsigned or tampered messages (401) and topics not allowed (403), writing nothing', async () => {
      expect((await sns(cwAlarm)).status).toBe(401);
      const signed = signSns(cwAlarm);
      expect((await sns({ ...signed, Subject: 'changed' })).body.error.code).toBe('invalid_signature');
      const foreign = signSns({ ...cwAlarm, TopicArn: 'arn:aws:sns:eu-west-1:999999999999:other' });
      const refused = await sns(foreign);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/SNS_ALLOWED_TOPIC_ARNS/);
      expect(await store.listOpenIncidents()).toHaveLength(0);
    });

    it('confirms a subscription for an allowed topic by visiting its SubscribeURL', async () => {
      const result = await sns(signSns(cwSubscription));
      expect(result).toEqual({ status: 200, body: { confirmed: true, topicArn: TOPIC } });
      expect(confirmed).toEqual([cwSubscription.SubscribeURL]);
    });
  });

  it('GuardDuty: an exfiltration finding opens; a low port probe is only recorded', async () => {
    expect((await post('guardduty', gdExfil)).body).toMatchObject({ outcome: 'opened', rule: 'guardduty-breach-finding-types' });
    expect((await post('guardduty', gdRecon)).body).toMatchObject({ outcome: 'recorded', incidentId: null });
    const [incident] = await store.listOpenIncidents();
    expect(incident).toMatchObject({ severity: 'high', detectedAt: '2026-11-23T02:49:30.123Z', occurredAt: '2026-11-23T02:41:10.000Z' });
  });

  it('Security Hub: a HIGH finding opens', async () => {
    expect((await post('securityhub', shImported)).body).toMatchObject({ outcome: 'opened', rule: 'securityhub-high-and-critical' });
  });

  describe('Sentry', () => {
    const sentry = (body: unknown, secret = SENTRY_SECRET, resource = 'event_alert') => {
      const text = JSON.stringify(body);
      return post('sentry', text, { 'sentry-hook-resource': resource, 'sentry-hook-signature': createHmac('sha256', secret).update(text).digest('hex') });
    };

    it('accepts the HMAC signature of either configured client secret (rotation) and opens for a security-tagged issue', async () => {
      expect((await sentry(sentryEvent)).body).toMatchObject({ outcome: 'opened', rule: 'labelled-security' });
      const next = { ...sentryEvent, data: { ...sentryEvent.data, event: { ...sentryEvent.data.event, event_id: 'another-event' } } };
      expect((await sentry(next, 'old-secret')).body).toMatchObject({ outcome: 'attached', incidentId: 'INC-T-1' });
      expect((await sentry(next)).body).toMatchObject({ outcome: 'duplicate' });
    });

    it('refuses a wrong signature and acknowledges resources that carry no alert', async () => {
      const refused = await sentry(sentryEvent, 'wrong');
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toMatch(/Sentry-Hook-Signature/);
      expect(await sentry({ action: 'created', data: {} }, SENTRY_SECRET, 'installation')).toMatchObject({ status: 200, body: { ignored: true } });
    });
  });

  it('PagerDuty v3 webhooks (issue 11.4): X-PagerDuty-Signature is verified (either of two during a rotation); a bad or absent signature is refused; events without an alert are accepted and ignored', async () => {
    const raw = JSON.stringify(pdWebhook);
    const sign = (secret: string, body = raw) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
    // Unsigned, with no bearer token: refused (the v3 body has no routing key to fall back on).
    const unsigned = await post('pagerduty', raw, {});
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.message).toMatch(/X-PagerDuty-Signature/);
    expect((await post('pagerduty', raw, { 'x-pagerduty-signature': sign('another-secret') })).status).toBe(401);
    expect((await post('pagerduty', raw, { 'x-pagerduty-signature': 'v0=abc' })).status).toBe(401);
    // A signature of a different body (tampered in flight) is refused.
    expect((await post('pagerduty', raw.replace('customers', 'cust0mers'), { 'x-pagerduty-signature': sign(PD_WEBHOOK_SECRET) })).status).toBe(401);
    // A signed header with a wrong signature does not fall back to a valid bearer token.
    expect((await post('pagerduty', raw, { 'x-pagerduty-signature': sign('another-secret'), authorization: `Bearer ${TOKEN}` })).status).toBe(401);

    // By default a PagerDuty incident is recorded (an operations page is not a breach candidate by itself) …
    expect((await post('pagerduty', raw, { 'x-pagerduty-signature': sign(PD_WEBHOOK_SECRET) })).body).toMatchObject({ accepted: 1, outcome: 'recorded' });
    // … and a routing rule can open P1s (docs/sources.md).
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: await parseRoutingRules([{ name: 'pagerduty-p1', when: { source: ['pagerduty'], minSeverity: 'critical' }, then: 'open' }, ...DEFAULT_ROUTING_CONFIG]) },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [PD_WEBHOOK_SECRET] }),
      maxBodyBytes: 262_144,
      snsAllowedTopicArns: [],
    });
    const opened = await post('pagerduty', raw, { 'x-pagerduty-signature': `${sign('old-rotated-out')},${sign(PD_WEBHOOK_SECRET)}` });
    expect(opened.status).toBe(202);
    expect(opened.body).toMatchObject({ accepted: 1, outcome: 'opened' });
    const detail = await store.getIncidentDetail(opened.body.incidentId);
    expect(detail!.incident).toMatchObject({ title: 'Unusual bulk SELECT on customers table from a new client', severity: 'critical' });

    const resolved = JSON.stringify({ event: { ...pdWebhook.event, id: 'e2', event_type: 'incident.resolved', data: { ...pdWebhook.event.data, status: 'resolved' } } });
    expect((await post('pagerduty', resolved, { 'x-pagerduty-signature': sign(PD_WEBHOOK_SECRET, resolved) })).body).toMatchObject({ outcome: 'noted', incidentId: opened.body.incidentId });

    const note = JSON.stringify({ event: { id: 'e3', event_type: 'incident.annotated', resource_type: 'incident', data: { id: 'P2LA89X', type: 'incident_note', content: 'hello' } } });
    const ignored = await post('pagerduty', note, { 'x-pagerduty-signature': sign(PD_WEBHOOK_SECRET, note) });
    expect(ignored).toMatchObject({ status: 202, body: { accepted: 0 } });
  });

  it('PagerDuty Events v2: the routing key authenticates; trigger opens, resolve is noted; a wrong key is refused', async () => {
    expect((await post('pagerduty', pdTrigger, {})).body).toMatchObject({ outcome: 'opened', rule: 'security-class' });
    expect((await post('pagerduty', pdResolve, {})).body).toMatchObject({ outcome: 'noted', incidentId: 'INC-T-1' });
    expect((await post('pagerduty', { ...pdTrigger, routing_key: 'nope' }, {})).status).toBe(401);
    const raw = (await store.getIncidentDetail('INC-T-1'))!.recentAlerts.map((a) => a.raw).join('');
    expect(raw).not.toContain(pdTrigger.routing_key);
  });

  it('keeps the raw payload as evidence with the alert', async () => {
    await post('guardduty', gdExfil);
    const [alert] = (await store.getIncidentDetail('INC-T-1'))!.recentAlerts;
    expect(JSON.parse(alert!.raw!)).toEqual(gdExfil);
  });

  it('an alert too large to store (a field of 0.4–1 MiB within the 1 MiB body limit) is a 413 naming the limit, for every source, and nothing is written (issue 27.5)', async () => {
    const big = 'x'.repeat(600_000);
    const bodies: [string, unknown][] = [
      ['generic', { title: 't', severity: 'high', fingerprint: 'big', observedAt: NOW.toISOString(), details: { dump: big } }],
      ['generic', { title: 't', severity: 'high', fingerprint: 'big', observedAt: NOW.toISOString(), labels: Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`l${i}`, 'z'.repeat(400)])) }],
      ['alertmanager', { ...amGroup, alerts: [{ ...amGroup.alerts[0]!, annotations: { ...amGroup.alerts[0]!.annotations, dump: big } }] }],
      ['grafana', { ...grafana, alerts: [{ ...grafana.alerts[0]!, annotations: { ...grafana.alerts[0]!.annotations, dump: big } }] }],
      ['datadog', { ...ddRecommended, padding: big }],
      ['guardduty', { ...gdExfil, detail: { ...gdExfil.detail, padding: big } }],
      ['securityhub', { ...shImported, detail: { findings: [{ ...shImported.detail.findings[0]!, padding: big }] } }],
      ['pagerduty', { ...pdTrigger, payload: { ...pdTrigger.payload, custom_details: { dump: big } } }],
    ];
    for (const [source, body] of bodies) {
      const answer = await post(source, body);
      expect([source, answer.status, answer.status === 413 ? "" : JSON.stringify(answer.body).slice(0, 300)]).toEqual([source, 413, ""]);
      expect(answer.body.error).toMatchObject({ code: 'alert_too_large', message: expect.stringMatching(/limit is [\d,]+ bytes/) });
    }
    expect(await store.listOpenIncidents()).toHaveLength(0);
    await drainAlertStream(tableName, doc);
    // Just under the limit still goes in.
    const fits = await post('generic', { title: 't', severity: 'high', fingerprint: 'fits', observedAt: NOW.toISOString(), details: { dump: 'y'.repeat(100_000) } });
    expect(fits.status).toBe(202);
  });

  it('answers 400 naming the expected format, and 400 for bodies nested too deeply', async () => {
    const wrong = await post('grafana', amGroup.alerts[0]);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('Not a valid Grafana alerting webhook payload for source "grafana"');
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 40; i++) deep = (deep.a = {}) as Record<string, unknown>;
    const nested = await post('generic', { title: 't', severity: 'low', fingerprint: 'f', occurredAt: NOW.toISOString(), details: root });
    expect(nested.status).toBe(400);
    expect(nested.body.error).toMatchObject({ code: 'too_deeply_nested', details: [{ path: expect.stringMatching(/^details(\.a)+$/) }] });
  });
});

describe('every source: open, attach, resolve, repeated delivery, bad credentials (table-driven)', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let handler: ReturnType<typeof makeIngestHandler>;

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    handler = makeIngestHandler({
      ingest: { store, clock: new FakeClock(NOW), ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [SENTRY_SECRET], pagerdutyRoutingKeys: [pdTrigger.routing_key], pagerdutyWebhookSecrets: [PD_WEBHOOK_SECRET] }),
      maxBodyBytes: 262_144,
      snsAllowedTopicArns: [TOPIC],
      snsVerifier: new SnsMessageVerifier(async () => snsTestCertificate),
      securityNow: () => new Date('2026-11-23T03:35:00Z'), // the real clock: the fixtures' SNS times run to 03:31
      confirmSubscription: async () => {},
    });
  });

  type Case = {
    source: string;
    /** The n-th firing delivery of the same alert (a new delivery each time). */
    firing: (n: number) => unknown;
    resolved: unknown;
    headers: (body: string) => Record<string, string>;
    badHeaders: (body: string) => Record<string, string>;
    /** Optional: the same delivery twice is not counted twice. */
    repeat?: boolean;
  };
  const bearer = () => ({ authorization: `Bearer ${TOKEN}` });
  const wrongBearer = () => ({ authorization: 'Bearer wrong' });
  const securityEvent = (n: number) => ({ ...sentryEvent, data: { ...sentryEvent.data, event: { ...sentryEvent.data.event, event_id: `ev-${n}` } } });
  const cases: Case[] = [
    { source: 'generic', firing: (n) => ({ title: 't', severity: 'high', fingerprint: 'g', observedAt: NOW.toISOString(), id: `g-${n}` }), resolved: { title: 't', severity: 'high', fingerprint: 'g', observedAt: NOW.toISOString(), status: 'resolved' }, headers: bearer, badHeaders: wrongBearer, repeat: true },
    // A new instance of the alert (it fired again: a new start time) in the same group; the same one again is a repeat notification.
    { source: 'alertmanager', firing: (n) => ({ ...amGroup, alerts: [{ ...amGroup.alerts[0]!, startsAt: `2026-11-23T02:5${n}:00Z` }] }), resolved: amResolved, headers: bearer, badHeaders: wrongBearer, repeat: true },
    { source: 'grafana', firing: (n) => ({ ...grafana, alerts: [{ ...grafana.alerts[0]!, startsAt: `2026-11-23T01:5${n}:00Z` }] }), resolved: { ...grafana, status: 'resolved', alerts: [{ ...grafana.alerts[0]!, status: 'resolved' }] }, headers: bearer, badHeaders: wrongBearer, repeat: true },
    { source: 'datadog', firing: (n) => ({ ...ddRecommended, id: `dd-${n}` }), resolved: ddRecovered, headers: bearer, badHeaders: wrongBearer, repeat: true },
    {
      source: 'cloudwatch',
      firing: (n) => signSns({ ...cwAlarm, MessageId: `msg-${n}` }),
      resolved: signSns(cwOk),
      headers: () => ({ 'content-type': 'text/plain; charset=UTF-8' }),
      badHeaders: () => ({ 'content-type': 'text/plain; charset=UTF-8', 'x-tamper': 'signature replaced below' }),
      repeat: true,
    },
    { source: 'guardduty', firing: (n) => ({ ...gdExfil, id: `gd-${n}` }), resolved: { ...gdExfil, id: 'gd-archived', detail: { ...gdExfil.detail, service: { ...gdExfil.detail.service, archived: true } } }, headers: bearer, badHeaders: wrongBearer, repeat: true },
    {
      source: 'securityhub',
      firing: (n) => ({ ...shImported, id: `sh-${n}` }),
      resolved: { ...shImported, id: 'sh-resolved', detail: { findings: [{ ...shImported.detail.findings[0]!, Workflow: { Status: 'RESOLVED' } }] } },
      headers: bearer,
      badHeaders: wrongBearer,
      repeat: true,
    },
    {
      source: 'sentry',
      firing: (n) => securityEvent(n),
      resolved: { action: 'resolved', data: { issue: { id: sentryEvent.data.event.issue_id, title: 'SQLInjectionAttempt' } } },
      headers: (body) => ({ 'sentry-hook-resource': body.includes('"issue":') ? 'issue' : 'event_alert', 'sentry-hook-signature': createHmac('sha256', SENTRY_SECRET).update(body).digest('hex') }),
      badHeaders: () => ({ 'sentry-hook-resource': 'event_alert', 'sentry-hook-signature': 'bad' }),
      repeat: true,
    },
    { source: 'pagerduty', firing: () => pdTrigger, resolved: pdResolve, headers: () => ({}), badHeaders: () => ({ 'x-none': '1' }) },
  ];

  const send = async (source: string, body: unknown, headers: Record<string, string>) => {
    let text = JSON.stringify(body);
    if (headers['x-tamper']) text = JSON.stringify({ ...(body as object), Signature: 'AAAA' });
    if (headers['x-none'] && source === 'pagerduty') text = JSON.stringify({ ...(body as object), routing_key: 'not-a-key' });
    const result = await handler(
      httpEvent('POST', `/alerts/${source}`, { body: text, headers: { 'content-type': 'application/json', ...headers }, routeKey: 'POST /alerts/{source}', pathParameters: { source } }),
      lambdaContext,
    );
    return { status: result.statusCode, body: parse(result) };
  };

  it.each(cases.map((c) => [c.source, c] as const))('%s', async (source, c) => {
    const bad = await send(source, c.firing(0), c.badHeaders(JSON.stringify(c.firing(0))));
    expect(bad.status).toBe(401);
    expect(await store.listOpenIncidents()).toHaveLength(0);

    const first = await send(source, c.firing(1), c.headers(JSON.stringify(c.firing(1))));
    expect(first.body).toMatchObject({ outcome: 'opened', incidentId: 'INC-T-1' });
    const second = await send(source, c.firing(2), c.headers(JSON.stringify(c.firing(2))));
    expect(second.body).toMatchObject({ outcome: 'attached', incidentId: 'INC-T-1', deduplicated: true });
    if (c.repeat) {
      const again = await send(source, c.firing(2), c.headers(JSON.stringify(c.firing(2))));
      expect(again.body).toMatchObject({ outcome: 'duplicate', incidentId: 'INC-T-1', duplicateDelivery: true });
    }
    const resolved = await send(source, c.resolved, c.headers(JSON.stringify(c.resolved)));
    expect(resolved.body).toMatchObject({ outcome: 'noted', incidentId: 'INC-T-1' });
    await drainAlertStream(tableName, doc);
    const incident = await store.getIncident('INC-T-1');
    expect(incident).toMatchObject({ status: 'detected', alertCount: 2, lastSourceStatus: { status: 'resolved', source } });
  });
});
