import * as z from '../zod-mini.js';
import { ConfigurationError, DomainValidationError } from '../errors.js';
import { once } from '../once.js';
import { DATA_CATEGORIES, type IncidentFacts } from '../regimes/facts.js';

type DataCategory = (typeof DATA_CATEGORIES)[number];

/**
 * Every element a notice can carry. Each is filled from the incident (facts, risk, decisions, submissions),
 * from the organisation's profile, or by the officer (a field of the same id, audited); a field given by the
 * officer wins over what breachclock derives. See elements.ts for how each is derived.
 */
/**
 * A statute's listed item of a regulator's report that breachclock cannot fill: the officer writes it, under the
 * research's words as its label (notices/jurisdiction-reports.ts). As many as the longest list researched.
 */
const STATUTE_ITEMS = ['statute-item-1', 'statute-item-2', 'statute-item-3', 'statute-item-4', 'statute-item-5', 'statute-item-6', 'statute-item-7', 'statute-item-8', 'statute-item-9', 'statute-item-10', 'statute-item-11', 'statute-item-12'] as const;
export const STATUTE_ITEM_COUNT = STATUTE_ITEMS.length;

export const ELEMENT_IDS = [
  'notice-type',
  'case-reference',
  'organisation',
  'contact-point',
  'occurred-at',
  'discovered-at',
  'how-discovered',
  'nature',
  'cia',
  'data-categories',
  'special-categories',
  'people-categories',
  'approx-people',
  'approx-records',
  'likely-consequences',
  'measures-taken',
  'measures-proposed',
  'safeguards',
  'people-told',
  'other-authorities',
  'reasons-for-delay',
  'what-to-do',
  'suspected-malicious',
  'cross-border-impact',
  'controller-deadline',
  'notice-date',
  'law-enforcement-delay',
  'credit-agencies',
  'identity-theft-services',
  'severity-impact',
  'indicators-of-compromise',
  'root-cause',
  'toll-free-number',
  'breach-type',
  'information-location',
  'individuals-notified-at',
  'exemption-reason',
  'individuals-identified',
  // US state resident notices (packs/us-resident.ts): the officer's words, each state's requirement as its source
  'agency-contacts',
  'security-freeze',
  'police-report',
  'parent-company',
  'change-credentials',
  'fcra-rights',
  // Reports to a jurisdiction's regulator, the consumer reporting agencies, a data owner (packs/jurisdiction-reports.ts)
  'residents-affected',
  'resident-notice-copy',
  ...STATUTE_ITEMS,
] as const;
export type ElementId = (typeof ELEMENT_IDS)[number];

/**
 * A statute's "if …" over the recorded facts: every named part must hold. `dataCategoriesAny`: one of these
 * categories was exposed; `facts`: these yes/no facts were recorded as yes.
 */
export interface FactCondition {
  readonly dataCategoriesAny?: readonly DataCategory[];
  readonly facts?: readonly ('weWereTheSource' | 'lawEnforcementDelay')[];
  /**
   * The notice covers one of these jurisdictions (a US resident notice's variant: packs/us-resident.ts). Resolved
   * when the variant's pack is built (usResidentVariantPack); a pack without a variant never holds it.
   */
  readonly jurisdictionsAny?: readonly string[];
}

function factConditionSchema() {
  return z.strictObject({
    dataCategoriesAny: z.optional(z.array(z.enum(DATA_CATEGORIES)).check(z.minLength(1))),
    facts: z.optional(z.array(z.enum(['weWereTheSource', 'lawEnforcementDelay'])).check(z.minLength(1))),
    jurisdictionsAny: z.optional(z.array(z.string().check(z.regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/))).check(z.minLength(1))),
  });
}

/** Whether the condition holds for these facts (a fact not recorded does not hold). */
export function conditionHolds(condition: FactCondition, facts: IncidentFacts | undefined): boolean {
  if (condition.dataCategoriesAny && !condition.dataCategoriesAny.some((c) => facts?.dataCategories?.includes(c))) return false;
  if (condition.facts && !condition.facts.every((f) => facts?.[f] === true)) return false;
  if (condition.jurisdictionsAny) return false;
  return true;
}

/**
 * Elements that are one line: names, contact points, counts, dates and references. They sit in form rows and
 * after a label ("Controller: …"), so a line break in one is refused when the officer writes it
 * (assertFieldShape); the renderer puts any that still arrive (a derived value, an older version) on one line
 * in a table cell and indents the rest in plain text. Every other element is the officer's prose and may have
 * several lines and paragraphs, which the renderer keeps inside its section.
 */
