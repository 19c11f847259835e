import { createHmac } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { SnsMessageVerifier } from '../../lambdas/adapters/sns-message-verifier.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { parseRoleMap } from '../../lambdas/domain/roles.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { makeIngestHandler } from '../../lambdas/handlers/ingest-alert.handler.js';
import { makeSlackHandler } from '../../lambdas/handlers/slack.handler.js';
import { RecordingSlackWebApi } from '../../local/recording-slack-api.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { httpEvent, lambdaContext } from '../support/http-events.js';
import { slackRequest } from '../support/slack.js';
import { signSns, snsTestCertificate } from '../support/sns.js';
import { sourceEvents, type Json } from '../support/source-events.js';

/**
 * Issue 15.7: mutated real payloads (test/events) and hostile inputs, driven through the handlers in-process
 * against DynamoDB Local. No input may answer 5xx, and a refused request writes nothing. A few dozen cases
 * per endpoint by default so CI stays fast; FUZZ_RUNS=2000 for a long run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const NOW = new Date('2026-11-23T03:00:00Z');
const TOKEN = 'fuzz-ingest-token';
const API_TOKEN = 'fuzz-api-token';
const SENTRY_SECRET = 'fuzz-sentry-secret';
const SLACK_SECRET = 'fuzz-slack-secret';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:breachclock-alarms';


/** Values that have broken handlers before: long, empty, odd Unicode, odd dates, wrong types. */
const hostile: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>('', ' ', 'x'.repeat(3_000), 'x'.repeat(70_000), 'x\ud800', '\ud800', '\u0000\u001b[31m', '%ZZ', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'NaN', '-1', null, true, 0, -1, 1e308, -1e308, 0.5, [], {}, { '': 'x' }, { ['k'.repeat(5_000)]: 1 }, { 'x\ud800': 1 }, [null], ['a', 1, {}]),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);
const hostileKey = fc.oneof(fc.constantFrom('', 'x\ud800', 'k'.repeat(3_000), '__proto__', 'constructor', 'a.b', 'tags'), fc.string({ maxLength: 12 }));

type Mutation = { readonly at: number; readonly kind: 'replace' | 'delete' | 'add'; readonly key: string; readonly value: Json };
const mutations = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'delete', 'add'), key: hostileKey, value: hostile }), { minLength: 1, maxLength: 4 });

