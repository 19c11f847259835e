import { decide, openIncident } from '../../lambdas/domain/incident.js';
import { DomainValidationError, IllegalTransitionError } from '../../lambdas/domain/errors.js';
import { conditionHolds, ESCALATION_CONDITIONS } from '../../lambdas/domain/escalation-ladder.js';
import { anIncident, hoursAfter, minutesAfter, T0 } from '../support/fixtures.js';

describe('openIncident', () => {
  it('opens in detected with detectedAt = receipt time when the sender gives no observation time', () => {
    const { incident, event } = openIncident({ id: 'I1', title: 't', severity: 'low', source: 'generic', fingerprint: 'f' }, T0);
    expect(incident).toMatchObject({ status: 'detected', detectedAt: T0.toISOString(), alertCount: 1, version: 1, planEpoch: 1 });
    expect(event.type).toBe('incident.opened');
  });

  it('takes an earlier observation time as detectedAt (the clock must not start late)', () => {
    const observedAt = hoursAfter(T0, -2).toISOString();
    const { incident } = openIncident({ id: 'I1', title: 't', severity: 'low', source: 'generic', fingerprint: 'f', observedAt }, T0);
    expect(incident.detectedAt).toBe(observedAt);
  });

  it('ignores an observation time in the future (sender clock skew)', () => {
    const observedAt = hoursAfter(T0, 1).toISOString();
    const { incident } = openIncident({ id: 'I1', title: 't', severity: 'low', source: 'generic', fingerprint: 'f', observedAt }, T0);
    expect(incident.detectedAt).toBe(T0.toISOString());
  });
});

describe('decide: the incident state machine', () => {
  const now = minutesAfter(T0, 5);

  it('acknowledges a detected incident and stops the unacknowledged escalation', () => {
    const decision = decide(anIncident(), { type: 'acknowledge' }, 'alice', now);
    expect(decision.incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'alice', acknowledgedAt: now.toISOString(), version: 2 });
    expect(conditionHolds(decision.incident, 'unacknowledged')).toBe(false);
    expect(decision.replan).toBe(false);
  });

  it('refuses a second acknowledgement and says who acknowledged', () => {
    const acked = decide(anIncident(), { type: 'acknowledge' }, 'alice', now).incident;
    expect(() => decide(acked, { type: 'acknowledge' }, 'bob', now)).toThrow(/already acknowledged by alice/);
    expect(() => decide(acked, { type: 'acknowledge' }, 'bob', now)).toThrow(IllegalTransitionError);
  });

  it('confirms with awareAt and justification, bumps the fencing epoch and asks for a re-plan', () => {
    const awareAt = minutesAfter(T0, 3).toISOString();
    const decision = decide(anIncident(), { type: 'confirm', awareAt, justification: 'Logs show customer rows were read' }, 'dpo-dana', now);
    expect(decision.incident).toMatchObject({
      status: 'confirmed',
      awareAt,
      awareSetBy: 'dpo-dana',
      awareJustification: 'Logs show customer rows were read',
      acknowledgedBy: 'dpo-dana',
      planEpoch: 2,
    });
    expect(decision.replan).toBe(true);
    expect(decision.event.data).toMatchObject({ awareLaterThanDetection: true, previousClockBasis: T0.toISOString() });
  });

  it('rejects confirmation without a written justification, or with awareAt in the future or unparseable', () => {
    const incident = anIncident();
    expect(() => decide(incident, { type: 'confirm', awareAt: now.toISOString(), justification: ' ok ' }, 'a', now)).toThrow(DomainValidationError);
    expect(() => decide(incident, { type: 'confirm', awareAt: hoursAfter(now, 1).toISOString(), justification: 'long enough text' }, 'a', now)).toThrow(/in the future/);
    expect(() => decide(incident, { type: 'confirm', awareAt: 'yesterday', justification: 'long enough text' }, 'a', now)).toThrow(/not an ISO-8601/);
  });

  it('dismisses with a reason, cancels every timer and releases the fingerprint', () => {
    const decision = decide(anIncident(), { type: 'dismiss', reason: 'Load test from our own team' }, 'bob', now);
    expect(decision.incident.status).toBe('dismissed');
    expect(ESCALATION_CONDITIONS.some((condition) => conditionHolds(decision.incident, condition))).toBe(false);
    expect(decision.releaseFingerprint).toBe(true);
  });

  it('records facts by merging them, refusing timestamps in the future', () => {
    const first = decide(anIncident(), { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 10 }], role: 'controller' } }, 'dana', now).incident;
    const second = decide(first, { type: 'record-facts', facts: { sectors: { secRegistrant: true } } }, 'dana', now);
    expect(second.incident.facts).toEqual({ jurisdictions: [{ code: 'EU', affected: 10 }], role: 'controller', sectors: { secRegistrant: true } });
    expect(second.event).toMatchObject({ type: 'incident.facts-recorded', summary: 'dana recorded sectors' });
    expect(() => decide(first, { type: 'record-facts', facts: { classifiedAt: hoursAfter(now, 1).toISOString() } }, 'dana', now)).toThrow(/in the future/);
  });

  it('will not dismiss a confirmed breach, and will not close an undecided one', () => {
    const confirmed = decide(anIncident(), { type: 'confirm', awareAt: T0.toISOString(), justification: 'Confirmed by forensics' }, 'a', now).incident;
    expect(() => decide(confirmed, { type: 'dismiss', reason: 'changed our mind' }, 'a', now)).toThrow(/cannot be dismissed/);
    expect(() => decide(anIncident(), { type: 'close', reason: 'nothing more to do' }, 'a', now)).toThrow(/confirm or dismiss it before closing/);
    const closed = decide(confirmed, { type: 'close', reason: 'Authority notified, case closed' }, 'a', now);
    expect(closed.incident.status).toBe('closed');
    expect(closed.releaseFingerprint).toBe(true);
    expect(() => decide(closed.incident, { type: 'acknowledge' }, 'a', now)).toThrow(IllegalTransitionError);
  });
});
