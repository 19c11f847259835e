import { catchUp, conditionHolds, PASSED_OVER, stepById, timerIdFor, type EscalationLadder } from '../domain/escalation-ladder.js';
import type { Incident } from '../domain/incident.js';
import { escalationMessages, type MessageContext } from '../domain/messages.js';
import { evaluateRegimeTimer, isRegimeTimer } from '../domain/regime-escalation.js';
import { evaluateTaskTimer, isTaskTimer } from '../domain/tasks/task-escalation.js';
import type { Clock } from '../ports/clock.js';
import { ConcurrentUpdateError, type DueItem, type DuePage, type DuePageQueue, type FireTimerWrite, type IncidentReader, type StoredTimer, type TimerSettleOutcome, type TimerSettleWrite, type TimerStore } from '../ports/incident-store.js';
import { backoffMs, sleep } from '../shared/backoff.js';
import { inParallel } from '../shared/in-parallel.js';

export interface SweepDeps {
  readonly store: TimerStore & Pick<IncidentReader, 'getIncident' | 'getIncidents'>;
  readonly clock: Clock;
  readonly ladder: EscalationLadder;
  readonly messageContext?: MessageContext;
  /** Re-delivers an outbox message the stream path did not deliver in time. */
  readonly redeliver: (incidentId: string, messageId: string) => Promise<unknown>;
  /** Due items read per round (one page of the due index). */
  readonly batchSize?: number;
  /** Reads in parallel within a group of incidents, and incidents settled alone in parallel (one incident's items always one after another). */
  readonly concurrency?: number;
  /**
   * Incidents whose due timers are settled together (default 50, a fan-out page): one read of their incidents,
   * a query each for the ladder's timers, and their writes in transactions of up to 100 items.
   */
  readonly groupSize?: number;
  /**
   * How long one sweep keeps reading further rounds of due items (real time, ms; default 40 s, inside the
   * clock function's 55 s timeout): a burst (an outage ending, a ladder change) is drained in one sweep.
   */
  readonly budgetMs?: number;
  /** Real elapsed time in ms (the budget; tests pass their own). */
  readonly elapsedMs?: () => number;
  /**
   * Fan-out (ADR 0016): a burst larger than `inlineMax` due items is not settled by the tick itself but paged
   * through the due index and handed out in pages of `pageSize` items to workers (the clock function consuming
   * its SQS sweep queue, bounded concurrency). Without it, the tick settles everything itself within its budget.
   */
  readonly fanOut?: {
    readonly queue: DuePageQueue;
    /** Due items a tick still settles itself (default 100: about 2 s of work, no queue in between). */
    readonly inlineMax?: number;
    /** Due items per page handed out (default 50). */
    readonly pageSize?: number;
  };
}

export interface SweepReport {
  readonly due: number;
  /** Pages of the due index read (a burst takes several, within the budget). */
  readonly rounds: number;
  readonly fired: number;
  readonly skipped: number;
  readonly stale: number;
  readonly redriven: number;
  readonly errors: number;
  /** Of the fired steps, those that mark a legal deadline passed (the ladder's overdue step, a regime's deadline). */
  readonly overdue: number;
  /** Due items handed out to workers in pages (fan-out), and how many pages; absent when the tick settled all itself. */
  readonly fannedOut?: number;
  readonly pages?: number;
}

type Outcome = 'fired' | 'skipped' | 'stale' | 'redriven' | 'error';

/**
 * One tick of the clock: reads what is due from the sparse due index (O(due), not O(open)) and settles
 * each item with a conditional write. A repeated or concurrent sweep finds the timers settled and does nothing.
 */
