import fc from 'fast-check';
import { regimeClocks, type ClockSubject } from '../../lambdas/domain/regimes/engine.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { parseRulePacks, type RulePackConfig } from '../../lambdas/domain/regimes/rule-pack.js';
import { ConfigurationError } from '../../lambdas/domain/errors.js';

// A made-up state law exercising every extension of issue 28.2 (not a real statute: the numbers are the test's).
const EXAMPLE: RulePackConfig = {
  id: 'example-state',
  version: '2026-12',
  name: 'Example State breach law',
  legalSource: 'Example Code § 1',
  checkedOn: '2026-12-05',
  confidence: 'secondary',
  confidenceNote: 'only summaries read',
  appliesWhen: { anyJurisdiction: ['US-TX'], dataCategories: ['government-id', 'payment'] },
  encryptionSafeHarbour: 'unless the key was also acquired',
  riskOfHarmException: 'not required if not reasonably likely to cause harm',
  obligations: [
    {
      id: 'resident-notice',
      label: 'Notify residents',
      recipient: 'residents',
      source: '§ 1(b)',
      triggerWords: 'discovery of the breach',
      clocks: [{ trigger: 'detectedAt', prompt: 'without unreasonable delay' }],
    },
    {
      id: 'attorney-general',
      label: 'Notify the AG',
      recipient: 'Attorney General',
      source: '§ 1(c)',
      channel: { kind: 'form', value: 'https://example.gov/form' },
      whenAffectedAtLeast: { jurisdiction: 'US-TX', count: 250 },
      clocks: [{ notLaterThan: 'resident-notice' }],
    },
    {
      id: 'fixed',
      label: 'Notify the regulator',
      recipient: 'regulator',
      whenAffectedAbove: { jurisdiction: 'US-TX', count: 1000 },
      clocks: [{ trigger: 'detectedAt', deadline: { unit: 'calendar-days', value: 30, zone: 'America/Chicago' } }],
    },
    {
      id: 'after',
      label: 'Tell the agencies after the residents',
      recipient: 'consumer reporting agencies',
      clocks: [{ afterSubmissionOf: 'resident-notice', deadline: { unit: 'calendar-days', value: 10, zone: 'America/Chicago' } }],
    },
  ],
  assumptions: ['made up'],
};

const [pack] = parseRulePacks([EXAMPLE]);
const DETECTED = '2026-11-20T15:00:00.000Z';
const NOW = new Date('2026-11-21T12:00:00Z');
const incident: ClockSubject = { detectedAt: DETECTED };
const texas = (affected: number, extra: IncidentFacts = {}): IncidentFacts => ({ jurisdictions: [{ code: 'US-TX', affected }], ...extra });
const clocks = (facts: IncidentFacts, subject: ClockSubject = incident, now = NOW, targetDays?: number) =>
  regimeClocks([pack!], subject, facts, now, targetDays === undefined ? {} : { promptNoticeTargetDays: targetDays });

