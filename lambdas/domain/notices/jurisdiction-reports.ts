import { DomainValidationError } from '../errors.js';
import type { Incident } from '../incident.js';
import { effectiveFacts, type RegimeClock } from '../regimes/engine.js';
import type { IncidentFacts } from '../regimes/facts.js';
import { RULE_PACKS } from '../regimes/packs/index.js';
import { JURISDICTION_PACK_IDS } from '../regimes/packs/jurisdictions.ids.js';
import type { Obligation, RulePack } from '../regimes/rule-pack.js';
import { CREDIT_REPORTING_AGENCIES } from './credit-reporting-agencies.js';
import { STATUTE_ITEM_COUNT, type ElementId, type NoticePack } from './notice-pack.js';
import { CRA_KIND, DATA_OWNER_KIND, REGULATOR_KIND, REPORTS_REGIME, reportTemplates, type ReportElement } from './packs/jurisdiction-reports.js';

/**
 * Reports a jurisdiction's rule pack asks for besides the notice to residents (issues 26.4, 28.5): to a regulator
 * (an Attorney General, a data protection authority), to the nationwide consumer reporting agencies, to the owner
 * of data we hold for another business. Three notice packs (packs/jurisdiction-reports.ts) answer every such
 * obligation; a notice names the one it answers (`report:us-tx-breach/attorney-general`, a data owner's notice
 * also its owner: `report:us-fl-breach/data-owner-notice:Shop A`), and is drafted with that obligation's own
 * pack: its elements are the statute's items as the research lists them (`contents` of the rule pack's
 * obligation), cited, each written by the officer unless it plainly asks for what breachclock records.
 */

const PREFIX = 'report:';
const DATA_OWNER = 'data-owner-notice';
const CRA = 'consumer-reporting-agencies';

/** Hand-written rule packs whose obligations these packs answer too (their contents copied from the research by hand). */
const HAND_WRITTEN_REPORTS: Readonly<Record<string, readonly string[]>> = {
  'california-1798-82': ['attorney-general'],
  'new-york-899-aa': ['state-agencies', CRA],
};
const IMPORTED = new Set<string>(JURISDICTION_PACK_IDS);

/** The notice pack kind that answers this obligation of this rule pack, if one does. */
export function reportKind(pack: Pick<RulePack, 'id'>, obligation: string): string | undefined {
  const imported = IMPORTED.has(pack.id);
  if (!imported && !HAND_WRITTEN_REPORTS[pack.id]?.includes(obligation)) return undefined;
  if (obligation === 'resident-notice') return undefined;
  if (obligation === DATA_OWNER) return DATA_OWNER_KIND;
  if (obligation === CRA) return CRA_KIND;
  return REGULATOR_KIND;
}

export interface ReportTarget {
  readonly regime: string;
  readonly obligation: string;
  /** A data owner's notice: the owner (one of facts.controllers). */
  readonly owner?: string;
}

export const reportObligation = (target: ReportTarget): string => `${PREFIX}${target.regime}/${target.obligation}${target.owner !== undefined ? `:${target.owner}` : ''}`;

/** The rule pack obligation (and owner) a report notice answers, from its obligation; undefined for any other notice. */
export function reportTarget(obligation: string | undefined): ReportTarget | undefined {
  const match = obligation?.startsWith(PREFIX) ? /^([a-z0-9-]+)\/([a-z0-9-]+)(?::([\s\S]*))?$/.exec(obligation.slice(PREFIX.length)) : null;
  if (!match) return undefined;
  return { regime: match[1]!, obligation: match[2]!, ...(match[3] !== undefined ? { owner: match[3] } : {}) };
}

/** The owner a data owner's notice goes to (its share of the data only, like a processor's notice to one controller). */
export const reportOwner = (obligation: string | undefined): string | undefined => reportTarget(obligation)?.owner;

function ruleObligation(target: Pick<ReportTarget, 'regime' | 'obligation'>): { pack: RulePack; obligation: Obligation } | undefined {
  const pack = RULE_PACKS.find((p) => p.id === target.regime);
  const obligation = pack?.obligations.find((o) => o.id === target.obligation);
  return pack && obligation ? { pack, obligation } : undefined;
}