export async function sweepDueTimers(deps: SweepDeps, onError: (item: DueItem, error: unknown) => void = () => {}): Promise<SweepReport> {
  const now = deps.clock.now();
  const started = performance.now();
  const elapsed = deps.elapsedMs ?? (() => performance.now() - started);
  const budget = deps.budgetMs ?? 40_000;
  if (deps.fanOut) {
    // A burst goes to the workers; a handful (the usual minute) is settled here, without a queue in between.
    const inlineMax = deps.fanOut.inlineMax ?? 100;
    const first = await deps.store.findDue(now, inlineMax + 1);
    if (first.length > inlineMax) return fanOut(deps, deps.fanOut, now, first, elapsed, budget);
  }
  const batch = deps.batchSize ?? 500;
  const outcomes: Outcome[] = [];
  const overdueSteps = new Set(deps.ladder.steps.filter((step) => step.when === 'overdue').map((step) => timerIdFor(step.id)));
  let overdue = 0;
  let rounds = 0;
  // Items this sweep already settled (or tried): one still in the index (a message whose lease another holds,
  // an error) is left to the next sweep rather than tried again in a loop.
  const tried = new Set<string>();
  const keyOf = (item: DueItem) => `${item.incidentId}|${item.kind === 'timer' ? item.timerId : item.messageId}`;
  for (;;) {
    // Settled items leave the index; those tried and still there are read again, so ask for that many more.
    const requested = batch + tried.size;
    const page = await deps.store.findDue(now, requested);
    const untried = page.filter((item) => !tried.has(keyOf(item)));
    const fresh = untried.slice(0, batch);
    if (!fresh.length) break;
    for (const item of fresh) tried.add(keyOf(item));
    rounds++;
    // Within a page too: no new incident is started once the budget is spent (the rest is due next minute).
    overdue += await settleRound(deps, fresh, now, overdueSteps, outcomes, onError, () => elapsed() > budget);
    // A short page held everything due, and this round took all of it; otherwise go on while the budget lasts.
    if ((page.length < requested && untried.length <= batch) || elapsed() > budget) break;
  }
  const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
  return { due: outcomes.length, rounds, fired: count('fired'), skipped: count('skipped'), stale: count('stale'), redriven: count('redriven'), errors: count('error'), overdue };
}

/**
 * Fan-out: pages through the due index once (keys only, 1,000 a read, each read starting where the last ended)
 * and hands it out in pages of whole incidents. Nothing is settled here, so the tick's time goes to reading:
 * 10,000 due items are a few reads and 20 SQS calls. A page still queued when the next tick reads the index is
 * handed out again; its items are then settled once and found settled (stale) by the second worker.
 */
async function fanOut(deps: SweepDeps, fan: NonNullable<SweepDeps['fanOut']>, now: Date, first: readonly DueItem[], elapsed: () => number, budget: number): Promise<SweepReport> {
  const pageSize = fan.pageSize ?? 50;
  const read = 1_000;
  let items: readonly DueItem[] = first;
  let after: DueItem | undefined;
  let due = 0;
  let pages = 0;
  let rounds = 0;
  // The first read (inlineMax + 1 items) is handed out too; the next reads continue after its last item.
  for (let complete = false; items.length; ) {
    rounds++;
    const slices = duePages(items, pageSize);
    await fan.queue.enqueue(slices);
    due += items.length;
    pages += slices.length;
    after = items.at(-1);
    if (complete || elapsed() > budget) break;
    items = await deps.store.findDue(now, read, after);
    complete = items.length < read;
  }
  return { due, rounds, fired: 0, skipped: 0, stale: 0, redriven: 0, errors: 0, overdue: 0, fannedOut: due, pages };
}

/**
 * Cuts a read of the due index into pages of about `size` items, one incident's items always in one page
 * (settled in due order by one worker: its steps go out in level order and the catch-up rule sees each
 * decision). An incident with more items than `size` gets a page of its own.
 */
export function duePages(items: readonly DueItem[], size: number): DuePage[] {
  const byIncident = new Map<string, DueItem[]>();
  for (const item of items) {
    const group = byIncident.get(item.incidentId);
    if (group) group.push(item);
    else byIncident.set(item.incidentId, [item]);
  }
  const pages: DuePage[] = [];
  let current: DueItem[] = [];
  for (const group of byIncident.values()) {
    if (current.length && current.length + group.length > size) {
      pages.push({ items: current });
      current = [];
    }
    current.push(...group);
  }
  if (current.length) pages.push({ items: current });
  return pages;
}