export const SINGLE_LINE_ELEMENTS: ReadonlySet<ElementId> = new Set<ElementId>([
  'notice-type',
  'case-reference',
  'organisation',
  'contact-point',
  'occurred-at',
  'discovered-at',
  'approx-people',
  'approx-records',
  'toll-free-number',
  'individuals-notified-at',
  'residents-affected',
  // the HHS portal's choices
  'breach-type',
  'information-location',
]);

/** A line break as the renderer sees it once line endings are normalised and the value trimmed (CR, CRLF, LF, U+2028, U+2029). */
const LINE_BREAK = /\r\n?|\n|\u2028|\u2029/;

/**
 * The edit-time check of an officer's field (create and edit): a single-line element with a line break inside
 * it is refused with a DomainValidationError on `fields.<id>`. Leading and trailing line breaks are allowed
 * (the value is trimmed); null (a cleared field) and fields that are not elements pass.
 */
export function assertFieldShape(id: string, value: string | null): void {
  if (value === null || !SINGLE_LINE_ELEMENTS.has(id as ElementId)) return;
  if (LINE_BREAK.test(value.trim())) throw new DomainValidationError(`fields.${id}`, `"${id}" is a single line: no line breaks`);
}

export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const AUDIENCES = ['authority', 'people', 'public', 'controller'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * How a notice reaches its recipients: an authority portal (recorded submission), email, SMS (a short text
 * linking to the whole notice on breachclock's page behind a private link), a postal letter (a PDF per person,
 * printed and mailed), or a publication.
 */
export const CHANNELS = ['portal', 'email', 'sms', 'letter', 'publication'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The pack schema, built on first use: the packs breachclock ships are checked by a test
 * (test/unit/notices.test.ts), not at every cold start; it runs when packs are parsed.
 */
const schemas = once(() => {
  const template = z.strictObject({
    subject: z.string().check(z.minLength(3)),
    /** Plain text: email text part, SMS (first part), the CLI. */
    text: z.string().check(z.minLength(10)),
    /** HTML email (values HTML-escaped). */
    html: z.optional(z.string().check(z.minLength(10))),
    /** Markdown for authority portals, with the form's field names (values Markdown-escaped). */
    markdown: z.optional(z.string().check(z.minLength(10))),
    /** A short SMS (at most 3 segments), linking to the whole notice: `{{noticeLink}}` is the person's private link. */
    sms: z.optional(z.string().check(z.minLength(10))),
  });

  const element = z.strictObject({
    id: z.enum(ELEMENT_IDS),
    /** The label in the notice's main language; the form's own field name for authority packs. */
    label: z.string().check(z.minLength(2)),
    legalSource: z.string().check(z.minLength(3)),
    /**
     * always; only once the deadline has passed (reasons for delay); only for a follow-up (case reference); when
     * a condition over the facts holds (`when`: a statute's "if …"); never.
     */
    required: z.enum(['always', 'when-late', 'when-follow-up', 'when', 'no']),
    when: z.optional(factConditionSchema()),
  }).check(z.refine((e) => (e.required === 'when') === Boolean(e.when), { message: 'an element is required "when" exactly if it names its condition (when)' }));

  const pack = z.strictObject({
    kind: z.string().check(z.regex(/^[a-z0-9-]+$/)),
    version: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
    name: z.string().check(z.minLength(3)),
    legalSource: z.string().check(z.minLength(3)),
    audience: z.enum(AUDIENCES),
    /** The regime and obligation whose clock this notice answers (a submission of it stops that clock). */
    regime: z.string().check(z.regex(/^[a-z0-9-]+$/)),
    obligation: z.optional(z.string().check(z.regex(/^[a-z0-9:-]+$/))),
    /** A chained report quotes, as its case reference, the reference recorded at the submission of this earlier obligation of its regime. */
    referenceOf: z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/))),
    /** When the pack's sources were last checked, and which elements rest on secondary sources only. */
    checked: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
    sourceNote: z.optional(z.string().check(z.minLength(3))),
    channels: z.array(z.enum(CHANNELS)).check(z.minLength(1)),
    /**
     * The legal source when the law allows email only to a person who agreed to electronic notice (HIPAA
     * 164.404(d)(1)(i)): such a person is emailed, anyone else gets a letter (the list's electronic-consent column).
     */
    emailNeedsConsent: z.optional(z.string().check(z.minLength(3))),
    /** A notice to the people of one place: its dates in that place's time (IANA zone), named; else UTC. */
    timeZone: z.optional(z.string().check(z.regex(/^[A-Za-z_]+\/[A-Za-z_]+$/))),
    /**
     * Per US state (region code): when that state's statute lets the notice go by email (reach.ts), and for a
     * person whose state is not known the laws that must all allow it (a US resident notice's covered states).
     */
    emailByRegion: z.optional(z.record(z.string().check(z.regex(/^US-[A-Z]{2}$/)), z.object({ rule: z.enum(['consent', 'consent-or-primary', 'primary', 'any']), source: z.string().check(z.minLength(3)) }))),
    emailOtherwise: z.optional(z.array(z.object({ rule: z.enum(['consent', 'consent-or-primary', 'primary', 'any']), source: z.string().check(z.minLength(3)) }))),
    /**
     * What must hold before the notice can be approved: a confirmed decision to notify under the regime; the
     * risk assessment saying people must be told (Art. 34(1)); the Art. 34(3)(c) exemption (public
     * communication instead); or only that the regime applies (processor: the processor does not assess risk).
     */
    approvalNeeds: z.enum(['notify-decision', 'people-must-be-told', 'public-communication', 'regime-applies']),
    languages: z.array(z.enum(LANGUAGES)).check(z.minLength(1)),
    elements: z.array(element).check(z.minLength(1)),
    templates: z.partialRecord(z.enum(LANGUAGES), template),
  });
  return { template, pack };
});

