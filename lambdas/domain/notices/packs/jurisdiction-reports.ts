import { SINGLE_LINE_ELEMENTS, STATUTE_ITEM_COUNT, type ElementId, type NoticePack, type NoticePackConfig, type NoticeTemplate } from '../notice-pack.js';

/**
 * The notice packs that answer a jurisdiction rule pack's reports besides the notice to residents (issues 26.4,
 * 28.5): a regulator's report, the consumer reporting agencies' notice, a data owner's notice. These are their
 * generic shapes (what docs/notices.md lists); a notice is drafted with the pack made for the one obligation it
 * answers (jurisdiction-reports.ts reportPack): its elements are that obligation's statutory items from the research.
 */
export const REPORTS_REGIME = 'jurisdiction-reports';
export const REGULATOR_KIND = 'jurisdiction-regulator';
export const CRA_KIND = 'consumer-reporting-agencies';
export const DATA_OWNER_KIND = 'data-owner';

export type ReportElement = NoticePack['elements'][number];

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Research words as template text: one line, no Mustache tag. */
const plain = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');
const html = (text: string) => plain(text).replace(/[&<>"']/g, (c) => HTML[c]!);
const markdown = (text: string) => plain(text).replace(/([\\`*_{}[\]()#+\-.!|<>~=])/g, '\\$1');

/**
 * The templates of a report: its title, the lines that say whom it goes to, what it answers and how it is sent,
 * then each element under its label (the statute's words). A one-line element follows its label; any other has
 * the label as its heading.
 */
export function reportTemplates(title: string, intro: readonly string[], elements: readonly Pick<ReportElement, 'id' | 'label'>[]): NoticeTemplate {
  const one = (id: ElementId) => SINGLE_LINE_ELEMENTS.has(id);
  return {
    subject: `${plain(title)} ({{el.organisation}})`,
    text: [plain(title), '', ...intro.map(plain), 'Reference: {{incidentId}}', '', ...elements.map((e) => (one(e.id) ? `${plain(e.label)}: {{el.${e.id}}}\n` : `${plain(e.label)}:\n{{el.${e.id}}}\n`))].join('\n'),
    html: [
      '<!doctype html>',
      `<html><head><meta charset="utf-8"><title>${html(title)}</title></head>`,
      '<body style="font-family: Arial, sans-serif; line-height: 1.5; max-width: 44em">',
      `<h1>${html(title)}</h1>`,
      ...intro.map((line) => `<p>${html(line)}</p>`),
      '<p>Reference: {{incidentId}}</p>',
      ...elements.map((e) => (one(e.id) ? `<p><strong>${html(e.label)}</strong>: {{el.${e.id}}}</p>` : `<h2>${html(e.label)}</h2><p>{{el.${e.id}}}</p>`)),
      '</body></html>',
    ].join('\n'),
    markdown: [`# ${markdown(title)}`, '', ...intro.flatMap((line) => [markdown(line), '']), 'Reference: {{incidentId}}', '', ...elements.flatMap((e) => (one(e.id) ? [`**${markdown(e.label)}**: {{el.${e.id}}}`, ''] : [`## ${markdown(e.label)}`, '', `{{el.${e.id}}}`, '']))].join('\n'),
  };
}

const items = (): ReportElement[] =>
  Array.from({ length: STATUTE_ITEM_COUNT }, (_, i) => ({ id: `statute-item-${i + 1}` as ElementId, label: `The statute's item ${i + 1}, in the research's words`, legalSource: "the obligation's citation and the item's words (research record)", required: 'no' as const }));

function generic(config: Omit<NoticePackConfig, 'templates' | 'version' | 'languages' | 'approvalNeeds' | 'regime'>, title: string, intro: readonly string[]): NoticePackConfig {
  return { ...config, version: '2026-12', regime: REPORTS_REGIME, approvalNeeds: 'regime-applies', languages: ['en'], templates: { en: reportTemplates(title, intro, config.elements) } };
}

const GENERIC_INTRO = ['To: the recipient the obligation names', 'Answers: the rule pack obligation named when drafting (answers)', 'Channel: the research record\'s form, portal, email or postal address'];

/** A report to a regulator (an Attorney General, a data protection authority …): one notice per regulator and obligation. */
export const jurisdictionRegulator: NoticePackConfig = generic(
  {
    kind: REGULATOR_KIND,
    name: 'Report to a regulator under a jurisdiction rule pack',
    legalSource: "the obligation's statute, as cited by its rule pack (docs/sources/jurisdictions)",
    audience: 'authority',
    sourceNote: "each notice carries the items its obligation's research record lists (otherRecipients[].contents), cited; where the record lists none, a minimal report marked \"not from the statute\"",
    channels: ['portal'],
    elements: [
      { id: 'organisation', label: 'Reporting organisation', legalSource: 'the sender of the report (organisation profile)', required: 'always' },
      { id: 'residents-affected', label: "Residents of the obligation's jurisdiction affected (facts.jurisdictions)", legalSource: 'an item asking for the number of residents affected', required: 'no' },
      { id: 'contact-point', label: 'Contact point', legalSource: 'an item asking for contact details', required: 'no' },
      { id: 'occurred-at', label: 'Date of the breach', legalSource: 'an item asking for the date of the breach', required: 'no' },
      { id: 'discovered-at', label: 'Date of discovery', legalSource: 'an item asking for the date of discovery', required: 'no' },
      { id: 'nature', label: 'What happened', legalSource: 'the minimal report where the research lists no contents (not from the statute)', required: 'no' },
      { id: 'resident-notice-copy', label: 'A copy of the notice to residents', legalSource: 'an item asking for a copy or sample of the notice', required: 'no' },
      ...items(),
    ],
  },
  'Data breach report',
  GENERIC_INTRO,
);

/** The notice to the three nationwide consumer reporting agencies (credit-reporting-agencies.ts). */
export const consumerReportingAgencies: NoticePackConfig = generic(
  {
    kind: CRA_KIND,
    name: 'Notice to the nationwide consumer reporting agencies under a jurisdiction rule pack',
    legalSource: "the obligation's statute, as cited by its rule pack (docs/sources/jurisdictions)",
    audience: 'authority',
    sourceNote: "addressed to Equifax, Experian and TransUnion (credit-reporting-agencies.ts, secondary sources); the items are the obligation's research record's (typically the timing, distribution and content of the notices, and their approximate number)",
    channels: ['portal'],
    elements: [
      { id: 'organisation', label: 'Notifying organisation', legalSource: 'the sender of the notice (organisation profile)', required: 'always' },
      { id: 'residents-affected', label: "Residents of the obligation's jurisdiction affected (facts.jurisdictions)", legalSource: 'an item asking for the number of residents affected or notified', required: 'no' },
      { id: 'contact-point', label: 'Contact point', legalSource: 'an item asking for contact details', required: 'no' },
      ...items(),
    ],
  },
  'Notice to the nationwide consumer reporting agencies',
  ['To: Equifax, Experian and TransUnion (addresses from credit-reporting-agencies.ts)', ...GENERIC_INTRO.slice(1)],
);

/** A vendor's notice to the owner or licensee of the data it holds (one per owner: that owner's data only). */
export const dataOwner: NoticePackConfig = generic(
  {
    kind: DATA_OWNER_KIND,
    name: 'Notice to the owner or licensee of the data under a jurisdiction rule pack',
    legalSource: "the obligation's statute (data-owner-notice), as cited by its rule pack (docs/sources/jurisdictions)",
    audience: 'controller',
    sourceNote: "one notice per owner recorded in facts.controllers, carrying that owner's share only (its people, records and categories), like the processor's notice to one controller",
    channels: ['email'],
    elements: [
      { id: 'organisation', label: 'Who is notifying you (we hold your data)', legalSource: "the statute's citation and trigger words", required: 'always' },
      { id: 'nature', label: 'The breach', legalSource: "the statute's citation and trigger words", required: 'always' },
      { id: 'discovered-at', label: 'When we discovered it', legalSource: "the statute's citation and trigger words", required: 'always' },
      { id: 'data-categories', label: 'Your data involved', legalSource: 'not from the statute: what the owner needs to notify', required: 'always' },
      { id: 'approx-people', label: 'Your people affected', legalSource: 'not from the statute: what the owner needs to notify', required: 'always' },
      { id: 'measures-taken', label: 'What we have done', legalSource: 'not from the statute: what the owner needs to notify', required: 'always' },
      { id: 'contact-point', label: 'Our contact point', legalSource: 'not from the statute: what the owner needs to notify', required: 'always' },
    ],
  },
  'Notice of a security breach of data we hold for you',
  ['To: the owner or licensee of the data'],
);
