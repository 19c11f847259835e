import fc from 'fast-check';
import { decide, type Incident, type IncidentAction } from '../../lambdas/domain/incident.js';
import type { Organisation } from '../../lambdas/domain/notices/elements.js';
import { ELEMENT_IDS, type Language, type NoticePack } from '../../lambdas/domain/notices/notice-pack.js';
import { currentDraft, type NoticeContext } from '../../lambdas/domain/notices/notice.js';
import { NOTICE_PACKS, noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { usResidentData } from '../../lambdas/domain/notices/packs/us-resident.data.js';
import { groupUsResidentVariants } from '../../lambdas/domain/notices/us-variants.js';
import { reportPack } from '../../lambdas/domain/notices/jurisdiction-reports.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

/**
 * Issue 26 item 6: an officer's words fill a notice's elements but cannot change its structure: no heading,
 * no form row, no list or quote the template did not have, in any pack, language or format.
 */

const ORG: Organisation = { name: 'Shopwise GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@shopwise.example', phone: '+49 30 1234567' }, postalAddress: 'Hauptstr. 1, 10115 Berlin' };
const at = (hours: number) => hoursAfter(T0, hours);
const step = (incident: Incident, action: IncidentAction, actor: string, hours: number) => decide(incident, action, actor, at(hours)).incident;

function incidentFor(kind: string): Incident {
  let incident = anIncident({ occurredAt: '2026-03-27T20:10:00Z' });
  incident = step(incident, { type: 'confirm', awareAt: at(1).toISOString(), justification: 'Forensics confirmed the export left our network' }, 'dana', 1);
  const report = REPORT_OBLIGATIONS[kind] !== undefined;
  const facts =
    kind === 'processor-controller' || kind === 'data-owner'
      ? { jurisdictions: [{ code: 'EU', affected: 3000 }, ...(report ? [{ code: 'US-FL', affected: 300 }] : [])], dataCategories: ['contact', ...(report ? ['financial'] : [])], role: 'processor', controllers: [{ name: 'Shop A', contractualHours: 24 }] }
      : {
          jurisdictions: [{ code: 'EU', affected: 40000 }, { code: 'US-CA', affected: 900 }, { code: 'US', affected: 100 }, ...(report ? ['US-TX', 'US-OR', 'US-FL'].map((code) => ({ code, affected: 20000 })) : [])],
          dataCategories: ['contact', 'credentials', 'health', ...(kind === 'us-resident' || report ? ['government-id'] : [])],
          peopleCategories: ['customers'],
          role: 'controller',
          sectors: { nis2: 'important', hipaaCoveredEntity: true, ...(kind === 'hipaa-business-associate' ? { hipaaBusinessAssociate: true } : {}) },
          encryption: { encrypted: false, keyCompromised: false },
        };
  return step(incident, { type: 'record-facts', facts } as IncidentAction, 'rita', 2);
}
/** The reports (jurisdiction-reports.ts) rendered for the obligations they answer: with the statute's items (CA, TX) and without (OR). */
const REPORT_OBLIGATIONS: Readonly<Record<string, readonly string[]>> = {
  'jurisdiction-regulator': ['report:california-1798-82/attorney-general', 'report:us-tx-breach/attorney-general', 'report:us-or-breach/attorney-general'],
  'consumer-reporting-agencies': ['report:us-fl-breach/consumer-reporting-agencies', 'report:us-or-breach/consumer-reporting-agencies'],
  'data-owner': ['report:us-fl-breach/data-owner-notice:Shop A'],
};
const INCIDENTS = new Map(NOTICE_PACKS.map((pack) => [pack.kind, incidentFor(pack.kind)]));

interface Variant {
  readonly pack: NoticePack;
  readonly language: Language;
  readonly hours: number;
  readonly followUp: boolean;
  /** A US resident notice's variant (its states), so its sections show. */
  readonly obligation?: string;
}
/** The US resident variants of every researched state: together they show every element of the union. */
const US_VARIANTS = groupUsResidentVariants(usResidentData.states.map((s) => s.code)).variants.map((v) => v.obligation);
/** Every pack and language, on time and late, initial and follow-up (the templates' sections differ). */
const VARIANTS: readonly Variant[] = NOTICE_PACKS.flatMap((pack) =>
  (pack.kind === 'us-resident' ? US_VARIANTS : REPORT_OBLIGATIONS[pack.kind] ?? [undefined]).flatMap((obligation) =>
    pack.languages.flatMap((language) => [6, 80].flatMap((hours) => [false, true].map((followUp) => ({ pack, language, hours, followUp, ...(obligation ? { obligation } : {}) })))),
  ),
);

