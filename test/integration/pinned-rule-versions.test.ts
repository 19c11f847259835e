import { parse as parseCsv } from 'csv-parse/sync';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DynamoNoticeStore } from '../../lambdas/adapters/dynamo/dynamo-notice-store.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

const CA = 'california-1798-82';
const CURRENT = RULE_PACKS.find((p) => p.id === CA)!.version;
/** What an earlier version of the California pack recorded: an older version, five days earlier. */
const EARLIER_VERSION = '2025-01';

/**
 * Pinned rule versions on DynamoDB Local (issue 28.4): the incident item records the pack versions; a pack whose
 * version differs from the recorded one (the code was deployed with a corrected pack) shows "rule changed" on an
 * open incident until an officer adopts it, and never moves a closed one.
 */
describe('pinned rule versions on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  let api: ReturnType<typeof makeApiHandler>;
  let jwtApi: ReturnType<typeof makeApiHandler>;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;

  beforeEach(async () => {
    const table = await freshTable();
    ({ store, doc, tableName } = table);
    clock = new FakeClock(T0);
    const notices = new DynamoNoticeStore(table.doc, table.tableName, store);
    const deps = { store, clock, ladder: DEFAULT_LADDER, notices: { store, notices, clock, ladder: DEFAULT_LADDER, organisation: { name: 'Shop', dpo: { name: 'D', email: 'd@x.example' } } } as never };
    api = makeApiHandler({ ...deps, auth: { mode: 'token', tokens: ['t'] } });
    jwtApi = makeApiHandler({ ...deps, auth: { mode: 'jwt' } });
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Shop customer export', severity: 'high', observedAt: T0.toISOString() });
  });

  const call = async (method: string, url: string, body?: unknown, actor = 'dana') => {
    const result = await api(httpEvent(method, url, { body, headers: { authorization: 'Bearer t', 'x-actor': actor } }), lambdaContext);
    return { status: result.statusCode, body: parse(result) };
  };
  const act = (body: unknown, actor = 'dana') => call('POST', '/api/incidents/INC-T-1/actions', body, actor);
  const asRole = async (role: string, body: unknown) => {
    const event = httpEvent('POST', '/api/incidents/INC-T-1/actions', { body });
    event.requestContext.authorizer = { jwt: { claims: { sub: `sub-${role}`, username: role, token_use: 'access', 'cognito:groups': `[${role}]` } } } as never;
    const result = await jwtApi(event, lambdaContext);
    return { status: result.statusCode, body: parse(result) };
  };
  const stored = async () => (await doc.send(new GetCommand({ TableName: tableName, Key: { PK: 'INC#INC-T-1', SK: 'META' } }))).Item!;
  /** The item as an earlier pack version would have left it: that version, and its deadline five days earlier. */
  const recordedUnderEarlierVersion = async (obligation: string) => {
    const pin = (await stored()).clockPins[CA];
    const due = new Date(Date.parse(pin.clocks[obligation].due) - 5 * 86_400_000).toISOString();
    const clocks = { ...pin.clocks, [obligation]: { ...pin.clocks[obligation], due, rule: '25 calendar days (America/Los_Angeles) after detectedAt' } };
    await doc.send(new UpdateCommand({ TableName: tableName, Key: { PK: 'INC#INC-T-1', SK: 'META' }, UpdateExpression: 'SET clockPins.#ca = :pin', ExpressionAttributeNames: { '#ca': CA }, ExpressionAttributeValues: { ':pin': { ...pin, v: EARLIER_VERSION, clocks } } }));
    return { due, current: pin.clocks[obligation].due as string };
  };
  const residentClock = async () => (await call('GET', '/api/incidents/INC-T-1')).body.incident.regimeClocks.find((c: { regime: string; obligation: string }) => c.regime === CA && c.obligation === 'resident-notice');

  it('records the pack versions on the incident item when facts are recorded', async () => {
    expect((await stored()).clockPins).toBeUndefined(); // opening (ingest) counts no regime: the first decision records them
    expect((await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'US-CA', affected: 200 }] } })).status).toBe(200);
    expect((await stored()).clockPins[CA]).toMatchObject({ v: CURRENT, clocks: { 'resident-notice': { due: expect.any(String), rule: expect.stringMatching(/30 calendar days/) } } });
  });

  it('shows "rule changed" on an open incident, escalates by the earlier deadline, and the officer adopts the current version (role-checked, audited)', async () => {
    await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'US-CA', affected: 200 }] } });
    const { due: recorded, current } = await recordedUnderEarlierVersion('resident-notice');
    expect(await residentClock()).toMatchObject({
      dueAt: recorded,
      version: EARLIER_VERSION,
      ruleChange: { recorded: { version: EARLIER_VERSION, dueAt: recorded }, current: { version: CURRENT, dueAt: current }, frozen: false },
    });
    // Another decision keeps the record, and re-plans the escalation to the earlier deadline.
    await act({ action: 'take-ownership' });
    expect((await stored()).clockPins[CA].v).toBe(EARLIER_VERSION);
    expect((await store.listTimers('INC-T-1')).find((t) => t.timerId === `regime.${CA}.resident-notice.overdue`)).toMatchObject({ status: 'pending', dueAt: recorded });

    // A responder may not choose; the DPO or legal may.
    const refused = await asRole('responder', { action: 'adopt-rule-version', regime: CA });
    expect(refused.status).toBe(403);
    const adopted = await asRole('legal', { action: 'adopt-rule-version', regime: CA });
    expect(adopted.status).toBe(200);
    expect((await stored()).clockPins[CA]).toMatchObject({ v: CURRENT, clocks: { 'resident-notice': { due: current } } });
    const clock = await residentClock();
    expect(clock).toMatchObject({ dueAt: current, version: CURRENT });
    expect(clock.ruleChange).toBeUndefined();
    expect((await store.listTimers('INC-T-1')).find((t) => t.timerId === `regime.${CA}.resident-notice.overdue`)).toMatchObject({ status: 'pending', dueAt: current });
    const detail = await store.getIncidentDetail('INC-T-1');
    expect(detail!.timeline.at(-1)).toMatchObject({
      type: 'incident.rule-version-adopted',
      actor: 'legal [cognito:sub-legal]',
      data: { regime: CA, from: EARLIER_VERSION, to: CURRENT, clocks: [expect.objectContaining({ obligation: 'resident-notice', recordedDueAt: recorded, currentDueAt: current })] },
    });
    // Nothing left to adopt.
    expect((await act({ action: 'adopt-rule-version', regime: CA })).status).toBe(400);
  });

  it('freezes the clocks at closing: the API, the register and its CSV keep the deadline a later pack version would move', async () => {
    await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'US-CA', affected: 200 }] } });
    await act({ action: 'confirm', awareAt: T0.toISOString(), justification: 'Forensics confirmed the export' });
    clock.set(hoursAfter(T0, 48));
    await act({ action: 'record-submission', regime: CA, obligation: 'resident-notice', submittedAt: hoursAfter(T0, 47).toISOString(), reference: 'letters-1' });
    await act({ action: 'close', reason: 'Residents told; nothing else to do' });
    const frozen = (await stored()).clockPins[CA];
    expect(frozen).toMatchObject({ v: CURRENT, clocks: { 'resident-notice': { status: 'submitted' } } });
    const atClosing = await residentClock();

    // The pack's version is no longer the one recorded (a corrected pack deployed after closing): nothing moves.
    await doc.send(new UpdateCommand({ TableName: tableName, Key: { PK: 'INC#INC-T-1', SK: 'META' }, UpdateExpression: 'SET clockPins.#ca = :pin', ExpressionAttributeNames: { '#ca': CA }, ExpressionAttributeValues: { ':pin': { ...frozen, v: EARLIER_VERSION } } }));
    clock.set(hoursAfter(T0, 24 * 90));
    const later = await residentClock();
    expect(later).toMatchObject({ dueAt: atClosing.dueAt, rule: atClosing.rule, status: 'submitted', submission: { late: false }, ruleChange: { frozen: true, current: { version: CURRENT } } });
    expect((await act({ action: 'adopt-rule-version', regime: CA })).status).toBe(409);

    const register = await call('GET', `/api/register?from=${T0.toISOString().slice(0, 10)}`);
    const entry = register.body.entries.find((e: { incidentId: string }) => e.incidentId === 'INC-T-1');
    expect(entry.clocks.find((c: { regime: string }) => c.regime === CA)).toMatchObject({ dueAt: atClosing.dueAt, version: EARLIER_VERSION, result: 'met' });
    const csv = await api(httpEvent('GET', `/api/register?format=csv&from=${T0.toISOString().slice(0, 10)}`, { headers: { authorization: 'Bearer t' } }), lambdaContext);
    const rows = parseCsv(csv.body!, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.find((r) => r.incident === 'INC-T-1')!.clocks).toContain(`${CA}/resident-notice (v${EARLIER_VERSION}): due ${atClosing.dueAt} met`);
  });
});
