import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoNoticeStore } from '../../lambdas/adapters/dynamo/dynamo-notice-store.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { draftNoticeFor } from '../../lambdas/app/notices.js';
import { sweepDueTimers } from '../../lambdas/app/sweep-due-timers.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelRouter } from '../../lambdas/adapters/delivery/channel-router.js';
import { dispatchOutboxMessage } from '../../lambdas/app/dispatch-outbox.js';
import { trailAnchorSender } from '../../lambdas/app/trail-anchoring.js';
import type { TimelineEvent } from '../../lambdas/domain/incident.js';
import { anchorStatement } from '../../lambdas/domain/trail-anchor.js';
import { chainEvent, type TrailHead } from '../../lambdas/domain/trail.js';
import { FileTrailAnchorLog, LocalTrailKey } from '../../local/trail-anchors.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

/** The audit trail as an auditor would check it, after someone edits the table behind breachclock's back. */
describe('hash-chained audit trail on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let clock: FakeClock;
  let verify: () => Promise<{ ok: boolean; events: number; problems: { kind: string; seq: number; detail: string }[] }>;

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    clock = new FakeClock(T0);
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] } });
    verify = async () => parse(await api(httpEvent('GET', '/api/incidents/INC-T-1/trail', { headers: { authorization: 'Bearer t' } }), lambdaContext));
    // Every kind of writer appends to the chain: ingest, decisions, the clock, notices (all at the same instant too).
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'Export', severity: 'high', observedAt: T0.toISOString() });
    const deps = { store, clock, ladder: DEFAULT_LADDER };
    await actOnIncident(deps, 'INC-T-1', { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 3 }], dataCategories: ['contact'] } }, 'rita');
    clock.set(hoursAfter(T0, 1));
    await sweepDueTimers({ ...deps, redeliver: async () => {} });
    await draftNoticeFor({ ...deps, notices: new DynamoNoticeStore(doc, tableName, store), organisation: { name: 'Shop', dpo: { name: 'D', email: 'd@x.example' } } }, 'INC-T-1', { kind: 'gdpr-authority' }, 'dana');
    await actOnIncident(deps, 'INC-T-1', { type: 'acknowledge' }, 'rita');
  });

  const events = async () =>
    (await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :e)', ExpressionAttributeValues: { ':pk': 'INC#INC-T-1', ':e': 'EVT#' } }))).Items!;

  it('verifies the untouched trail, every writer included', async () => {
    const result = await verify();
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect((await events()).map((e) => [e.seq, e.type])).toEqual([
      [1, 'incident.opened'],
      [2, 'incident.facts-recorded'],
      [3, 'escalation.fired'],
      [4, 'notice.drafted'],
      [5, 'incident.acknowledged'],
    ]);
  });

  it('detects an edited event and says which', async () => {
    const target = (await events()).find((e) => e.seq === 2)!;
    await doc.send(new UpdateCommand({ TableName: tableName, Key: { PK: target.PK, SK: target.SK }, UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'someone-else' } }));
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'edited', seq: 2 })]);
  });

  it('detects a removed event, in the middle or at the end', async () => {
    const all = await events();
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: all[2]!.PK, SK: all[2]!.SK } }));
    expect((await verify()).problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'removed', seq: 3 })]));
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: all[4]!.PK, SK: all[4]!.SK } }));
    expect((await verify()).problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'removed', seq: 5 })]));
  });

  it('detects an inserted event and one moved in time', async () => {
    const all = await events();
    const copy: Record<string, unknown> = { ...all[1]!, SK: `EVT#${all[1]!.at}#s0000002x`, summary: 'A decision nobody took' };
    await doc.send(new PutCommand({ TableName: tableName, Item: copy }));
    expect((await verify()).problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['inserted']));
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: copy.PK as string, SK: copy.SK as string } }));

    // Event 2 moved after event 4 (its key and time rewritten): reordered and edited.
    const moved = { ...all[1]!, SK: `EVT#${hoursAfter(T0, 2).toISOString()}#s0000002`, at: hoursAfter(T0, 2).toISOString() };
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: all[1]!.PK, SK: all[1]!.SK } }));
    await doc.send(new PutCommand({ TableName: tableName, Item: moved }));
    expect((await verify()).problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['reordered', 'edited']));
  });

  describe('signed anchors outside the table (an insider who can write the table)', () => {
    let dir: string;
    let anchoredVerify: () => Promise<{ ok: boolean; problems: { kind: string; seq: number; detail: string }[]; anchoring: { configured: boolean; agreesThrough: number; newest: { seq: number; agrees: boolean } | null } }>;
    let key: LocalTrailKey;
    let log: FileTrailAnchorLog;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'breachclock-anchors-'));
      key = LocalTrailKey.loadOrCreate(join(dir, 'key', 'ed25519.pem'));
      log = new FileTrailAnchorLog(join(dir, 'anchors.jsonl'));
      const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] }, trailAnchors: { log, verifier: key.verifier() } });
      anchoredVerify = async () => parse(await api(httpEvent('GET', '/api/incidents/INC-T-1/trail', { headers: { authorization: 'Bearer t' } }), lambdaContext));
      // A dismissal is an anchored event: its outbox message, delivered, signs the head and appends it outside the table.
      await actOnIncident({ store, clock, ladder: DEFAULT_LADDER }, 'INC-T-1', { type: 'dismiss', reason: 'A test export by our own staff' }, 'dana');
      const sender = new ChannelRouter({ slack: { send: async () => ({}) }, sns: { send: async () => ({}) }, 'trail-anchor': trailAnchorSender({ reader: store, signer: key, log }) });
      expect(await dispatchOutboxMessage({ outbox: store, sender, clock }, 'INC-T-1', 'trail-anchor-0000006')).toBe('delivered');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('an untouched trail agrees with its newest anchor', async () => {
      const result = await anchoredVerify();
      expect(result).toMatchObject({ ok: true, problems: [], anchoring: { configured: true, agreesThrough: 6, newest: { seq: 6, agrees: true } } });
    });

    it('an event edited and every later one re-chained with the product\'s own function, the head updated: the anchor disagrees', async () => {
      // The attack of issue 24.4: change who recorded the facts, re-chain, move the head. The chain alone is intact.
      const all = (await events()).sort((a, b) => (a.seq as number) - (b.seq as number));
      let head: TrailHead | undefined;
      for (const item of all) {
        const { PK, SK, entity, incidentId, version, seq: _s, prevHash: _p, hash: _h, ...rest } = item;
        const event = { ...(rest as unknown as TimelineEvent), ...(item.seq === 2 ? { actor: 'mallory' } : {}) };
        const link = chainEvent(head, 'INC-T-1', event);
        head = link.head;
        await doc.send(new PutCommand({ TableName: tableName, Item: { PK, SK, entity, incidentId, version, ...link.event } }));
      }
      await doc.send(new UpdateCommand({ TableName: tableName, Key: { PK: 'INC#INC-T-1', SK: 'META' }, UpdateExpression: 'SET #t = :t', ExpressionAttributeNames: { '#t': 'trail' }, ExpressionAttributeValues: { ':t': head } }));
      expect(await verify()).toMatchObject({ ok: true }); // the chain checked against itself is fooled
      const result = await anchoredVerify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'anchor-mismatch', seq: 6 })]);
      expect(result.problems[0]!.detail).toMatch(/changed after event 0 and at or before event 6/);
    });

    it('an anchor not signed by the trusted key is reported, and a removed tail is named', async () => {
      const other = LocalTrailKey.loadOrCreate(join(dir, 'other', 'ed25519.pem'));
      const unsigned = { incidentId: 'INC-T-1', seq: 6, hash: 'f'.repeat(64), anchoredAt: new Date().toISOString(), reason: 'forged', keyId: other.keyId };
      await log.append({ ...unsigned, signature: await other.sign(anchorStatement(unsigned)) });
      expect((await anchoredVerify()).problems).toEqual([expect.objectContaining({ kind: 'anchor-signature', seq: 6 })]);

      const last = (await events()).find((e) => e.seq === 6)!;
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: last.PK, SK: last.SK } }));
      const fifth = (await events()).find((e) => e.seq === 5)!;
      await doc.send(new UpdateCommand({ TableName: tableName, Key: { PK: 'INC#INC-T-1', SK: 'META' }, UpdateExpression: 'SET #t = :t', ExpressionAttributeNames: { '#t': 'trail' }, ExpressionAttributeValues: { ':t': { seq: 5, hash: fifth.hash } } }));
      const result = await anchoredVerify();
      expect(result.problems.map((p) => p.kind).sort()).toEqual(['anchor-mismatch', 'anchor-signature']);
      expect(result.problems.find((p) => p.kind === 'anchor-mismatch')!.detail).toMatch(/trail ends at event 5/);
    });
  });
});