/** A clock that runs: not settled as not required (safe harbour, a documented dismissal) and in force. */
const runs = (clock: RegimeClock): boolean => clock.status !== 'not-required' && clock.status !== 'not-in-force';

/**
 * The clock a report answers on this incident (undefined: it does not run: threshold not crossed, another role, no
 * such jurisdiction, or not required: the safe harbour holds or the regime was dismissed).
 */
export function reportClock(clocks: readonly RegimeClock[], obligation: string | undefined): RegimeClock | undefined {
  const target = reportTarget(obligation);
  return target ? clocks.find((c) => c.regime === target.regime && c.obligation === target.obligation && runs(c)) : undefined;
}

/** The running clocks of the incident that a pack of this kind answers, as `regime/obligation`. */
export function answerableClocks(kind: string, clocks: readonly RegimeClock[]): string[] {
  return clocks.filter((c) => runs(c) && reportKind({ id: c.regime }, c.obligation) === kind).map((c) => `${c.regime}/${c.obligation}`);
}

/**
 * Checks what a new report notice answers (400 on `answers` or `controller`): a `regime/obligation` whose clock runs
 * on this incident and that this pack answers; for a data owner's notice, an owner recorded in facts.controllers.
 * Returns the notice's obligation.
 */
export function checkReportAnswers(kind: string, answers: string | undefined, controller: string | undefined, incident: Incident, clocks: readonly RegimeClock[]): string {
  const running = answerableClocks(kind, clocks);
  const runningText = running.length ? running.join(', ') : 'none on this incident';
  if (!answers) throw new DomainValidationError('answers', `Name the clock this ${kind} notice answers (answers: "regime/obligation"); the clocks it can answer that run: ${runningText}`);
  const [regime, obligation] = answers.split('/');
  const found = regime && obligation ? ruleObligation({ regime, obligation }) : undefined;
  if (!found) throw new DomainValidationError('answers', `"${answers}" is not an obligation of any rule pack (write it as regime/obligation, e.g. us-tx-breach/attorney-general)`);
  const answeredBy = reportKind(found.pack, found.obligation.id);
  if (answeredBy !== kind) throw new DomainValidationError('answers', `${answers} is ${answeredBy ? `answered by the ${answeredBy} notice` : 'not answered by a report notice'}, not ${kind}`);
  const clock = clocks.find((c) => c.regime === regime && c.obligation === obligation);
  if (!clock || !runs(clock)) {
    const why = clock ? `it is ${clock.status} (${clock.safeHarbour ? 'the encryption safe harbour holds' : clock.dismissal ? 'the regime was dismissed' : 'not in force'})` : 'its jurisdiction, role or threshold does not hold on the recorded facts';
    throw new DomainValidationError('answers', `The clock ${answers} does not run on incident ${incident.id} (${why}), so there is nothing to report; the clocks a ${kind} notice can answer that run: ${runningText}`);
  }
  if (kind !== DATA_OWNER_KIND) return reportObligation({ regime: regime!, obligation: obligation! });
  const owners = (effectiveFacts(incident.facts).controllers ?? []).map((c) => c.name);
  if (!controller || !owners.includes(controller)) {
    throw new DomainValidationError('controller', `Name the owner or licensee of the data this notice goes to (controller); recorded in facts.controllers: ${owners.join(', ') || 'none (record facts.controllers)'}`);
  }
  return reportObligation({ regime: regime!, obligation: obligation!, owner: controller });
}

/** The jurisdiction whose residents a report counts: its rule pack's (one each for the imported packs). */
function reportJurisdiction(pack: Pick<NoticePack, 'obligation'>): string | undefined {
  const [regime, obligation] = (pack.obligation ?? '').split(':');
  return regime && obligation ? ruleObligation({ regime, obligation })?.pack.appliesWhen.anyJurisdiction?.[0] : undefined;
}

