import { decide, type Incident, type IncidentAction } from '../../lambdas/domain/incident.js';
import { DomainValidationError, IllegalTransitionError } from '../../lambdas/domain/errors.js';
import { incidentClocks, pinClocks } from '../../lambdas/domain/regimes/pinned.js';
import { regimeClocks } from '../../lambdas/domain/regimes/engine.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import type { RulePack } from '../../lambdas/domain/regimes/rule-pack.js';
import { evaluateRegimeTimer, planRegimeTimers } from '../../lambdas/domain/regime-escalation.js';
import { clockSummary } from '../../lambdas/domain/urgency.js';
import { registerEntry } from '../../lambdas/domain/register.js';
import { PERMISSIONS } from '../../lambdas/domain/roles.js';
import { renderIncidentMessage } from '../../lambdas/domain/slack-message.js';
import { JURISDICTIONS } from '../../lambdas/domain/regimes/facts.js';
import { anIncident } from '../support/fixtures.js';

const DETECTED = new Date('2026-11-20T15:00:00Z');
const NOW = new Date('2026-11-21T12:00:00Z');
const CA = 'california-1798-82';
// 30 days after detection (20 Nov, Los Angeles): end of 20 Dec Pacific time.
const DUE_30 = '2026-12-21T07:59:59.999Z';
const DUE_45 = '2027-01-05T07:59:59.999Z';
const DUE_15 = '2026-12-06T07:59:59.999Z';

/** The packs with California's pack corrected: a new version with another resident deadline. */
function caPacks(days: number, version = '2027-01', change: (pack: RulePack) => RulePack = (p) => p): RulePack[] {
  return RULE_PACKS.map((pack) =>
    pack.id === CA
      ? change({
          ...pack,
          version,
          obligations: pack.obligations.map((o) => (o.id === 'resident-notice' ? { ...o, clocks: [{ trigger: 'detectedAt' as const, deadline: { unit: 'calendar-days' as const, value: days, zone: 'America/Los_Angeles' } }] } : o)),
        })
      : pack,
  );
}

/** Decide and record the pins as the app layer does after every decision. */
function act(incident: Incident, action: IncidentAction, actor: string, now: Date, packs: readonly RulePack[] = RULE_PACKS): Incident {
  const decided = decide(incident, action, actor, now, { packs });
  return { ...decided.incident, clockPins: pinClocks(packs, incident, decided.incident, now) };
}

function californian(): Incident {
  const confirmed = act(anIncident({}, DETECTED), { type: 'confirm', awareAt: '2026-11-21T09:00:00Z', justification: 'Forensics confirmed customer data left' }, 'dpo', NOW);
  return act(confirmed, { type: 'record-facts', facts: { jurisdictions: [{ code: 'US-CA', affected: 200 }], role: 'controller' } }, 'dpo', NOW);
}

const resident = (clocks: ReturnType<typeof incidentClocks>) => clocks.find((c) => c.regime === CA && c.obligation === 'resident-notice')!;

describe('pinned rule versions: what an incident records', () => {
  it('records the version of each applying pack and each clock\'s due time under it when facts are recorded', () => {
    const incident = californian();
    expect(incident.clockPins?.[CA]).toMatchObject({ v: '2026-12', clocks: { 'resident-notice': { due: DUE_30 } } });
    expect(incident.clockPins?.['gdpr-art33']).toBeUndefined(); // no EU people recorded: GDPR does not apply
    // Under the same version the clocks are exactly the engine's.
    expect(incidentClocks(RULE_PACKS, incident, NOW)).toEqual(regimeClocks(RULE_PACKS, incident, incident.facts, NOW));
  });

  it('keeps what was recorded small: due times and rules only, no pack text', () => {
    const incident = californian();
    expect(Object.keys(incident.clockPins![CA]!.clocks['resident-notice']!).sort()).toEqual(['due', 'rule']);
  });
});

