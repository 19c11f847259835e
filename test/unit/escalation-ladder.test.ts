import { DEFAULT_LADDER, DEFAULT_LADDER_CONFIG, parseLadder, planTimers, replanTimers, conditionHolds } from '../../lambdas/domain/escalation-ladder.js';
import { ConfigurationError } from '../../lambdas/domain/errors.js';
import { decide } from '../../lambdas/domain/incident.js';
import { anIncident, hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';

describe('escalation ladder configuration', () => {
  it('parses the default ladder from the brief, sorted by offset', () => {
    expect(DEFAULT_LADDER.steps.map((s) => [s.id, s.afterMs / 60_000])).toEqual([
      ['unacknowledged-15m', 15],
      ['no-risk-assessment-24h', 24 * 60],
      ['no-approved-notice-48h', 48 * 60],
      ['not-submitted-66h', 66 * 60],
      ['overdue-72h', 72 * 60],
    ]);
  });

  it('the default ladder, built without its schemas at load, is exactly what parsing it as a configured ladder gives', () => {
    expect(parseLadder(JSON.parse(JSON.stringify(DEFAULT_LADDER_CONFIG)))).toEqual(DEFAULT_LADDER);
  });

  it('rejects a bad ladder and lists every problem with its path', () => {
    const bad = {
      clock: 'gdpr-art33',
      steps: [
        { id: 'a', after: '15 minutes', when: 'unacknowledged', level: 2, label: 'first', targets: [{ kind: 'slack' }] },
        { id: 'a', after: '80h', when: 'no-risk-assessment', level: 3, label: 'second', targets: [{ kind: 'sns', topic: 'dpo' }] },
        { id: 'late', after: '70h', when: 'overdue', level: 6, label: 'third', targets: [{ kind: 'slack' }] },
      ],
    };
    let error: unknown;
    try {
      parseLadder(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const issues = (error as ConfigurationError).issues.join('\n');
    expect(issues).toMatch(/steps\.0\.after: .*"15 minutes" is not a duration/);
    expect(issues).toMatch(/steps\.1\.id: duplicate step id "a"/);
    expect(issues).toMatch(/steps\.1\.after: .*before the 72h deadline/);
    expect(issues).toMatch(/steps\.2\.after: an "overdue" step fires at the deadline/);
  });

  it('rejects unknown fields and empty target lists (typos must not silently disable a step)', () => {
    const step = { ...DEFAULT_LADDER_CONFIG.steps[0], targets: [] };
    expect(() => parseLadder({ clock: 'gdpr-art33', steps: [step] })).toThrow(/targets/);
    expect(() => parseLadder({ ...DEFAULT_LADDER_CONFIG, extra: 1 })).toThrow(ConfigurationError);
  });
});

describe('planning timers', () => {
  it('plans every step from detectedAt while unconfirmed', () => {
    const plan = planTimers(anIncident(), DEFAULT_LADDER);
    expect(plan.map((t) => t.dueAt)).toEqual([
      minutesAfter(T0, 15).toISOString(),
      hoursAfter(T0, 24).toISOString(),
      hoursAfter(T0, 48).toISOString(),
      hoursAfter(T0, 66).toISOString(),
      hoursAfter(T0, 72).toISOString(),
    ]);
  });

  it('on confirmation with a later awareAt, moves pending steps, re-arms fired steps that are ahead again, and leaves past ones fired', () => {
    const now = hoursAfter(T0, 30);
    const awareAt = hoursAfter(T0, 20).toISOString();
    const confirmed = decide(anIncident(), { type: 'confirm', awareAt, justification: 'Only at 20h did the logs show customer rows' }, 'dpo', now).incident;
    const existing = [
      { timerId: 'gdpr-art33.unacknowledged-15m', status: 'fired' as const },
      { timerId: 'gdpr-art33.no-risk-assessment-24h', status: 'fired' as const },
      { timerId: 'gdpr-art33.no-approved-notice-48h', status: 'pending' as const },
      { timerId: 'gdpr-art33.not-submitted-66h', status: 'pending' as const },
      { timerId: 'gdpr-art33.overdue-72h', status: 'pending' as const },
    ];
    const replan = replanTimers(confirmed, DEFAULT_LADDER, existing, now);
    expect(replan.upsert.map((t) => [t.stepId, t.dueAt])).toEqual([
      ['no-risk-assessment-24h', hoursAfter(T0, 44).toISOString()],
      ['no-approved-notice-48h', hoursAfter(T0, 68).toISOString()],
      ['not-submitted-66h', hoursAfter(T0, 86).toISOString()],
      ['overdue-72h', hoursAfter(T0, 92).toISOString()],
    ]);
    expect(replan.cancel).toEqual([]);
  });

  it('cancels a pending unacknowledged step once acknowledged (its condition no longer holds)', () => {
    const acked = decide(anIncident(), { type: 'acknowledge' }, 'a', minutesAfter(T0, 1)).incident;
    expect(conditionHolds(acked, 'unacknowledged')).toBe(false);
    const replan = replanTimers(acked, DEFAULT_LADDER, [{ timerId: 'gdpr-art33.unacknowledged-15m', status: 'pending' }], minutesAfter(T0, 1));
    expect(replan.cancel).toEqual(['gdpr-art33.unacknowledged-15m']);
  });
});