function paths(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function mutate(document: Json, ops: readonly Mutation[]): Json {
  let root = structuredClone(document);
  for (const { value: shared, ...op } of ops) {
    // A copy: fast-check hands out the same constant objects ([], {}) again and again; inserting one itself
    // let a later mutation push an array into itself (a cycle) and changed the constants for later runs.
    const value = structuredClone(shared);
    const all = paths(root);
    const path = all[op.at % all.length]!;
    if (path.length === 0) {
      if (op.kind === 'replace') root = value;
      else if (op.kind === 'add' && root && typeof root === 'object' && !Array.isArray(root)) (root as Record<string, Json>)[op.key] = value;
      continue;
    }
    let parent: any = root;
    for (const step of path.slice(0, -1)) parent = parent[step];
    const last = path.at(-1)!;
    if (op.kind === 'replace') parent[last] = value;
    else if (op.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
    else {
      const target = parent[last];
      if (target && typeof target === 'object' && !Array.isArray(target)) target[op.key] = value;
      else if (Array.isArray(target)) target.push(value);
    }
  }
  return root;
}

describe('fuzzing the handlers (no 5xx, nothing half-written)', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let clock: FakeClock;

  beforeAll(async () => {
    ({ store, doc, tableName } = await freshTable());
    clock = new FakeClock(NOW);
  });

  const itemCount = async () => (await doc.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }))).Count ?? 0;

  /** Runs one request; a 5xx fails the property; a refusal must leave the table as it was. */
  async function expectClean(run: () => Promise<{ statusCode?: number; body?: string }>, describeInput: () => string): Promise<void> {
    const before = await itemCount();
    const result = await run();
    const status = result.statusCode ?? 200;
    if (status >= 500) throw new Error(`answered ${status} ${result.body?.slice(0, 300)} for ${describeInput().slice(0, 600)}`);
    if (status >= 400 && (await itemCount()) !== before) throw new Error(`a ${status} refusal wrote to the table for ${describeInput().slice(0, 600)}`);
  }

  const ingest = () =>
    makeIngestHandler({
      ingest: { store, clock, ids: sequentialIds(`INC-F${Math.floor(Math.random() * 1e6)}`), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING },
      credentials: async () => ({ tokens: [TOKEN], sentryClientSecrets: [SENTRY_SECRET], pagerdutyRoutingKeys: [], pagerdutyWebhookSecrets: [] }),
      maxBodyBytes: 262_144,
      snsAllowedTopicArns: [TOPIC],
      snsVerifier: new SnsMessageVerifier(async () => snsTestCertificate),
      securityNow: () => new Date(Date.parse('2026-11-23T03:35:00Z')),
      confirmSubscription: async () => undefined,
    });

  const SOURCES = ['generic', 'alertmanager', 'grafana', 'datadog', 'guardduty', 'securityhub', 'sentry', 'pagerduty', 'cloudwatch'];

  it.each(SOURCES)('POST /alerts/%s with mutated real payloads', async (source) => {
    const handler = ingest();
    const docs = sourceEvents(source);
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, async (pick, ops) => {
        const original = docs[pick % docs.length]!;
        let body: string;
        const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
        if (source === 'cloudwatch') {
          // Mutate the alarm inside the SNS envelope and sign it again, so the mutation reaches the parser.
          const envelope = original as Record<string, Json>;
          let message: Json;
          try {
            message = JSON.parse(String(envelope.Message)) as Json;
          } catch {
            message = envelope.Message ?? null;
          }
          body = JSON.stringify(signSns({ ...envelope, Message: typeof message === 'string' ? message : JSON.stringify(mutate(message, ops)) } as Record<string, unknown>));
        } else {
          body = JSON.stringify(mutate(original, ops));
        }
        if (source === 'sentry') {
          headers['sentry-hook-resource'] = body.includes('"metric_alert"') ? 'metric_alert' : 'event_alert';
          headers['sentry-hook-signature'] = createHmac('sha256', SENTRY_SECRET).update(body).digest('hex');
        }
        await expectClean(
          () => handler(httpEvent('POST', `/alerts/${source}`, { body, headers, routeKey: 'POST /alerts/{source}', pathParameters: { source } }), lambdaContext),
          () => body,
        );
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('the actions API with mutated actions, odd ids and odd paths', async () => {
    await ingestAlert({ store, clock, ids: sequentialIds('INC-A'), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'fuzz-api', title: 'Fuzz target', severity: 'high', observedAt: NOW.toISOString() });
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: [API_TOKEN] } });
    const actions: Json[] = [
      { action: 'acknowledge' },
      { action: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 10 }], dataCategories: ['contact'] } },
      { action: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'because' },
      { action: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'high risk' },
      { action: 'confirm', awareAt: NOW.toISOString(), justification: 'confirmed by forensics' },
      { action: 'record-submission', regime: 'gdpr-art33', obligation: 'authority-notification', submittedAt: NOW.toISOString(), reference: 'X-1' },
    ];
    const ids = fc.oneof(fc.constant('INC-A-1'), fc.constantFrom('%ZZ', '%ff', '%C0%AF', 'x'.repeat(3_000), '', '..', 'INC-A-1%2Factions'), fc.string({ maxLength: 30 }).map(encodeURIComponent));
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, ids, fc.constantFrom('', '/actions', '/trail', '/evidence', '/notices', '/nope'), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), async (pick, ops, id, tail, method) => {
        const body = JSON.stringify(mutate(actions[pick % actions.length]!, ops));
        const path = `/api/incidents/${id}${tail}`;
        await expectClean(
          () => api(httpEvent(method, path, { body: method === 'GET' ? undefined : body, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', 'x-actor': 'fuzz' } }), lambdaContext),
          () => `${method} ${path} ${body}`,
        );
      }),
      { numRuns: RUNS * 2 },
    );
  }, 120_000);

  it('signed Slack interactions and commands of every shape', async () => {
    const web = new RecordingSlackWebApi(clock);
    const deps = {
      store,
      clock,
      ladder: DEFAULT_LADDER,
      roles: parseRoleMap({ users: {}, defaultRoles: ['responder', 'dpo'] }),
      web,
      once: (key: string) => store.rememberOnce(key, 86_400, clock.now()),
      enqueue: async () => undefined,
    };
    const slack = makeSlackHandler({ ...deps, signingSecrets: async () => [SLACK_SECRET], securityNow: () => clock.now() });
    const payloads: Json[] = [
      { type: 'block_actions', user: { id: 'U0FUZZ', username: 'fuzz' }, trigger_id: 't', response_url: 'https://hooks.slack.com/actions/T/1/x', actions: [{ action_id: 'acknowledge', value: 'INC-A-1' }] },
      { type: 'view_submission', user: { id: 'U0FUZZ', username: 'fuzz' }, view: { callback_id: 'confirm', private_metadata: 'INC-A-1', state: { values: { aware: { value: { value: '2026-11-23T02:00:00Z' } }, justification: { value: { value: 'why' } } } } } },
      { type: 'shortcut', user: { id: 'U0FUZZ' } },
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutations, fc.boolean(), fc.string({ maxLength: 60 }), async (pick, ops, asCommand, text) => {
        const fields: Record<string, string> = asCommand
          ? { command: '/breach', text: pick % 5 === 0 ? `status ${'I'.repeat(3_000)}` : text, user_id: 'U0FUZZ', user_name: 'fuzz', response_url: 'https://hooks.slack.com/commands/T/1/x', trigger_id: 't' }
          : { payload: JSON.stringify(mutate(payloads[pick % payloads.length]!, ops)) };
        const { body, headers } = slackRequest(fields, SLACK_SECRET, clock.now());
        const path = asCommand ? '/slack/commands' : '/slack/actions';
        await expectClean(() => slack(httpEvent('POST', path, { body, headers }), lambdaContext), () => `${path} ${body}`);
      }),
      { numRuns: RUNS * 2 },
    );
  }, 120_000);

  it('the inputs that answered 500 before (issue 15.7), one by one', async () => {
    const handler = ingest();
    const post = (source: string, body: unknown, headers: Record<string, string> = {}) =>
      handler(httpEvent('POST', `/alerts/${source}`, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers }, routeKey: 'POST /alerts/{source}', pathParameters: { source } }), lambdaContext);
    const [alertmanager] = sourceEvents('alertmanager') as Record<string, any>[];
    // An empty or ill-formed label name (DynamoDB refuses empty attribute names): kept, renamed, accepted.
    const emptyLabel = structuredClone(alertmanager!);
    emptyLabel.alerts[0].labels[''] = 'x';
    emptyLabel.alerts[0].labels['x\ud800'] = 'y';
    expect((await post('alertmanager', emptyLabel)).statusCode).toBe(202);
    // A sender event id over DynamoDB's 2,048-byte key limit (Datadog's id): hashed, accepted.
    const [datadog] = sourceEvents('datadog') as Record<string, any>[];
    expect((await post('datadog', { ...datadog, id: '9'.repeat(3_000) })).statusCode).toBe(202);
    // A date number beyond what a Date can hold: not a time, accepted.
    expect((await post('datadog', { ...datadog, id: 'dd-date', date: 8640000000000001 })).statusCode).toBe(202);
    // Detail numbers DynamoDB cannot store (below 1e-130): kept as text.
    expect((await post('generic', { title: 'x', severity: 'low', fingerprint: 'tiny', observedAt: NOW.toISOString(), details: { tiny: 6.9e-137, huge: 1e200 } })).statusCode).toBe(202);
    // A detail or label named "constructor" (the DynamoDB marshaller took it for a class instance).
    expect((await post('generic', { title: 'x', severity: 'low', fingerprint: 'ctor', observedAt: NOW.toISOString(), labels: { constructor: 'x' }, details: { constructor: '!', '': 0 } })).statusCode).toBe(202);
    // An SNS notification whose Message is not an alarm: 400, not 500.
    const [notification] = sourceEvents('cloudwatch').filter((d) => (d as Record<string, unknown>).Type === 'Notification') as Record<string, unknown>[];
    const sns = await handler(httpEvent('POST', '/alerts/cloudwatch', { body: JSON.stringify(signSns({ ...notification!, Message: '0' })), headers: { 'content-type': 'text/plain' }, routeKey: 'POST /alerts/{source}', pathParameters: { source: 'cloudwatch' } }), lambdaContext);
    expect(sns.statusCode).toBe(400);

    const slack = makeSlackHandler({ store, clock, ladder: DEFAULT_LADDER, roles: parseRoleMap({ users: {}, defaultRoles: ['responder'] }), web: new RecordingSlackWebApi(clock), once: async () => true, enqueue: async () => undefined, signingSecrets: async () => [SLACK_SECRET], securityNow: () => clock.now() });
    const signed = (path: string, fields: Record<string, string>) => {
      const { body, headers } = slackRequest(fields, SLACK_SECRET, clock.now());
      return slack(httpEvent('POST', path, { body, headers }), lambdaContext);
    };
    const status = await signed('/slack/commands', { command: '/breach', text: `status ${'I'.repeat(3_000)}`, user_id: 'U0FUZZ' });
    expect(status.statusCode).toBe(200);
    expect(JSON.parse(status.body!).text).toMatch(/is not an incident id/);
    expect((await signed('/slack/actions', { payload: 'null' })).statusCode).toBe(400);
    const noActions = await signed('/slack/actions', { payload: JSON.stringify({ type: 'block_actions', user: { id: 'U0FUZZ' }, actions: 0 }) });
    expect(noActions.statusCode).toBe(400);
    expect(JSON.parse(noActions.body!).error.message).toMatch(/not a valid block_actions payload: actions/);
    expect((await signed('/slack/actions', { payload: JSON.stringify({ type: 'view_submission', user: { id: 'U0FUZZ' } }) })).statusCode).toBe(400);
  });
});
