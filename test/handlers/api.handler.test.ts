import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { drainAlertStream, freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

const TOKEN = 'api-token';

describe('/api/incidents', () => {
  let store: DynamoIncidentStore;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  let tableName: string;
  let clock: FakeClock;
  let handler: ReturnType<typeof makeApiHandler>;

  beforeEach(async () => {
    ({ store, doc, tableName } = await freshTable());
    clock = new FakeClock(T0);
    handler = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: [TOKEN] } });
    const ingest = { store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
    await ingestAlert(ingest, { source: 'generic', fingerprint: 'a', title: 'Credential stuffing on login', severity: 'high', observedAt: T0.toISOString() });
    clock.set(hoursAfter(T0, 1));
    await ingestAlert(ingest, { source: 'generic', fingerprint: 'b', title: 'S3 bucket made public', severity: 'critical', observedAt: hoursAfter(T0, -10).toISOString() });
  });

  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'x-actor': 'dana.dpo' }) =>
    handler(httpEvent(method, url, { body, headers }), lambdaContext);

  it('lists open incidents, most urgent deadline first, with their GDPR clock', async () => {
    const result = await call('GET', '/api/incidents');
    expect(result.statusCode).toBe(200);
    const { incidents } = parse(result);
    expect(incidents.map((i: { id: string }) => i.id)).toEqual(['INC-T-2', 'INC-T-1']);
    expect(incidents[1].clocks[0]).toMatchObject({
      clock: 'gdpr-art33',
      trigger: 'detectedAt',
      dueAt: hoursAfter(T0, 72).toISOString(),
      timeLeft: '2d 23h',
      status: 'running',
      provisional: true,
    });
  });

  it('shows one incident with facts, clock, timers, timeline and messages (no alert details, no message texts)', async () => {
    const body = parse(await call('GET', '/api/incidents/INC-T-1'));
    expect(body.incident).toMatchObject({ id: 'INC-T-1', status: 'detected', alertCount: 1 });
    expect(body.incident.clocks[0].dueAt).toBe(hoursAfter(T0, 72).toISOString());
    expect(body.timers).toHaveLength(5);
    expect(body.timeline[0].type).toBe('incident.opened');
    expect(body.messages[0]).not.toHaveProperty('text');
    expect(body.recentAlerts[0]).not.toHaveProperty('details');
  });

  it('pages an incident\'s alert instances (issue 12): each exactly once while new ones arrive, with first and last seen; a foreign cursor is a 400', async () => {
    const ingest = { store, clock, ids: sequentialIds('X'), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
    const instance = (n: number) => ({ source: 'generic', fingerprint: 'a', title: 'Credential stuffing on login', severity: 'high' as const, observedAt: T0.toISOString(), senderEventId: `i-${n}` });
    for (let n = 0; n < 11; n++) {
      clock.set(minutesAfter(hoursAfter(T0, 1), n));
      await ingestAlert(ingest, instance(n));
    }
    // The sender repeats instance 3 later: its last-seen time moves on, nothing is counted.
    clock.set(hoursAfter(T0, 2));
    expect((await ingestAlert(ingest, instance(3))).outcome).toBe('duplicate');

    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      await drainAlertStream(tableName, doc); // the alert stream counts attached alerts (ADR 0011)
      const page = await call('GET', `/api/incidents/INC-T-1/alerts?limit=5&order=oldest${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      expect(page.statusCode).toBe(200);
      const body = parse(page);
      expect(body.alertCount).toBe(pages === 0 ? 12 : 13);
      expect(body.alerts.length).toBeLessThanOrEqual(5);
      seen.push(...body.alerts.map((a: { alertId: string; receivedAt: string }) => `${a.receivedAt}#${a.alertId}`));
      for (const a of body.alerts) expect(a).not.toHaveProperty('raw');
      // New instances arrive between pages; oldest-first paging still returns each earlier one exactly once.
      if (pages === 0) {
        clock.set(hoursAfter(T0, 3));
        await ingestAlert(ingest, instance(99));
      }
      next = body.next;
      pages++;
    } while (next);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(13);
    expect(pages).toBe(3); // no empty page after the last

    const newest = parse(await call('GET', '/api/incidents/INC-T-1/alerts?limit=100'));
    expect(newest.order).toBe('newest');
    const repeated = newest.alerts.find((a: { senderEventId?: string }) => a.senderEventId === 'i-3');
    expect(repeated).toMatchObject({ receivedAt: minutesAfter(hoursAfter(T0, 1), 3).toISOString(), lastSeenAt: hoursAfter(T0, 2).toISOString(), repeats: 1 });
    expect(newest.alerts.find((a: { senderEventId?: string }) => a.senderEventId === 'i-4')).toMatchObject({ lastSeenAt: minutesAfter(hoursAfter(T0, 1), 4).toISOString(), repeats: 0 });
    expect(newest.next).toBeNull();

    // A cursor of another incident, a made-up one, and a limit beyond the maximum: clear 400s naming what.
    const other = parse(await call('GET', '/api/incidents/INC-T-1/alerts?limit=1'));
    const forged = Buffer.from(JSON.stringify({ sk: 'MSG#x' })).toString('base64url');
    for (const [url, path] of [
      [`/api/incidents/INC-T-1/alerts?next=${forged}`, 'query.next'],
      ['/api/incidents/INC-T-1/alerts?next=%%%', 'query.next'],
      ['/api/incidents/INC-T-1/alerts?limit=101', 'limit'],
    ] as const) {
      const refused = await call('GET', url);
      expect(refused.statusCode).toBe(400);
      expect(parse(refused).error.details[0].path).toBe(path);
    }
    expect(other.next).toEqual(expect.any(String));
    expect((await call('GET', '/api/incidents/INC-T-9/alerts')).statusCode).toBe(404);
  });

  it('confirms with awareAt and justification: the deadline becomes awareAt + 72 h, the actor is recorded', async () => {
    const awareAt = minutesAfter(T0, 30).toISOString();
    const result = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'confirm', awareAt, justification: 'Login logs show 40 accounts taken over' });
    expect(result.statusCode).toBe(200);
    expect(parse(result).incident).toMatchObject({ status: 'confirmed', awareAt, acknowledgedBy: 'dana.dpo' });
    expect(parse(result).incident.clocks[0]).toMatchObject({ trigger: 'awareAt', dueAt: hoursAfter(T0, 72.5).toISOString(), provisional: false });
    const detail = parse(await call('GET', '/api/incidents/INC-T-1'));
    expect(detail.timeline.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['incident.opened', 'source:generic'],
      ['incident.confirmed', 'dana.dpo'],
    ]);
  });

  it('answers 409 for an illegal transition, 400 for a bad action, 404 for an unknown incident, 401 without a token', async () => {
    await call('POST', '/api/incidents/INC-T-1/actions', { action: 'acknowledge' });
    const again = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'acknowledge' });
    expect(again.statusCode).toBe(409);
    expect(parse(again).error.message).toMatch(/already acknowledged by dana.dpo/);

    const bad = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'confirm', awareAt: 'now', justification: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(parse(bad).error.details[0].path).toBe('awareAt');

    const short = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'dismiss', reason: 'no' });
    expect(short.statusCode).toBe(400);
    expect(parse(short).error.details[0]).toMatchObject({ path: 'reason' });

    const unknownAction = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'delete' });
    expect(unknownAction.statusCode).toBe(400);

    expect((await call('GET', '/api/incidents/INC-NOPE')).statusCode).toBe(404);
    expect((await call('GET', '/api/incidents', undefined, {})).statusCode).toBe(401);
    expect((await call('DELETE', '/api/incidents/INC-T-1')).statusCode).toBe(405);
    // A malformed percent-encoding is the caller's mistake (issue 15.7), never a 500.
    expect((await call('GET', '/api/incidents/%ZZ')).statusCode).toBe(400);
    expect((await call('POST', '/api/incidents/%E0%A4%A/actions', { action: 'acknowledge' })).statusCode).toBe(400);
    expect((await call('GET', '/api/incidents/%ZZ/notices')).statusCode).toBe(404); // notices are not configured on this handler
  });

  it('takes the actor (the immutable sub, the username beside it) and the roles (Cognito groups) from the access token', async () => {
    const jwtHandler = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'jwt' } });
    const event = httpEvent('POST', '/api/incidents/INC-T-2/actions', { body: { action: 'acknowledge' } });
    expect((await jwtHandler(event, lambdaContext)).statusCode).toBe(401);
    event.requestContext.authorizer = { jwt: { claims: { sub: 'abc', username: 'oncall', token_use: 'access' } } };
    const noRole = await jwtHandler(event, lambdaContext);
    expect(noRole.statusCode).toBe(403);
    expect(parse(noRole).error.message).toMatch(/no breachclock role/);
    event.requestContext.authorizer = { jwt: { claims: { sub: 'abc', username: 'oncall', token_use: 'access', 'cognito:groups': '[responder]' } } };
    const result = await jwtHandler(event, lambdaContext);
    expect(parse(result).incident.acknowledgedBy).toBe('oncall [cognito:abc]');
    const dismiss = httpEvent('POST', '/api/incidents/INC-T-2/actions', { body: { action: 'dismiss', reason: 'A responder may not decide this' } });
    dismiss.requestContext.authorizer = { jwt: { claims: { sub: 'abc', username: 'oncall', token_use: 'access', 'cognito:groups': ['responder'] } } };
    expect(parse(await jwtHandler(dismiss, lambdaContext)).error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Only the DPO may dismiss/) });
  });

  it('security review: one person cannot be two for four eyes, whatever the token kind, e-mail or letter case (issue 11.1)', async () => {
    const jwtHandler = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'jwt' } });
    const as = (claims: Record<string, unknown>, body: unknown, path = '/api/incidents/INC-T-1/actions') => {
      const event = httpEvent('POST', path, { body });
      event.requestContext.authorizer = { jwt: { claims: { 'cognito:groups': ['dpo'], ...claims } } };
      return jwtHandler(event, lambdaContext);
    };
    // An ID token (with an e-mail the user may change) is refused outright.
    const idToken = await as({ sub: 'dpo-1', email: 'dpo@example.com', token_use: 'id' }, { action: 'acknowledge' });
    expect(parse(idToken).error.message).toMatch(/access token/);
    const access = { sub: 'dpo-1', username: 'dana', token_use: 'access' };
    await as(access, { action: 'assess-risk', input: { breachTypes: ['availability'], easeOfIdentification: 'negligible', malicious: false }, rationale: 'Outage only, no data exposed' });
    await as(access, { action: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'No risk: documented only' });
    // The same sub with another username (renamed) is still the same person.
    const again = await as({ ...access, username: 'Dana.Renamed' }, { action: 'confirm-decision', regime: 'gdpr-art33' });
    expect(parse(again).error.message).toMatch(/Four eyes/);
    expect(parse(await as({ sub: 'dpo-2', username: 'lena', token_use: 'access' }, { action: 'confirm-decision', regime: 'gdpr-art33' })).incident.status).toBeDefined();

    // Locally, the X-Actor's letter case does not make a second person.
    const local = (who: string, body: unknown) => call('POST', '/api/incidents/INC-T-2/actions', body, { authorization: `Bearer ${TOKEN}`, 'x-actor': who });
    await local('dpo1', { action: 'assess-risk', input: { breachTypes: ['availability'], easeOfIdentification: 'negligible', malicious: false }, rationale: 'Outage only, no data exposed' });
    await local('dpo1', { action: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'No risk: documented only' });
    expect(parse(await local('DPO1', { action: 'confirm-decision', regime: 'gdpr-art33' })).error.message).toMatch(/Four eyes/);
  });

  it('security review: reads need a role; raw alert payloads only through /evidence, for the DPO or legal, each read on the timeline (issue 11.2, 11.3)', async () => {
    const jwtHandler = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'jwt' } });
    const get = (path: string, groups: string[]) => {
      const event = httpEvent('GET', path);
      event.requestContext.authorizer = { jwt: { claims: { sub: 'u-1', username: 'someone', token_use: 'access', 'cognito:groups': groups } } };
      return jwtHandler(event, lambdaContext);
    };
    expect((await get('/api/incidents', [])).statusCode).toBe(403);
    expect((await get('/api/incidents/INC-T-1', [])).statusCode).toBe(403);
    const detail = parse(await get('/api/incidents/INC-T-1', ['responder']));
    expect(detail.recentAlerts[0]).not.toHaveProperty('raw');
    expect(detail.recentAlerts[0]).not.toHaveProperty('details');
    expect((await get('/api/incidents/INC-T-1/evidence', ['responder'])).statusCode).toBe(403);
    const evidence = parse(await get('/api/incidents/INC-T-1/evidence', ['legal']));
    expect(evidence.alerts).toEqual([expect.objectContaining({ alertId: expect.any(String), title: 'Credential stuffing on login' })]);
    const timeline = parse(await get('/api/incidents/INC-T-1', ['legal'])).timeline;
    expect(timeline.at(-1)).toMatchObject({ type: 'evidence.read', actor: 'someone [cognito:u-1]' });
  });

  it('GET /api/me says who the caller is and what their roles allow, even with no role (the desk shows only those actions)', async () => {
    const jwtHandler = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'jwt' } });
    const me = async (groups: string[]) => {
      const event = httpEvent('GET', '/api/me');
      event.requestContext.authorizer = { jwt: { claims: { sub: 'u-9', username: 'rita', token_use: 'access', 'cognito:groups': groups } } };
      return parse(await jwtHandler(event, lambdaContext));
    };
    expect(await me([])).toEqual({ actor: 'rita [cognito:u-9]', roles: [], permissions: [] });
    const responder = await me(['responder', 'not-a-role']);
    expect(responder.roles).toEqual(['responder']);
    expect(responder.permissions).toEqual(expect.arrayContaining(['view', 'acknowledge', 'record-facts']));
    expect(responder.permissions).not.toContain('confirm');
    expect(responder.permissions).not.toContain('approve-notice');
    expect((await me(['dpo'])).permissions).toEqual(expect.arrayContaining(['confirm', 'confirm-decision', 'approve-notice', 'view-evidence']));
    // Locally the token holder has every role.
    const local = parse(await handler(httpEvent('GET', '/api/me', { headers: { authorization: `Bearer ${TOKEN}`, 'x-actor': 'dana' } }), lambdaContext));
    expect(local).toMatchObject({ actor: 'dana', roles: ['responder', 'dpo', 'legal', 'executive'] });
  });
});