export type NoticePack = z.infer<ReturnType<typeof schemas>['pack']>;
export type NoticePackConfig = z.input<ReturnType<typeof schemas>['pack']>;
export type NoticeTemplate = z.infer<ReturnType<typeof schemas>['template']>;

/** Validates packs (a test runs it on those breachclock ships): a template for every language, every channel's format, no duplicate ids. */
export function parseNoticePacks(configs: readonly unknown[]): NoticePack[] {
  const issues: string[] = [];
  const packs: NoticePack[] = [];
  const kinds = new Set<string>();
  configs.forEach((config, index) => {
    const parsed = schemas().pack.safeParse(config);
    if (!parsed.success) {
      issues.push(...parsed.error.issues.map((i) => `notices.${index}.${i.path.join('.')}: ${i.message}`));
      return;
    }
    const pack = parsed.data;
    if (kinds.has(pack.kind)) issues.push(`notices.${index}.kind: duplicate notice pack "${pack.kind}"`);
    kinds.add(pack.kind);
    const ids = pack.elements.map((e) => e.id);
    for (const id of new Set(ids)) if (ids.indexOf(id) !== ids.lastIndexOf(id)) issues.push(`${pack.kind}: element "${id}" listed twice`);
    for (const language of pack.languages) {
      const template = pack.templates[language];
      if (!template) {
        issues.push(`${pack.kind}: no template for language "${language}"`);
        continue;
      }
      if (pack.channels.includes('email') && !template.html) issues.push(`${pack.kind}.${language}: email needs an html template`);
      if (pack.channels.includes('sms') && !template.sms) issues.push(`${pack.kind}.${language}: SMS needs an sms template`);
      // The SMS goes to people who got no email: it links to the whole notice, and never says an email was sent.
      if (template.sms && !template.sms.includes('{{noticeLink}}')) issues.push(`${pack.kind}.${language}: the sms template must link to the notice ({{noticeLink}})`);
      if ((pack.emailNeedsConsent || pack.emailByRegion) && !pack.channels.includes('letter')) issues.push(`${pack.kind}: email needs consent, so the notice needs the letter channel for everyone else`);
      if (pack.channels.includes('portal') && !template.markdown) issues.push(`${pack.kind}.${language}: a portal notice needs a markdown template`);
      // Every required element must appear in every format, so nothing mandatory is left out of what is sent.
      for (const element of pack.elements.filter((e) => e.required !== 'no')) {
        for (const [format, body] of Object.entries(template)) {
          if (format === 'subject' || format === 'sms') continue;
          if (!body.includes(`el.${element.id}`)) issues.push(`${pack.kind}.${language}.${format}: does not show the mandatory element "${element.id}"`);
        }
      }
    }
    packs.push(pack);
  });
  if (issues.length) throw new ConfigurationError('Invalid notice packs', issues);
  return packs;
}