describe('an open incident when a pack gets a new version', () => {
  it('shows "rule changed" with both deadlines and versions; the earlier (recorded) one drives the clock', () => {
    const packs = caPacks(45);
    const clock = resident(incidentClocks(packs, californian(), NOW));
    expect(clock.ruleChange).toMatchObject({ recorded: { version: '2026-12', dueAt: DUE_30 }, current: { version: '2027-01', dueAt: DUE_45 }, frozen: false });
    expect(clock.dueAt).toBe(DUE_30);
    expect(clock.version).toBe('2026-12');
    expect(clock.status).toBe('running');
  });

  it('takes the current deadline when the new version is the earlier one', () => {
    const clock = resident(incidentClocks(caPacks(15), californian(), NOW));
    expect(clock.dueAt).toBe(DUE_15);
    expect(clock.ruleChange).toMatchObject({ recorded: { dueAt: DUE_30 }, current: { dueAt: DUE_15 } });
  });

  it('escalates and orders by the earlier deadline until an officer chooses', () => {
    const incident = californian();
    const packs = caPacks(45);
    expect(planRegimeTimers(incident, NOW, packs).find((t) => t.timerId === `regime.${CA}.resident-notice.overdue`)?.dueAt).toBe(DUE_30);
    expect(clockSummary({ ...incident, facts: { ...incident.facts, jurisdictions: [{ code: 'US-CA', affected: 200 }] } }, NOW, packs).nextDeadlineAt).toBe(DUE_30);
  });

  it('keeps the recorded version when later decisions re-record the clocks', () => {
    const packs = caPacks(45);
    const later = act(californian(), { type: 'record-facts', facts: { dataCategories: ['contact'] } }, 'dpo', NOW, packs);
    expect(later.clockPins?.[CA]).toMatchObject({ v: '2026-12', clocks: { 'resident-notice': { due: DUE_30 } } });
    expect(resident(incidentClocks(packs, later, NOW)).ruleChange).toBeDefined();
  });

  it('an obligation the new version adds or drops shows as a rule change too', () => {
    const packs = caPacks(45, '2027-01', (p) => ({ ...p, obligations: [...p.obligations, { id: 'regulator', label: 'Tell the regulator', recipient: 'regulator', clocks: [{ trigger: 'detectedAt', deadline: { unit: 'hours', value: 24 } }] }] }));
    const added = incidentClocks(packs, californian(), NOW).find((c) => c.obligation === 'regulator')!;
    expect(added.ruleChange).toMatchObject({ recorded: { dueAt: null }, current: { version: '2027-01' } });
    const dropped = caPacks(45, '2027-01', (p) => ({ ...p, obligations: p.obligations.filter((o) => o.id !== 'resident-notice' && o.id !== 'attorney-general').concat({ id: 'other', label: 'Other', recipient: 'someone', clocks: [{ trigger: 'detectedAt', deadline: { unit: 'hours', value: 24 } }] }) }));
    const kept = resident(incidentClocks(dropped, californian(), NOW));
    expect(kept).toMatchObject({ dueAt: DUE_30, ruleChange: { recorded: { dueAt: DUE_30 }, current: { dueAt: null } }, label: 'resident-notice' });
  });
});