/**
 * A worker's share of a fanned-out burst: settles one page with the same conditional writes as the tick
 * (fire or skip each timer once, re-drive each message through its claim), so a page delivered twice, or
 * to two workers at once, fires each step once. The time is the worker's own clock (at least the tick's).
 */
export async function settleDuePage(deps: SweepDeps, page: DuePage, onError: (item: DueItem, error: unknown) => void = () => {}): Promise<SweepReport> {
  const now = deps.clock.now();
  const outcomes: Outcome[] = [];
  const overdueSteps = new Set(deps.ladder.steps.filter((step) => step.when === 'overdue').map((step) => timerIdFor(step.id)));
  const overdue = await settleRound(deps, page.items, now, overdueSteps, outcomes, onError, () => false);
  const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
  return { due: outcomes.length, rounds: 1, fired: count('fired'), skipped: count('skipped'), stale: count('stale'), redriven: count('redriven'), errors: count('error'), overdue };
}

type TimerItem = Extract<DueItem, { kind: 'timer' }>;

/**
 * Settles one round of due items. Timers go in groups of incidents (settleGroup: a few reads and transactions
 * for the whole group instead of three calls a step); one incident's timers always in due order, its steps
 * going out in level order with the catch-up rule seeing each decision. Messages are re-driven one by one,
 * alongside. Returns how many legal deadlines passed.
 */
async function settleRound(deps: SweepDeps, due: readonly DueItem[], now: Date, overdueSteps: ReadonlySet<string>, outcomes: Outcome[], onError: (item: DueItem, error: unknown) => void, spent: () => boolean): Promise<number> {
  let overdue = 0;
  const record = (item: DueItem, outcome: Outcome) => {
    outcomes.push(outcome);
    if (outcome === 'fired' && item.kind === 'timer' && (overdueSteps.has(item.timerId) || (isRegimeTimer(item.timerId) && item.timerId.endsWith('.overdue')))) overdue++;
  };
  const settle = async (item: DueItem): Promise<void> => {
    try {
      if (item.kind === 'timer') record(item, await fireTimer(deps, item.incidentId, item.timerId, now));
      else {
        await deps.redeliver(item.incidentId, item.messageId);
        record(item, 'redriven');
      }
    } catch (error) {
      outcomes.push('error');
      onError(item, error);
    }
  };
  const byIncident = new Map<string, DueItem[]>();
  for (const item of [...due].sort((a, b) => a.dueAt.localeCompare(b.dueAt))) {
    const items = byIncident.get(item.incidentId);
    if (items) items.push(item);
    else byIncident.set(item.incidentId, [item]);
  }
  const timers = [...byIncident.values()].map((items) => items.filter((item): item is TimerItem => item.kind === 'timer')).filter((items) => items.length);
  const messages = [...byIncident.values()].map((items) => items.filter((item) => item.kind === 'outbox')).filter((items) => items.length);
  const concurrency = deps.concurrency ?? 16;
  const groupSize = deps.groupSize ?? 50;
  // Incidents whose group write did not go through (one moved meanwhile, an error): settled alone, item by
  // item with fresh reads, even once the budget is spent (they were started).
  const alone: (readonly DueItem[])[] = [];
  const grouped = async () => {
    for (let at = 0; at < timers.length && !spent(); at += groupSize) await settleGroup(deps, timers.slice(at, at + groupSize), now, record, (rest) => alone.push(rest));
    await inParallel(alone, concurrency, async (items) => {
      for (const item of items) await settle(item);
    });
  };
  await Promise.all([
    grouped(),
    // Within a page too: no new incident is started once the budget is spent (the rest is due next minute).
    inParallel(
      messages,
      concurrency,
      async (items) => {
        for (const item of items) await settle(item);
      },
      spent,
    ),
  ]);
  return overdue;
}

const isLadderTimer = (timerId: string): boolean => !isRegimeTimer(timerId) && !isTaskTimer(timerId);