describe('rule-pack extensions (issue 28.2)', () => {
  it('every clock carries the pack\'s checkedOn and confidence, and the obligation\'s source, trigger words and channel', () => {
    const [resident, ag] = clocks(texas(300, { dataCategories: ['payment'] }));
    expect(resident).toMatchObject({ checkedOn: '2026-12-05', confidence: 'secondary', confidenceNote: 'only summaries read', source: '§ 1(b)', triggerWords: 'discovery of the breach' });
    expect(ag).toMatchObject({ obligation: 'attorney-general', channel: { kind: 'form', value: 'https://example.gov/form' } });
  });

  it('"without unreasonable delay" is a target the organisation sets (default 30 days), never an overdue legal deadline', () => {
    const [resident] = clocks(texas(10));
    expect(resident).toMatchObject({ obligation: 'resident-notice', deadlineKind: 'target', dueAt: '2026-12-20T15:00:00.000Z', status: 'running' });
    expect(resident!.rule).toMatch(/without unreasonable delay .*no legal deadline; target 30 days/);
    expect(clocks(texas(10), incident, NOW, 7)[0]!.dueAt).toBe('2026-11-27T15:00:00.000Z');
    const late = clocks(texas(10), incident, new Date('2027-02-01T00:00:00Z'))[0]!;
    expect(late.status).toBe('target-passed');
  });

  it('a fixed deadline stays legal and turns overdue', () => {
    const fixed = clocks(texas(1001), incident, new Date('2027-02-01T00:00:00Z')).find((c) => c.obligation === 'fixed')!;
    expect(fixed).toMatchObject({ deadlineKind: 'legal', status: 'overdue', dueAt: '2026-12-21T05:59:59.999Z' });
  });

  it('"at least N" and "more than N" thresholds count that jurisdiction\'s residents', () => {
    const ids = (n: number) => clocks(texas(n)).map((c) => c.obligation).sort();
    expect(ids(249)).toEqual(['after', 'resident-notice']);
    expect(ids(250)).toEqual(['after', 'attorney-general', 'resident-notice']);
    expect(ids(1000)).toEqual(['after', 'attorney-general', 'resident-notice']);
    expect(ids(1001)).toEqual(['after', 'attorney-general', 'fixed', 'resident-notice']);
    // people elsewhere do not count
    expect(clocks({ jurisdictions: [{ code: 'US-TX', affected: 1 }, { code: 'US-OK', affected: 5000 }] }).map((c) => c.obligation)).not.toContain('attorney-general');
  });

  it('property: thresholds are monotone in the count (more people never remove a recipient)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lowIds = clocks(texas(low)).map((c) => c.obligation);
        const highIds = clocks(texas(high)).map((c) => c.obligation);
        expect(lowIds.every((id) => highIds.includes(id))).toBe(true);
      }),
    );
  });

  it('"no later than the residents": due with the resident notice (a target if that is one), then at its recorded submission', () => {
    const ag = clocks(texas(300)).find((c) => c.obligation === 'attorney-general')!;
    expect(ag).toMatchObject({ dueAt: '2026-12-20T15:00:00.000Z', deadlineKind: 'target', provisional: true, chainedTo: { obligation: 'resident-notice', submitted: false } });
    const submitted: ClockSubject = {
      detectedAt: DETECTED,
      submissions: { 'example-state/resident-notice': { regime: 'example-state', obligation: 'resident-notice', submittedAt: '2026-11-25T10:00:00.000Z', reference: 'letters', recordedBy: 'dpo', recordedAt: '2026-11-25T10:00:00.000Z' } },
    };
    const after = clocks(texas(300), submitted);
    expect(after.find((c) => c.obligation === 'attorney-general')).toMatchObject({ dueAt: '2026-11-25T10:00:00.000Z', provisional: false, chainedTo: { submitted: true } });
    // "within 10 days after the residents": end of 5 Dec, Chicago time
    expect(after.find((c) => c.obligation === 'after')).toMatchObject({ dueAt: '2026-12-06T05:59:59.999Z', deadlineKind: 'legal' });
  });

  it('applies by the personal-information definition: provisionally until categories are recorded, not at all for others', () => {
    expect(clocks(texas(10))[0]!.provisionalApplicability).toMatch(/provisionally: no data categories recorded yet/);
    expect(clocks(texas(10, { dataCategories: ['contact', 'payment'] }))[0]!.provisionalApplicability).toBeUndefined();
    expect(clocks(texas(10, { dataCategories: ['contact', 'usage'] }))).toEqual([]);
  });

  it('the encryption safe harbour: encrypted with the key safe → "not required (safe harbour)"; a compromised key → a clock', () => {
    const safe = clocks(texas(10, { encryption: { encrypted: true, keyCompromised: false } }));
    expect(safe.map((c) => c.status)).toEqual(safe.map(() => 'not-required'));
    expect(safe[0]!.safeHarbour).toBe('unless the key was also acquired');
    expect(clocks(texas(10, { encryption: { encrypted: true, keyCompromised: true } }))[0]!.status).toBe('running');
  });

  it('the risk-of-harm exception is named on the clock; the documented dismissal turns the pack "not required"', () => {
    expect(clocks(texas(10))[0]!.riskOfHarmException).toBe('not required if not reasonably likely to cause harm');
    const dismissed = clocks(texas(300), { detectedAt: DETECTED, regimeDismissals: { 'example-state': { reason: 'keys rotated, no harm likely (risk assessment 3)', by: 'dpo', at: '2026-11-21T10:00:00.000Z' } } });
    expect(dismissed.map((c) => c.status)).toEqual(dismissed.map(() => 'not-required'));
    expect(dismissed[0]!.dismissal?.by).toBe('dpo');
  });

  it('validation: exactly one of deadline and prompt, known chain targets, a confidence', () => {
    const broken = (change: (p: RulePackConfig) => unknown) => {
      try {
        parseRulePacks([change(structuredClone(EXAMPLE))]);
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigurationError);
        return (e as ConfigurationError).issues;
      }
    };
    expect(broken((p) => ({ ...p, obligations: [{ ...p.obligations[0]!, clocks: [{ trigger: 'detectedAt', prompt: 'asap', deadline: { unit: 'hours', value: 1 } }] }] })).join()).toMatch(/exactly one of deadline and prompt/);
    expect(broken((p) => ({ ...p, obligations: [{ ...p.obligations[1]!, clocks: [{ notLaterThan: 'nobody' }] }] })).join()).toMatch(/notLaterThan "nobody" is not another obligation/);
    expect(broken((p) => ({ ...p, confidence: 'sure' })).join()).toMatch(/confidence/);
  });
});
