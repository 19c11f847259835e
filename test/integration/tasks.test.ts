import { parse as parseCsv } from 'csv-parse/sync';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DynamoNoticeStore } from '../../lambdas/adapters/dynamo/dynamo-notice-store.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { sweepDueTimers } from '../../lambdas/app/sweep-due-timers.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { taskTimerId } from '../../lambdas/domain/tasks/task-escalation.js';
import { defaultTaskTemplates } from '../../lambdas/domain/tasks/templates.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

const tasks = defaultTaskTemplates();

/** Response tasks on DynamoDB Local: created at opening, changed through the API, escalated by the sweep, into the paperwork. */
describe('response tasks on DynamoDB Local (issue 16)', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  let api: ReturnType<typeof makeApiHandler>;

  beforeEach(async () => {
    const table = await freshTable();
    store = table.store;
    clock = new FakeClock(T0);
    const notices = new DynamoNoticeStore(table.doc, table.tableName, store);
    api = makeApiHandler({
      store,
      clock,
      ladder: DEFAULT_LADDER,
      tasks,
      auth: { mode: 'token', tokens: ['t'] },
      notices: { store, notices, clock, ladder: DEFAULT_LADDER, tasks, organisation: { name: 'Shop', dpo: { name: 'D', email: 'd@x.example' } } } as never,
    });
    await ingestAlert(
      { store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, tasks },
      { source: 'guardduty', fingerprint: 'gd-1', title: 'Credential stuffing against the login API', severity: 'high', category: 'CredentialAccess:IAMUser/AnomalousBehavior', observedAt: T0.toISOString() },
    );
  });

  const call = async (method: string, url: string, body?: unknown, actor = 'rita') => {
    const result = await api(httpEvent(method, url, { body, headers: { authorization: 'Bearer t', 'x-actor': actor } }), lambdaContext);
    return { status: result.statusCode, body: parse(result) };
  };
  const act = (body: unknown, actor = 'rita') => call('POST', '/api/incidents/INC-T-1/actions', body, actor);
  const sweep = (sent: string[]) => sweepDueTimers({ store, clock, ladder: DEFAULT_LADDER, redeliver: async (_incident, messageId) => void sent.push(messageId) });

  it('an incident opens with its kind\'s tasks and their timers; the API lists them and "my tasks"', async () => {
    const detail = await call('GET', '/api/incidents/INC-T-1');
    expect(detail.body.incident.kind).toBe('credential-compromise');
    const revoke = detail.body.incident.tasks.find((t: { id: string }) => t.id === 'credential-compromise.revoke-sessions');
    expect(revoke).toMatchObject({ status: 'open', role: 'responder', blocksClose: true, dueAt: hoursAfter(T0, 1).toISOString(), overdue: false });
    const timers = await store.listTimers('INC-T-1');
    expect(timers.find((t) => t.timerId === taskTimerId('credential-compromise.revoke-sessions'))).toMatchObject({ status: 'pending', dueAt: hoursAfter(T0, 1).toISOString() });

    expect((await act({ action: 'assign-task', taskId: 'credential-compromise.revoke-sessions' })).status).toBe(200);
    expect((await act({ action: 'assign-task', taskId: 'credential-compromise.revoke-sessions' }, 'sam')).body.error).toMatchObject({ code: 'task_conflict', message: expect.stringMatching(/already taken by rita/) });
    expect((await act({ action: 'add-task', title: 'Tell the card processor', phase: 'contain', role: 'legal', dueAt: hoursAfter(T0, 6).toISOString() }, 'dana')).status).toBe(200);
    const mine = await call('GET', '/api/tasks?owner=me');
    expect(mine.body.owner).toBe('rita');
    expect(mine.body.tasks.map((t: { id: string; incidentId: string }) => `${t.incidentId}/${t.id}`)).toEqual(['INC-T-1/credential-compromise.revoke-sessions']);
    const legal = await call('GET', '/api/tasks?role=legal');
    expect(legal.body.tasks.map((t: { id: string }) => t.id)).toEqual(['manual.1']);
    expect((await call('GET', '/api/tasks?status=nope')).status).toBe(400);
    const list = await call('GET', '/api/incidents');
    expect(list.body.incidents[0].tasks).toMatchObject({ open: expect.any(Number), overdue: 0, blocking: expect.any(Number) });
    const timeline = (await call('GET', '/api/incidents/INC-T-1')).body.timeline.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(['incident.opened', 'task.assigned', 'task.added']);
  });

  it('"my tasks" is paged (issue 14.4): every task exactly once across pages in the incidents\' deadline order, while new incidents open; a foreign cursor is a 400', async () => {
    const ingest = { store, clock, ids: sequentialIds('INC-P'), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING, tasks };
    // 59 more incidents, detected a minute apart (so their GDPR deadlines are in that order); Rita takes one task on each.
    for (let n = 1; n < 60; n++) {
      clock.set(minutesAfter(T0, n));
      await ingestAlert(ingest, { source: 'guardduty', fingerprint: `gd-p-${n}`, title: `Credential stuffing ${n}`, severity: 'high', category: 'CredentialAccess:IAMUser/AnomalousBehavior', observedAt: minutesAfter(T0, n).toISOString() });
    }
    const open = await store.listOpenIncidents();
    expect(open).toHaveLength(60);
    for (const incident of open) expect((await call('POST', `/api/incidents/${encodeURIComponent(incident.id)}/actions`, { action: 'assign-task', taskId: 'credential-compromise.revoke-sessions' })).status).toBe(200);

    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page = await call('GET', `/api/tasks?owner=me&limit=7${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      expect(page.status).toBe(200);
      // Whole incidents of 25 a read: a page passes the limit by at most one read's tasks, and never misses one.
      expect(page.body.tasks.length).toBeGreaterThanOrEqual(Math.min(7, 60 - seen.length));
      seen.push(...page.body.tasks.map((t: { incidentId: string; id: string }) => t.incidentId));
      if (pages === 0) {
        // New incidents open meanwhile, with deadlines after the others: they come on a later page.
        clock.set(hoursAfter(T0, 2));
        await ingestAlert(ingest, { source: 'guardduty', fingerprint: 'gd-late', title: 'Late', severity: 'high', category: 'CredentialAccess:IAMUser/AnomalousBehavior', observedAt: hoursAfter(T0, 2).toISOString() });
      }
      next = page.body.next;
      pages++;
    } while (next);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(60);
    expect(seen).toHaveLength(60);
    // Across pages, the incidents' order: the GDPR deadline, detection + 72 h.
    expect(seen).toEqual([...open].sort((a, b) => a.detectedAt.localeCompare(b.detectedAt)).map((i) => i.id));
    const foreign = await call('GET', `/api/tasks?owner=me&next=${Buffer.from(JSON.stringify({ sk: 'ALERT#x' })).toString('base64url')}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'invalid_cursor' });
  }, 60_000);

  it('an overdue task escalates exactly once, with catch-up: several due at once are one message', async () => {
    const sent: string[] = [];
    clock.set(hoursAfter(T0, 5)); // revoke (1 h), rotate (4 h), scope (4 h) overdue; the ladder's 15-minute step too
    const first = await sweep(sent);
    expect(first.errors).toBe(0);
    let detail = (await store.getIncidentDetail('INC-T-1'))!;
    const taskEvents = detail.timeline.filter((e) => e.type === 'task.overdue');
    expect(taskEvents).toHaveLength(1);
    expect(taskEvents[0]!.data!.tasks).toEqual(expect.arrayContaining(['credential-compromise.revoke-sessions', 'credential-compromise.rotate-credentials', 'common.scope']));
    const taskMessages = detail.messages.filter((m) => m.messageId.includes('.task.'));
    expect(taskMessages.map((m) => m.channel)).toEqual(expect.arrayContaining(['slack', 'sns']));
    expect(taskMessages).toHaveLength(2);
    // Sweeping again (a retry, a concurrent sweep, the next minute): nothing more.
    await sweep(sent);
    clock.set(hoursAfter(T0, 5.5));
    await sweep(sent);
    detail = (await store.getIncidentDetail('INC-T-1'))!;
    expect(detail.timeline.filter((e) => e.type === 'task.overdue')).toHaveLength(1);
    expect(detail.timers.filter((t) => t.timerId.startsWith('task.') && t.status === 'pending' && t.dueAt <= clock.now().toISOString())).toHaveLength(0);
    // The three went out together and each is marked: none of them escalates again.
    expect(detail.incident.tasks!.filter((t) => t.escalatedAt)).toHaveLength(3);
  });

  it('closing with blocking tasks open is refused (409 naming them) unless overridden; completed measures fill the notice draft and the register', async () => {
    await act({ action: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 300 }], dataCategories: ['contact', 'credentials'] } });
    clock.set(minutesAfter(T0, 40));
    await act({ action: 'complete-task', taskId: 'credential-compromise.revoke-sessions', note: 'Okta sessions revoked for 40 accounts' });
    clock.set(hoursAfter(T0, 3));
    await act({ action: 'complete-task', taskId: 'credential-compromise.rotate-credentials', note: '40 passwords reset' });

    // The tasks suggest the authority notice's "measures taken", with times, and "measures proposed" from the open
    // ones (issue 26.2): a suggestion, not the notice's content, until an officer accepts it.
    const created = await call('POST', '/api/incidents/INC-T-1/notices', { kind: 'gdpr-authority' }, 'dana');
    expect(created.status).toBe(201);
    type Element = { id: string; value?: string; source: string; suggestion?: { text: string; hash: string; language: string } };
    const elements = new Map<string, Element>(created.body.draft.elements.map((e: Element) => [e.id, e]));
    const taken = '2026-03-27 23:10 UTC: Revoke active sessions and tokens of the affected accounts (Okta sessions revoked for 40 accounts); 2026-03-28 01:30 UTC: Reset passwords and rotate keys of the affected accounts (40 passwords reset)';
    expect(elements.get('measures-taken')).toMatchObject({ source: 'missing', suggestion: { text: taken, language: 'en' } });
    expect(elements.get('measures-taken')).not.toHaveProperty('value');
    expect(elements.get('measures-proposed')!.suggestion!.text).toMatch(/^Enforce MFA on the affected accounts \(by 2026-03-28 22:30 UTC\)/);
    expect(created.body.draft.missing.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['measures-taken', 'measures-proposed']));
    const noticeId = created.body.notice.noticeId;
    const actions = `/api/incidents/INC-T-1/notices/${noticeId}/actions`;
    // Accepting it is an edit by that officer (permission edit-notice: dpo, legal), naming the suggestion read.
    const stale = await call('POST', actions, { action: 'accept-suggestion', element: 'measures-taken', expectedVersion: 1, suggestionHash: 'f'.repeat(64) }, 'dana');
    expect(stale.status).toBe(409);
    const accepted = await call('POST', actions, { action: 'accept-suggestion', element: 'measures-taken', expectedVersion: 1, suggestionHash: elements.get('measures-taken')!.suggestion!.hash }, 'dana');
    expect(accepted.status).toBe(200);
    expect(accepted.body.notice).toMatchObject({ version: 2, authors: ['dana'] });
    expect(accepted.body.draft.elements.find((e: Element) => e.id === 'measures-taken')).toMatchObject({ source: 'field', value: taken });
    // Editable before approval: the officer's words replace the accepted ones.
    const edited = await call('POST', actions, { action: 'edit', expectedVersion: 2, fields: { 'measures-taken': 'Sessions revoked and passwords reset within three hours.' } }, 'dana');
    expect(edited.body.draft.elements.find((e: { id: string }) => e.id === 'measures-taken')).toMatchObject({ source: 'field', value: 'Sessions revoked and passwords reset within three hours.' });

    await act({ action: 'dismiss', reason: 'Our own red team, agreed in advance' }, 'dana');
    const refused = await act({ action: 'close', reason: 'Red team exercise closed out' }, 'dana');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/open blocking tasks: "Preserve logs/);
    const closed = await act({ action: 'close', reason: 'Red team exercise closed out', override: 'An exercise: the evidence is the red team report' }, 'dana');
    expect(closed.status).toBe(200);

    // The register: the notice's words where the officer wrote them (the edited draft), the tasks otherwise.
    const csv = await api(httpEvent('GET', `/api/register?from=2026-03-01&to=2026-04-30&format=csv`, { headers: { authorization: 'Bearer t' } }), lambdaContext);
    const [row] = parseCsv(csv.body!, { columns: true }) as Record<string, string>[];
    expect(row!.measures_taken).toBe('Sessions revoked and passwords reset within three hours.');
    expect(row!.measures_proposed).toMatch(/^Enforce MFA on the affected accounts/);
  });
});
