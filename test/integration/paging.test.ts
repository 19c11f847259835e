import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { handleSlashCommand } from '../../lambdas/app/slack-interactions.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { parseRoleMap } from '../../lambdas/domain/roles.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

/** Issue 14.4: every list is paged, most urgent deadline first across pages. */
describe('paged lists of open incidents on DynamoDB Local', () => {
  let store: DynamoIncidentStore;
  let clock: FakeClock;
  let api: ReturnType<typeof makeApiHandler>;
  const ids = sequentialIds('INC-P');

  beforeEach(async () => {
    ({ store } = await freshTable());
    clock = new FakeClock(hoursAfter(T0, 48));
    api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] } });
    // 20 incidents detected at scattered times over the last two days (their GDPR deadlines in that order).
    for (let i = 0; i < 20; i++) {
      const detected = hoursAfter(T0, (i * 7) % 47);
      await ingestAlert({ store, clock, ids, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: `f-${i}`, title: `Incident ${i}`, severity: 'high', observedAt: detected.toISOString() });
    }
  });

  const page = async (query: string) => {
    const result = await api(httpEvent('GET', `/api/incidents${query}`, { headers: { authorization: 'Bearer t' } }), lambdaContext);
    return { status: result.statusCode, body: parse(result) };
  };
  const earliestDue = (incident: { clocks: { dueAt: string }[]; regimeClocks: { dueAt: string | null; status: string }[] }) =>
    [incident.clocks[0]!.dueAt, ...incident.regimeClocks.filter((c) => c.dueAt && (c.status === 'running' || c.status === 'overdue')).map((c) => c.dueAt!)].sort()[0]!;

  it('returns every incident exactly once while new ones arrive, most urgent deadline first across pages; a bad cursor is a 400', async () => {
    // One incident's deadline moves earlier than all others: NIS2 applies (24 hours from its awareness).
    await actOnIncident({ store, clock, ladder: DEFAULT_LADDER }, 'INC-P-20', { type: 'record-facts', facts: { sectors: { nis2: 'essential' } } as never }, 'rita');
    const before = new Set((await store.listOpenIncidents()).map((i) => i.id));
    const seen: string[] = [];
    const dues: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const answer = await page(`?limit=6${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.incidents.length).toBeLessThanOrEqual(6);
      seen.push(...answer.body.incidents.map((i: { id: string }) => i.id));
      dues.push(...answer.body.incidents.map(earliestDue));
      // New alerts open new incidents between pages (their deadlines are 72 h from now: later than all).
      await ingestAlert({ store, clock, ids, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: `new-${pages}`, title: 'New', severity: 'low' });
      next = answer.body.next;
      pages++;
    } while (next && pages < 20);
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(dues).toEqual([...dues].sort());
    expect(seen[0]).toBe('INC-P-20');

    for (const [query, path] of [['?next=abc', 'query.next'], ['?limit=0', 'limit'], [`?next=${Buffer.from(JSON.stringify({ sk: 'ALERT#x' })).toString('base64url')}`, 'query.next']] as const) {
      const refused = await page(query);
      expect(refused.status).toBe(400);
      expect(refused.body.error.details[0].path).toBe(path);
    }
  });

  it('/breach list answers a page at a time and says how to see more', async () => {
    const deps = { store, clock, ladder: DEFAULT_LADDER, roles: parseRoleMap({ users: {}, defaultRoles: ['responder'] }), web: {} as never, enqueue: async () => {}, once: async () => true };
    const form = (text: string) => new URLSearchParams({ text, user_id: 'U0RESP1', user_name: 'rita' });
    const first = await handleSlashCommand(deps, form('list'));
    const lines = first.text.split('\n');
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(15);
    const more = /^more: `\/breach list (\S+)`$/.exec(lines.at(-1)!);
    expect(more).not.toBeNull();
    const second = await handleSlashCommand(deps, form(`list ${more![1]}`));
    expect(second.text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(5);
    expect(second.text).not.toMatch(/more:/);
    expect((await handleSlashCommand(deps, form('list nonsense'))).text).toMatch(/Not a cursor of this list/);
  });
});