/** `residents-affected`: the residents of the report's own jurisdiction, as recorded in facts.jurisdictions (never the incident's total). */
export function residentsAffected(pack: Pick<NoticePack, 'obligation'>, facts: IncidentFacts | undefined): string | undefined {
  const code = reportJurisdiction(pack);
  const count = code ? facts?.jurisdictions?.find((j) => j.code === code)?.affected : undefined;
  return count !== undefined ? String(count) : undefined;
}

/**
 * What breachclock can fill of a statute's item, by its words: only where the item plainly asks for one thing it
 * records. Anything else (and an item that asks for more than that one thing) is the officer's.
 */
function mapItem(item: string): ElementId | undefined {
  const words = item.toLowerCase();
  if (/\bnumber of\b/.test(words) && /(residents?|individuals|consumers|persons|people|data subjects|citizens)\b/.test(words) && !/(,|\band\b|total|records?|notices|notified|notification sent|received)/.test(words)) return 'residents-affected';
  if (/contact/.test(words) && /(name|address|telephone|phone|e-?mail|point|person|details)/.test(words) && !/processor|breached entity/.test(words)) return 'contact-point';
  if (/^date (of (the )?breach|breach occurred)$/.test(words)) return 'occurred-at';
  if (/^date (of discovery|discovered)$/.test(words)) return 'discovered-at';
  if (/(copy|sample|template)\b/.test(words) && /(notice|notification|letter)/.test(words)) return 'resident-notice-copy';
  return undefined;
}

/** The law and the obligation's section ("Fla. Stat. § 501.171, § 501.171(3)"), the section alone when it repeats the law's name. */
const cite = (pack: RulePack, obligation: Obligation): string =>
  !obligation.source ? pack.legalSource : obligation.source.startsWith(pack.legalSource) ? obligation.source : `${pack.legalSource}, ${obligation.source}`;

const confidenceWords = (pack: RulePack): string =>
  pack.confidence === 'primary' ? '' : ` [research confidence: ${pack.confidence}${pack.confidenceNote ? `: ${pack.confidenceNote}` : ''}]`;

function channelWords(obligation: Obligation): string {
  const c = obligation.channel;
  if (!c) return 'Channel: not found in the research; ask the recipient or check its website.';
  const how = { form: 'online form', portal: 'portal', email: 'email', mail: 'mail' }[c.kind];
  return `Channel (${obligation.source ?? 'research'}): ${how}${c.value ? `: ${c.value}` : ' (address not found in the research)'}.`;
}

/** The elements of one obligation's report: the statute's items, mapped where breachclock records the thing asked. */
function statuteElements(pack: RulePack, obligation: Obligation, fallback: readonly ReportElement[]): { elements: ReportElement[]; fromStatute: boolean } {
  const citation = `${cite(pack, obligation)}`;
  const doubt = confidenceWords(pack);
  const sender: ReportElement = { id: 'organisation', label: 'Reporting organisation', legalSource: `the sender of the report (organisation profile); ${citation}${doubt}`, required: 'always' };
  if (!obligation.contents) {
    const note = `not from the statute: the research lists no contents for ${citation}; check the recipient's form${doubt}`;
    return { elements: [sender, ...fallback.map((e) => ({ ...e, legalSource: note }))], fromStatute: false };
  }
  const used = new Set<ElementId>(['organisation']);
  let next = 1;
  const elements = obligation.contents.slice(0, STATUTE_ITEM_COUNT).map((item): ReportElement => {
    const mapped = mapItem(item);
    const id: ElementId = mapped && !used.has(mapped) ? mapped : (`statute-item-${next++}` as ElementId);
    used.add(id);
    return { id, label: item, legalSource: `${citation}: "${item}"${obligation.contentsNote ? ` (${obligation.contentsNote})` : ''}${doubt}`, required: 'always' };
  });
  return { elements: [sender, ...elements], fromStatute: true };
}

const FALLBACK: Readonly<Record<string, readonly ReportElement[]>> = {
  [REGULATOR_KIND]: [
    { id: 'nature', label: 'What happened', legalSource: '', required: 'always' },
    { id: 'residents-affected', label: 'Residents affected', legalSource: '', required: 'always' },
    { id: 'contact-point', label: 'Contact point', legalSource: '', required: 'always' },
    { id: 'resident-notice-copy', label: 'A copy of the notice to residents', legalSource: '', required: 'always' },
  ],
  [CRA_KIND]: [
    { id: 'statute-item-1', label: 'Timing, distribution and content of the notices to residents', legalSource: '', required: 'always' },
    { id: 'residents-affected', label: 'Approximate number of residents notified', legalSource: '', required: 'always' },
    { id: 'contact-point', label: 'Contact point', legalSource: '', required: 'always' },
  ],
};

