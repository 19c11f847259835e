import { decide, type Incident, type IncidentAction } from '../../lambdas/domain/incident.js';
import { IllegalTransitionError } from '../../lambdas/domain/errors.js';
import type { Organisation } from '../../lambdas/domain/notices/elements.js';
import type { Language } from '../../lambdas/domain/notices/notice-pack.js';
import { contentHash, createNotice, currentDraft, decideNotice, NoticeIncompleteError, type Notice, type NoticeAction, type NoticeContext } from '../../lambdas/domain/notices/notice.js';
import { NOTICE_PACKS, noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { variantFields } from '../support/variant-fields.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

/**
 * Issue 26.2: what goes to people, the public and controllers is written for them. Task text (internal titles,
 * responders' notes, UTC times, host names, English) is a suggestion shown to the officer, never a notice's
 * content until an officer accepts it for that notice and language; a de or fr notice needs its text in de or fr.
 */
const ORG: Organisation = { name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example' } };
const at = (hours: number) => hoursAfter(T0, hours);
const step = (incident: Incident, action: IncidentAction, actor: string, hours: number) => decide(incident, action, actor, at(hours)).incident;
const ctx = (incident: Incident, kind: string, hours = 6): NoticeContext => ({ incident, pack: noticePack(kind)!, organisation: ORG, now: at(hours) });
const approving = (notice: Notice, context: NoticeContext): NoticeAction => ({ type: 'approve', expectedVersion: notice.version, expectedContentHash: contentHash(currentDraft(notice, context)) });

const WORDS: Record<string, string> = {
  nature: 'Someone used a stolen key to copy our customer list.',
  'approx-records': 'about 48,000',
  'likely-consequences': 'You may receive phishing e-mails.',
  'what-to-do': 'Change your password.',
  'cross-border-impact': 'None.',
  'severity-impact': 'High.',
  'root-cause': 'A leaked key.',
  'toll-free-number': '1-800-555-0100',
  'breach-type': 'Hacking/IT Incident',
  'information-location': 'Network Server',
  'exemption-reason': 'We hold no contact details for most of the people affected.',
  'identity-theft-services': 'Twelve months of free credit monitoring: call 1-800-555-0101.',
};

/** High risk, everything recorded, and two response tasks: one done (with a responder's note), one open. */
function incidentWithTasks(): Incident {
  let incident = anIncident({ occurredAt: '2026-03-27T20:10:00Z' });
  incident = step(incident, { type: 'confirm', awareAt: at(1).toISOString(), justification: 'Forensics confirmed the export' }, 'dana', 1);
  incident = step(incident, { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 400 }, { code: 'UK', affected: 20 }, { code: 'US-CA', affected: 900 }, { code: 'US', affected: 100 }], dataCategories: ['contact', 'credentials'], peopleCategories: ['customers'], role: 'controller', sectors: { nis2: 'important', hipaaCoveredEntity: true }, encryption: { encrypted: false, keyCompromised: false }, lawEnforcementDelay: false } }, 'rita', 2);
  incident = step(incident, { type: 'assess-risk', input: { breachTypes: ['confidentiality'], easeOfIdentification: 'maximum', malicious: true }, rationale: 'Passwords exfiltrated' }, 'dana', 3);
  incident = step(incident, { type: 'propose-decision', regime: 'gdpr-art33', notify: true, rationale: 'High risk to customers' }, 'dana', 3.5);
  incident = step(incident, { type: 'confirm-decision', regime: 'gdpr-art33' }, 'lena', 3.6);
  incident = step(incident, { type: 'add-task', title: 'Revoke key on db-prod-07 (JIRA SEC-4411)', phase: 'contain', role: 'responder' }, 'omar', 4);
  const taskId = incident.tasks!.find((task) => task.title.startsWith('Revoke key'))!.id;
  incident = step(incident, { type: 'complete-task', taskId, note: 'done via vault, see #sec-war-room' }, 'sam', 4.5);
  return step(incident, { type: 'add-task', title: 'Rotate secrets on db-prod-07', phase: 'eradicate', role: 'responder' }, 'omar', 4.6);
}