describe('adopt-rule-version (the officer chooses)', () => {
  it('adopts the current version: the new deadline, no badge, audited with both deadlines', () => {
    const packs = caPacks(45);
    const incident = californian();
    const decided = decide(incident, { type: 'adopt-rule-version', regime: CA }, 'dpo', NOW, { packs });
    expect(decided.event).toMatchObject({ type: 'incident.rule-version-adopted', data: { regime: CA, from: '2026-12', to: '2027-01', clocks: [expect.objectContaining({ obligation: 'resident-notice', recordedDueAt: DUE_30, currentDueAt: DUE_45 })] } });
    expect(decided.event.summary).toMatch(/2026-12.*2027-01/);
    const adopted = { ...decided.incident, clockPins: pinClocks(packs, incident, decided.incident, NOW) };
    expect(adopted.clockPins?.[CA]).toMatchObject({ v: '2027-01', clocks: { 'resident-notice': { due: DUE_45 } } });
    const clock = resident(incidentClocks(packs, adopted, NOW));
    expect(clock).toMatchObject({ dueAt: DUE_45, version: '2027-01' });
    expect(clock.ruleChange).toBeUndefined();
  });

  it('is refused when the regime has no rule change, and on a closed incident', () => {
    expect(() => decide(californian(), { type: 'adopt-rule-version', regime: CA }, 'dpo', NOW)).toThrow(DomainValidationError);
    const closed = act(californian(), { type: 'close', reason: 'Residents notified; case closed' }, 'dpo', NOW);
    expect(() => decide(closed, { type: 'adopt-rule-version', regime: CA }, 'dpo', NOW, { packs: caPacks(45) })).toThrow(IllegalTransitionError);
  });

  it('is the DPO\'s or legal\'s call, like a decision', () => {
    expect(PERMISSIONS['adopt-rule-version']).toEqual(PERMISSIONS['propose-decision']);
  });
});

describe('a closed incident never moves', () => {
  it('shows the clocks as they were at closing, whatever a later version of the pack says', () => {
    const closed = act(californian(), { type: 'close', reason: 'Residents notified; case closed' }, 'dpo', NOW);
    const atClosing = incidentClocks(RULE_PACKS, closed, NOW);
    const later = new Date('2027-03-01T00:00:00Z');
    for (const packs of [caPacks(45), caPacks(15), RULE_PACKS]) {
      const clock = resident(incidentClocks(packs, closed, later));
      expect(clock).toMatchObject({ dueAt: DUE_30, version: '2026-12', rule: resident(atClosing).rule, status: 'running' });
    }
    expect(resident(incidentClocks(caPacks(45), closed, later)).ruleChange).toMatchObject({ frozen: true, recorded: { dueAt: DUE_30 }, current: { dueAt: DUE_45, version: '2027-01' } });
    // Decisions after closing (a notice approval, evidence read) keep the frozen record.
    expect(act(closed, { type: 'record-evidence-read', alerts: 1 }, 'dpo', later, caPacks(45)).clockPins).toEqual(closed.clockPins);
  });

  it('keeps a submission judged on time on time, and the register says so', () => {
    const notified = act(californian(), { type: 'record-submission', regime: CA, obligation: 'resident-notice', submittedAt: '2026-12-15T12:00:00Z', reference: 'letters-2026-12' }, 'dpo', new Date('2026-12-16T00:00:00Z'));
    const closed = act(notified, { type: 'close', reason: 'Residents notified; case closed' }, 'dpo', new Date('2026-12-16T00:00:00Z'));
    const packs = caPacks(15); // the corrected law would have made it late
    const clock = resident(incidentClocks(packs, closed, new Date('2027-03-01T00:00:00Z')));
    expect(clock).toMatchObject({ status: 'submitted', dueAt: DUE_30, submission: { late: false } });
    const entry = registerEntry(closed, [], new Date('2027-03-01T00:00:00Z'), packs);
    expect(entry.clocks.find((c) => c.regime === CA && c.obligation === 'resident-notice')).toMatchObject({ dueAt: DUE_30, version: '2026-12', result: 'met', currentRule: { version: '2027-01', dueAt: DUE_15 } });
  });

  it('an obligation a later version adds does not appear on a closed incident', () => {
    const closed = act(californian(), { type: 'close', reason: 'Residents notified; case closed' }, 'dpo', NOW);
    const packs = caPacks(45, '2027-01', (p) => ({ ...p, obligations: [...p.obligations, { id: 'regulator', label: 'Tell the regulator', recipient: 'regulator', clocks: [{ trigger: 'detectedAt', deadline: { unit: 'hours', value: 24 } }] }] }));
    expect(incidentClocks(packs, closed, NOW).some((c) => c.obligation === 'regulator')).toBe(false);
  });
});