/**
 * Settles the due timers of a group of incidents together, pass by pass, each pass taking every incident's
 * next timer: one consistent read of the incidents, one of the regime and task timers, a query of the ladder
 * timers of each incident with a ladder step due (the catch-up rule needs them all), and the writes in as few
 * transactions as DynamoDB's limits allow. Each write keeps the conditions of fireTimer, so a repeated or
 * concurrent page fires nothing twice. An incident whose write did not go through, or that could not be read
 * or decided, goes to `alone` with the rest of its timers.
 */
async function settleGroup(deps: SweepDeps, groups: readonly (readonly TimerItem[])[], now: Date, record: (item: DueItem, outcome: Outcome) => void, alone: (rest: readonly TimerItem[]) => void): Promise<void> {
  let pending = groups.map((items) => ({ items, next: 0 }));
  while (pending.length) {
    const current = pending.map((group) => group.items[group.next]!);
    let decisions: (TimerDecision | undefined)[];
    try {
      const ladder = current.filter((item) => isLadderTimer(item.timerId));
      const [incidents, lists, singles] = await Promise.all([
        deps.store.getIncidents(current.map((item) => item.incidentId)),
        inParallel(ladder, deps.concurrency ?? 16, (item) => deps.store.listTimers(item.incidentId)),
        deps.store.getTimers(current.filter((item) => !isLadderTimer(item.timerId))),
      ]);
      const ladderTimers = new Map(ladder.map((item, at) => [item.incidentId, lists[at]!]));
      decisions = current.map((item) => {
        const timers = ladderTimers.get(item.incidentId) ?? [];
        const timer = isLadderTimer(item.timerId) ? timers.find((t) => t.timerId === item.timerId) : singles.find((t) => t.incidentId === item.incidentId && t.timerId === item.timerId);
        try {
          return decideTimer(deps, timer, incidents.get(item.incidentId), timers, now);
        } catch {
          return undefined; // settled alone, where the error is reported with its item
        }
      });
    } catch {
      for (const group of pending) alone(group.items.slice(group.next));
      return;
    }
    const writes: { group: (typeof pending)[number]; write: TimerSettleWrite }[] = [];
    const left = new Set<(typeof pending)[number]>();
    pending.forEach((group, at) => {
      const decision = decisions[at];
      if (decision === undefined) alone(group.items.slice(group.next));
      else if ('stale' in decision) {
        record(current[at]!, 'stale');
        group.next++;
        left.add(group);
      } else writes.push({ group, write: decision });
    });
    const settled: TimerSettleOutcome[] = await deps.store.settleTimers(writes.map((w) => w.write)).catch(() => writes.map(() => 'unsettled' as const));
    writes.forEach(({ group }, at) => {
      const outcome = settled[at]!;
      if (outcome === 'unsettled') return alone(group.items.slice(group.next));
      record(group.items[group.next]!, outcome);
      group.next++;
      left.add(group);
    });
    pending = pending.filter((group) => left.has(group) && group.next < group.items.length);
  }
}

type Firing = { readonly skip: string } | Omit<FireTimerWrite, 'timer' | 'expectedVersion'>;

