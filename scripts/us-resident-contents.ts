// The required and forbidden contents of each US state's notice to residents, from the research records
// (docs/sources/jurisdictions/*.json: residentNoticeContents, forbiddenContents), classified into notice
// elements. Run by scripts/import-jurisdiction-research.ts, which writes lambdas/domain/notices/packs/us-resident.data.ts.
//
// The classification is the only thing written here by hand: which notice element(s) each research item asks
// for, in the record's order. Every requirement itself, its words and its citation, comes from the record; an
// item that is not an element (a format rule) is null. When a record gains, loses or reorders items, the import
// stops and names the state, so nothing is classified by position by mistake.
import type { ElementId } from '../lambdas/domain/notices/notice-pack.js';
import type { StateContent, UsResidentData } from '../lambdas/domain/notices/us-resident-data.js';

type Item = readonly ElementId[] | null;

/** Codes whose residents get a hand-written notice pack instead (California: Civ. Code 1798.82(d), its own clock). */
export const OWN_NOTICE_PACK: Readonly<Record<string, string>> = { 'US-CA': 'california-resident' };

/**
 * Conditions over facts that are the element's own, whichever state requires it (the research words them so):
 * the offer of identity theft / credit monitoring services where Social Security or taxpayer numbers were
 * exposed (the `government-id` category: broader than SSN/TIN, so it may ask for the offer more often than the
 * law does, never less), and the direction to change credentials for a breach of online credentials.
 */
export const ELEMENT_CONDITIONS: UsResidentData['conditions'] = {
  'identity-theft-services': { dataCategoriesAny: ['government-id'] },
  'change-credentials': { dataCategoriesAny: ['credentials'] },
};

const E = (...ids: ElementId[]): Item => ids;

/** residentNoticeContents of each record, item by item. */
export const REQUIRED_MAP: Readonly<Record<string, readonly Item[]>> = {
  'US-AL': [E('occurred-at'), E('data-categories'), E('measures-taken'), E('what-to-do'), E('contact-point')],
  'US-AZ': [E('occurred-at'), E('data-categories'), E('credit-agencies'), E('agency-contacts')],
  'US-CO': [E('occurred-at'), E('data-categories'), E('contact-point'), E('credit-agencies'), E('agency-contacts'), E('security-freeze'), E('change-credentials')],
  'US-CT': [E('identity-theft-services')],
  'US-DE': [E('identity-theft-services')],
  'US-DC': [E('data-categories'), E('contact-point'), E('credit-agencies', 'security-freeze'), E('agency-contacts'), E('identity-theft-services')],
  'US-FL': [E('occurred-at'), E('data-categories'), E('contact-point')],
  'US-HI': [E('nature'), E('data-categories'), E('measures-taken'), E('contact-point'), E('what-to-do')],
  'US-IL': [E('credit-agencies'), E('agency-contacts'), E('security-freeze'), E('change-credentials')],
  'US-IA': [E('nature'), E('occurred-at'), E('data-categories'), E('credit-agencies'), E('what-to-do')],
  'US-MD': [E('data-categories'), E('contact-point'), E('credit-agencies'), E('agency-contacts')],
  'US-MA': [E('police-report'), E('security-freeze'), E('security-freeze'), E('security-freeze'), E('parent-company'), E('identity-theft-services')],
  'US-MI': [null, E('nature'), E('data-categories'), E('measures-taken'), E('contact-point'), E('what-to-do')],
  'US-MO': [E('nature'), E('data-categories'), E('contact-point'), E('credit-agencies'), E('what-to-do')],
  'US-NH': [E('nature'), E('occurred-at'), E('data-categories'), E('contact-point')],
  'US-NM': [E('organisation', 'contact-point'), E('data-categories'), E('occurred-at'), E('nature'), E('credit-agencies'), E('what-to-do'), E('fcra-rights')],
  'US-NY': [E('contact-point'), E('agency-contacts'), E('data-categories')],
  'US-NC': [E('nature'), E('data-categories'), E('measures-taken'), E('contact-point'), E('what-to-do'), E('credit-agencies'), E('agency-contacts')],
  'US-OR': [E('nature', 'occurred-at', 'data-categories', 'contact-point', 'credit-agencies', 'what-to-do')],
  'US-RI': [E('nature', 'approx-people'), E('data-categories'), E('occurred-at'), E('discovered-at'), E('credit-agencies', 'agency-contacts'), E('police-report', 'security-freeze')],
  'US-VT': [E('nature', 'data-categories', 'measures-taken', 'toll-free-number', 'what-to-do', 'occurred-at')],
  'US-VA': [E('nature'), E('data-categories'), E('measures-taken'), E('contact-point'), E('what-to-do')],
  'US-WA': [E('organisation', 'contact-point', 'data-categories', 'occurred-at', 'credit-agencies')],
  'US-WV': [E('data-categories'), E('contact-point'), E('credit-agencies', 'security-freeze')],
  'US-WI': [E('nature')],
  'US-WY': [E('toll-free-number'), E('data-categories'), E('nature'), E('occurred-at'), E('measures-taken'), E('what-to-do'), E('law-enforcement-delay')],
  'US-PR': [E('nature'), E('data-categories'), E('toll-free-number', 'contact-point')],
};

