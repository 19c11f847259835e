import { assessRisk, type RiskInput } from '../../lambdas/domain/risk.js';
import { decide, type Incident } from '../../lambdas/domain/incident.js';
import { conditionHolds } from '../../lambdas/domain/escalation-ladder.js';
import { regimeClocks } from '../../lambdas/domain/regimes/engine.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { DomainValidationError, IllegalTransitionError } from '../../lambdas/domain/errors.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

const leak: RiskInput = { breachTypes: ['confidentiality'], easeOfIdentification: 'significant', malicious: true };

describe('risk assessment (EDPB factors, ENISA severity)', () => {
  it.each<[string, string, IncidentFacts, RiskInput, Record<string, unknown>]>([
    ['contact details sent to a known partner by mistake', 'none', { dataCategories: ['contact'], jurisdictions: [{ code: 'EU', affected: 50 }] }, { breachTypes: ['confidentiality'], easeOfIdentification: 'limited', malicious: false, unknownRecipients: false }, { notifyAuthority: false, notifyPeople: false }],
    ['contact details stolen', 'risk', { dataCategories: ['contact'], jurisdictions: [{ code: 'EU', affected: 5000 }] }, leak, { notifyAuthority: true, notifyPeople: false }],
    ['passwords and card data stolen', 'high', { dataCategories: ['credentials', 'payment'], jurisdictions: [{ code: 'EU', affected: 20000 }] }, leak, { notifyAuthority: true, notifyPeople: true }],
    ['health data of children exposed', 'high', { dataCategories: ['health'], peopleCategories: ['children'], jurisdictions: [{ code: 'EU', affected: 40 }] }, { ...leak, malicious: false }, { notifyPeople: true }],
    ['an encrypted laptop with the key safe', 'none', { dataCategories: ['health'], encryption: { encrypted: true, keyCompromised: false }, jurisdictions: [{ code: 'EU', affected: 900 }] }, leak, { notifyAuthority: false }],
  ])('%s → %s', (_name, level, facts, input, expected) => {
    const result = assessRisk(facts, input);
    expect(result.level).toBe(level);
    expect(result).toMatchObject(expected);
    expect(result.factors.length).toBeGreaterThan(1);
  });

  it('records the Art. 34(3) exemption: (a) unintelligible data, (b) later measures, (c) disproportionate effort → public communication', () => {
    const facts: IncidentFacts = { dataCategories: ['credentials', 'payment'], jurisdictions: [{ code: 'EU', affected: 20000 }] };
    expect(assessRisk(facts, { ...leak, breachTypes: ['confidentiality', 'availability'], laterMeasuresRemoveHighRisk: true })).toMatchObject({ level: 'high', art34Exemption: 'b-later-measures', notifyPeople: false });
    expect(assessRisk(facts, { ...leak, disproportionateEffort: true })).toMatchObject({ art34Exemption: 'c-disproportionate-effort', notifyPeople: false, publicCommunication: true });
  });

  it('Art. 34(3)(a) is recorded for a confidentiality-only loss of encrypted data with a safe key, and only there (issue 9.6)', () => {
    const facts: IncidentFacts = { dataCategories: ['credentials', 'payment'], jurisdictions: [{ code: 'EU', affected: 20000 }], encryption: { encrypted: true, keyCompromised: false } };
    const confidentiality = assessRisk(facts, leak);
    expect(confidentiality).toMatchObject({ art34Exemption: 'a-unintelligible', notifyPeople: false });
    // integrity lost too: encryption does not cure it; assessed on its own, people told
    const alsoIntegrity = assessRisk(facts, { ...leak, breachTypes: ['confidentiality', 'integrity'] });
    expect(alsoIntegrity.art34Exemption).toBeUndefined();
    expect(alsoIntegrity).toMatchObject({ level: 'high', notifyPeople: true });
  });
});

