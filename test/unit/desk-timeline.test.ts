import type { IncidentDetailAnswer, RegimeClockView } from '../../lambdas/contracts/api-answers.js';
import { formatSpan, nearestDeadline } from '../../lambdas/dashboard/src/countdown.js';
import { layoutTimeline, timelineClocks, type TimelineClock, type TimelineLayout } from '../../lambdas/dashboard/src/timeline-layout.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function clock(over: Partial<TimelineClock> & Pick<TimelineClock, 'key'>): TimelineClock {
  return { regime: 'gdpr-art33', obligation: over.key, name: `Clock ${over.key}`, triggerAt: iso(T0), dueAt: iso(T0 + 72 * HOUR), kind: 'legal', status: 'running', provisional: false, steps: [], submissions: [], ...over };
}

function view(over: Partial<RegimeClockView>): RegimeClockView {
  return {
    regime: 'gdpr-art33',
    regimeName: 'GDPR Art. 33: notification to the lead supervisory authority',
    version: '2026-11',
    obligation: 'authority-notification',
    label: 'Notify the lead supervisory authority',
    recipient: 'lead supervisory authority',
    legalSource: 'Art. 33(1)',
    trigger: 'awareAt',
    triggerAt: iso(T0),
    provisional: false,
    rule: '72 hours after awareness',
    dueAt: iso(T0 + 72 * HOUR),
    deadlineKind: 'legal',
    timeLeftMs: null,
    status: 'running',
    checkedOn: '2026-11-23',
    confidence: 'secondary',
    ...over,
  } as RegimeClockView;
}

/** Every number in the layout is finite and every width ≥ 0. */
function expectSound(layout: TimelineLayout): void {
  const numbers: number[] = [layout.width, layout.height, layout.now.x, ...layout.axis.map((a) => a.x)];
  for (const row of layout.rows) {
    numbers.push(row.y, row.barY, ...row.nameLines.map((l) => l.y), ...row.captionLines.map((l) => l.y), ...row.steps.map((s) => s.x), ...row.submissions.map((s) => s.x));
    if (row.deadlineX !== null) numbers.push(row.deadlineX);
    for (const segment of [row.window, row.elapsed, row.late]) {
      if (!segment) continue;
      numbers.push(segment.x, segment.width);
      expect(segment.width).toBeGreaterThanOrEqual(0);
      expect(segment.x).toBeGreaterThanOrEqual(0);
      expect(segment.x + segment.width).toBeLessThanOrEqual(layout.width);
    }
  }
  for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
  expect(layout.description).not.toMatch(/NaN|undefined|Infinity/);
}