const TASK_TEXT = /db-prod-07|SEC-4411|war-room|Revoke key|Rotate secrets/;
const packsWithMeasures = NOTICE_PACKS.filter((pack) => pack.elements.some((e) => e.id === 'measures-taken'));

describe('task text is a suggestion, never a notice content by itself (issue 26.2)', () => {
  const incident = incidentWithTasks();

  it.each(packsWithMeasures.flatMap((pack) => pack.languages.map((language) => [pack.kind, language] as const)))('%s (%s): measures are missing until an officer writes or accepts them; task text is not rendered', (kind, language) => {
    const controller =
      kind === 'processor-controller' ? { controller: 'Shop A' } : kind === 'us-resident' ? { states: ['US-VA'] } : kind === 'data-owner' ? { controller: 'Shop A', answers: 'us-fl-breach/data-owner-notice' } : {};
    const subject =
      kind === 'data-owner' // we hold Florida residents' data for Shop A
        ? step(incident, { type: 'record-facts', facts: { role: 'processor', jurisdictions: [...incident.facts!.jurisdictions!, { code: 'US-FL', affected: 10 }], dataCategories: ['contact', 'credentials', 'financial'], controllers: [{ name: 'Shop A', affected: 10, records: 10, dataCategories: ['contact'], peopleCategories: ['customers'] }] } }, 'rita', 4.7)
        : kind === 'processor-controller'
        ? step(incident, { type: 'record-facts', facts: { role: 'processor', controllers: [{ name: 'Shop A', affected: 10, records: 10, dataCategories: ['contact'], peopleCategories: ['customers'] }] } }, 'rita', 4.7)
        : kind === 'hipaa-business-associate'
          ? step(incident, { type: 'record-facts', facts: { sectors: { hipaaBusinessAssociate: true } } }, 'rita', 4.7)
          : kind === 'us-resident' // a variant whose state requires the measures (Va. Code § 18.2-186.6(A))
            ? step(incident, { type: 'record-facts', facts: { jurisdictions: [...incident.facts!.jurisdictions!, { code: 'US-VA', affected: 10 }], dataCategories: ['contact', 'credentials', 'government-id'] } }, 'rita', 4.7)
            : incident;
    const notice = createNotice({ noticeId: 'N1', language, fields: kind === 'us-resident' ? variantFields(WORDS, ['US-VA']) : WORDS, ...controller }, ctx(subject, kind), 'dana').notice;
    const draft = currentDraft(notice, ctx(subject, kind));
    const measures = draft.elements.filter((e) => e.id === 'measures-taken' || e.id === 'measures-proposed');
    for (const element of measures) expect(element).toMatchObject({ source: 'missing' });
    expect(draft.missing.map((m) => m.id)).toContain('measures-taken');
    expect(Object.values(draft.rendered).join('\n')).not.toMatch(TASK_TEXT);
    const suggestion = measures.find((e) => e.id === 'measures-taken')!.suggestion;
    // A notice to one controller (a processor's, a business associate's) is not offered task text at all (it may name other clients).
    if (noticePack(kind)!.audience === 'controller') expect(suggestion).toBeUndefined();
    else expect(suggestion).toMatchObject({ language: 'en', text: expect.stringMatching(/Revoke key on db-prod-07/), authors: expect.arrayContaining(['omar', 'sam']), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('accepting a suggestion is an edit by the officer who accepted it: a new version, on the timeline, and neither they nor the task writers may approve', () => {
    const context = ctx(incident, 'gdpr-authority');
    const notice = createNotice({ noticeId: 'N2', fields: WORDS }, context, 'dana').notice;
    const suggestion = currentDraft(notice, context).elements.find((e) => e.id === 'measures-taken')!.suggestion!;
    const stale = { type: 'accept-suggestion' as const, element: 'measures-taken' as const, expectedVersion: 1, suggestionHash: 'f'.repeat(64) };
    expect(() => decideNotice(notice, stale, context, 'lena')).toThrow(/suggestion .* changed since you read it/);
    const accepted = decideNotice(notice, { ...stale, suggestionHash: suggestion.hash }, context, 'lena');
    expect(accepted.notice).toMatchObject({ version: 2, fields: { 'measures-taken': suggestion.text }, authors: ['dana', 'lena'] });
    expect(accepted.version).toMatchObject({ version: 2, by: 'lena', changed: ['measures-taken'], accepted: { element: 'measures-taken', suggestionHash: suggestion.hash } });
    expect(accepted.event).toMatchObject({ type: 'notice.edited', actor: 'lena', summary: expect.stringMatching(/lena accepted the suggested text for measures-taken/) });
    const proposed = currentDraft(accepted.notice, context).elements.find((e) => e.id === 'measures-proposed')!.suggestion!;
    const both = decideNotice(accepted.notice, { type: 'accept-suggestion', element: 'measures-proposed', expectedVersion: 2, suggestionHash: proposed.hash }, context, 'lena').notice;
    const draft = currentDraft(both, context);
    expect(draft.elements.find((e) => e.id === 'measures-taken')).toMatchObject({ source: 'field', value: suggestion.text, authors: expect.arrayContaining(['omar', 'sam']) });
    expect(draft.missing).toEqual([]);
    expect(draft.rendered.markdown).toMatch(/db\\-prod\\-07/);
    for (const barred of ['lena', 'dana', 'sam', 'omar']) expect(() => decideNotice(both, approving(both, context), context, barred)).toThrow(/Four eyes/);
    expect(decideNotice(both, approving(both, context), context, 'kim').notice.status).toBe('approved');
    // Rewriting it in one's own words makes it the officer's: the task writers are no longer its authors.
    const rewritten = decideNotice(both, { type: 'edit', expectedVersion: 3, fields: { 'measures-taken': 'The key was revoked.' } }, context, 'lena').notice;
    expect(currentDraft(rewritten, context).elements.find((e) => e.id === 'measures-taken')!.authors).toBeUndefined();
    // Nothing to accept: refused.
    expect(() => decideNotice(notice, { type: 'accept-suggestion', element: 'nature', expectedVersion: 1, suggestionHash: suggestion.hash }, context, 'lena')).toThrow(IllegalTransitionError);
  });
});

describe('a value in the notice language (Art. 34(2) clear and plain language)', () => {
  const incident = incidentWithTasks();

  it.each(['de', 'fr'] as Language[])('a %s notice holding an accepted English suggestion cannot be approved; the missing list names the element and the language', (language) => {
    const context = ctx(incident, 'gdpr-people');
    const notice = createNotice({ noticeId: 'N3', language, fields: WORDS }, context, 'dana').notice;
    const suggestion = currentDraft(notice, context).elements.find((e) => e.id === 'measures-taken')!.suggestion!;
    const accepted = decideNotice(notice, { type: 'accept-suggestion', element: 'measures-taken', expectedVersion: 1, suggestionHash: suggestion.hash }, context, 'lena').notice;
    const draft = currentDraft(accepted, context);
    expect(draft.missing).toEqual([expect.objectContaining({ id: 'measures-taken', language, written: 'en' })]);
    expect(() => decideNotice(accepted, approving(accepted, context), context, 'kim')).toThrow(NoticeIncompleteError);
    expect(() => decideNotice(accepted, approving(accepted, context), context, 'kim')).toThrow(new RegExp(`What we have done \\(.*\\) in ${language}, not en`));
    // Written in the notice's language by an officer: approvable.
    const written = decideNotice(accepted, { type: 'edit', expectedVersion: 2, fields: { 'measures-taken': language === 'de' ? 'Wir haben den Schlüssel gesperrt.' : 'Nous avons révoqué la clé.' } }, context, 'lena').notice;
    expect(currentDraft(written, context).missing).toEqual([]);
    expect(decideNotice(written, approving(written, context), context, 'kim').notice.status).toBe('approved');
  });

  it('the missing list says the language of every element still to be written', () => {
    const context = ctx(incident, 'gdpr-people');
    const { nature: _n, ...rest } = WORDS;
    const notice = createNotice({ noticeId: 'N4', language: 'fr', fields: rest }, context, 'dana').notice;
    expect(currentDraft(notice, context).missing).toEqual([expect.objectContaining({ id: 'nature', language: 'fr' }), expect.objectContaining({ id: 'measures-taken', language: 'fr' })]);
  });
});

describe('de and fr notices name the data protection officer in their own terms', () => {
  const incident = incidentWithTasks();
  const full = { ...WORDS, 'measures-taken': 'x' };

  it.each([
    ['gdpr-people', 'de', 'Datenschutzbeauftragte(r)'],
    ['gdpr-people', 'fr', 'délégué(e) à la protection des données'],
    ['gdpr-public', 'de', 'Datenschutzbeauftragte(r)'],
    ['gdpr-public', 'fr', 'délégué(e) à la protection des données'],
    ['gdpr-people', 'en', 'data protection officer'],
  ] as const)('%s (%s): "%s"', (kind, language, term) => {
    const context = ctx(incident, kind);
    const draft = currentDraft(createNotice({ noticeId: 'N5', language, fields: full }, context, 'dana').notice, context);
    expect(draft.rendered.text).toContain(term);
    expect(draft.rendered.html).toContain(term.replace(/'/g, '&#39;'));
  });
});

describe('English text copied into a de or fr notice (issue 26.2)', () => {
  const incident = incidentWithTasks();
  const english = { ...WORDS, 'measures-taken': 'We revoked the stolen key and reset every password.' };

  it("the English notice's text, or the suggestion's, pasted into a de notice is not German: missing, written en", () => {
    const en = createNotice({ noticeId: 'N-EN', language: 'en', fields: english }, ctx(incident, 'gdpr-people'), 'dana').notice;
    const context = { ...ctx(incident, 'gdpr-people'), otherNotices: [en] };
    const german = { nature: 'Jemand hat mit einem gestohlenen Schlüssel unsere Kundenliste kopiert.', 'likely-consequences': 'Sie könnten Phishing-E-Mails erhalten.', 'what-to-do': 'Ändern Sie Ihr Passwort.' };
    const copied = createNotice({ noticeId: 'N-DE', language: 'de', fields: { ...german, 'measures-taken': english['measures-taken'] } }, context, 'dana').notice;
    expect(currentDraft(copied, context).missing).toEqual([expect.objectContaining({ id: 'measures-taken', language: 'de', written: 'en' })]);
    const suggestion = currentDraft(copied, context).elements.find((e) => e.id === 'measures-taken')!.suggestion!;
    const pasted = decideNotice(copied, { type: 'edit', expectedVersion: 1, fields: { 'measures-taken': ` ${suggestion.text}\n` } }, context, 'lena').notice;
    expect(currentDraft(pasted, context).missing).toEqual([expect.objectContaining({ id: 'measures-taken', written: 'en' })]);
    const translated = decideNotice(pasted, { type: 'edit', expectedVersion: 2, fields: { 'measures-taken': 'Wir haben den Schlüssel gesperrt und alle Passwörter zurückgesetzt.' } }, context, 'lena').notice;
    expect(currentDraft(translated, context).missing).toEqual([]);
    // The English notice itself is not affected by its own text.
    expect(currentDraft(en, { ...ctx(incident, 'gdpr-people'), otherNotices: [copied] }).missing).toEqual([]);
  });
});
