import { decide, type Incident, type IncidentAction } from '../../lambdas/domain/incident.js';
import { DomainValidationError, IllegalTransitionError, ConfigurationError } from '../../lambdas/domain/errors.js';
import type { Organisation } from '../../lambdas/domain/notices/elements.js';
import { parseNoticePacks, type NoticePack } from '../../lambdas/domain/notices/notice-pack.js';
import { ContentChangedError, contentHash, createNotice, currentDraft, decideNotice, elementHashes, NoticeIncompleteError, RecipientsChangedError, type Notice, type NoticeAction, type NoticeContext, type RecipientListInfo } from '../../lambdas/domain/notices/notice.js';
import { NOTICE_PACK_CONFIGS, NOTICE_PACKS, noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { variantFields } from '../support/variant-fields.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';
import { PLACEHOLDER_ORGANISATION } from '../../lambdas/shared/config.js';

const ORG: Organisation = { name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example', phone: '+49 30 1234567' }, postalAddress: 'Hauptstr. 1, 10115 Berlin' };

/** Every field an officer writes, in plain words. */
const WORDS = {
  nature: 'An attacker used a stolen API key to export the customer table on 27 March.',
  'approx-records': 'about 48,000 rows',
  'likely-consequences': 'Phishing e-mails using the leaked names and addresses; password reuse attacks.',
  'measures-taken': 'The key was revoked within two hours, all sessions were ended and passwords reset.',
  'measures-proposed': 'Keys will be rotated every 30 days and exports rate-limited.',
  'what-to-do': 'Change your password and be careful with e-mails asking for payment details.',
  'cross-border-impact': 'Yes: customers in Germany, France and Austria are affected.',
  'severity-impact': 'High: the shop was unavailable for six hours and 48,000 customer records were copied.',
  'indicators-of-compromise': 'Requests from 203.0.113.7 using the revoked key.',
  'root-cause': 'An API key committed to a public repository.',
  'toll-free-number': '1-800-555-0100',
  'breach-type': 'Hacking/IT Incident',
  'information-location': 'Network Server',
  'exemption-reason': 'We hold no contact details for about 30,000 of the people affected.',
};

const at = (hours: number) => hoursAfter(T0, hours);

/** A US resident notice variant with most of the union's elements, and the officer's words for its state statements. */
const US_VARIANT = ['US-RI', 'US-NM', 'US-CO', 'US-DC', 'US-WY', 'US-CT', 'US-NY', 'US-VT'];
const US_WORDS = {
  'agency-contacts': 'Federal Trade Commission: 1-877-438-4338, 600 Pennsylvania Ave NW, Washington, DC 20580, identitytheft.gov.',
  'security-freeze': 'You may place a fraud alert or a security freeze on your credit file free of charge.',
  'police-report': 'You have the right to file and obtain a police report.',
  'fcra-rights': 'You have rights under the Fair Credit Reporting Act, including to dispute incomplete or inaccurate information.',
  'change-credentials': 'Change your password and security questions on every account that uses the same password.',
  'identity-theft-services': 'We offer 24 months of identity theft protection at no cost: enrol at protect.example with code ABC.',
  'discovered-at': '2026-03-28',
};

function step(incident: Incident, action: IncidentAction, actor: string, hours: number): Incident {
  return decide(incident, action, actor, at(hours)).incident;
}

/** A realistic incident: EU + California + US health data, NIS2, processor-free; high risk; GDPR decision confirmed. */
function realisticIncident(facts: Partial<IncidentFacts> = {}): Incident {
  let incident = anIncident({ occurredAt: '2026-03-27T20:10:00Z' });
  incident = step(incident, { type: 'confirm', awareAt: at(1).toISOString(), justification: 'Forensics confirmed the export left our network' }, 'dana', 1);
  incident = step(
    incident,
    {
      type: 'record-facts',
      facts: {
        jurisdictions: [{ code: 'EU', affected: 40000 }, { code: 'UK', affected: 0 }, { code: 'US-CA', affected: 900 }, { code: 'US', affected: 100 }],
        dataCategories: ['contact', 'credentials', 'health'],
        peopleCategories: ['customers'],
        role: 'controller',
        sectors: { nis2: 'important', hipaaCoveredEntity: true },
        encryption: { encrypted: false, keyCompromised: false },
        lawEnforcementDelay: false,
        ...facts,
      },
    },
    'rita',
    2,
  );
  incident = step(incident, { type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Customer data and passwords exfiltrated' }, 'dana', 3);
  incident = step(incident, { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk to customers: notify the authority' }, 'dana', 4);
  return step(incident, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena', 5);
}

/** We process shop data for merchants: the processor does not assess risk for the controller. */
function processorIncident(jurisdictions: IncidentFacts['jurisdictions'] = [{ code: 'EU', affected: 3000 }], dataCategories: IncidentFacts['dataCategories'] = ['contact']): Incident {
  let incident = anIncident({ occurredAt: '2026-03-27T20:10:00Z' });
  incident = step(incident, { type: 'confirm', awareAt: at(1).toISOString(), justification: 'Forensics confirmed the export left our network' }, 'dana', 1);
  return step(
    incident,
    { type: 'record-facts', facts: { jurisdictions, dataCategories, role: 'processor', controllers: [
          { name: 'Shop A', contractualHours: 24, affected: 1200, records: 1450, dataCategories: ['contact'], peopleCategories: ['customers'] },
          { name: 'Shop B', affected: 1800, records: 2100, dataCategories: ['contact', 'payment'], peopleCategories: ['customers'] },
        ] } },
    'rita',
    2,
  );
}

/** An approval of the content as rendered now (what an approver is shown), naming the version read. */
function approving(expectedVersion: number, notice: Notice, context: NoticeContext): NoticeAction {
  return { type: 'approve', expectedVersion, expectedContentHash: contentHash(currentDraft(notice, context)), ...(notice.recipients ? { expectedRecipientsHash: notice.recipients.sha256 } : {}) };
}

const ctx = (incident: Incident, kind: string, hours = 6): NoticeContext => ({ incident, pack: noticePack(kind)!, organisation: ORG, now: at(hours) });

function drafted(incident: Incident, kind: string, language?: 'en' | 'de' | 'fr', fields: Record<string, string> = WORDS): Notice {
  return createNotice({ noticeId: `NTC-${kind}`, ...(language ? { language } : {}), fields }, ctx(incident, kind), 'dana').notice;
}

describe('notice packs', () => {
  it('load seventeen kinds, the people notice in English, German and French', () => {
    expect(NOTICE_PACKS.map((p) => p.kind)).toEqual([
      'gdpr-authority',
      'uk-ico-authority',
      'gdpr-people',
      'gdpr-public',
      'processor-controller',
      'california-resident',
      'us-resident',
      'hipaa-individual',
      'hipaa-hhs',
      'hipaa-media',
      'hipaa-business-associate',
      'nis2-early-warning',
      'nis2-incident-notification',
      'nis2-final-report',
      'jurisdiction-regulator',
      'consumer-reporting-agencies',
      'data-owner',
    ]);
    expect(noticePack('gdpr-people')!.languages).toEqual(['en', 'de', 'fr']);
  });

  it('are valid packs, which parsing (not done at load) would not change', () => {
    expect(parseNoticePacks(JSON.parse(JSON.stringify(NOTICE_PACK_CONFIGS)))).toEqual(NOTICE_PACKS);
  });

  it('reject a pack whose template leaves out a mandatory element, or lacks a language or a channel format', () => {
    const broken = { ...noticePack('gdpr-people')!, kind: 'broken', templates: { en: { subject: 'x x', text: 'no elements at all here', html: '<p>{{el.nature}}</p>' } } } as NoticePack;
    let error: unknown;
    try {
      parseNoticePacks([broken]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const issues = (error as ConfigurationError).issues.join('\n');
    expect(issues).toMatch(/broken: no template for language "de"/);
    expect(issues).toMatch(/broken.en.text: does not show the mandatory element "what-to-do"/);
    expect(issues).toMatch(/broken.en: SMS needs an sms template/);
  });
});

describe('drafts: every mandatory element, for a realistic incident', () => {
  const incident = realisticIncident();

  it.each(NOTICE_PACKS.flatMap((pack) => pack.languages.map((language) => [pack.kind, language] as const)))('%s (%s) contains every mandatory element', (kind, language) => {
    const pack = noticePack(kind)!;
    const subject =
      kind === 'processor-controller'
        ? processorIncident()
        : kind === 'hipaa-business-associate'
          ? realisticIncident({ sectors: { hipaaBusinessAssociate: true } })
          : kind === 'nis2-early-warning' // it states the NIS2 awareness, confirmed on its own
            ? step(incident, { type: 'confirm-regime', regime: 'nis2-art23', awareAt: at(2).toISOString(), justification: 'Judged a significant incident under NIS2' }, 'omar', 5)
            : kind === 'us-resident' // one variant of states, with most of the union's elements
              ? realisticIncident({ jurisdictions: [{ code: 'EU', affected: 40000 }, ...US_VARIANT.map((code) => ({ code: code as 'US-RI', affected: 10 }))], dataCategories: ['contact', 'credentials', 'government-id'] })
              : kind === 'consumer-reporting-agencies'
                ? realisticIncident({ jurisdictions: [{ code: 'EU', affected: 40000 }, { code: 'US-FL', affected: 1500 }] })
                : kind === 'data-owner'
                  ? processorIncident([{ code: 'EU', affected: 3000 }, { code: 'US-FL', affected: 30 }], ['contact', 'financial'])
                  : incident;
    // A report (jurisdiction-reports.ts) answers one clock that runs: California's AG (900 residents), Florida's agencies and data owner.
    const answers = { 'jurisdiction-regulator': 'california-1798-82/attorney-general', 'consumer-reporting-agencies': 'us-fl-breach/consumer-reporting-agencies', 'data-owner': 'us-fl-breach/data-owner-notice' }[kind as string];
    // A notice to one controller or covered entity: its data categories are the officer's words for that recipient.
    const fields =
      kind === 'hipaa-business-associate'
        ? { ...WORDS, 'individuals-identified': 'The attached list of 900 patients by medical record number.', 'data-categories': 'Names and diagnosis codes.' }
        : kind === 'us-resident'
          ? variantFields({ ...WORDS, ...US_WORDS }, US_VARIANT)
          : answers
            ? { ...WORDS, 'resident-notice-copy': 'The notice to residents as sent is attached.', ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`statute-item-${i + 1}`, `Statutory item ${i + 1} answered`])) }
            : WORDS;
    const notice = createNotice({ noticeId: 'N1', language, fields, ...(kind === 'processor-controller' ? { controller: 'Shop A' } : {}), ...(kind === 'us-resident' ? { states: US_VARIANT } : {}), ...(answers ? { answers } : {}), ...(kind === 'data-owner' ? { controller: 'Shop A' } : {}) }, ctx(subject, kind), 'dana').notice;
    const draft = currentDraft(notice, ctx(subject, kind));
    expect(draft.missing).toEqual([]);
    for (const element of draft.elements.filter((e) => e.required)) {
      for (const format of ['text', 'html', 'markdown'] as const) {
        const body = draft.rendered[format];
        if (!body) continue;
        expect(body).not.toContain('[missing');
        // each value appears (escaped for its format): compare on the first words
        const probe = element.value!.split(/[\s,.:;()]/).find((w) => w.length > 3) ?? element.value!;
        expect(format === 'markdown' ? body.replace(/\\/g, '') : body).toContain(format === 'html' ? probe.replace(/'/g, '&#39;') : probe);
      }
    }
    expect(pack.channels.length).toBeGreaterThan(0);
  });

  it('the GDPR authority notice answers Art. 33(3) a-d and the forms, derived from facts, risk and decisions', () => {
    const draft = currentDraft(drafted(incident, 'gdpr-authority'), ctx(incident, 'gdpr-authority'));
    const value = (id: string) => draft.elements.find((e) => e.id === id)?.value;
    expect(value('notice-type')).toBe('Initial notification');
    expect(value('approx-people')).toBe('41000 people (EU: 40000, US-CA: 900, US: 100)');
    expect(value('data-categories')).toBe('contact details, passwords and login data, health data');
    expect(value('special-categories')).toBe('health data');
    expect(value('cia')).toBe('confidentiality');
    expect(value('people-told')).toMatch(/^Yes/);
    expect(value('contact-point')).toBe('Dana Pohl, dpo@shopwise.example, +49 30 1234567, Hauptstr. 1, 10115 Berlin');
    expect(value('occurred-at')).toBe('2026-03-27 20:10 UTC');
    expect(draft.rendered.markdown).toMatch(/\| Approximate number of data subjects \| 41000 people/);
  });

  it('the California notice carries the statutory title and headings of 1798.82(d)(1) in order', () => {
    const draft = currentDraft(drafted(incident, 'california-resident'), ctx(incident, 'california-resident'));
    const headings = ['Notice of Data Breach', 'What Happened?', 'What Information Was Involved?', 'What We Are Doing.', 'What You Can Do.', 'Other Important Information.', 'For More Information.'];
    const positions = headings.map((h) => draft.rendered.html!.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(draft.rendered.subject).toBe('Notice of Data Breach');
  });

  it('the notice to people speaks German and French, derived values included', () => {
    const de = currentDraft(drafted(incident, 'gdpr-people', 'de'), ctx(incident, 'gdpr-people'));
    expect(de.rendered.html).toContain('Was Sie tun können');
    expect(de.elements.find((e) => e.id === 'data-categories')!.value).toBe('Kontaktdaten, Passwörter und Zugangsdaten, Gesundheitsdaten');
    const fr = currentDraft(drafted(incident, 'gdpr-people', 'fr'), ctx(incident, 'gdpr-people'));
    expect(fr.rendered.text).toContain('Ce que vous pouvez faire');
  });

  it('names exactly what is missing; reasons for delay become mandatory once late, the case reference for a follow-up', () => {
    const { nature: _n, 'likely-consequences': _c, ...rest } = WORDS;
    const draft = currentDraft(drafted(incident, 'gdpr-authority', 'en', rest), ctx(incident, 'gdpr-authority'));
    expect(draft.missing.map((m) => m.id)).toEqual(['nature', 'likely-consequences']);
    expect(draft.missing[0]).toMatchObject({ label: 'Nature of the breach: what happened', legalSource: 'GDPR Art. 33(3)(a)' });
    expect(draft.rendered.text).toContain('[missing: Nature of the breach: what happened]');
    const late = currentDraft(drafted(incident, 'gdpr-authority'), ctx(incident, 'gdpr-authority', 80));
    expect(late.late).toBe(true);
    expect(late.missing.map((m) => m.id)).toEqual(['reasons-for-delay']);
  });

  it('escapes officer text for each format: no HTML, no Markdown links, no control characters', () => {
    const hostile = { ...WORDS, nature: 'Click <a href="https://evil.example">here</a> [now](https://evil.example) \u202etxt.exe\u0000 # heading' };
    const draft = currentDraft(drafted(incident, 'gdpr-authority', 'en', hostile), ctx(incident, 'gdpr-authority'));
    expect(draft.rendered.markdown).toContain('\\[now\\]\\(https://evil\\.example\\)');
    expect(draft.rendered.markdown).not.toMatch(/\u202e|\u0000/);
    const people = currentDraft(drafted(incident, 'gdpr-people', 'en', hostile), ctx(incident, 'gdpr-people'));
    expect(people.rendered.html).not.toContain('<a href');
    expect(people.rendered.html).toContain('&lt;a href&#x3D;&quot;https:&#x2F;&#x2F;evil.example&quot;&gt;');
  });
});

describe('the notice workflow', () => {
  const incident = realisticIncident();

  it('is approved by someone other than its last author, only when complete, only for the version read', () => {
    const notice = drafted(incident, 'gdpr-authority');
    expect(() => decideNotice(notice, approving(1, notice, ctx(incident, 'gdpr-authority')), ctx(incident, 'gdpr-authority'), 'dana')).toThrow(/Four eyes/);
    expect(() => decideNotice(notice, approving(0, notice, ctx(incident, 'gdpr-authority')), ctx(incident, 'gdpr-authority'), 'lena')).toThrow(/changed since you read it/);
    const approved = decideNotice(notice, approving(1, notice, ctx(incident, 'gdpr-authority')), ctx(incident, 'gdpr-authority'), 'lena');
    expect(approved.notice).toMatchObject({ status: 'approved', approval: { by: 'lena', version: 1, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    const incomplete = decideNotice(notice, { type: 'edit', fields: { nature: null }, expectedVersion: 1 }, ctx(incident, 'gdpr-authority'), 'dana').notice;
    expect(() => decideNotice(incomplete, approving(2, incomplete, ctx(incident, 'gdpr-authority')), ctx(incident, 'gdpr-authority'), 'lena')).toThrow(NoticeIncompleteError);
  });

  it('an edit after approval voids the approval and keeps a new version', () => {
    const approved = decideNotice(drafted(incident, 'gdpr-authority'), approving(1, drafted(incident, 'gdpr-authority'), ctx(incident, 'gdpr-authority')), ctx(incident, 'gdpr-authority'), 'lena').notice;
    const edited = decideNotice(approved, { type: 'edit', fields: { 'approx-records': 'about 52,000 rows' }, expectedVersion: 1 }, ctx(incident, 'gdpr-authority'), 'dana');
    expect(edited.notice).toMatchObject({ status: 'draft', version: 2 });
    expect(edited.notice.approval).toBeUndefined();
    expect(edited.version).toMatchObject({ version: 2, by: 'dana', changed: ['approx-records'] });
    expect(edited.event.summary).toMatch(/approval by lena no longer holds/);
  });

  it('needs a confirmed decision to notify for an authority notice, and high risk (or a voluntary reason) for people', () => {
    let undecided = anIncident();
    undecided = step(undecided, { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 10 }], dataCategories: ['contact'] } }, 'rita', 1);
    const authority = createNotice({ noticeId: 'N1', fields: WORDS }, ctx(undecided, 'gdpr-authority'), 'dana').notice;
    expect(() => decideNotice(authority, approving(1, authority, ctx(undecided, 'gdpr-authority')), ctx(undecided, 'gdpr-authority'), 'lena')).toThrow(/No confirmed gdpr-art33 decision/);
    const assessed = step(undecided, { type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'limited', malicious: false, unknownRecipients: false }, rationale: 'Sent to a known partner' }, 'dana', 2);
    const people = createNotice({ noticeId: 'N2', fields: WORDS }, ctx(assessed, 'gdpr-people'), 'dana').notice;
    expect(() => decideNotice(people, approving(1, people, ctx(assessed, 'gdpr-people')), ctx(assessed, 'gdpr-people'), 'lena')).toThrow(/not high: people need not be told/);
    const voluntary = decideNotice(people, { type: 'edit', fields: { 'voluntary-reason': 'We tell customers anyway, as promised in our policy' }, expectedVersion: 1 }, ctx(assessed, 'gdpr-people'), 'dana').notice;
    expect(decideNotice(voluntary, approving(2, voluntary, ctx(assessed, 'gdpr-people')), ctx(assessed, 'gdpr-people'), 'lena').notice.status).toBe('approved');
  });

  it('nothing is sent or submitted without approval; a submission stops the clock and a follow-up quotes its case reference', () => {
    const notice = drafted(incident, 'gdpr-authority');
    expect(() => decideNotice(notice, { type: 'record-submission', submittedAt: at(6).toISOString(), reference: 'DPC-1' }, ctx(incident, 'gdpr-authority'), 'dana')).toThrow(/not approved/);
    const approved = decideNotice(notice, approving(1, notice, ctx(incident, 'gdpr-authority')), ctx(incident, 'gdpr-authority'), 'lena').notice;
    const submitted = decideNotice(approved, { type: 'record-submission', submittedAt: at(6).toISOString(), reference: 'DPC-2026-0815' }, ctx(incident, 'gdpr-authority', 7), 'dana');
    expect(submitted.notice.status).toBe('submitted');
    expect(submitted.incidentAction).toEqual({ type: 'record-submission', regime: 'gdpr-art33', obligation: 'authority-notification', submittedAt: at(6).toISOString(), reference: 'DPC-2026-0815', noticeId: 'NTC-gdpr-authority' });
    const after = step(incident, submitted.incidentAction!, 'dana', 7);
    const followUp = createNotice({ noticeId: 'N-F', followUpOf: submitted.notice, fields: WORDS }, ctx(after, 'gdpr-authority', 30), 'dana');
    expect(followUp.notice.caseReference).toBe('DPC-2026-0815');
    const draft = currentDraft(followUp.notice, ctx(after, 'gdpr-authority', 30));
    expect(draft.elements.find((e) => e.id === 'notice-type')!.value).toMatch(/Follow-up/);
    expect(draft.rendered.markdown).toContain('DPC\\-2026\\-0815');
    expect(() => createNotice({ noticeId: 'N-G', followUpOf: approved, fields: WORDS }, ctx(after, 'gdpr-authority'), 'dana')).toThrow(DomainValidationError);
    // The follow-up's suggested measures (from the response tasks, issue 16; a suggestion, issue 26.2): what was done since the initial submission first.
    expect(followUp.notice.followUpSince).toBe(at(6).toISOString());
    const task = (id: string, closedAt: Date, title: string) => ({ id, title, phase: 'contain' as const, role: 'responder' as const, blocksClose: false, origin: 'manual', status: 'done' as const, createdAt: T0.toISOString(), createdBy: 'rita', closedAt: closedAt.toISOString(), closedBy: 'rita', note: 'ok' });
    const withTasks: Incident = { ...after, tasks: [task('manual.1', at(2), 'Revoked the key'), task('manual.2', at(20), 'Rotated every secret')] };
    const { fields: _words, ...noWords } = followUp.notice;
    const derived = currentDraft({ ...noWords, fields: {} }, ctx(withTasks, 'gdpr-authority', 30)).elements.find((e) => e.id === 'measures-taken')!;
    expect(derived.value).toBeUndefined();
    expect(derived.suggestion!.text).toMatch(/^Since the initial notification: .*Rotated every secret \(ok\)\. Earlier: .*Revoked the key \(ok\)$/);

    const people = decideNotice(drafted(incident, 'gdpr-people'), approving(1, drafted(incident, 'gdpr-people'), ctx(incident, 'gdpr-people')), ctx(incident, 'gdpr-people'), 'lena').notice;
    expect(() => decideNotice(people, { type: 'start-sending' }, ctx(incident, 'gdpr-people'), 'dana')).toThrow(/no valid recipients/);
    expect(() => decideNotice(drafted(incident, 'gdpr-people'), { type: 'start-sending' }, ctx(incident, 'gdpr-people'), 'dana')).toThrow(IllegalTransitionError);
  });

  it("a processor's notice goes to one controller, under that controller's DPA deadline, and sending it stops that controller's clock", () => {
    const incident = processorIncident();
    expect(() => createNotice({ noticeId: 'P0', fields: WORDS }, ctx(incident, 'processor-controller'), 'dana')).toThrow(/Name the controller.*Shop A, Shop B/);
    const notice = createNotice({ noticeId: 'P1', controller: 'Shop B', fields: WORDS }, ctx(incident, 'processor-controller'), 'dana').notice;
    expect(notice.obligation).toBe('controller-notification:Shop B');
    const approved = decideNotice(notice, approving(1, notice, ctx(incident, 'processor-controller')), ctx(incident, 'processor-controller'), 'lena').notice;
    const sending = { ...approved, status: 'sending' as const, sending: { by: 'dana', at: at(6).toISOString(), planned: 1 } };
    const done = decideNotice(sending, { type: 'complete-sending', summary: '1 sent' }, ctx(incident, 'processor-controller', 7), 'breachclock');
    expect(done.incidentAction).toMatchObject({ type: 'record-submission', regime: 'processor-to-controller', obligation: 'controller-notification:Shop B', submittedAt: at(6).toISOString() });
  });

  it("one controller's data per controller (issue 26.3): nothing of Shop B in Shop A's notice, in any format; naming B is refused", () => {
    const incident = processorIncident();
    const fields = { nature: 'A stolen API key was used to export order data.', 'likely-consequences': 'Phishing using names and addresses.', 'measures-taken': 'The key was revoked.', 'measures-proposed': 'Keys are rotated monthly.' };
    const forA = createNotice({ noticeId: 'PA', controller: 'Shop A', fields }, ctx(incident, 'processor-controller'), 'dana').notice;
    const draft = currentDraft(forA, ctx(incident, 'processor-controller'));
    expect(draft.missing).toEqual([]);
    const rendered = Object.values(draft.rendered).join('\n');
    expect(rendered).toContain('1200 people');
    expect(rendered).toContain('1450');
    expect(draft.elements.find((e) => e.id === 'controller-deadline')!.value).toBe('Shop A: 24 hours (data processing agreement)');
    // Addressed to that controller, with its deadline, in the text and the HTML (issue 26.3).
    expect(draft.rendered.text).toContain('To: Shop A: 24 hours (data processing agreement)');
    expect(draft.rendered.html).toContain('<p>To: Shop A: 24 hours (data processing agreement)</p>');
    for (const ofB of ['Shop B', '1800', '2100', '3000', 'payment']) expect(rendered).not.toContain(ofB);
    // Task text is not a controller notice's content: measures are the officer's words for this controller.
    const withTask = step(incident, { type: 'add-task', title: 'Revoke the key used for Shop B', phase: 'contain', role: 'responder' }, 'rita', 3);
    const { 'measures-taken': _t, 'measures-proposed': _p, ...noMeasures } = fields;
    const fromTasks = currentDraft(createNotice({ noticeId: 'PA4', controller: 'Shop A', fields: noMeasures }, ctx(withTask, 'processor-controller'), 'dana').notice, ctx(withTask, 'processor-controller'));
    expect(fromTasks.missing.map((m) => m.label)).toEqual(expect.arrayContaining(['Measures taken', 'Measures proposed']));
    expect(Object.values(fromTasks.rendered).join('\n')).not.toContain('Shop B');
    // An officer's text that names the other controller cannot be approved.
    const naming = createNotice({ noticeId: 'PA2', controller: 'Shop A', fields: { ...fields, nature: 'Like the export at Shop B, a stolen key was used.' } }, ctx(incident, 'processor-controller'), 'dana').notice;
    expect(() => decideNotice(naming, approving(1, naming, ctx(incident, 'processor-controller')), ctx(incident, 'processor-controller'), 'lena')).toThrow(/names another controller \(Shop B\)/);
    // Without that controller's share recorded, its notice waits for it instead of showing the incident's totals.
    const unrecorded = step(incident, { type: 'record-facts', facts: { controllers: [{ name: 'Shop A' }, { name: 'Shop B' }] } }, 'rita', 3);
    expect(currentDraft(createNotice({ noticeId: 'PA3', controller: 'Shop A', fields }, ctx(unrecorded, 'processor-controller'), 'dana').notice, ctx(unrecorded, 'processor-controller')).missing.map((m) => m.label)).toEqual(expect.arrayContaining(['Categories of personal data', 'Approximate number of data subjects']));
  });

  it('refuses a notice for a regime that does not apply, and a language the pack does not have', () => {
    const euOnly = step(anIncident(), { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 10 }] } }, 'rita', 1);
    expect(() => createNotice({ noticeId: 'N', fields: {} }, ctx(euOnly, 'california-resident'), 'dana')).toThrow(/does not apply/);
    expect(() => createNotice({ noticeId: 'N', language: 'de', fields: {} }, ctx(euOnly, 'gdpr-authority'), 'dana')).toThrow(/available in en/);
    expect(() => createNotice({ noticeId: 'N', fields: { bogus: 'x' } }, ctx(euOnly, 'gdpr-authority'), 'dana')).toThrow(/not a notice element/);
  });
});

describe('four eyes that prove what was approved (issue 24.1, 24.2)', () => {
  const incident = realisticIncident();
  const authority = (i: Incident) => ctx(i, 'gdpr-authority');

  it('refuses anyone who created or edited a version since the last approval, not only the last editor', () => {
    // Seen: DPO dana drafts every field, a colleague changes one comma, dana approves.
    const notice = drafted(incident, 'gdpr-authority');
    const comma = decideNotice(notice, { type: 'edit', fields: { 'approx-records': 'about 48,000 rows.' }, expectedVersion: 1 }, authority(incident), 'omar').notice;
    expect(() => decideNotice(comma, approving(2, comma, authority(incident)), authority(incident), 'dana')).toThrow(/Four eyes: dana created or edited this notice/);
    expect(() => decideNotice(comma, approving(2, comma, authority(incident)), authority(incident), 'omar')).toThrow(/Four eyes: omar/);
    expect(decideNotice(comma, approving(2, comma, authority(incident)), authority(incident), 'lena').notice.approval?.by).toBe('lena');
  });

  it('after an approval is voided by an edit, only the authors since that approval are barred', () => {
    const approved = decideNotice(drafted(incident, 'gdpr-authority'), approving(1, drafted(incident, 'gdpr-authority'), authority(incident)), authority(incident), 'lena').notice;
    const edited = decideNotice(approved, { type: 'edit', fields: { 'approx-records': 'about 52,000 rows' }, expectedVersion: 1 }, authority(incident), 'lena').notice;
    expect(edited.authors).toEqual(['lena']);
    expect(() => decideNotice(edited, approving(2, edited, authority(incident)), authority(incident), 'lena')).toThrow(/Four eyes/);
    expect(decideNotice(edited, approving(2, edited, authority(incident)), authority(incident), 'omar').notice.status).toBe('approved');
  });

  it('refuses whoever recorded a fact or wrote task text that the draft renders (once accepted: task text is a suggestion, issue 26.2)', () => {
    // rita recorded the facts; the data categories and the number of people are rendered from them.
    const { 'measures-taken': _taken, ...withoutMeasures } = WORDS;
    const notice = drafted(incident, 'gdpr-authority', undefined, withoutMeasures);
    expect(() => decideNotice(notice, approving(1, notice, authority(incident)), authority(incident), 'rita')).toThrow(/Four eyes: rita recorded facts or wrote task text that the notice renders \(.*Categories of personal data/);
    // sam completes a containment task: its title and note are suggested as "measures taken"; kim accepts them.
    let tasked = step(incident, { type: 'add-task', title: 'Rotate the leaked API key', phase: 'contain', role: 'responder' }, 'omar', 5);
    const taskId = tasked.tasks!.find((task) => task.title === 'Rotate the leaked API key')!.id;
    tasked = step(tasked, { type: 'complete-task', taskId, note: 'Key rotated; see https://evil.example/reset' }, 'sam', 5.5);
    const suggesting = drafted(tasked, 'gdpr-authority', undefined, withoutMeasures);
    const suggestion = currentDraft(suggesting, authority(tasked)).elements.find((e) => e.id === 'measures-taken')!;
    expect(suggestion).toMatchObject({ source: 'missing', suggestion: { authors: expect.arrayContaining(['omar', 'sam']) } });
    const rendering = decideNotice(suggesting, { type: 'accept-suggestion', element: 'measures-taken', expectedVersion: 1, suggestionHash: suggestion.suggestion!.hash }, authority(tasked), 'kim').notice;
    expect(currentDraft(rendering, authority(tasked)).elements.find((e) => e.id === 'measures-taken')).toMatchObject({ source: 'field', authors: expect.arrayContaining(['omar', 'sam']) });
    for (const barred of ['sam', 'omar']) {
      expect(() => decideNotice(rendering, approving(2, rendering, authority(tasked)), authority(tasked), barred)).toThrow(new RegExp(`Four eyes: ${barred} recorded facts or wrote task text .*Measures taken`));
    }
    // The risk assessment's inputs are rendered too: dana assessed the risk (realisticIncident), so she may not approve.
    expect(currentDraft(rendering, authority(tasked)).elements.find((e) => e.id === 'cia')).toMatchObject({ source: 'derived', authors: ['dana'] });
    // When the officer writes the element, the task text is not rendered and its writers may approve.
    expect(decideNotice(drafted(tasked, 'gdpr-authority'), approving(1, drafted(tasked, 'gdpr-authority'), authority(tasked)), authority(tasked), 'sam').notice.status).toBe('approved');
  });

  it('binds the approval to the content hash the approver was shown; a derived change is a refusal that says what changed', () => {
    // Seen: lena reads version 1; a responder then records another exposed data category; lena approves "version 1".
    const read = incident;
    const notice = drafted(read, 'gdpr-authority');
    const shown = currentDraft(notice, authority(read));
    const shownHash = contentHash(shown);
    const later = step(read, { type: 'record-facts', facts: { dataCategories: ['contact', 'credentials', 'health', 'payment'] } }, 'rita', 5);
    const approve = { type: 'approve' as const, expectedVersion: 1, expectedContentHash: shownHash };
    expect(() => decideNotice(notice, approve, authority(later), 'lena')).toThrow(ContentChangedError);
    let refusal: ContentChangedError | undefined;
    try {
      decideNotice(notice, { ...approve, reviewedElements: elementHashes(shown) }, authority(later), 'lena');
    } catch (error) {
      refusal = error as ContentChangedError;
    }
    expect(refusal?.code).toBe('content_changed');
    expect(refusal?.changed.map((element) => element.id)).toEqual(['data-categories']);
    expect(refusal?.message).toMatch(/not what you reviewed .*changed: Categories of personal data/);
    expect(() => decideNotice(notice, { ...approve, expectedContentHash: 'f'.repeat(64) }, authority(read), 'lena')).toThrow(ContentChangedError);
    // What lena approves is what she was shown, and it is kept with the approval.
    const approved = decideNotice(notice, approve, authority(read), 'lena').notice;
    expect(approved.approval).toMatchObject({ contentHash: shownHash, rendered: shown.rendered });
  });
});

describe('the placeholder organisation (issue 26.1)', () => {
  it('counts as missing: no notice with a placeholder contact point can be approved, wherever it runs', () => {
    const incident = realisticIncident();
    const context = { ...ctx(incident, 'gdpr-authority'), organisation: PLACEHOLDER_ORGANISATION };
    const notice = createNotice({ noticeId: 'N-P', fields: WORDS }, context, 'dana').notice;
    const draft = currentDraft(notice, context);
    expect(draft.missing.map((m) => m.id)).toEqual(expect.arrayContaining(['contact-point']));
    expect(draft.rendered.text).not.toContain('dpo@example.com');
    expect(() => decideNotice(notice, approving(1, notice, context), context, 'lena')).toThrow(NoticeIncompleteError);
    // A profile whose contact is at a domain reserved for examples (RFC 2606) is a placeholder too.
    const example = { ...context, organisation: { name: 'Acme', dpo: { name: 'DPO', email: 'privacy@example.org' } } };
    expect(currentDraft(notice, example).missing.map((m) => m.id)).toEqual(expect.arrayContaining(['contact-point']));
    // The officer may write the contact point for this notice: then it is theirs, not the placeholder.
    const written = decideNotice(notice, { type: 'edit', fields: { 'contact-point': 'Dana Pohl, dpo@shopwise.de' }, expectedVersion: 1 }, context, 'omar').notice;
    expect(currentDraft(written, context).missing.map((m) => m.id)).not.toContain('contact-point');
  });
});

describe('the UK pack cites UK law (issue 26.4)', () => {
  it('every element of the ICO report cites the UK GDPR, the DPA 2018 or the ICO form, never the EU GDPR or the EDPB', () => {
    const uk = noticePack('uk-ico-authority')!;
    const sources = uk.elements.map((element) => `${element.id}: ${element.legalSource}`);
    expect(sources.filter((source) => /(^|[^K] )GDPR Art\.|EDPB|NIS2/.test(source))).toEqual([]);
    expect(uk.elements.find((element) => element.id === 'special-categories')!.legalSource).toMatch(/Data Protection Act 2018/);
    // The EU pack keeps the EU citations.
    expect(noticePack('gdpr-authority')!.elements.find((element) => element.id === 'contact-point')!.legalSource).toBe('GDPR Art. 33(3)(b)');
  });
});

describe('single-line elements refuse a line break at create and edit (issue 26.6)', () => {
  it('is a 400-class refusal on fields.<id>, and a multi-line nature is still fine', () => {
    const incident = realisticIncident();
    expect(() => createNotice({ noticeId: 'N-L', fields: { ...WORDS, organisation: 'Shopwise\nWhat Happened?' } }, ctx(incident, 'gdpr-authority'), 'dana')).toThrow(DomainValidationError);
    const notice = drafted(incident, 'gdpr-authority');
    expect(() => decideNotice(notice, { type: 'edit', fields: { 'approx-records': '48,000\n| fake | row |' }, expectedVersion: 1 }, ctx(incident, 'gdpr-authority'), 'omar')).toThrow(/fields\.approx-records|line/);
    expect(decideNotice(notice, { type: 'edit', fields: { nature: 'First paragraph.\n\nSecond paragraph.' }, expectedVersion: 1 }, ctx(incident, 'gdpr-authority'), 'omar').notice.version).toBe(2);
  });
});

describe('the audience is part of what is approved (issue 24.3)', () => {
  const incident = realisticIncident();
  const people = ctx(incident, 'gdpr-people');
  const list = (objectKey: string, sha256: string, valid: number): RecipientListInfo => ({
    objectKey,
    uploadedBy: 'rita',
    uploadedAt: at(6).toISOString(),
    expiresAt: at(24 * 30).toISOString(),
    rows: valid,
    valid,
    invalid: 0,
    sha256,
    errors: [],
  });
  const attach = (notice: Notice, recipients: RecipientListInfo) => decideNotice(notice, { type: 'attach-recipients', recipients }, people, 'rita');
  const one = list('recipients/INC/NTC-gdpr-people/a.csv', 'a'.repeat(64), 1);
  const three = list('recipients/INC/NTC-gdpr-people/b.csv', 'b'.repeat(64), 3);

  it('an approval names the list it reviewed, and keeps its hash and counts', () => {
    const withList = attach(drafted(incident, 'gdpr-people'), one).notice;
    const content = contentHash(currentDraft(withList, people));
    const named = { type: 'approve' as const, expectedVersion: 1, expectedContentHash: content };
    expect(() => decideNotice(withList, named, people, 'lena')).toThrow(RecipientsChangedError);
    expect(() => decideNotice(withList, named, people, 'lena')).toThrow(/names the list hash it reviewed.*/);
    expect(() => decideNotice(withList, { ...named, expectedRecipientsHash: 'b'.repeat(64) }, people, 'lena')).toThrow(/recipient list .* changed since you reviewed it.*1 valid recipients.*a{64}/);
    const approved = decideNotice(withList, { ...named, expectedRecipientsHash: 'a'.repeat(64) }, people, 'lena');
    expect(approved.notice.approval?.recipients).toEqual({ sha256: 'a'.repeat(64), valid: 1, rows: 1 });
    expect(approved.event.data).toMatchObject({ recipientsHash: 'a'.repeat(64), recipients: 1 });
  });

  it('a list attached after approval voids it, on the timeline; the old upload is not attached twice', () => {
    const approved = decideNotice(attach(drafted(incident, 'gdpr-people'), one).notice, approving(1, attach(drafted(incident, 'gdpr-people'), one).notice, people), people, 'lena').notice;
    expect(approved.status).toBe('approved');
    const replaced = attach(approved, three);
    expect(replaced.notice.status).toBe('draft');
    expect(replaced.notice.approval).toBeUndefined();
    expect(replaced.event.summary).toMatch(/3 valid.*the approval by lena no longer holds/);
    expect(replaced.event.data).toMatchObject({ approvalVoided: true, sha256: 'b'.repeat(64) });
    expect(() => decideNotice(replaced.notice, { type: 'start-sending' }, people, 'dana')).toThrow(/not approved/);
    // The same upload attached again is refused: an upload target serves one list.
    expect(() => attach(replaced.notice, three)).toThrow(/already attached/);
    // A first list after an approval of the content alone voids it too.
    const contentOnly = decideNotice(drafted(incident, 'gdpr-people'), approving(1, drafted(incident, 'gdpr-people'), people), people, 'lena').notice;
    expect(attach(contentOnly, one).notice.status).toBe('draft');
  });

  it('start-sending refuses a list that is not the approved one', () => {
    const approved = decideNotice(attach(drafted(incident, 'gdpr-people'), one).notice, approving(1, attach(drafted(incident, 'gdpr-people'), one).notice, people), people, 'lena').notice;
    // A list swapped under the approval (older data, a write that bypassed the workflow): never sent.
    const swapped: Notice = { ...approved, recipients: three };
    expect(() => decideNotice(swapped, { type: 'start-sending' }, people, 'dana')).toThrow(/not the list that was approved/);
    expect(() => decideNotice({ ...approved, approval: { ...approved.approval!, recipients: undefined } }, { type: 'start-sending' }, people, 'dana')).toThrow(/not the list that was approved/);
    expect(decideNotice(approved, { type: 'start-sending' }, people, 'dana').notice.status).toBe('sending');
  });
});

describe('lateness is judged at submission (issue 26.4)', () => {
  it('a notice approved in time but submitted after 72 h without reasons for the delay is refused; with reasons it is recorded', () => {
    // Seen: approved at 60 h, submitted at 90 h, accepted. Awareness at 1 h: the deadline is at 73 h.
    const incident = realisticIncident();
    const notice = drafted(incident, 'gdpr-authority');
    const inTime = ctx(incident, 'gdpr-authority', 60);
    const approved = decideNotice(notice, approving(1, notice, inTime), inTime, 'lena').notice;
    expect(approved.approval?.reasonsForDelay).toBe(false);
    const late = ctx(incident, 'gdpr-authority', 91);
    expect(() => decideNotice(approved, { type: 'record-submission', submittedAt: at(90).toISOString(), reference: 'DPC-1' }, late, 'dana')).toThrow(/after its deadline .* no reasons for the delay/);
    // Submitted in time (recorded later): accepted.
    expect(decideNotice(approved, { type: 'record-submission', submittedAt: at(70).toISOString(), reference: 'DPC-1' }, late, 'dana').notice.status).toBe('submitted');
    // With the reasons written, approved again (late now, so they are required and rendered): accepted at 91 h.
    const withReasons = decideNotice(approved, { type: 'edit', fields: { 'reasons-for-delay': 'The forensic image took four days to obtain from the hosting provider.' }, expectedVersion: 1 }, late, 'dana').notice;
    const reapproved = decideNotice(withReasons, approving(2, withReasons, late), late, 'lena').notice;
    expect(reapproved.approval?.reasonsForDelay).toBe(true);
    expect(decideNotice(reapproved, { type: 'record-submission', submittedAt: at(91).toISOString(), reference: 'DPC-1' }, late, 'dana').notice.status).toBe('submitted');
  });
});

describe('lateness is judged at submission, also when recorded on the incident (issue 26.4)', () => {
  // The incident's own record-submission (POST /api/incidents/{id}/actions, the CLI's record-submission) records a
  // report made outside breachclock: a GDPR or UK GDPR authority notification after 72 h states its reasons.
  it.each([
    ['gdpr-art33', 'authority-notification', /GDPR Art\. 33\(1\)/],
    ['uk-gdpr-art33', 'ico-notification', /UK GDPR Art\. 33\(1\)/],
  ])('%s/%s after its deadline without reasons for the delay is refused; with them it is recorded, reasons kept', (regime, obligation, law) => {
    const incident = realisticIncident(); // aware at 1 h: due at 73 h
    const submit = (hours: number, reasonsForDelay?: string) =>
      decide(incident, { type: 'record-submission', regime, obligation, submittedAt: at(hours).toISOString(), reference: 'CASE-1', ...(reasonsForDelay !== undefined ? { reasonsForDelay } : {}) }, 'dana', at(91));
    let refused: unknown;
    try {
      submit(90);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(IllegalTransitionError);
    expect((refused as Error).message).toMatch(/after its deadline .*reasons for the delay/);
    expect((refused as Error).message).toMatch(law);
    expect(() => submit(90, '   ')).toThrow(IllegalTransitionError);
    // In time: no reasons needed.
    expect(submit(70).incident.submissions?.[`${regime}/${obligation}`]).toMatchObject({ submittedAt: at(70).toISOString() });
    const late = submit(90, 'The hosting provider took four days to hand over the forensic image.');
    expect(late.incident.submissions?.[`${regime}/${obligation}`]).toMatchObject({ reasonsForDelay: 'The hosting provider took four days to hand over the forensic image.' });
    expect(late.event.summary).toMatch(/after the deadline; reasons for the delay stated/);
  });

  it('other late reports (NIS2 early warning) are recorded without reasons: their law asks for none', () => {
    const incident = realisticIncident();
    const nis2 = decide(incident, { type: 'record-submission', regime: 'nis2-art23', obligation: 'early-warning', submittedAt: at(90).toISOString(), reference: 'CSIRT-1' }, 'dana', at(91));
    expect(nis2.event.data).toMatchObject({ late: true });
  });

  it('a notice whose approved content states the reasons passes them to the incident\'s submission', () => {
    const incident = realisticIncident();
    const late = ctx(incident, 'gdpr-authority', 91);
    const notice = decideNotice(drafted(incident, 'gdpr-authority'), { type: 'edit', fields: { 'reasons-for-delay': 'The forensic image took four days to obtain.' }, expectedVersion: 1 }, late, 'dana').notice;
    const approved = decideNotice(notice, approving(2, notice, late), late, 'lena').notice;
    const submitted = decideNotice(approved, { type: 'record-submission', submittedAt: at(91).toISOString(), reference: 'DPC-1' }, late, 'dana');
    expect(submitted.incidentAction).toMatchObject({ type: 'record-submission', reasonsForDelay: expect.stringContaining(approved.noticeId) });
    expect(() => decide(incident, submitted.incidentAction!, 'dana', at(91))).not.toThrow();
  });
});

describe('California 1798.82(d)(2): contents that depend on the facts (issue 26.1)', () => {
  const california = (facts: Partial<IncidentFacts>) => {
    const incident = realisticIncident(facts);
    const context = ctx(incident, 'california-resident');
    return { context, notice: createNotice({ noticeId: 'N-CA', fields: WORDS }, context, 'dana').notice };
  };

  it('government ID numbers exposed: the credit reporting agencies (F) are rendered; the identity-theft offer (G) is required when we were the source', () => {
    const { context, notice } = california({ dataCategories: ['contact', 'government-id'], weWereTheSource: true });
    const draft = currentDraft(notice, context);
    // Seen: a draft with government-ID data exposed showed missing: [].
    expect(draft.missing.map((m) => m.id)).toEqual(['identity-theft-services']);
    expect(draft.elements.find((e) => e.id === 'credit-agencies')).toMatchObject({ required: true, source: 'derived', value: expect.stringMatching(/Equifax: 1-800-685-1111.*Experian: 1-888-397-3742.*TransUnion/) });
    expect(draft.rendered.text).toMatch(/^Notice of Data Breach\n/);
    expect(draft.rendered.text).toMatch(/Date of this notice: March 27, 2026\n[^]*Date of the breach: March 27, 2026 at \d{1,2}:\d\d [AP]M PDT/);
    expect(draft.rendered.text).toContain('Notification was not delayed by a law enforcement investigation.');
    expect(draft.rendered.text).toContain('The major credit reporting agencies:');
    expect(draft.rendered.html).toContain('[missing: Offer of identity theft prevention');
    expect(() => decideNotice(notice, approving(1, notice, context), context, 'lena')).toThrow(NoticeIncompleteError);
    const offered = decideNotice(notice, { type: 'edit', fields: { 'identity-theft-services': 'We offer 24 months of free identity protection by IDX: enrol at idx.example/enroll with code ABC123 by 2027-03-01.' }, expectedVersion: 1 }, context, 'omar').notice;
    expect(currentDraft(offered, context).missing).toEqual([]);
  });

  it('a vendor was the source: no offer is required; no government ID: neither the agencies nor the offer appear', () => {
    const vendor = california({ dataCategories: ['government-id'], weWereTheSource: false });
    expect(currentDraft(vendor.notice, vendor.context).missing).toEqual([]);
    const plain = california({ dataCategories: ['contact', 'credentials'] });
    const draft = currentDraft(plain.notice, plain.context);
    expect(draft.missing).toEqual([]);
    expect(draft.rendered.text).not.toContain('credit reporting agencies');
    expect(draft.rendered.text).not.toContain('identity theft prevention');
  });

  it('whether notice was delayed by law enforcement (D) must be known: an unrecorded fact is missing', () => {
    const { context, notice } = california({ lawEnforcementDelay: undefined });
    expect(currentDraft(notice, context).missing.map((m) => m.id)).toEqual(['law-enforcement-delay']);
    const delayed = california({ lawEnforcementDelay: true });
    expect(currentDraft(delayed.notice, delayed.context).rendered.text).toContain('Notification was delayed as a result of a law enforcement investigation.');
  });
});

describe('dates in a notice to the people of one place (California: Pacific time, named)', () => {
  it('an instant late on the 27th in California is the 27th there, not the UTC 28th; DST is named', async () => {
    const { formatInstant } = await import('../../lambdas/domain/notices/elements.js');
    expect(formatInstant('2026-11-28T02:15:00.000Z', 'America/Los_Angeles')).toBe('November 27, 2026 at 6:15 PM PST');
    expect(formatInstant('2026-07-28T02:15:00.000Z', 'America/Los_Angeles')).toBe('July 27, 2026 at 7:15 PM PDT');
    // Authorities read UTC, unambiguous.
    expect(formatInstant('2026-11-28T02:15:00.000Z')).toBe('2026-11-28 02:15 UTC');
    expect(noticePack('california-resident')!.timeZone).toBe('America/Los_Angeles');
  });
});

describe("another controller named by its short name in a processor's notice (issue 26.3)", () => {
  it('finds "Shop B" for Shop B SARL as a word, but not inside the recipient\'s own name or another word', async () => {
    const { otherControllersNamed } = await import('../../lambdas/domain/notices/elements.js');
    const incident = anIncident();
    const withControllers = { ...incident, facts: { role: 'processor' as const, controllers: [{ name: 'Shop A GmbH' }, { name: 'Shop B SARL' }, { name: 'Shopwise Ltd' }] } };
    const context = { incident: withControllers, pack: noticePack('processor-controller')!, language: 'en' as const, organisation: { name: 'Acme Processing', dpo: { name: 'D', email: 'd@acme.test' } }, controller: 'Shop A GmbH', now: new Date() };
    // Seen: the full name was refused, the short name approved.
    expect(otherControllersNamed(context, '… as we also told Shop B.')).toEqual(['Shop B SARL']);
    expect(otherControllersNamed(context, '… as we also told Shop B SARL.')).toEqual(['Shop B SARL']);
    expect(otherControllersNamed(context, 'shopwise customers were not affected')).toEqual(['Shopwise Ltd']);
    // The recipient's own names, and words that merely contain another name, are not matches.
    expect(otherControllersNamed(context, 'Dear Shop A GmbH, Shop A customers in the Shop Bistro were affected.')).toEqual([]);
  });
});