/** What a due timer does now: a ladder step (fenced by the plan epoch) or a regime step (checked by its due time). */
function firingOf(deps: SweepDeps, timer: StoredTimer, incident: Incident, now: Date, timers: readonly StoredTimer[]): Firing {
  const at = now.toISOString();
  const lateByMs = now.getTime() - Date.parse(timer.dueAt);
  if (isRegimeTimer(timer.timerId)) {
    const firing = evaluateRegimeTimer(incident, timer, now, deps.messageContext);
    if ('skip' in firing) return firing;
    return {
      fenced: false,
      incident: { ...incident, version: incident.version + 1 },
      event: { type: 'escalation.fired', at, actor: 'breachclock', summary: firing.summary, data: { ...firing.data, lateByMs } },
      outbox: firing.messages,
    };
  }
  if (isTaskTimer(timer.timerId)) {
    const firing = evaluateTaskTimer(incident, timer, now, deps.messageContext);
    if ('skip' in firing) return firing;
    return {
      fenced: false,
      incident: firing.incident,
      event: { type: 'task.overdue', at, actor: 'breachclock', summary: firing.summary, data: { ...firing.data, lateByMs } },
      outbox: firing.messages,
    };
  }
  const step = stepById(deps.ladder, timer.stepId);
  if (!step) return { skip: `step ${timer.stepId} is no longer in the escalation ladder` };
  if (timer.epoch !== incident.planEpoch) return { skip: 'superseded by a re-plan' };
  if (!conditionHolds(incident, step.when)) return { skip: `condition "${step.when}" no longer holds` };
  const caught = catchUp(deps.ladder, incident, timers, step, now);
  if ('passOverFor' in caught) return { skip: `${PASSED_OVER}: level ${caught.passOverFor.level} (${caught.passOverFor.id}) was due at the same time; one message at the most severe level` };
  const passedOver = caught.passedOver;
  const next: Incident = {
    ...incident,
    lastEscalation: { stepId: step.id, level: step.level, label: step.label, firedAt: at },
    ...(step.when === 'overdue' ? { overdueAt: at } : {}),
    version: incident.version + 1,
  };
  return {
    incident: next,
    event: {
      type: 'escalation.fired',
      at,
      actor: 'breachclock',
      summary: `Escalation level ${step.level}: ${step.label}${passedOver.length ? ` (caught up: passed over ${passedOver.map((s) => `level ${s.level} ${s.id}`).join(', ')}, already due)` : ''}`,
      data: { stepId: step.id, dueAt: timer.dueAt, lateByMs, targets: step.targets.length, ...(passedOver.length ? { passedOver: passedOver.map((s) => s.id) } : {}) },
    },
    outbox: escalationMessages(next, step, now, deps.messageContext, passedOver),
  };
}

type TimerDecision = { readonly stale: true } | TimerSettleWrite;

/** What a due timer comes to on the incident and timers as read: stale (settled, moved, not yet due), skipped, or fired. */
function decideTimer(deps: SweepDeps, timer: StoredTimer | undefined, incident: Incident | undefined, timers: readonly StoredTimer[], now: Date): TimerDecision {
  if (!timer || timer.status !== 'pending' || Date.parse(timer.dueAt) > now.getTime()) return { stale: true };
  if (!incident) return { kind: 'skip', timer, outcome: 'incident not found', at: now };
  const firing = firingOf(deps, timer, incident, now, timers);
  if ('skip' in firing) return { kind: 'skip', timer, outcome: firing.skip, at: now };
  return { kind: 'fire', write: { ...firing, timer, expectedVersion: incident.version } };
}

/** Fires one escalation step if it is still pending, due and its reason still holds; exactly once. */
export async function fireTimer(deps: SweepDeps, incidentId: string, timerId: string, now: Date): Promise<'fired' | 'skipped' | 'stale'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt));
    const ladderTimer = isLadderTimer(timerId);
    // A ladder step needs all the incident's timers (catch-up), which include its own: two reads, not three.
    const [incident, timers, single] = await Promise.all([
      deps.store.getIncident(incidentId),
      ladderTimer ? deps.store.listTimers(incidentId) : Promise.resolve([]),
      ladderTimer ? Promise.resolve(undefined) : deps.store.getTimer(incidentId, timerId),
    ]);
    const timer = ladderTimer ? timers.find((t) => t.timerId === timerId) : single;
    const decision = decideTimer(deps, timer, incident, timers, now);
    if ('stale' in decision) return 'stale';
    if (decision.kind === 'skip') return deps.store.skipTimer(decision.timer, decision.outcome, now);
    try {
      return await deps.store.fireTimer(decision.write);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) continue;
      throw error;
    }
  }
  // The incident kept changing under us; the timer stays pending and the next tick tries again.
  throw new ConcurrentUpdateError(incidentId);
}
