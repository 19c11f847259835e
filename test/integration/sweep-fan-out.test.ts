import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client.js';
import { duePages, settleDuePage, sweepDueTimers, type SweepDeps } from '../../lambdas/app/sweep-due-timers.js';
import { DEFAULT_LADDER, planTimers, timerIdFor } from '../../lambdas/domain/escalation-ladder.js';
import { openIncident } from '../../lambdas/domain/incident.js';
import { makeSweepHandler } from '../../lambdas/handlers/sweep-due-timers.handler.js';
import type { DuePage } from '../../lambdas/ports/timer-store.js';
import { seedOpenIncidents } from '../../bench/seed-incidents.js';
import { InProcessDuePageQueue } from '../../local/in-process-due-page-queue.js';
import { freshTable, testEndpoint } from '../support/dynamo.js';
import { FakeClock } from '../support/fakes.js';
import { hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';

/** A queue that keeps what the tick hands out, for the test to deliver as it likes. */
class HeldPages {
  readonly pages: DuePage[] = [];
  async enqueue(pages: readonly DuePage[]): Promise<void> {
    this.pages.push(...pages);
  }
}

/** Escalation events per incident and step, and escalation messages per incident. */
async function escalations(store: DynamoIncidentStore, count: number, prefix: string, now = new Date(0)) {
  const eventsPerStep = new Map<string, number>();
  const messagesPerIncident = new Map<string, number>();
  const timers = { fired: 0, skipped: 0, pending: 0 };
  for (let i = 0; i < count; i++) {
    const detail = (await store.getIncidentDetail(`${prefix}-${i}`))!;
    for (const event of detail.timeline.filter((e) => e.type === 'escalation.fired')) {
      const key = `${detail.incident.id}|${(event.data as { stepId: string }).stepId}`;
      eventsPerStep.set(key, (eventsPerStep.get(key) ?? 0) + 1);
    }
    messagesPerIncident.set(detail.incident.id, detail.messages.filter((m) => m.kind === 'escalation').length);
    for (const timer of detail.timers) if (Date.parse(timer.dueAt) <= now.getTime() && timer.status in timers) timers[timer.status as keyof typeof timers]++;
  }
  const duplicates = [...eventsPerStep.values()].reduce((sum, n) => sum + n - 1, 0);
  return { events: eventsPerStep.size, duplicates, messagesPerIncident, timers };
}

/** Issue 27.2 / ADR 0016: a burst is paged out of the due index to workers; each step fires once however pages are delivered. */
describe('the sweep fans a burst out in pages, and each step fires exactly once (DynamoDB Local)', () => {
  let store: DynamoIncidentStore;
  let tableName: string;
  let doc: Awaited<ReturnType<typeof freshTable>>['doc'];
  const COUNT = 40;
  const deps = (s: DynamoIncidentStore, clock: FakeClock, queue?: HeldPages | InProcessDuePageQueue): SweepDeps => ({
    store: s,
    clock,
    ladder: DEFAULT_LADDER,
    redeliver: async () => {},
    ...(queue ? { fanOut: { queue, inlineMax: 10, pageSize: 8 } } : {}),
  });
  /** A second worker: its own client and store (a different Lambda instance), nothing shared. */
  const otherWorker = () => new DynamoIncidentStore(createDocumentClient({ endpoint: testEndpoint(), region: 'local' }), tableName);

  beforeEach(async () => {
    ({ store, tableName, doc } = await freshTable());
    await seedOpenIncidents(store, COUNT, 8, (i) => {
      const opened = openIncident({ id: `INC-F-${i}`, title: `Incident ${i}`, severity: 'high', source: 'generic', fingerprint: `f-${i}` }, T0);
      return { ...opened, timers: planTimers(opened.incident, DEFAULT_LADDER) };
    });
  }, 60_000);

  it('hands a burst above the inline limit out in pages (nothing fired by the tick), then fires each step once', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16));
    const held = new HeldPages();
    const tick = await sweepDueTimers(deps(store, clock, held));
    expect(tick).toMatchObject({ fannedOut: COUNT, fired: 0, pages: held.pages.length });
    expect(held.pages.flatMap((p) => p.items)).toHaveLength(COUNT);
    expect(held.pages.every((p) => p.items.length <= 8)).toBe(true);
    let fired = 0;
    for (const page of held.pages) fired += (await settleDuePage(deps(store, clock), page)).fired;
    expect(fired).toBe(COUNT);
    const after = await escalations(store, COUNT, 'INC-F');
    expect(after).toMatchObject({ events: COUNT, duplicates: 0 });
    expect([...after.messagesPerIncident.values()].every((n) => n === 2)).toBe(true); // Slack and SNS, once each
    // The index is empty of due steps now: the next tick has nothing to hand out.
    const next = new HeldPages();
    expect((await sweepDueTimers(deps(store, clock, next))).due).toBe(0);
  }, 60_000);

  it('the same pages delivered twice (SQS redelivery) fire nothing the second time', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16));
    const held = new HeldPages();
    await sweepDueTimers(deps(store, clock, held));
    for (const page of held.pages) await settleDuePage(deps(store, clock), page);
    const again = await Promise.all(held.pages.map((page) => settleDuePage(deps(store, clock), page)));
    expect(again.reduce((sum, r) => sum + r.fired, 0)).toBe(0);
    expect(again.reduce((sum, r) => sum + r.stale, 0)).toBe(COUNT);
    expect((await escalations(store, COUNT, 'INC-F')).duplicates).toBe(0);
  }, 60_000);

  it('two workers settling the same pages at once fire each step once', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16));
    const held = new HeldPages();
    await sweepDueTimers(deps(store, clock, held));
    const second = otherWorker();
    const reports = await Promise.all(held.pages.flatMap((page) => [settleDuePage(deps(store, clock), page), settleDuePage(deps(second, clock), page)]));
    expect(reports.reduce((sum, r) => sum + r.fired, 0)).toBe(COUNT);
    expect(reports.reduce((sum, r) => sum + r.errors, 0)).toBe(0);
    const after = await escalations(store, COUNT, 'INC-F');
    expect(after).toMatchObject({ events: COUNT, duplicates: 0 });
    expect([...after.messagesPerIncident.values()].every((n) => n === 2)).toBe(true);
  }, 60_000);

  it('catch-up holds across workers: two overdue steps of an incident in different pages, settled at once, give one message at the most severe level', async () => {
    const clock = new FakeClock(hoursAfter(T0, 25)); // the 15-minute and the 24-hour steps are both due
    const held = new HeldPages();
    await sweepDueTimers(deps(store, clock, held));
    const items = held.pages.flatMap((p) => p.items);
    expect(items).toHaveLength(2 * COUNT);
    // Worst case: every incident's two items split into two pages, each given to a different worker at once.
    const first: DuePage = { items: items.filter((item) => 'timerId' in item && item.timerId.endsWith('unacknowledged-15m')) };
    const second: DuePage = { items: items.filter((item) => 'timerId' in item && item.timerId.endsWith('no-risk-assessment-24h')) };
    const reports = await Promise.all([settleDuePage(deps(store, clock), first), settleDuePage(deps(otherWorker(), clock), second)]);
    expect(reports.reduce((sum, r) => sum + r.errors, 0)).toBe(0);
    const after = await escalations(store, COUNT, 'INC-F', clock.now());
    expect(after).toMatchObject({ events: COUNT, duplicates: 0 }); // one escalation per incident
    expect(after.timers).toMatchObject({ fired: COUNT, skipped: COUNT, pending: 0 });
    for (let i = 0; i < COUNT; i++) {
      const detail = (await store.getIncidentDetail(`INC-F-${i}`))!;
      expect(detail.incident.lastEscalation?.stepId).toBe('no-risk-assessment-24h');
      expect(detail.messages.filter((m) => m.kind === 'escalation').every((m) => m.messageId.includes('no-risk-assessment-24h'))).toBe(true);
    }
  }, 60_000);

  it('pages keep one incident\'s items together', () => {
    const items = [
      { kind: 'timer' as const, incidentId: 'A', timerId: 'a1', dueAt: '1' },
      { kind: 'timer' as const, incidentId: 'B', timerId: 'b1', dueAt: '2' },
      { kind: 'timer' as const, incidentId: 'A', timerId: 'a2', dueAt: '3' },
      { kind: 'timer' as const, incidentId: 'C', timerId: 'c1', dueAt: '4' },
    ];
    expect(duePages(items, 2).map((p) => p.items.map((i) => ('timerId' in i ? i.timerId : i.messageId)))).toEqual([['a1', 'a2'], ['b1', 'c1']]);
    expect(duePages(items, 1).map((p) => p.items.length)).toEqual([2, 1, 1]);
  });

  it('through the clock handler: the tick fans out to the in-process sweep queue (the local stack), which invokes the same handler per page; a page it cannot read is reported failed', async () => {
    const clock = new FakeClock(minutesAfter(T0, 16));
    const queue = new InProcessDuePageQueue({ concurrency: 3 });
    const handler = makeSweepHandler({ store, clock, ladder: DEFAULT_LADDER, fanOut: { queue, inlineMax: 10, pageSize: 8 }, dispatch: { outbox: store, sender: { send: async () => ({}) }, clock } });
    const context = { awsRequestId: 't', functionName: 'clock' } as never;
    queue.consume((event) => handler(event, context) as Promise<SQSBatchResponse>);
    const tick = await handler(undefined, context);
    // Pages are cut within each read of the index (the first read is the inline limit + 1).
    expect(tick).toMatchObject({ fannedOut: COUNT });
    expect(await escalations(store, COUNT, 'INC-F')).toMatchObject({ events: COUNT, duplicates: 0 });
    const unreadable = { Records: [{ messageId: 'm-1', body: '{"items":[{"kind":"timer"}]}', eventSource: 'aws:sqs' }] } as unknown as SQSEvent;
    expect(await handler(unreadable, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  }, 60_000);

  describe('a page settles its incidents together (one read of them, their writes in a few transactions)', () => {
    /** A worker's store whose DynamoDB calls are counted by operation. */
    const countingWorker = () => {
      const doc = createDocumentClient({ endpoint: testEndpoint(), region: 'local' });
      const calls = new Map<string, number>();
      doc.middlewareStack.add((next, context) => async (args) => {
        calls.set(String(context.commandName), (calls.get(String(context.commandName)) ?? 0) + 1);
        return next(args);
      }, { step: 'initialize', name: 'countCalls' });
      return { store: new DynamoIncidentStore(doc, tableName), calls };
    };
    const page = (from = 0, to = COUNT): DuePage => ({ items: Array.from({ length: to - from }, (_, i) => ({ kind: 'timer' as const, incidentId: `INC-F-${from + i}`, timerId: timerIdFor('unacknowledged-15m'), dueAt: minutesAfter(T0, 15).toISOString() })) });

    it('40 due steps: one BatchGetItem, a query each for the catch-up rule, and 2 transactions (not 40)', async () => {
      const clock = new FakeClock(minutesAfter(T0, 16));
      const worker = countingWorker();
      const report = await settleDuePage(deps(worker.store, clock), page());
      expect(report).toMatchObject({ fired: COUNT, errors: 0 });
      expect(Object.fromEntries(worker.calls)).toEqual({ BatchGetItemCommand: 1, QueryCommand: COUNT, TransactWriteItemsCommand: 2 }); // 5 items a step, 100 a transaction
      const after = await escalations(store, COUNT, 'INC-F');
      expect(after).toMatchObject({ events: COUNT, duplicates: 0 });
      expect([...after.messagesPerIncident.values()].every((n) => n === 2)).toBe(true);
    }, 60_000);

    it('an incident that moved between the read and the write is settled alone; a step another worker fired meanwhile is stale; the rest go together', async () => {
      const clock = new FakeClock(minutesAfter(T0, 16));
      const worker = countingWorker();
      const read = worker.store.getIncidents.bind(worker.store);
      worker.store.getIncidents = async (ids) => {
        const incidents = await read(ids);
        // After the group's read: one incident is changed by someone (its version moves), and another worker fires another's step.
        worker.store.getIncidents = read;
        await doc.send(new UpdateCommand({ TableName: tableName, Key: { PK: 'INC#INC-F-3', SK: 'META' }, UpdateExpression: 'SET #v = #v + :one', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':one': 1 } }));
        expect((await settleDuePage(deps(otherWorker(), clock), page(7, 8))).fired).toBe(1);
        return incidents;
      };
      const report = await settleDuePage(deps(worker.store, clock), page());
      expect(report).toMatchObject({ fired: COUNT - 1, stale: 1, errors: 0 });
      const after = await escalations(store, COUNT, 'INC-F');
      expect(after).toMatchObject({ events: COUNT, duplicates: 0 });
      expect([...after.messagesPerIncident.values()].every((n) => n === 2)).toBe(true);
      // The group's first transaction was cancelled and committed again without the two; INC-F-3 went alone.
      expect(worker.calls.get('TransactWriteItemsCommand')).toBe(2 + 1 + 1);
    }, 60_000);

    it('two due steps of each incident in one page: two passes, the lower level passed over, one message at the most severe level', async () => {
      const clock = new FakeClock(hoursAfter(T0, 25));
      const both: DuePage = { items: page().items.flatMap((item) => [item, { ...item, timerId: timerIdFor('no-risk-assessment-24h'), dueAt: hoursAfter(T0, 24).toISOString() }]) };
      const report = await settleDuePage(deps(countingWorker().store, clock), both);
      expect(report).toMatchObject({ fired: COUNT, skipped: COUNT, errors: 0 });
      const after = await escalations(store, COUNT, 'INC-F', clock.now());
      expect(after).toMatchObject({ events: COUNT, duplicates: 0 });
      expect(after.timers).toMatchObject({ fired: COUNT, skipped: COUNT, pending: 0 });
      for (let i = 0; i < COUNT; i++) expect((await store.getIncidentDetail(`INC-F-${i}`))!.incident.lastEscalation?.stepId).toBe('no-risk-assessment-24h');
    }, 60_000);

    it('a group that cannot be read is settled item by item, each error reported with its item', async () => {
      const clock = new FakeClock(minutesAfter(T0, 16));
      const worker = countingWorker();
      worker.store.getIncidents = async () => {
        throw new Error('DynamoDB unavailable');
      };
      const report = await settleDuePage(deps(worker.store, clock), page(0, 5));
      // The group read failed; alone, each step reads on its own and fires.
      expect(report).toMatchObject({ fired: 5, errors: 0 });
      expect(worker.calls.get('TransactWriteItemsCommand')).toBe(5);
    }, 60_000);
  });
});