describe('the notification decision (four eyes)', () => {
  const facts: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 5000 }], dataCategories: ['contact'], role: 'controller' };
  const at = (hours: number) => hoursAfter(T0, hours);
  const withFacts = (): Incident => decide(anIncident(), { type: 'record-facts', facts }, 'rita', at(1)).incident;
  const assessed = (incident = withFacts(), input: RiskInput = leak): Incident => decide(incident, { type: 'assess-risk', input, rationale: 'Contact list exfiltrated by an attacker' }, 'dana', at(2)).incident;

  it('needs a risk assessment first, and only for regimes that apply', () => {
    expect(() => decide(withFacts(), { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'Risk to people' }, 'dana', at(2))).toThrow(/Assess the risk/);
    expect(() => decide(assessed(), { type: 'propose-decision', regime: 'lgpd-art48', notify: true, rationale: 'Risk to people' }, 'dana', at(3))).toThrow(/does not apply[\s\S]*applicable: gdpr-art33/);
  });

  it('is proposed by one person and confirmed by another; the proposer cannot confirm', () => {
    const proposed = decide(assessed(), { type: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'Only business contact data of 3 people, no risk', overrideReason: 'The 3 contacts are our own partners who already know' }, 'dana', at(3)).incident;
    expect(() => decide(proposed, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'dana', at(4))).toThrow(/Four eyes/);
    const confirmed = decide(proposed, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena.legal', at(4));
    expect(confirmed.incident.decisions!['gdpr-art33']).toMatchObject({ notify: false, proposedBy: 'dana', confirmedBy: 'lena.legal', basedOnRisk: 'risk' });
    expect(confirmed.event.type).toBe('incident.decision-confirmed');
    // Documented only: the GDPR clock is no longer required and its notice escalations stop.
    const [clock] = regimeClocks(RULE_PACKS, confirmed.incident, facts, at(5));
    expect(clock).toMatchObject({ regime: 'gdpr-art33', status: 'not-required', decision: { notify: false, confirmed: true, stale: false } });
    expect(conditionHolds(confirmed.incident, 'no-approved-notice')).toBe(false);
    expect(conditionHolds(confirmed.incident, 'overdue')).toBe(false);
    expect(() => decide(confirmed.incident, { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'Changed our mind' }, 'dana', at(6))).toThrow(IllegalTransitionError);
  });

  it('a re-assessment to another level makes earlier decisions stale and reopens them', () => {
    const proposed = decide(assessed(), { type: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'Contact data only, low impact', overrideReason: 'The recipients deleted the data and confirmed in writing' }, 'dana', at(3)).incident;
    const confirmed = decide(proposed, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena.legal', at(4)).incident;
    const worse = decide(
      decide(confirmed, { type: 'record-facts', facts: { dataCategories: ['contact', 'credentials', 'payment'], jurisdictions: [{ code: 'EU', affected: 20000 }] } }, 'rita', at(10)).incident,
      { type: 'assess-risk', input: leak, rationale: 'Forensics found password hashes and card data too' },
      'dana',
      at(11),
    );
    expect(worse.event).toMatchObject({ type: 'incident.risk-reassessed', summary: expect.stringMatching(/risk → high/) });
    expect(worse.incident.decisions!['gdpr-art33']!.stale).toBe(true);
    expect(regimeClocks(RULE_PACKS, worse.incident, worse.incident.facts!, at(12))[0]!.status).toBe('running');
    expect(conditionHolds(worse.incident, 'no-approved-notice')).toBe(true);
    expect(() => decide(worse.incident, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena.legal', at(12))).toThrow(/propose it again/);
  });

  it('once the deadline has passed, notifying requires reasons for the delay', () => {
    const late = assessed();
    const propose = (reasonsForDelay?: string) =>
      decide(late, { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'Risk to the people whose contacts leaked', ...(reasonsForDelay ? { reasonsForDelay } : {}) }, 'dana', at(80));
    expect(() => propose()).toThrow(DomainValidationError);
    expect(() => propose()).toThrow(/reasons for the delay/);
    expect(propose('Forensic firm needed 5 days to establish scope').incident.decisions!['gdpr-art33']!.reasonsForDelay).toMatch(/Forensic/);
  });
});

describe('legal review fixes on decisions and facts (issue 9)', () => {
  const at = (hours: number) => hoursAfter(T0, hours);
  const highRisk: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 20000 }], dataCategories: ['credentials', 'payment'], role: 'controller' };

  it('refuses "do not notify" under GDPR for an assessed risk without an explicit override, and flags the override (9.7)', () => {
    let incident = decide(anIncident(), { type: 'record-facts', facts: highRisk }, 'rita', at(1)).incident;
    incident = decide(incident, { type: 'assess-risk', input: leak, rationale: 'Passwords and card data exfiltrated' }, 'dana', at(2)).incident;
    expect(incident.riskAssessment!.level).toBe('high');
    expect(() => decide(incident, { type: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'We think it is fine really' }, 'dana', at(3))).toThrow(
      expect.objectContaining({ path: 'overrideReason' }),
    );
    const proposed = decide(
      incident,
      { type: 'propose-decision', regime: 'gdpr-art33', notify: false, rationale: 'We think it is fine really', overrideReason: 'The data was recovered from the attacker under court order within an hour' },
      'dana',
      at(3),
    );
    expect(proposed.incident.decisions!['gdpr-art33']!.override).toMatchObject({ assessedLevel: 'high' });
    expect(proposed.event.summary).toMatch(/AGAINST the high-risk assessment/);
  });

  it('keeps the conservative default per missing fact: recording only data categories keeps the GDPR clock (9.8)', () => {
    const incident = decide(anIncident(), { type: 'record-facts', facts: { dataCategories: ['contact'] } }, 'rita', at(1)).incident;
    expect(regimeClocks(RULE_PACKS, incident, incident.facts, at(1)).map((c) => c.regime)).toEqual(['gdpr-art33']);
    const assessed = decide(incident, { type: 'assess-risk', input: leak, rationale: 'Contact list exfiltrated by an attacker' }, 'dana', at(2)).incident;
    expect(() => decide(assessed, { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'Risk to people: notify the authority' }, 'dana', at(3))).not.toThrow();
  });

  it('merges facts deeply: recording one sector flag keeps the others; remove deletes a named fact (9.9)', () => {
    let incident = decide(anIncident(), { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { nis2: 'essential', doraFinancialEntity: true } } }, 'rita', at(1)).incident;
    incident = decide(incident, { type: 'record-facts', facts: { sectors: { secRegistrant: true } } }, 'rita', at(2)).incident;
    expect(incident.facts!.sectors).toEqual({ nis2: 'essential', doraFinancialEntity: true, secRegistrant: true });
    incident = decide(incident, { type: 'record-facts', facts: {}, remove: ['sectors.nis2'] }, 'rita', at(3)).incident;
    expect(incident.facts!.sectors).toEqual({ doraFinancialEntity: true, secRegistrant: true });
    expect(regimeClocks(RULE_PACKS, incident, incident.facts, at(3)).some((c) => c.regime === 'nis2-art23')).toBe(false);
  });

  it('answers a clear validation error for a trigger outside the holiday tables, instead of throwing (9.11)', () => {
    expect(() => decide(anIncident(), { type: 'record-facts', facts: { sectors: { secRegistrant: true }, materialityDeterminedAt: '1999-03-01T10:00:00Z' } }, 'rita', at(1))).toThrow(DomainValidationError);
    // 2019 is inside the extended tables now
    expect(() => decide(anIncident(), { type: 'record-facts', facts: { sectors: { secRegistrant: true }, materialityDeterminedAt: '2019-03-01T10:00:00Z' } }, 'rita', at(1))).not.toThrow();
  });

  it('records a submission once, with its reference; it stops the GDPR ladder\'s "not submitted" steps (9.4)', () => {
    const incident = decide(anIncident(), { type: 'record-facts', facts: highRisk }, 'rita', at(1)).incident;
    const submission = { type: 'record-submission' as const, regime: 'gdpr-art33', obligation: 'authority-notification', submittedAt: at(5).toISOString(), reference: 'DPC-2026-1234' };
    const done = decide(incident, submission, 'dana', at(6)).incident;
    expect(done.notifiedAt).toBe(at(5).toISOString());
    expect(regimeClocks(RULE_PACKS, done, done.facts, at(6))[0]).toMatchObject({ status: 'submitted', submission: { reference: 'DPC-2026-1234', late: false } });
    expect(() => decide(done, submission, 'dana', at(7))).toThrow(IllegalTransitionError);
    expect(() => decide(incident, { ...submission, submittedAt: at(9).toISOString() }, 'dana', at(6))).toThrow(/future/);
    expect(() => decide(incident, { ...submission, obligation: 'nope' }, 'dana', at(6))).toThrow(/not a clock/);
  });

  it('NIS2 and DORA count from their own confirmed awareness; a dismissal names the incident regimes it ends (9.10)', () => {
    const facts: IncidentFacts = { jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { nis2: 'essential' } };
    let incident = decide(anIncident(), { type: 'record-facts', facts }, 'rita', at(1)).incident;
    const nis2 = (i: Incident, hours: number) => regimeClocks(RULE_PACKS, i, i.facts, at(hours)).find((c) => c.obligation === 'early-warning')!;
    expect(nis2(incident, 1)).toMatchObject({ provisional: true, triggerAt: T0.toISOString() });
    incident = decide(incident, { type: 'confirm-regime', regime: 'nis2-art23', awareAt: at(3).toISOString(), justification: 'CSIRT criteria met: service down for 40 % of users' }, 'dana', at(4)).incident;
    expect(nis2(incident, 4)).toMatchObject({ provisional: false, triggerAt: at(3).toISOString(), dueAt: at(27).toISOString() });
    expect(() => decide(incident, { type: 'confirm-regime', regime: 'gdpr-art33', awareAt: at(3).toISOString(), justification: 'not how GDPR is confirmed' }, 'dana', at(4))).toThrow(/not from its own awareness/);

    // "Not a personal-data breach" does not end NIS2 by itself.
    expect(() => decide(incident, { type: 'dismiss', reason: 'No personal data was involved at all' }, 'dana', at(5))).toThrow(/nis2-art23 applies whether or not personal data/);
    const both = decide(incident, { type: 'dismiss', reason: 'No personal data, and not significant', regimes: ['nis2-art23'] }, 'dana', at(5));
    expect(both.incident.status).toBe('dismissed');
    expect(both.event.summary).toMatch(/also dismissed: nis2-art23/);

    // Or: the personal-data regime alone is dismissed; NIS2 keeps running and the GDPR ladder stops.
    const gdprOnly = decide(incident, { type: 'dismiss-regime', regime: 'gdpr-art33', reason: 'Only system metrics were affected, no personal data' }, 'dana', at(5)).incident;
    expect(gdprOnly.status).toBe('detected');
    const clocks = regimeClocks(RULE_PACKS, gdprOnly, gdprOnly.facts, at(5));
    expect(clocks.find((c) => c.regime === 'gdpr-art33')).toMatchObject({ status: 'not-required', dismissal: { by: 'dana' } });
    expect(clocks.find((c) => c.obligation === 'early-warning')!.status).toBe('running');
    expect(conditionHolds(gdprOnly, 'overdue')).toBe(false);
  });

  it('NYDFS 500.17: 72 hours for DFS-covered entities; New York consumer reporting agencies above 5,000 residents (9)', () => {
    const incident = decide(anIncident(), { type: 'record-facts', facts: { jurisdictions: [{ code: 'US-NY', affected: 6000 }], sectors: { nydfsCovered: true } } }, 'rita', at(1)).incident;
    const clocks = regimeClocks(RULE_PACKS, incident, incident.facts, at(1)).map((c) => [c.regime, c.obligation, c.dueAt]);
    expect(clocks).toContainEqual(['nydfs-500-17', 'superintendent-notice', at(72).toISOString()]);
    expect(clocks.map((c) => c[1])).toContain('consumer-reporting-agencies');
    const small = decide(anIncident(), { type: 'record-facts', facts: { jurisdictions: [{ code: 'US-NY', affected: 5000 }] } }, 'rita', at(1)).incident;
    expect(regimeClocks(RULE_PACKS, small, small.facts, at(1)).map((c) => c.obligation)).not.toContain('consumer-reporting-agencies');
  });
});

