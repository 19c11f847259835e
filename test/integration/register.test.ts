import { parse as parseCsv } from 'csv-parse/sync';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { DynamoNoticeStore } from '../../lambdas/adapters/dynamo/dynamo-notice-store.js';
import { actOnIncident } from '../../lambdas/app/act-on-incident.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { hoursAfter, T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

/** The Art. 33(5) register: every breach, notified or not, exportable. */
describe('register on DynamoDB Local', () => {
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
      auth: { mode: 'token', tokens: ['t'] },
      notices: { store, notices, clock, ladder: DEFAULT_LADDER, organisation: { name: 'Shop', dpo: { name: 'D', email: 'd@x.example' } } } as never,
    });
    const ingest = (fingerprint: string, title: string, at: Date) =>
      ingestAlert({ store, clock, ids: sequentialIds(`INC-${fingerprint}`), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint, title, severity: 'high', observedAt: at.toISOString() });
    const act = (id: string, action: Parameters<typeof actOnIncident>[2], actor: string) => actOnIncident({ store, clock, ladder: DEFAULT_LADDER }, id, action, actor);

    // 1: notified (the authority notification submitted in time)
    await ingest('a', 'Customer export', T0);
    await act('INC-a-1', { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 300 }, { code: 'US-CA', affected: 501 }, { code: 'US-FL', affected: 499 }], dataCategories: ['contact', 'credentials'] } }, 'rita');
    await act('INC-a-1', { type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords exfiltrated' }, 'dana');
    await act('INC-a-1', { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk to customers' }, 'dana');
    await act('INC-a-1', { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena');
    clock.set(hoursAfter(T0, 30));
    await act('INC-a-1', { type: 'record-submission', regime: 'gdpr-art33', obligation: 'authority-notification', submittedAt: hoursAfter(T0, 29).toISOString(), reference: 'DPC-1' }, 'dana');
    // 2: not notified, documented only (and a hostile title)
    await ingest('b', '=HYPERLINK("https://evil.example","click")', hoursAfter(T0, 30));
    await act('INC-b-1', { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 2 }], dataCategories: ['contact'] } }, 'rita');
    await act('INC-b-1', { type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'limited', malicious: false, unknownRecipients: false }, rationale: 'Sent to a known partner by mistake' }, 'dana');
    await act('INC-b-1', { type: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'Unlikely to result in a risk: partner deleted it' }, 'dana');
    await act('INC-b-1', { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena');
    // 3: dismissed
    await ingest('c', 'CPU alarm that was not a breach', hoursAfter(T0, 31));
    await act('INC-c-1', { type: 'dismiss', reason: 'Load test, no data touched at all' }, 'dana');
    clock.set(hoursAfter(T0, 100));
  });

  const get = (query: string) => api(httpEvent('GET', `/api/register?${query}`, { headers: { authorization: 'Bearer t' } }), lambdaContext);

  it('lists every incident of the period, notified or not, with decisions, clocks met or missed, and who decided', async () => {
    const result = parse(await get(`from=${T0.toISOString().slice(0, 10)}`));
    expect(result.entries.map((e: { incidentId: string; outcome: string }) => [e.incidentId, e.outcome])).toEqual([
      ['INC-a-1', 'notified'],
      ['INC-b-1', 'not-notified'],
      ['INC-c-1', 'dismissed'],
    ]);
    const [notified, documented, dismissed] = result.entries;
    expect(notified.clocks[0]).toMatchObject({ regime: 'gdpr-art33', result: 'met', reference: 'DPC-1' });
    expect(notified.decisions[0]).toMatchObject({ notify: true, proposedBy: 'dana', confirmedBy: 'lena', rationale: 'High risk to customers' });
    expect(notified.effects).toMatchObject({ riskLevel: 'high', assessedBy: 'dana', breachTypes: ['confidentiality'] });
    expect(notified.trailHead).toMatch(/^[0-9a-f]{64}$/);
    expect(documented.decisions[0]).toMatchObject({ notify: false, confirmedBy: 'lena' });
    expect(documented.clocks[0].result).toBe('not-required');
    expect(dismissed.dismissal).toMatchObject({ by: 'dana', reason: 'Load test, no data touched at all' });
    // Per jurisdiction (issue 28.6): the laws whose clocks run there and each threshold, crossed or short by how many.
    expect(notified.byJurisdiction.map((j: { code: string; regimes: { regime: string }[] }) => [j.code, j.regimes.map((r) => r.regime)])).toEqual([
      ['EU', ['gdpr-art33']],
      ['US-CA', ['california-1798-82']],
      ['US-FL', ['us-fl-breach']],
    ]);
    expect(notified.byJurisdiction[1].thresholds).toEqual([expect.objectContaining({ obligation: 'attorney-general', rule: 'more than 500', affected: 501, crossed: true, margin: 0 })]);
    expect(notified.byJurisdiction[2].thresholds).toEqual([
      expect.objectContaining({ obligation: 'attorney-general', rule: 'at least 500', affected: 499, crossed: false, margin: -1 }),
      expect.objectContaining({ obligation: 'consumer-reporting-agencies', rule: 'more than 1,000', crossed: false, margin: -502 }),
    ]);
    // Defaults are not facts (issue 25.2): no facts recorded, no "EU: 0", no "0 people", the role said to be assumed.
    expect(dismissed.facts).toMatchObject({ jurisdictions: [], affected: null, role: 'controller (assumed: no role recorded)' });
    expect(dismissed.byJurisdiction).toEqual([]);
  });

  it('filters by outcome, regime and period', async () => {
    expect(parse(await get(`from=2026-03-01&outcome=not-notified`)).entries.map((e: { incidentId: string }) => e.incidentId)).toEqual(['INC-b-1']);
    expect(parse(await get(`from=2026-03-01&regime=uk-gdpr-art33`)).entries).toEqual([]);
    expect(parse(await get(`from=${hoursAfter(T0, 30).toISOString()}`)).entries.map((e: { incidentId: string }) => e.incidentId)).toEqual(['INC-b-1', 'INC-c-1']);
    expect((await get('outcome=bogus')).statusCode).toBe(400);
    expect((await get('from=2026-05-01&to=2026-04-01')).statusCode).toBe(400);
  });

  it('bounds the period (issue 27.5): an absurd range is a 400 naming the limit, dates must be real, a far-future end answers at once, a normal range still works', async () => {
    const absurd = await get('from=2000-01-01&to=9999-12-31');
    expect(absurd.statusCode).toBe(400);
    expect(parse(absurd).error).toMatchObject({ code: 'period_too_long', message: expect.stringContaining('10 years') });
    const unreal = await get('from=2026-02-30');
    expect(unreal.statusCode).toBe(400);
    expect(parse(unreal).error.details).toEqual([expect.objectContaining({ path: 'from' })]);
    // One query per month of the period; the years past 9999 no longer compare below the end as text.
    const started = Date.now();
    const farFuture = await get('to=9999-12-31');
    expect(farFuture.statusCode).toBe(200);
    expect(parse(farFuture).entries).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    const tenYears = await get(`from=${new Date(T0.getTime() - 9 * 365 * 86_400_000).toISOString().slice(0, 10)}&to=${hoursAfter(T0, 200).toISOString().slice(0, 10)}`);
    expect(tenYears.statusCode).toBe(200);
    expect(parse(tenYears).entries).toHaveLength(3);
  }, 20_000);

  it('stops reading when the request\'s deadline passes and says so (truncated), rather than never answering', async () => {
    const { buildRegister } = await import('../../lambdas/app/register.js');
    const period = { from: '2020-01-01T00:00:00.000Z', to: hoursAfter(T0, 200).toISOString(), limit: 5_000 };
    const past = await buildRegister({ store, clock }, { ...period, deadline: Date.now() - 1 });
    expect(past).toEqual({ entries: [], truncated: true, stoppedAtDeadline: true });
    const ahead = await buildRegister({ store, clock }, { ...period, deadline: Date.now() + 20_000 });
    expect(ahead).toMatchObject({ truncated: false, stoppedAtDeadline: false });
    expect(ahead.entries).toHaveLength(3);
  });

  it('exports CSV that a CSV parser reads back, with formula cells neutralised', async () => {
    const response = await get(`from=2026-03-01&format=csv`);
    expect(response.headers!['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(response.body!, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.incident)).toEqual(['INC-a-1', 'INC-b-1', 'INC-c-1']);
    expect(rows[0]).toMatchObject({ outcome: 'notified', risk_level: 'high', people_affected: '1300', jurisdictions: 'EU:300; US-CA:501; US-FL:499' });
    expect(rows[0]!.thresholds).toBe('US-CA california-1798-82/attorney-general: more than 500 (501: crossed) | US-FL us-fl-breach/attorney-general: at least 500 (499: 1 short) | US-FL us-fl-breach/consumer-reporting-agencies: more than 1,000 (499: 502 short)');
    expect(rows[2]).toMatchObject({ people_affected: '', jurisdictions: '', role: 'controller (assumed: no role recorded)' });
    expect(rows[0]!.decisions).toMatch(/gdpr-art33: notify \(proposed by dana, confirmed by lena\) because High risk to customers/);
    expect(rows[0]!.clocks).toMatch(/gdpr-art33\/authority-notification \(v\d{4}-\d{2}\): due .* met \(ref DPC-1/);
    expect(rows[1]!.title).toBe(`'=HYPERLINK("https://evil.example","click")`);
  });
});