describe('the incident timeline layout (desk, issue 25 §2)', () => {
  it('places later times further right: triggers, deadlines, steps and the axis marks', () => {
    const clocks = [0, 10, 30].map((start, i) =>
      clock({ key: `c${i}`, triggerAt: iso(T0 + start * HOUR), dueAt: iso(T0 + (start + 24) * HOUR), steps: [6, 12, 18].map((h) => ({ at: iso(T0 + (start + h) * HOUR), label: `step ${h}`, status: 'pending' })) }),
    );
    const layout = layoutTimeline(clocks, T0 + 5 * HOUR);
    const starts = layout.rows.map((r) => r.window!.x);
    const ends = layout.rows.map((r) => r.deadlineX!);
    expect(starts[0]).toBeLessThan(starts[1]!);
    expect(starts[1]).toBeLessThan(starts[2]!);
    expect(ends[0]).toBeLessThan(ends[1]!);
    for (const row of layout.rows) {
      const xs = row.steps.map((s) => s.x);
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
      expect(new Set(xs).size).toBe(3);
      expect(xs[0]).toBeGreaterThan(row.window!.x);
      expect(xs[2]).toBeLessThan(row.deadlineX!);
    }
    const axis = layout.axis.map((a) => a.x);
    expect(axis.length).toBeGreaterThan(1);
    expect(axis).toEqual([...axis].sort((a, b) => a - b));
    expectSound(layout);
  });

  it('draws now where it is: half-way through a 72-hour window is half-way along its bar, and the elapsed part ends there', () => {
    const layout = layoutTimeline([clock({ key: 'a' })], T0 + 36 * HOUR);
    const row = layout.rows[0]!;
    expect(layout.now.x).toBeCloseTo(row.window!.x + row.window!.width / 2, 0);
    expect(row.elapsed!.x + row.elapsed!.width).toBeCloseTo(layout.now.x, 0);
    expect(row.state).toBe('running');
    expect(row.late).toBeNull();
    expect(row.caption).toBe('due 4 Dec 00:00 UTC · 1d 12h left');
    expect(layout.now.label).toBe('now 2 Dec 12:00 UTC');
  });

  it('flags an overdue legal clock and marks the part past the deadline up to now', () => {
    const layout = layoutTimeline([clock({ key: 'late' })], T0 + 75 * HOUR);
    const row = layout.rows[0]!;
    expect(row.state).toBe('overdue');
    expect(row.late).not.toBeNull();
    expect(row.late!.x).toBeCloseTo(row.deadlineX!, 5);
    expect(row.late!.x + row.late!.width).toBeCloseTo(layout.now.x, 0);
    expect(row.caption).toMatch(/OVERDUE by 3h 00m$/);
    // The elapsed part stops at the deadline: what is past it is the overdue part.
    expect(row.elapsed!.x + row.elapsed!.width).toBeCloseTo(row.deadlineX!, 5);
    expect(layout.description).toContain('Clock late: due 4 Dec 00:00 UTC · OVERDUE by 3h 00m');
  });

  it('labels a target as one: passed, never overdue', () => {
    const layout = layoutTimeline([clock({ key: 'target', kind: 'target', dueAt: iso(T0 + 30 * 24 * HOUR) })], T0 + 31 * 24 * HOUR);
    const row = layout.rows[0]!;
    expect(row.kind).toBe('target');
    expect(row.state).toBe('target-passed');
    expect(row.caption).toMatch(/^target 31 Dec 00:00 UTC \(no legal deadline\) · target passed 1d 0h ago$/);
    expect(row.caption).not.toMatch(/OVERDUE/);
  });

  it('shows a submission where it was made and stops the clock there; a late one says how late', () => {
    const submittedAt = T0 + 80 * HOUR;
    const layout = layoutTimeline([clock({ key: 's', status: 'submitted', submissions: [{ at: iso(submittedAt), label: 'submitted, reference DPC-1 (late)', late: true }] })], T0 + 100 * HOUR);
    const row = layout.rows[0]!;
    expect(row.state).toBe('submitted');
    expect(row.submissions[0]!.x).toBeGreaterThan(row.deadlineX!);
    expect(row.submissions[0]!.x).toBeLessThan(layout.now.x);
    expect(row.late!.x + row.late!.width).toBeCloseTo(row.submissions[0]!.x, 0);
    expect(row.caption).toBe('submitted 4 Dec 08:00 UTC · LATE by 8h 00m · due 4 Dec 00:00 UTC');
  });

  it('gives no NaN or negative width for a deadline before its trigger, a zero-length window or missing times', () => {
    const layout = layoutTimeline(
      [
        clock({ key: 'backwards', triggerAt: iso(T0 + 10 * HOUR), dueAt: iso(T0) }),
        clock({ key: 'zero', triggerAt: iso(T0), dueAt: iso(T0) }),
        clock({ key: 'waiting', triggerAt: null, dueAt: null, status: 'waiting-for-trigger', waitingFor: ['materialityDeterminedAt', 'submission of initial-report'] }),
        clock({ key: 'no-trigger', triggerAt: null }),
        clock({ key: 'garbage', triggerAt: 'not a time', dueAt: 'nor this', steps: [{ at: 'never', label: 'x', status: 'pending' }] }),
      ],
      T0,
    );
    expectSound(layout);
    const [backwards, zero, waiting, noTrigger] = layout.rows;
    expect(backwards!.window!.width).toBe(0);
    expect(zero!.window!.width).toBe(0);
    expect(waiting!.window).toBeNull();
    expect(waiting!.caption).toBe('waiting for the materiality determination ("Materiality determined" in the facts), submission of initial-report');
    expect(noTrigger!.window!.width).toBe(0);
    // Everything at one instant: the span still has a width, and now sits inside it.
    const single = layoutTimeline([clock({ key: 'z', triggerAt: iso(T0), dueAt: iso(T0) })], T0);
    expectSound(single);
    expect(single.to).toBeGreaterThan(single.from);
    expect(single.now.x).toBeGreaterThan(single.left);
    expect(single.now.x).toBeLessThan(single.right);
  });

  it('fits 20 clocks: every row inside the picture, none overlapping the next', () => {
    const clocks = Array.from({ length: 20 }, (_, i) => clock({ key: `c${i}`, triggerAt: iso(T0 + i * HOUR), dueAt: iso(T0 + (i + 1) * 24 * HOUR), kind: i % 3 ? 'legal' : 'target' }));
    const layout = layoutTimeline(clocks, T0 + 50 * HOUR);
    expect(layout.rows).toHaveLength(20);
    expectSound(layout);
    for (const [i, row] of layout.rows.entries()) {
      expect(row.barY + row.barHeight).toBeLessThanOrEqual(layout.bottom);
      expect(layout.bottom).toBeLessThanOrEqual(layout.height);
      const next = layout.rows[i + 1];
      // Text sits above its bar, and the next row starts below it.
      expect(Math.max(...[...row.nameLines, ...row.captionLines].map((l) => l.y))).toBeLessThanOrEqual(row.barY);
      if (next) expect(next.y).toBeGreaterThanOrEqual(row.barY + row.barHeight);
    }
    expect(layout.description.startsWith('20 clocks, now 3 Dec 02:00 UTC: ')).toBe(true);
  });

  it('wraps a long name at words, keeping every word, and makes room for it', () => {
    const name = 'Massachusetts: Notify Massachusetts Office of Consumer Affairs and Business Regulation (Director of Consumer Affairs and Business Regulation) and everyone else who asks';
    const layout = layoutTimeline([clock({ key: 'long', name }), clock({ key: 'short' })], T0);
    const [long, short] = layout.rows;
    expect(long!.nameLines.length).toBe(2);
    expect(long!.nameLines.map((l) => l.text).join(' ')).toBe(name);
    for (const line of long!.nameLines) expect(line.text.length).toBeLessThanOrEqual(115);
    expect(short!.nameLines).toHaveLength(1);
    expect(long!.barY - long!.y).toBeGreaterThan(short!.barY - short!.y);
    expect(short!.y).toBeGreaterThanOrEqual(long!.barY + long!.barHeight);
  });
});