/** forbiddenContents of each record, item by item. */
export const FORBIDDEN_MAP: Readonly<Record<string, readonly Item[]>> = {
  'US-MA': [E('nature'), E('approx-people')],
  'US-IL': [E('approx-people')],
};

interface Content {
  readonly element: string;
  readonly citation: string;
}
export interface ContentsRecord {
  readonly code: string;
  readonly name: string;
  readonly citation: string;
  readonly checkedOn: string;
  readonly confidence: string;
  readonly residentNotice?: { readonly citation?: string | null } | null;
  readonly residentNoticeContents?: readonly Content[] | null;
  readonly forbiddenContents?: readonly Content[] | null;
}

function noteOf(record: ContentsRecord, words: string): string | undefined {
  const notes = [record.confidence !== 'primary' ? record.confidence : undefined, /general knowledge; not read|not read\)/i.test(words) ? 'not read' : undefined].filter(Boolean);
  return notes.length ? notes.join(', ') : undefined;
}

function classify(record: ContentsRecord, items: readonly Content[], map: Readonly<Record<string, readonly Item[]>>, what: string, into: Record<string, StateContent[]>, problems: string[]): void {
  const classes = map[record.code] ?? [];
  if (classes.length !== items.length) {
    problems.push(`${record.code}: the research lists ${items.length} ${what} item(s), the classification in scripts/us-resident-contents.ts ${classes.length}: classify them again`);
    return;
  }
  items.forEach((item, i) => {
    const note = noteOf(record, item.element);
    for (const id of classes[i] ?? []) {
      const list = (into[id] ??= []);
      const last = list[list.length - 1];
      // One state, one entry per element: items the classification puts together are joined.
      if (last?.code === record.code) list[list.length - 1] = { ...last, citation: last.citation === item.citation ? last.citation : `${last.citation}; ${item.citation}`, words: `${last.words}; ${item.element}` };
      else list.push({ code: record.code, citation: item.citation, words: item.element, ...(note ? { note } : {}) });
    }
  });
}

/** The data of the US resident notice pack, from the research records (throws, naming each state, when the classification does not fit). */
export function usResidentData(records: readonly ContentsRecord[]): UsResidentData {
  const problems: string[] = [];
  const required: Record<string, StateContent[]> = {};
  const forbidden: Record<string, StateContent[]> = {};
  const states: { code: string; name: string; law: string }[] = [];
  let checkedOn = '';
  for (const record of records) {
    if (!record.code.startsWith('US-') || OWN_NOTICE_PACK[record.code]) continue;
    states.push({ code: record.code, name: record.name, law: record.residentNotice?.citation ? `${record.citation}, ${record.residentNotice.citation}` : record.citation });
    if (record.checkedOn > checkedOn) checkedOn = record.checkedOn;
    classify(record, record.residentNoticeContents ?? [], REQUIRED_MAP, 'required', required, problems);
    classify(record, record.forbiddenContents ?? [], FORBIDDEN_MAP, 'forbidden', forbidden, problems);
  }
  for (const code of [...Object.keys(REQUIRED_MAP), ...Object.keys(FORBIDDEN_MAP)]) if (!states.some((s) => s.code === code)) problems.push(`${code}: classified but no research record`);
  if (problems.length) throw new Error(`US resident notice contents:\n${problems.join('\n')}`);
  return { checkedOn, states, required, forbidden, conditions: ELEMENT_CONDITIONS };
}

export function usResidentDataModule(data: UsResidentData): string {
  return [
    '// Generated by scripts/import-jurisdiction-research.ts (scripts/us-resident-contents.ts) from docs/sources/jurisdictions/*.json: do not edit.',
    "import type { UsResidentData } from '../us-resident-data.js';",
    `export const usResidentData = JSON.parse(${JSON.stringify(JSON.stringify(data))}) as UsResidentData;`,
    '',
  ].join('\n');
}