describe('/api/incidents: recording facts and every regime clock', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  let handler: ReturnType<typeof makeApiHandler>;

  beforeEach(async () => {
    ({ store } = await freshTable());
    clock = new FakeClock(T0);
    handler = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: [TOKEN] } });
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'a', title: 'Card data exposure', severity: 'critical', observedAt: T0.toISOString() });
  });

  const call = (method: string, url: string, body?: unknown) =>
    handler(httpEvent(method, url, { body, headers: { authorization: `Bearer ${TOKEN}`, 'x-actor': 'dana.dpo' } }), lambdaContext);

  it('assumes an EU controller until facts are recorded, then shows every applicable clock', async () => {
    const before = parse(await call('GET', '/api/incidents/INC-T-1')).incident;
    expect(before.factsRecorded).toBe(false);
    expect(before.regimeClocks.map((c: { regime: string }) => c.regime)).toEqual(['gdpr-art33']);

    const recorded = await call('POST', '/api/incidents/INC-T-1/actions', {
      action: 'record-facts',
      facts: { jurisdictions: [{ code: 'EU', affected: 4000 }, { code: 'US-CA', affected: 700 }], role: 'controller', dataCategories: ['payment', 'contact'], sectors: { nis2: 'important' } },
    });
    expect(recorded.statusCode).toBe(200);
    const after = parse(await call('GET', '/api/incidents/INC-T-1'));
    expect(after.incident.factsRecorded).toBe(true);
    expect(after.incident.regimeClocks.map((c: { regime: string; obligation: string }) => `${c.regime}/${c.obligation}`)).toEqual([
      'nis2-art23/early-warning',
      'gdpr-art33/authority-notification',
      'nis2-art23/incident-notification',
      'california-1798-82/resident-notice',
      'nis2-art23/final-report',
      'california-1798-82/attorney-general', // 15 days after the residents are told (chained)
    ]);
    expect(after.timeline.at(-1)).toMatchObject({ type: 'incident.facts-recorded', actor: 'dana.dpo' });
  });

  it('says what is wrong in recorded facts, with the path', async () => {
    const bad = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'record-facts', facts: { jurisdictions: [{ code: 'MARS', affected: 1 }] } });
    expect(bad.statusCode).toBe(400);
    expect(parse(bad).error.details[0].path).toBe('facts.jurisdictions.0.code');
    const future = await call('POST', '/api/incidents/INC-T-1/actions', { action: 'record-facts', facts: { materialityDeterminedAt: '2030-01-01T00:00:00Z' } });
    expect(future.statusCode).toBe(400);
    expect(parse(future).error.details[0]).toMatchObject({ path: 'facts.materialityDeterminedAt' });
  });
});