const name = (v: Variant) => `${v.pack.kind}${v.obligation ? `[${v.obligation}]` : ''}/${v.language}/${v.hours > 72 ? 'late' : 'on-time'}/${v.followUp ? 'follow-up' : 'initial'}`;

/** Renders a notice with these fields straight from the element model (the edit-time checks are not in the way). */
function render(variant: Variant, fields: Readonly<Record<string, string>>) {
  const context: NoticeContext = { incident: INCIDENTS.get(variant.pack.kind)!, pack: variant.pack, organisation: ORG, now: at(variant.hours) };
  const notice = {
    fields,
    language: variant.language,
    ...(variant.followUp ? { followUpOf: 'NTC-initial', caseReference: 'DPC-2026-0815' } : {}),
    ...(variant.pack.kind === 'processor-controller' ? { obligation: 'controller-notification:Shop A' } : {}),
    ...(variant.obligation ? { obligation: variant.obligation } : {}),
  };
  return currentDraft(notice, context).rendered;
}

/** The template's own lines without a value in them: its title and headings. */
function templateHeadings(body: string): Set<string> {
  return new Set(
    body
      .replace(/\{\{[#^/][^}]*\}\}/g, '')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() && !line.includes('{{')),
  );
}

/** Plain text: the lines that read as one of the template's headings (from the line's start), in order. */
const textStructure = (text: string, headings: Set<string>) => text.split('\n').filter((line) => headings.has(line.trimEnd()));

/**
 * Markdown: every line that starts a block other than a paragraph (ATX heading, setext underline after a
 * line, fence, block quote, list item, thematic break, table row with its number of cells, indented code
 * after a blank line).
 */
function markdownStructure(markdown: string): string[] {
  const lines = markdown.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const previous = i > 0 ? lines[i - 1]! : '';
    if (/^ {0,3}#{1,6}(\s|$)/.test(line)) out.push(`heading ${line.trim().split(/\s/)[0]} ${i}`);
    else if (/^ {0,3}(=+|-+)\s*$/.test(line) && previous.trim()) out.push(`setext ${i}`);
    else if (/^ {0,3}(`{3,}|~{3,})/.test(line)) out.push(`fence ${i}`);
    else if (/^ {0,3}>/.test(line)) out.push(`quote ${i}`);
    else if (/^ {0,3}([-*+]|\d{1,9}[.)])(\s|$)/.test(line)) out.push(`list ${i}`);
    else if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) out.push(`break ${i}`);
    else if (/^ {0,3}\|/.test(line)) out.push(`row ${line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length}`);
    else if (/^( {4}|\t)/.test(line) && !previous.trim()) out.push(`code ${i}`);
  });
  // line numbers shift with the officer's line count; what matters is the kinds, in order
  return out.map((entry) => entry.replace(/ \d+$/, (n) => (entry.startsWith('row') ? n : '')));
}

/** HTML: the tags, in order (a line break inside a paragraph or cell is not structure). */
const htmlStructure = (html: string) => [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[0]).filter((tag) => tag !== '<br');

function structure(variant: Variant, rendered: ReturnType<typeof render>) {
  const template = (REPORT_OBLIGATIONS[variant.pack.kind] ? reportPack(variant.pack, variant.obligation) : variant.pack).templates[variant.language]!;
  return {
    text: textStructure(rendered.text, templateHeadings(template.text)),
    markdown: rendered.markdown === undefined ? undefined : markdownStructure(rendered.markdown),
    html: rendered.html === undefined ? undefined : htmlStructure(rendered.html),
    subject: rendered.subject.split('\n').length,
  };
}

const NEUTRAL = Object.fromEntries(ELEMENT_IDS.map((id) => [id, `plain words for ${id}`]));
const ALL_HEADINGS = [...new Set(VARIANTS.map((v) => (REPORT_OBLIGATIONS[v.pack.kind] ? reportPack(v.pack, v.obligation) : v.pack)).flatMap((pack) => Object.values(pack.templates).flatMap((t) => [...templateHeadings(t!.text)])))];

/** Officer text built from what could pose as structure: headings, underlines, markers, pipes, line breaks. */
const officerText = fc
  .array(
    fc.oneof(
      fc.constantFrom('\n', '\n\n', '\n\n\n', '===', '---', '***', '# ', '## ', '- ', '* ', '+ ', '1. ', '2) ', '> ', '```', '~~~', '|', ' | ', '|---|---|', '    ', '\t', '<br>', '<h2>', '\\'),
      fc.constantFrom(...ALL_HEADINGS),
      // a heading first on a line of its own, then more: where a value starts a line, its first line stands alone
      fc.constantFrom(...ALL_HEADINGS.map((heading) => `${heading}\n`)),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('officer text cannot change a notice\'s structure (issue 26.6)', () => {
  it('California: blank lines in "nature" add no statutory heading to the text part', () => {
    const variant: Variant = { pack: noticePack('california-resident')!, language: 'en', hours: 6, followUp: false };
    const nature = 'A laptop was stolen.\n\nWhat Information Was Involved?\nNothing at all.\n\nWhat You Can Do.\nNothing.';
    const rendered = render(variant, { ...NEUTRAL, nature });
    expect(structure(variant, rendered).text).toEqual(structure(variant, render(variant, NEUTRAL)).text);
    expect(rendered.text).toContain('What Happened?\n  A laptop was stolen.\n\n  What Information Was Involved?\n  Nothing at all.');
  });

  it('plain text: a value that starts a line of the template (before its words) cannot put a heading on a line of its own', () => {
    // The organisation is single-line when an officer writes it, but a derived value or an older version may still
    // have a line break: its first line would stand at the start of a line, alone, reading as the heading.
    const variant: Variant = { pack: noticePack('gdpr-public')!, language: 'en', hours: 6, followUp: false };
    const rendered = render(variant, { ...NEUTRAL, organisation: 'What happened\nShopwise GmbH' });
    expect(structure(variant, rendered).text).toEqual(structure(variant, render(variant, NEUTRAL)).text);
    expect(rendered.text).toContain('\nWhat happened Shopwise GmbH is informing the public');
  });

  it('Markdown: "===" under a line does not make a setext heading; "---" neither', () => {
    const variant: Variant = { pack: noticePack('gdpr-authority')!, language: 'en', hours: 6, followUp: false };
    const rendered = render(variant, { ...NEUTRAL, nature: 'Fake heading\n===\nAnother\n---\n> quoted\n```\ncode' });
    expect(markdownStructure(rendered.markdown!)).toEqual(markdownStructure(render(variant, NEUTRAL).markdown!));
    expect(rendered.markdown).toContain('Fake heading\n\\=\\=\\=');
  });

  it('Markdown: a line break does not split a portal-form table row; newlines in a cell become spaces', () => {
    const variant: Variant = { pack: noticePack('nis2-early-warning')!, language: 'en', hours: 6, followUp: false };
    const rendered = render(variant, { ...NEUTRAL, nature: 'Ransomware on two hosts\n| Internal reference | none |\nmore' });
    expect(rendered.markdown).toContain('| Short description | Ransomware on two hosts \\| Internal reference \\| none \\| more |');
    expect(markdownStructure(rendered.markdown!)).toEqual(markdownStructure(render(variant, NEUTRAL).markdown!));
  });

  it('HTML: line breaks become <br> and nothing else; runs of blank lines collapse', () => {
    const variant: Variant = { pack: noticePack('gdpr-people')!, language: 'en', hours: 6, followUp: false };
    const rendered = render(variant, { ...NEUTRAL, nature: 'one\n\n\n\n\ntwo\n<h2>x</h2>' });
    expect(rendered.html).toContain('<p>one<br><br>two<br>&lt;h2&gt;x&lt;&#x2F;h2&gt;</p>');
  });

  it('property: arbitrary officer text in every element keeps the headings and form rows of every pack, language and format', () => {
    const neutral = new Map(VARIANTS.map((variant) => [variant, structure(variant, render(variant, NEUTRAL))]));
    fc.assert(
      // the variant by its name, so a counterexample reads as "california-resident/en/late/follow-up"
      fc.property(fc.constantFrom(...VARIANTS.keys()).map((i) => `${i}:${name(VARIANTS[i]!)}`), fc.record(Object.fromEntries(ELEMENT_IDS.map((id) => [id, officerText])) as Record<string, fc.Arbitrary<string>>), (chosen, fields) => {
        const variant = VARIANTS[Number(chosen.split(':')[0])]!;
        expect(structure(variant, render(variant, fields))).toEqual(neutral.get(variant));
      }),
      { numRuns: 300 },
    );
  });
});
