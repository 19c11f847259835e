import { decide, type Incident, type IncidentAction } from '../../lambdas/domain/incident.js';
import { DomainValidationError } from '../../lambdas/domain/errors.js';
import type { Organisation } from '../../lambdas/domain/notices/elements.js';
import { parseNoticePacks } from '../../lambdas/domain/notices/notice-pack.js';
import { contentHash, createNotice, currentDraft, decideNotice, packClock, type Notice, type NoticeContext } from '../../lambdas/domain/notices/notice.js';
import { noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { usResident } from '../../lambdas/domain/notices/packs/us-resident.js';
import { usResidentData } from '../../lambdas/domain/notices/packs/us-resident.data.js';
import { groupUsResidentVariants, usResidentVariantPack, variantConflicts } from '../../lambdas/domain/notices/us-variants.js';
import type { IncidentFacts } from '../../lambdas/domain/regimes/facts.js';
import { readFileSync, readdirSync } from 'node:fs';
import { usResidentData as fromResearch } from '../../scripts/us-resident-contents.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

const ORG: Organisation = { name: 'Shopwise Inc.', dpo: { name: 'Dana Pohl', email: 'privacy@shopwise.example', phone: '+1 212 555 0100' }, postalAddress: '1 Main St, New York, NY 10001' };
const at = (hours: number) => hoursAfter(T0, hours);
const step = (incident: Incident, action: IncidentAction, actor: string, hours: number) => decide(incident, action, actor, at(hours)).incident;

function usIncident(facts: Partial<IncidentFacts> = {}): Incident {
  let incident = anIncident({ occurredAt: '2026-03-27T20:10:00Z' });
  incident = step(incident, { type: 'confirm', awareAt: at(1).toISOString(), justification: 'Forensics confirmed the export' }, 'dana', 1);
  return step(
    incident,
    {
      type: 'record-facts',
      facts: {
        jurisdictions: [{ code: 'US-CA', affected: 900 }, { code: 'US-TX', affected: 300 }, { code: 'US-FL', affected: 600 }, { code: 'US-MA', affected: 120 }],
        dataCategories: ['contact', 'government-id'],
        role: 'controller',
        encryption: { encrypted: false, keyCompromised: false },
        lawEnforcementDelay: false,
        ...facts,
      },
    },
    'rita',
    2,
  );
}
const context = (incident: Incident): NoticeContext => ({ incident, pack: noticePack('us-resident')!, organisation: ORG, now: at(3) });

describe('US resident notice pack (issue 28.5)', () => {
  it('is a valid pack: every element in every format, each conditional on the states that require it, with their citations', () => {
    expect(() => parseNoticePacks([usResident])).not.toThrow();
    const nature = usResident.elements.find((e) => e.id === 'nature')!;
    expect(nature.required).toBe('when');
    expect(nature.when?.jurisdictionsAny).toEqual(expect.arrayContaining(['US-HI', 'US-NH', 'US-RI']));
    expect(nature.when?.jurisdictionsAny).not.toContain('US-MA');
    expect(nature.legalSource).toContain('US-NH N.H. Rev. Stat. Ann. § 359-C:20, IV(a)');
    const police = usResident.elements.find((e) => e.id === 'police-report')!;
    expect(police.when?.jurisdictionsAny).toEqual(['US-MA', 'US-RI']);
    expect(usResident.elements.find((e) => e.id === 'identity-theft-services')!.when?.dataCategoriesAny).toEqual(['government-id']);
    expect(usResident.sourceNote).toContain('`nature` is forbidden by US-MA');
  });

  it('carries the research notes: secondary sources and "general knowledge; not read"', () => {
    const agencies = usResident.elements.find((e) => e.id === 'agency-contacts')!.legalSource;
    expect(agencies).toMatch(/US-NC N\.C\. Gen\. Stat\. § 75-65\(d\)\(7\) \(not read\)/);
    expect(agencies).toMatch(/US-AZ § 18-552 \(secondary\)/);
  });

  it('is the importer\'s output of the committed research (regenerate with scripts/import-jurisdiction-research.ts)', () => {
    const dir = new URL('../../docs/sources/jurisdictions/', import.meta.url);
    const records = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
    expect(JSON.parse(JSON.stringify(fromResearch(records)))).toEqual(usResidentData);
  });
});

describe('variant grouping', () => {
  it('CA, TX, FL, MA: California keeps its own pack; TX, FL and MA share one notice without the nature of the breach or the number of residents', () => {
    const grouping = groupUsResidentVariants(['US-CA', 'US-TX', 'US-FL', 'US-MA', 'EU']);
    expect(grouping.ownPacks).toEqual([{ code: 'US-CA', kind: 'california-resident' }]);
    expect(grouping.variants).toHaveLength(1);
    const [variant] = grouping.variants;
    expect(variant!.states).toEqual(['US-FL', 'US-MA', 'US-TX']);
    expect(variant!.obligation).toBe('resident-notice:US-FL,US-MA,US-TX');
    expect(variant!.omits.map((o) => o.id).sort()).toEqual(['approx-people', 'nature']);
    expect(variant!.requires).toEqual(['occurred-at', 'data-categories', 'identity-theft-services', 'security-freeze', 'police-report', 'parent-company', 'contact-point']);
    expect(variant!.why).toContain('US-MA forbids `nature`');
    expect(variant!.why).toContain('US-TX lists no contents');
  });

  it('Massachusetts alone when another state requires what it forbids; Illinois joins it; Rhode Island (the number of people) does not', () => {
    const grouping = groupUsResidentVariants(['US-TX', 'US-FL', 'US-MA', 'US-NH', 'US-IL', 'US-RI']);
    expect(grouping.variants.map((v) => v.states)).toEqual([['US-FL', 'US-NH', 'US-RI', 'US-TX'], ['US-IL', 'US-MA']]);
    expect(grouping.variants[1]!.why).toMatch(/US-MA forbids `nature`.*US-NH, US-RI, which require it, get another variant/);
    expect(variantConflicts(['US-MA', 'US-NH'])).toEqual(['US-MA forbids `nature`, which US-NH requires']);
  });

  it('fewest variants: states that forbid nothing are always one notice', () => {
    const all = usResidentData.states.map((s) => s.code);
    const grouping = groupUsResidentVariants(all);
    expect(grouping.variants).toHaveLength(2);
    for (const variant of grouping.variants) expect(variantConflicts(variant.states)).toEqual([]);
    expect(grouping.variants.flatMap((v) => v.states).sort()).toEqual([...all].sort());
  });
});

describe('drafting a variant', () => {
  it('a variant covering MA never carries the nature of the breach or the number of residents, and requires MA\'s statements', () => {
    const incident = usIncident();
    const { notice } = createNotice({ noticeId: 'NTC-us-1', states: ['US-FL', 'US-MA', 'US-TX'] }, context(incident), 'rita');
    expect(notice.obligation).toBe('resident-notice:US-FL,US-MA,US-TX');
    const draft = currentDraft(notice, context(incident));
    const ids = draft.elements.map((e) => e.id);
    expect(ids).not.toContain('nature');
    expect(ids).not.toContain('approx-people');
    expect(draft.missing.map((m) => m.id)).toEqual(expect.arrayContaining(['police-report', 'security-freeze', 'parent-company', 'identity-theft-services']));
    expect(draft.elements.find((e) => e.id === 'police-report')!.legalSource).toContain('US-MA Mass. Gen. Laws ch. 93H, § 3(b): "the resident\'s right to obtain a police report"');
    expect(draft.rendered.text).not.toContain('What Happened');
    expect(draft.rendered.html).not.toContain('What Happened');
    expect(draft.rendered.text).not.toContain('Number of individuals affected');
  });

  it('refuses the nature of the breach or the number of residents as an officer\'s field, at creation and edit', () => {
    const incident = usIncident();
    expect(() => createNotice({ noticeId: 'NTC-us-2', states: ['US-MA'], fields: { nature: 'An attacker …' } }, context(incident), 'rita')).toThrow(/must not carry `nature`.*93H/);
    const { notice } = createNotice({ noticeId: 'NTC-us-3', states: ['US-MA'] }, context(incident), 'rita');
    expect(() => decideNotice(notice, { type: 'edit', fields: { 'approx-people': '120' }, expectedVersion: 1 }, context(incident), 'rita')).toThrow(DomainValidationError);
  });

  it('a variant without MA shows what happened and none of MA\'s statements', () => {
    const incident = usIncident({ jurisdictions: [{ code: 'US-NH', affected: 10 }, { code: 'US-TX', affected: 5 }], dataCategories: ['government-id'] });
    const { notice } = createNotice({ noticeId: 'NTC-us-4', states: ['US-NH', 'US-TX'], fields: { nature: 'An API key leaked.' } }, context(incident), 'rita');
    const draft: ReturnType<typeof currentDraft> = currentDraft(notice as Notice, context(incident));
    expect(draft.rendered.text).toContain('What Happened');
    expect(draft.rendered.text).toContain('An API key leaked.');
    expect(draft.elements.map((e) => e.id)).not.toContain('police-report');
    expect(draft.elements.map((e) => e.id)).not.toContain('identity-theft-services');
  });

  it('refuses states that are not the incident\'s, California, or states that cannot share a notice', () => {
    const incident = usIncident({ jurisdictions: [{ code: 'US-CA', affected: 1 }, { code: 'US-MA', affected: 1 }, { code: 'US-NH', affected: 1 }] });
    expect(() => createNotice({ noticeId: 'x' }, context(incident), 'rita')).toThrow(/Name the states.*\[US-NH\] \[US-MA\]/);
    expect(() => createNotice({ noticeId: 'x', states: ['US-CA'] }, context(incident), 'rita')).toThrow(/california-resident/);
    expect(() => createNotice({ noticeId: 'x', states: ['US-TX'] }, context(incident), 'rita')).toThrow(/not among the incident's/);
    expect(() => createNotice({ noticeId: 'x', states: ['US-MA', 'US-NH'] }, context(incident), 'rita')).toThrow(/cannot share one notice/);
  });

  it('answers the earliest resident-notice clock of the states it covers', () => {
    const incident = usIncident();
    const clock = packClock(noticePack('us-resident')!, incident, at(3), 'resident-notice:US-FL,US-MA,US-TX');
    expect(clock?.obligation).toBe('resident-notice');
    expect(['us-fl-breach', 'us-ma-breach', 'us-tx-breach']).toContain(clock?.regime);
  });

  it('its submission stops the resident-notice clock of every state it covers, not only the earliest (one incident write)', () => {
    const incident = usIncident();
    const obligation = 'resident-notice:US-FL,US-MA,US-TX';
    const fields = {
      'police-report': 'You have the right to obtain a police report about this incident.',
      'security-freeze': 'You may place a security freeze on your credit report free of charge.',
      'parent-company': 'Shopwise Inc. has no parent company.',
      'identity-theft-services': 'We offer 24 months of free credit monitoring; enrol at the number below.',
    };
    const created = createNotice({ noticeId: 'NTC-us-var', states: ['US-FL', 'US-MA', 'US-TX'], fields }, context(incident), 'rita').notice;
    const ctx3 = context(incident);
    expect(currentDraft(created, ctx3).missing).toEqual([]);
    const approved = decideNotice(created, { type: 'approve', expectedVersion: 1, expectedContentHash: contentHash(currentDraft(created, ctx3)) }, ctx3, 'dana').notice;
    const submitted = decideNotice(approved, { type: 'record-submission', submittedAt: at(3).toISOString(), reference: 'Mailed 2026-03-29, batch 7' }, { ...ctx3, now: at(4) }, 'dana');
    expect(submitted.incidentAction?.type).toBe('record-submission');
    const after = decide(incident, submitted.incidentAction!, 'dana', at(4));
    const keys = Object.keys(after.incident.submissions ?? {}).sort();
    expect(keys).toEqual(['us-fl-breach/resident-notice', 'us-ma-breach/resident-notice', 'us-tx-breach/resident-notice']);
    expect(Object.values(after.incident.submissions!).every((s) => s.noticeId === 'NTC-us-var' && s.reference === 'Mailed 2026-03-29, batch 7')).toBe(true);
    expect(after.event.summary).toMatch(/Florida|US-FL/);
    expect(after.event.summary).toMatch(/Texas|US-TX/);
    // California (its own pack) is not answered by the variant.
    expect(keys.some((k) => k.startsWith('us-ca'))).toBe(false);
    expect(packClock(noticePack('us-resident')!, after.incident, at(4), obligation)).toBeDefined();
  });

  it('the variant pack names its states and keeps only their elements', () => {
    const pack = usResidentVariantPack(noticePack('us-resident')!, ['US-FL']);
    expect(pack.name).toContain('Florida');
    expect(pack.elements.map((e) => e.id)).toEqual(['organisation', 'occurred-at', 'data-categories', 'contact-point']);
    expect(pack.elements.every((e) => e.required === 'always')).toBe(true);
    // Every source names covered states only (seen: the organisation element cited New Mexico and Washington).
    const other = usResidentData.states.map((s) => s.code).filter((c) => c !== 'US-FL');
    for (const element of pack.elements) for (const code of other) expect([element.id, element.legalSource.includes(code)]).toEqual([element.id, false]);
    expect(usResidentVariantPack(noticePack('us-resident')!, ['US-NM', 'US-FL']).elements.find((e) => e.id === 'organisation')!.legalSource).toMatch(/US-NM/);
  });
});
