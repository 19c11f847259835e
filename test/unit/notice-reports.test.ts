import { decide, type Incident, type IncidentAction } from '../../lambdas/domain/incident.js';
import { DomainValidationError } from '../../lambdas/domain/errors.js';
import type { Organisation } from '../../lambdas/domain/notices/elements.js';
import { createNotice, currentDraft, packClock, type NoticeContext } from '../../lambdas/domain/notices/notice.js';
import { noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { regimeClocks } from '../../lambdas/domain/regimes/engine.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

const ORG: Organisation = { name: 'Clinicwise Inc.', dpo: { name: 'Dana Pohl', email: 'privacy@clinicwise.test', phone: '+1 415 555 0100' }, postalAddress: '1 Main St, San Francisco, CA' };
const at = (hours: number) => hoursAfter(T0, hours);

function step(incident: Incident, action: IncidentAction, actor: string, hours: number): Incident {
  return decide(incident, action, actor, at(hours)).incident;
}

/** A health-data breach at an important NIS2 entity that is also a HIPAA covered entity: 1,000 US people (900 in California). */
function healthIncident(facts: Partial<IncidentFacts> = {}): Incident {
  let incident = anIncident({ occurredAt: '2026-03-27T20:10:00Z' });
  incident = step(incident, { type: 'confirm', awareAt: at(1).toISOString(), justification: 'Forensics confirmed the export' }, 'dana', 1);
  return step(
    incident,
    {
      type: 'record-facts',
      facts: {
        jurisdictions: [{ code: 'EU', affected: 4000 }, { code: 'US-CA', affected: 900 }, { code: 'US', affected: 100 }],
        dataCategories: ['contact', 'health'],
        role: 'controller',
        sectors: { nis2: 'important', hipaaCoveredEntity: true },
        ...facts,
      },
    },
    'rita',
    2,
  );
}

const ctx = (incident: Incident, kind: string, hours = 6): NoticeContext => ({ incident, pack: noticePack(kind)!, organisation: ORG, now: at(hours) });
const draftOf = (incident: Incident, kind: string, fields: Record<string, string> = {}, language?: 'en' | 'de' | 'fr') =>
  currentDraft(createNotice({ noticeId: `NTC-${kind}`, fields, ...(language ? { language } : {}) }, ctx(incident, kind), 'dana').notice, ctx(incident, kind));

/** Every element an officer writes for the new packs. */
const FULL: Record<string, string> = {
  nature: 'An attacker used a stolen API key to export the patient portal table.',
  'severity-impact': 'High: the portal was down for six hours; 5,000 patient records were copied.',
  'indicators-of-compromise': 'Requests from 203.0.113.7 with the revoked key.',
  'root-cause': 'An API key committed to a public repository.',
  'measures-taken': 'The key was revoked and all sessions ended.',
  'measures-proposed': 'Keys are rotated every 30 days; secret scanning on every push.',
  'cross-border-impact': 'Patients in Germany and France are affected.',
  'breach-type': 'Hacking/IT Incident',
  'information-location': 'Network Server',
  safeguards: 'Firewalls; the table was not encrypted.',
  'what-to-do': 'Watch your explanation of benefits statements for services you did not receive.',
  'toll-free-number': '1-800-555-0100',
  'likely-consequences': 'Phishing using the leaked names and addresses.',
  'exemption-reason': 'We hold no contact details for about 3,000 of the people affected.',
};

const NEW_PACKS = ['nis2-incident-notification', 'nis2-final-report', 'hipaa-hhs', 'hipaa-media'] as const;

describe('every report whose clock runs has its notice (issue 26.4)', () => {
  const incident = healthIncident();

  it.each(NEW_PACKS)('%s answers the clock that already runs for it, and drafting is offered for that clock', (kind) => {
    const pack = noticePack(kind)!;
    const clock = packClock(pack, incident, at(6));
    expect(clock).toMatchObject({ regime: pack.regime, obligation: pack.obligation });
    expect(() => createNotice({ noticeId: 'N1', fields: {} }, ctx(incident, kind), 'dana')).not.toThrow();
  });

  it.each(NEW_PACKS)('%s: an incomplete draft lists the missing elements with their legal source', (kind) => {
    const pack = noticePack(kind)!;
    const draft = draftOf(incident, kind);
    const expected: Record<(typeof NEW_PACKS)[number], string[]> = {
      'nis2-incident-notification': ['severity-impact'],
      'nis2-final-report': ['nature', 'severity-impact', 'root-cause', 'cross-border-impact'],
      'hipaa-hhs': ['breach-type', 'information-location', 'nature', 'safeguards'],
      'hipaa-media': ['nature', 'what-to-do', 'toll-free-number'],
    };
    expect(draft.missing.map((m) => m.id)).toEqual(expect.arrayContaining(expected[kind]));
    for (const missing of draft.missing) {
      const element = pack.elements.find((e) => e.id === missing.id)!;
      expect(missing).toEqual({ id: element.id, label: element.label, legalSource: element.legalSource, language: 'en' });
      expect(draft.rendered.text).toContain(`[missing: ${element.label}]`);
    }
  });

  it.each(NEW_PACKS)('%s: a complete draft renders in every format the pack has', (kind) => {
    const pack = noticePack(kind)!;
    const draft = draftOf(incident, kind, FULL);
    expect(draft.missing).toEqual([]);
    const formats = Object.keys(pack.templates.en!).filter((f) => f !== 'subject') as ('text' | 'markdown' | 'html')[];
    expect(formats.length).toBeGreaterThan(0);
    for (const format of formats) {
      const body = draft.rendered[format]!;
      expect(body).not.toContain('[missing');
      for (const element of draft.elements.filter((e) => e.required)) {
        const probe = element.value!.split(/[\s,.:;()]/).find((w) => w.length > 3) ?? element.value!;
        expect(format === 'markdown' ? body.replace(/\\/g, '') : body).toContain(probe);
      }
    }
    if (pack.channels.includes('portal')) expect(draft.rendered.markdown).toMatch(/^# /);
  });

  it('the NIS2 notification quotes the early warning reference, the final report the notification reference, both recorded at submission', () => {
    let chained = step(incident, { type: 'record-submission', regime: 'nis2-art23', obligation: 'early-warning', submittedAt: at(5).toISOString(), reference: 'CSIRT-2026-0042' }, 'lena', 5);
    const notification = draftOf(chained, 'nis2-incident-notification', FULL).elements.find((e) => e.id === 'case-reference')!;
    expect(notification).toMatchObject({ value: 'CSIRT-2026-0042', source: 'derived', authors: ['lena'] });
    chained = step(chained, { type: 'record-submission', regime: 'nis2-art23', obligation: 'incident-notification', submittedAt: at(6).toISOString(), reference: 'CSIRT-2026-0042-B' }, 'lena', 6);
    const final = draftOf(chained, 'nis2-final-report', FULL);
    expect(final.elements.find((e) => e.id === 'case-reference')!.value).toBe('CSIRT-2026-0042-B');
    expect(final.rendered.markdown).toContain('CSIRT\\-2026\\-0042\\-B');
  });

  it('the HHS report states when the individual notices went out, from their recorded submission', () => {
    expect(draftOf(incident, 'hipaa-hhs', FULL).elements.find((e) => e.id === 'individuals-notified-at')!.source).toBe('missing');
    const sent = step(incident, { type: 'record-submission', regime: 'hipaa-breach', obligation: 'individual-notice', submittedAt: at(5).toISOString(), reference: 'letters mailed' }, 'lena', 5);
    expect(draftOf(sent, 'hipaa-hhs', FULL).elements.find((e) => e.id === 'individuals-notified-at')!.value).toBe('2026-03-28 03:30 UTC');
  });

  it('no HIPAA regime, no HHS or media notice: drafting is refused', () => {
    const other = healthIncident({ sectors: { nis2: 'important', hipaaCoveredEntity: false } });
    for (const kind of ['hipaa-hhs', 'hipaa-media']) expect(() => createNotice({ noticeId: 'N1', fields: {} }, ctx(other, kind), 'dana')).toThrow(DomainValidationError);
  });
});

describe('HIPAA 164.404(c)(1)(E): a toll-free telephone number (issue 26.1)', () => {
  it('is missing from the individual notice until given, with its source; given, it is in every format', () => {
    const incident = healthIncident();
    const { 'toll-free-number': _, ...withoutTollFree } = FULL;
    const missing = draftOf(incident, 'hipaa-individual', withoutTollFree).missing;
    expect(missing).toEqual([{ id: 'toll-free-number', label: 'Toll-free telephone number', legalSource: '45 CFR 164.404(c)(1)(E)', language: 'en' }]);
    const draft = draftOf(incident, 'hipaa-individual', FULL);
    expect(draft.missing).toEqual([]);
    expect(draft.rendered.text).toContain('Toll-free: 1-800-555-0100');
    expect(draft.rendered.html).toContain('Toll-free: 1-800-555-0100');
  });
});

describe('Art. 34(3)(c): the public communication states why individual notice would involve disproportionate effort (issue 26.1)', () => {
  it('the reason is missing until written, and stated in every language and format', () => {
    const incident = healthIncident();
    const { 'exemption-reason': _, ...withoutReason } = FULL;
    expect(draftOf(incident, 'gdpr-public', withoutReason).missing).toContainEqual({
      id: 'exemption-reason',
      label: 'Why telling each person individually would involve disproportionate effort',
      legalSource: 'GDPR Art. 34(3)(c)',
      language: 'en',
    });
    for (const language of ['en', 'de', 'fr'] as const) {
      const draft = draftOf(incident, 'gdpr-public', { ...FULL, 'exemption-reason': 'Keine Kontaktdaten für 3.000 Personen.' }, language);
      expect(draft.missing).toEqual([]);
      expect(draft.rendered.text).toContain('Keine Kontaktdaten');
      expect(draft.rendered.html).toContain('Keine Kontaktdaten');
    }
  });
});

describe('HIPAA 164.410: the business associate\'s notice to the covered entity (issue 26.4)', () => {
  /** A billing vendor, a HIPAA business associate, breached: 1,200 patients of one covered entity in the US. */
  const vendorIncident = (sectors: IncidentFacts['sectors'] = { hipaaBusinessAssociate: true }) =>
    healthIncident({ jurisdictions: [{ code: 'US', affected: 1200 }], dataCategories: ['health', 'contact'], sectors, entityTimeZone: 'America/Chicago' });
  const BA: Record<string, string> = {
    'individuals-identified': 'The attached file lists all 1,200 patients by name and medical record number (sent by SFTP, ref. SFTP-0042).',
    nature: 'An attacker used a stolen API key to export the claims table.',
    'data-categories': 'Names, dates of birth, claim codes and diagnosis codes.',
    'what-to-do': 'Watch explanation of benefits statements for services not received.',
    'measures-taken': 'The key was revoked, sessions ended, and exports are now rate-limited.',
  };

  it('a clock runs for it when we are a business associate: no later than 60 calendar days after discovery, from 45 CFR 164.410(b)', () => {
    const clocks = regimeClocks(RULE_PACKS, vendorIncident(), vendorIncident().facts, at(6));
    const clock = clocks.find((c) => c.regime === 'hipaa-business-associate')!;
    expect(clock).toMatchObject({ obligation: 'covered-entity-notice', recipient: 'covered entity', status: 'running' });
    expect(clock.legalSource).toMatch(/45 CFR 164\.410/);
    // The same count as the covered entity's own 60 days (discovery, calendar days in the entity's zone).
    const asCoveredEntity = vendorIncident({ hipaaCoveredEntity: true });
    const individual = regimeClocks(RULE_PACKS, asCoveredEntity, asCoveredEntity.facts, at(6)).find((c) => c.regime === 'hipaa-breach' && c.obligation === 'individual-notice')!;
    expect(clock.dueAt).toBe(individual.dueAt);
    // A business associate is not the covered entity: none of the covered entity's notices run for it.
    expect(clocks.filter((c) => c.regime === 'hipaa-breach')).toEqual([]);
  });

  it('not a business associate: no clock, and drafting the notice is refused', () => {
    const covered = vendorIncident({ hipaaCoveredEntity: true });
    expect(regimeClocks(RULE_PACKS, covered, covered.facts, at(6)).some((c) => c.regime === 'hipaa-business-associate')).toBe(false);
    expect(() => createNotice({ noticeId: 'N1', fields: {} }, ctx(covered, 'hipaa-business-associate'), 'dana')).toThrow(DomainValidationError);
  });

  it('the pack answers that clock, cites 164.410 and 164.404(c) for every element, and says when its sources were checked', () => {
    const pack = noticePack('hipaa-business-associate')!;
    expect(pack).toMatchObject({ regime: 'hipaa-business-associate', obligation: 'covered-entity-notice', audience: 'controller', channels: ['email'] });
    expect(pack.legalSource).toMatch(/45 CFR 164\.410/);
    expect(pack.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pack.sourceNote).toBeDefined();
    expect(packClock(pack, vendorIncident(), at(6))).toMatchObject({ regime: 'hipaa-business-associate', obligation: 'covered-entity-notice' });
    for (const element of pack.elements.filter((e) => e.required !== 'no')) expect(element.legalSource).toMatch(/45 CFR 164\.4(10|04)/);
    expect(pack.elements.find((e) => e.id === 'individuals-identified')).toMatchObject({ legalSource: '45 CFR 164.410(c)(1)', required: 'always' });
  });

  it('an incomplete draft names the identification of each individual and the 164.404(c) content; the incident\'s totals are not filled in', () => {
    const draft = draftOf(vendorIncident(), 'hipaa-business-associate');
    expect(draft.missing.map((m) => m.id)).toEqual(expect.arrayContaining(['individuals-identified', 'nature', 'data-categories', 'what-to-do', 'measures-taken']));
    expect(draft.missing.find((m) => m.id === 'individuals-identified')!.legalSource).toBe('45 CFR 164.410(c)(1)');
    // The incident's data categories may be several covered entities' data: the officer writes this covered entity's.
    expect(draft.elements.find((e) => e.id === 'data-categories')!.source).toBe('missing');
  });

  it('a complete draft renders every element in the text and HTML email, with the discovery date', () => {
    const draft = draftOf(vendorIncident(), 'hipaa-business-associate', BA);
    expect(draft.missing).toEqual([]);
    for (const body of [draft.rendered.text, draft.rendered.html!]) {
      for (const value of Object.values(BA)) expect(body).toContain(value.split(' (')[0]!.split(',')[0]);
      expect(body).toContain('Clinicwise Inc.');
      expect(body).toContain('Date of discovery: detected 2026-03-27 22:30 UTC');
    }
    expect(draft.rendered.subject).toMatch(/45 CFR 164\.410/);
  });
});

describe('the NIS2 early warning states the NIS2 awareness its 24 h count from (issue 26.4)', () => {
  const earlyWarning = (incident: Incident) => draftOf(incident, 'nis2-early-warning', FULL).elements.find((e) => e.id === 'discovered-at')!;

  it('the significant-incident awareness confirmed for NIS2, not the personal-data awareness, with who confirmed it', () => {
    // personal-data awareness at 1 h; the incident was judged significant under NIS2 at 3 h
    const incident = step(healthIncident(), { type: 'confirm-regime', regime: 'nis2-art23', awareAt: at(3).toISOString(), justification: 'The outage met the national significance threshold' }, 'omar', 3);
    const element = earlyWarning(incident);
    expect(element.value).toContain(`${at(3).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    expect(element.value).not.toContain(`${at(1).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    expect(element.authors).toContain('omar');
  });

  it('not yet confirmed for NIS2: missing (the officer states it or confirms it), never the personal-data awareness', () => {
    const element = earlyWarning(healthIncident());
    expect(element).toMatchObject({ source: 'missing', required: true });
    // An officer's words fill it.
    const written = draftOf(healthIncident(), 'nis2-early-warning', { ...FULL, 'discovered-at': '2026-03-28 02:00 UTC (outage judged significant)' });
    expect(written.missing.map((m) => m.id)).not.toContain('discovered-at');
    expect(written.elements.find((e) => e.id === 'discovered-at')).toMatchObject({ source: 'field', value: '2026-03-28 02:00 UTC (outage judged significant)' });
  });
});