/**
 * A data owner's notice: the statute names no contents beyond the breach itself, so what the owner needs to meet
 * its own obligations, for its data only (facts.controllers: its people, records and categories).
 */
function dataOwnerElements(pack: RulePack, obligation: Obligation): ReportElement[] {
  const citation = `${cite(pack, obligation)}${obligation.triggerWords ? `: "${obligation.triggerWords}"` : ''}${confidenceWords(pack)}`;
  const helps = `not from the statute: what the owner needs to notify its own residents (${pack.legalSource})${confidenceWords(pack)}`;
  return [
    { id: 'organisation', label: 'Who is notifying you (we hold your data)', legalSource: citation, required: 'always' },
    { id: 'nature', label: 'The breach', legalSource: citation, required: 'always' },
    { id: 'discovered-at', label: 'When we discovered it', legalSource: citation, required: 'always' },
    { id: 'data-categories', label: 'Your data involved', legalSource: helps, required: 'always' },
    { id: 'approx-people', label: 'Your people affected', legalSource: helps, required: 'always' },
    { id: 'measures-taken', label: 'What we have done', legalSource: helps, required: 'always' },
    { id: 'contact-point', label: 'Our contact point', legalSource: helps, required: 'always' },
  ];
}

/**
 * The pack a report notice is drafted with: the generic pack of its kind made specific to the obligation it
 * answers (its items, citation, channel, recipient). A notice that names no obligation gets the generic pack.
 */
export function reportPack(generic: NoticePack, obligation: string | undefined): NoticePack {
  const target = reportTarget(obligation);
  const found = target ? ruleObligation(target) : undefined;
  if (!target || !found) return generic;
  const { pack, obligation: ob } = found;
  const kind = generic.kind;
  const { elements, fromStatute } = kind === DATA_OWNER_KIND ? { elements: dataOwnerElements(pack, ob), fromStatute: true } : statuteElements(pack, ob, FALLBACK[kind] ?? FALLBACK[REGULATOR_KIND]!);
  const intro = [
    kind === DATA_OWNER_KIND ? 'To: the owner or licensee of the data' : `To: ${ob.recipient}`,
    `Answers: ${ob.label} (${pack.id}/${ob.id}; ${cite(pack, ob)}).`,
    ...(kind === CRA_KIND ? CREDIT_REPORTING_AGENCIES.agencies.map((a) => `${a.name}: ${a.phone}, ${a.address}, ${a.website}`) : []),
    ...(kind === DATA_OWNER_KIND ? [] : [channelWords(ob)]),
    ...(fromStatute ? [] : ['The statute lists no contents in the research; check the recipient\'s form. Below is a minimal report, not from the statute.']),
  ];
  const title = kind === DATA_OWNER_KIND ? 'Notice of a security breach of data we hold for you' : kind === CRA_KIND ? 'Notice to the nationwide consumer reporting agencies' : `Data breach report to ${ob.recipient}`;
  const sourceNote = [
    `the statute's items from the research record (${pack.id}, confidence ${pack.confidence}${ob.contentsNote ? `; ${ob.contentsNote}` : ''})`,
    ...(kind === CRA_KIND ? [`the agencies' contacts: ${CREDIT_REPORTING_AGENCIES.confidence}, checked ${CREDIT_REPORTING_AGENCIES.checked}`] : []),
  ].join('; ');
  return {
    ...generic,
    name: `${generic.name}: ${pack.name}, ${ob.recipient}`,
    legalSource: `${cite(pack, ob)}`,
    obligation: `${pack.id}:${ob.id}`,
    checked: pack.checkedOn,
    sourceNote,
    elements,
    templates: { en: reportTemplates(title, intro, elements) },
  };
}