describe('the risk score explained factor by factor (issue 25.1)', () => {
  const cases: [string, Parameters<typeof assessRisk>[0], Parameters<typeof assessRisk>[1]][] = [
    ['a malicious leak of passwords of 1,200 customers', { dataCategories: ['contact', 'credentials'], jurisdictions: [{ code: 'EU', affected: 1200 }] }, { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }],
    ['children, all three losses, known recipients', { dataCategories: ['health'], peopleCategories: ['children'], jurisdictions: [{ code: 'EU', affected: 20_000 }] }, { breachTypes: ['confidentiality', 'integrity', 'availability'], easeOfIdentification: 'limited', malicious: false, unknownRecipients: false }],
    ['encrypted with the key safe', { dataCategories: ['payment'], encryption: { encrypted: true, keyCompromised: false } }, { breachTypes: ['confidentiality'], easeOfIdentification: 'significant', malicious: true }],
  ];

  it.each(cases)('%s: the lines add up to the score', (_name, facts, input) => {
    const result = assessRisk(facts, input);
    const sum = (result.explanation ?? []).reduce((total, line) => total + line.points, 0);
    expect(result.explanation?.length).toBeGreaterThan(2);
    expect(Math.round(sum * 100) / 100).toBe(result.severityScore);
  });

  it('names each factor with what it was', () => {
    const [leak] = cases;
    const result = assessRisk(leak![1], leak![2]);
    expect(result.severityScore).toBe(4.25);
    expect(result.explanation).toEqual([
      { factor: 'Data context × ease of identification (ENISA DPC × EI)', detail: 'contact, credentials: context 3; identification maximum (× 1)', points: 3 },
      { factor: 'Confidentiality lost', detail: 'the data is with an unknown or untrusted party', points: 0.5 },
      { factor: 'Intent', detail: 'deliberate (theft, hacking)', points: 0.5 },
      { factor: 'People affected', detail: '1200 (over 1,000: +0.25; over 10,000: +0.5)', points: 0.25 },
    ]);
  });
});