describe('the live Slack message', () => {
  it('says "rule changed" on a clock with both deadlines and versions', () => {
    const incident = californian();
    const pin = incident.clockPins![CA]!;
    // Recorded under an earlier version of the pack than the one running now.
    const earlier = { ...incident, clockPins: { ...incident.clockPins, [CA]: { ...pin, v: '2025-01', clocks: { ...pin.clocks, 'resident-notice': { ...pin.clocks['resident-notice']!, due: DUE_15 } } } } };
    const text = JSON.stringify(renderIncidentMessage(earlier, NOW).blocks);
    expect(text).toMatch(/Notify affected California residents[^"]*\*rule changed\*: v2025-01 due 2026-12-06T07:59:59.999Z, now v2026-12 due 2026-12-21T07:59:59.999Z/);
    expect(JSON.stringify(renderIncidentMessage(incident, NOW).blocks)).not.toMatch(/rule changed/);
  });
});

describe('the size of the record on the incident item (DynamoDB: 400 KB an item)', () => {
  it('stays under 64 kB with every jurisdiction (at most 80 may be recorded), every threshold crossed and every sector flag, open and closed', () => {
    const codes = [...JURISDICTIONS];
    expect(codes.length).toBeLessThanOrEqual(80);
    const facts = {
      jurisdictions: codes.map((code) => ({ code, affected: 1_000_000 })),
      role: 'controller' as const,
      sectors: { nis2: 'essential' as const, doraFinancialEntity: true, hipaaCoveredEntity: true, secRegistrant: true, nydfsCovered: true },
    };
    const open = act(californian(), { type: 'record-facts', facts }, 'dpo', NOW);
    const clocks = Object.values(open.clockPins!).reduce((n, pin) => n + Object.keys(pin.clocks).length, 0);
    expect(clocks).toBeGreaterThan(150);
    expect(JSON.stringify(open.clockPins).length).toBeLessThan(64_000);
    const closed = act({ ...open, status: 'confirmed' }, { type: 'close', reason: 'Everyone told; case closed', override: 'Test of the record size only' }, 'dpo', NOW);
    expect(JSON.stringify(closed.clockPins).length).toBeLessThan(64_000);
  });
});

describe('escalation after a pack change nobody has re-planned yet', () => {
  it('an overdue step planned for a later deadline fires (late) instead of being skipped when the deadline moved earlier without a re-plan', () => {
    // Recorded under a version with 45 days; the version running now says 30: the earlier (30 days) counts,
    // but the step was planned at 45 days and no decision has re-planned it since the deployment.
    const packs45 = caPacks(45);
    const confirmed = act(anIncident({}, DETECTED), { type: 'confirm', awareAt: '2026-11-21T09:00:00Z', justification: 'Forensics confirmed customer data left' }, 'dpo', NOW, packs45);
    const incident = act(confirmed, { type: 'record-facts', facts: { jurisdictions: [{ code: 'US-CA', affected: 200 }], role: 'controller' } }, 'dpo', NOW, packs45);
    const timerId = `regime.${CA}.resident-notice.overdue`;
    expect(planRegimeTimers(incident, NOW, packs45).find((t) => t.timerId === timerId)?.dueAt).toBe(DUE_45);
    const firing = evaluateRegimeTimer(incident, { timerId, dueAt: DUE_45 }, new Date(Date.parse(DUE_45) + 60_000));
    expect(firing).toMatchObject({ summary: expect.stringMatching(/^OVERDUE: Notify affected California residents .* was due 2026-12-21T07:59:59.999Z/) });
    // A due-soon step of the later deadline says nothing the overdue one does not: still skipped.
    expect(evaluateRegimeTimer(incident, { timerId: `regime.${CA}.resident-notice.due-soon`, dueAt: '2027-01-04T07:59:59.999Z' }, new Date('2027-01-04T08:00:00Z'))).toHaveProperty('skip');
  });
});