describe('the incident clocks as the timeline sees them', () => {
  const timer = (timerId: string, stepId: string, dueAt: number, status: 'pending' | 'fired' | 'skipped' | 'cancelled' = 'pending'): IncidentDetailAnswer['timers'][number] => ({ incidentId: 'INC-1', timerId, stepId, dueAt: iso(dueAt), status, epoch: 1 });

  it('puts the GDPR ladder on the authority notification and the other regimes\' steps on their clocks, by human names, without cancelled steps', () => {
    const gdpr = view({});
    const ca = view({ regime: 'california-1798.82', regimeName: 'California Civil Code 1798.82: resident notice', obligation: 'residents', label: 'Notify affected California residents', deadlineKind: 'target', dueAt: iso(T0 + 30 * 24 * HOUR), submission: { regime: 'california-1798.82', obligation: 'residents', submittedAt: iso(T0 + HOUR), reference: 'AG-7', recordedBy: 'dana', recordedAt: iso(T0 + HOUR), late: false } });
    const clocks = timelineClocks(
      [gdpr, ca],
      [
        timer('gdpr-art33.unacknowledged-15m', 'unacknowledged-15m', T0 + 15 * 60_000, 'cancelled'),
        timer('gdpr-art33.no-risk-assessment-24h', 'no-risk-assessment-24h', T0 + 24 * HOUR, 'fired'),
        timer('gdpr-art33.not-submitted-66h', 'not-submitted-66h', T0 + 66 * HOUR),
        timer('regime.california-1798.82.residents.due-soon', 'regime:due-soon', T0 + 29 * 24 * HOUR),
        timer('task.t1', 'task:overdue', T0 + 2 * HOUR),
      ],
    );
    expect(clocks.map((c) => c.name)).toEqual(['GDPR Art. 33: Notify the lead supervisory authority', 'California Civil Code 1798.82: Notify affected California residents']);
    expect(clocks[0]!.steps.map((s) => [s.label, s.status])).toEqual([
      ['24 hours without a risk assessment: DPO', 'fired'],
      ['66 hours and the authority is not notified: executives', 'pending'],
    ]);
    expect(clocks[1]!.steps.map((s) => s.label)).toEqual(['Due soon: reminder to the DPO']);
    expect(clocks[1]!.kind).toBe('target');
    expect(clocks[1]!.submissions).toEqual([{ at: iso(T0 + HOUR), label: 'submitted, reference AG-7', late: false }]);
  });
});

describe("the list's nearest deadline", () => {
  it('counts down to the nearest legal deadline, and says "overdue by" once it has passed (words, not colour alone)', () => {
    const soon = view({ obligation: 'a', dueAt: iso(T0 + 5 * HOUR) });
    const later = view({ obligation: 'b', dueAt: iso(T0 + 50 * HOUR) });
    const target = view({ obligation: 'c', deadlineKind: 'target', dueAt: iso(T0 + HOUR) });
    const done = view({ obligation: 'd', status: 'submitted', dueAt: iso(T0) });
    const running = nearestDeadline([later, target, soon, done], T0);
    expect(running).toMatchObject({ obligation: 'a', text: '5h 00m left', band: 'urgent', target: false });
    expect(nearestDeadline([later, target, soon, done], T0 + 6 * HOUR + 5 * 60_000)).toMatchObject({ obligation: 'a', text: 'overdue by 1h 05m', band: 'overdue' });
    expect(nearestDeadline([target], T0 + 2 * HOUR)).toMatchObject({ target: true, text: 'target passed 1h 00m ago (no legal deadline)', band: 'target' });
    expect(nearestDeadline([done, view({ status: 'waiting-for-trigger', dueAt: null })], T0)).toBeUndefined();
  });

  it('writes spans for a glance', () => {
    expect([formatSpan(30_000), formatSpan(12 * 60_000), formatSpan(-(3 * HOUR + 7 * 60_000)), formatSpan(51 * HOUR)]).toEqual(['under a minute', '12m', '3h 07m', '2d 3h']);
  });
});
