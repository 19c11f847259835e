import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { SnsMessageVerifier } from '../../lambdas/adapters/sns-message-verifier.js';
import type { IngestDeps } from '../../lambdas/app/ingest-alert.js';
import { REGISTER_MAX_YEARS } from '../../lambdas/contracts/register-api.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { makeIngestHandler } from '../../lambdas/handlers/ingest-alert.handler.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { httpEvent, lambdaContext } from '../support/http-events.js';
import { signSns, snsTestCertificate } from '../support/sns.js';
import { sourceEvents, type Json } from '../support/source-events.js';

/**
 * Issue 27.5: the three ways an independent fuzz run found to drop work, as properties over generated input
 * (DynamoDB Local). FUZZ_RUNS scales them as it does handlers.fuzz.test.ts.
 */
const RUNS = Math.max(8, Math.round(Number(process.env.FUZZ_RUNS ?? 40) / 3));
const NOW = new Date('2026-11-23T03:00:00Z');
const TOKEN = 'fuzz-ingest-token';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:breachclock-alarms';
/** The deployed limit of an alert request's body (config maxAlertBytes' default, docs/configuration.md). */
const MAX_BODY = 1_048_576;

const fixtures = sourceEvents;

/** Every path to a string in a document. */
function stringPaths(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') out.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => stringPaths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringPaths(v, [...at, k], out);
  return out;
}

describe('fuzzing what dropped work (issue 27.5)', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let ingestDeps: IngestDeps;

  beforeAll(async () => {
    ({ store, doc, tableName } = await freshTable());
    ingestDeps = { store, clock: new FakeClock(NOW), ids: sequentialIds(`INC-D${Math.floor(Math.random() * 1e6)}`), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
  });

  const itemCount = async () => (await doc.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }))).Count ?? 0;

  const ingest = () =>
    makeIngestHandler({
      ingest: ingestDeps,
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: MAX_BODY,
      snsAllowedTopicArns: [TOPIC],
      snsVerifier: new SnsMessageVerifier(async () => snsTestCertificate),
      securityNow: () => new Date(Date.parse('2026-11-23T03:35:00Z')),
      confirmSubscription: async () => undefined,
    });
  const post = (handler: ReturnType<typeof ingest>, source: string, body: string, headers: Record<string, string> = {}) =>
    handler(httpEvent('POST', `/alerts/${source}`, { body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers }, routeKey: 'POST /alerts/{source}', pathParameters: { source } }), lambdaContext);

  // Details of every awkward shape the stream must carry: empty maps and lists (DynamoDB Local gives `{}` back), nesting, odd keys.
  const awkward: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom<Json>({}, [], '', 0, null, true, { a: {} }, [{}], [[]]),
      fc.string({ maxLength: 8 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.constantFrom('', 'constructor', '__proto__', 'a.b'), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 3 }),
    ),
  })).value;

  it('every accepted alert of an incident is counted, whatever its details hold (a poison record stops nothing)', async () => {
    const handler = ingest();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), awkward, { maxKeys: 4 }), { minLength: 2, maxLength: 5 }), async (detailsList) => {
        const fingerprint = `poison-${n++}`;
        let accepted = 0;
        for (const [i, details] of detailsList.entries()) {
          const response = await post(handler, 'generic', JSON.stringify({ title: 'Credential stuffing', severity: 'high', fingerprint, observedAt: NOW.toISOString(), id: `${fingerprint}-${i}`, details }));
          if ((response.statusCode ?? 200) >= 500) throw new Error(`answered ${response.statusCode} ${response.body} for ${JSON.stringify(details)}`);
          if (response.statusCode === 202) accepted++;
        }
        await drainAlertStream(tableName, doc, ingestDeps);
        const incident = (await store.listOpenIncidents()).find((i) => i.fingerprint === fingerprint);
        expect(incident?.alertCount ?? 0).toBe(accepted);
      }),
      { numRuns: RUNS },
    );
  }, 180_000);

  const SOURCES = ['generic', 'alertmanager', 'grafana', 'datadog', 'guardduty', 'securityhub', 'pagerduty'];
  it.each(SOURCES)('POST /alerts/%s with one field of 0.3 to 1 MiB: accepted or refused with 413 before anything is written, never 5xx', async (source) => {
    const handler = ingest();
    const docs = fixtures(source);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 300_000, max: MAX_BODY }), async (pick, at, size) => {
        const payload = structuredClone(docs[pick % docs.length]!);
        const paths = stringPaths(payload);
        const path = paths[at % paths.length]!;
        let parent = payload as Record<string | number, Json>;
        for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
        parent[path.at(-1)!] = 'x'.repeat(size);
        const body = JSON.stringify(payload);
        const before = await itemCount();
        const response = await post(handler, source, body);
        const status = response.statusCode ?? 200;
        if (status >= 500) throw new Error(`answered ${status} ${response.body?.slice(0, 300)} with ${size} bytes at ${path.join('.')}`);
        if (status >= 400 && (await itemCount()) !== before) throw new Error(`a ${status} refusal wrote to the table (${size} bytes at ${path.join('.')})`);
        if (status === 413) expect(JSON.parse(response.body!).error.message).toMatch(/\d/);
        expect([200, 202, 400, 413]).toContain(status);
      }),
      { numRuns: Math.max(4, Math.round(RUNS / 3)) },
    );
  }, 180_000);

  it('POST /alerts/cloudwatch with one field of 0.3 to 1 MiB in the signed alarm: accepted or 400/413, never 5xx', async () => {
    const handler = ingest();
    const [notification] = fixtures('cloudwatch').filter((d) => (d as Record<string, Json>).Type === 'Notification') as Record<string, Json>[];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 300_000, max: 900_000 }), fc.constantFrom('AlarmDescription', 'NewStateReason', 'AlarmName'), async (size, field) => {
        const alarm = JSON.parse(String(notification!.Message)) as Record<string, Json>;
        alarm[field] = 'y'.repeat(size);
        const response = await handler(httpEvent('POST', '/alerts/cloudwatch', { body: JSON.stringify(signSns({ ...notification!, Message: JSON.stringify(alarm) })), headers: { 'content-type': 'text/plain' }, routeKey: 'POST /alerts/{source}', pathParameters: { source: 'cloudwatch' } }), lambdaContext);
        expect([200, 202, 400, 413]).toContain(response.statusCode ?? 200);
      }),
      { numRuns: Math.max(3, Math.round(RUNS / 5)) },
    );
  }, 120_000);

  it('GET /api/register with any period: an answer (200, or 400 naming the limit), reading at most one month a query within the limit', async () => {
    const api = makeApiHandler({ store, clock: new FakeClock(NOW), ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['fuzz-api'] } });
    let queries = 0;
    doc.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries++;
      return next(args);
    }, { step: 'initialize', name: 'countQueries' });
    // Mostly periods a desk asks for (and ranges of up to 12 years around the limit), sometimes any date at all.
    const date = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString());
    const day = fc.oneof({ arbitrary: date('2015-01-01T00:00:00Z', '2027-12-31T00:00:00Z'), weight: 4 }, { arbitrary: date('0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z'), weight: 1 });
    const bound = fc.oneof(day, fc.constantFrom('9999-12-31', '0000-01-01', '2026-02-30', 'yesterday', '', '2026-11-23T03:00:00+14:00', '1e309'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.option(bound, { nil: undefined }), fc.option(bound, { nil: undefined }), async (from, to) => {
          const query = new URLSearchParams({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }).toString();
          queries = 0;
          const response = await api(httpEvent('GET', `/api/register?${query}`, { headers: { authorization: 'Bearer fuzz-api' } }), lambdaContext);
          const status = response.statusCode ?? 200;
          expect([200, 400]).toContain(status);
          if (status === 400) expect(JSON.parse(response.body!).error.message).toBeTruthy();
          // One query per month of at most REGISTER_MAX_YEARS years (and a page or two more), never ~96,000.
          expect(queries).toBeLessThanOrEqual(REGISTER_MAX_YEARS * 12 + 13);
        }),
        { numRuns: RUNS * 2 },
      );
    } finally {
      doc.middlewareStack.remove('countQueries');
    }
  }, 180_000);
});
