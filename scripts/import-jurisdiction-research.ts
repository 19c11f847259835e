// Turns the jurisdiction research (issue 28; format: docs/sources/jurisdictions/FORMAT.md) into rule packs:
//   npx tsx scripts/import-jurisdiction-research.ts /work/research/us-states-1.json /work/research/world.json …
// (or a directory: every *.json in it). It copies each research file to docs/sources/jurisdictions/ (so a
// reviewer can trace every pack to what was read) and writes lambdas/domain/regimes/packs/jurisdictions.data.json,
// then run `npx tsx scripts/regimes-table.ts`. It never invents a deadline: a null deadline or conflicting
// sources give an obligation with no legal deadline (the organisation's target) and the note says why.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_CATEGORIES, JURISDICTIONS, type Jurisdiction } from '../lambdas/domain/regimes/facts.js';
import { JURISDICTION_DETAIL_KEYS, JURISDICTION_DETAILS_FILE } from '../lambdas/domain/regimes/packs/jurisdictions-details-file.js';
import { parseRulePacks, type RulePackConfig, type Trigger } from '../lambdas/domain/regimes/rule-pack.js';
import { usResidentData, usResidentDataModule } from './us-resident-contents.js';

type Deadline =
  | { kind: 'days'; days: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'without-unreasonable-delay' }
  | { kind: 'before-residents' }
  | { kind: 'same-time-as-residents' }
  | { kind: 'after-residents-within-days'; days: number };

interface ResearchRecord {
  code: string;
  name: string;
  law: string;
  citation: string;
  sourceUrls?: string[];
  checkedOn: string;
  confidence: 'primary' | 'secondary' | 'conflicting';
  lastAmended?: string | null;
  personalInformation?: { categories?: string[] | null; wording?: string | null; encryptionSafeHarbour?: boolean | null; keyCondition?: string | null; citation?: string | null } | null;
  riskOfHarmException?: { wording?: string | null; documentation?: string | null; citation?: string | null } | null;
  residentNotice?: { deadline?: Deadline | null; dayKind?: 'calendar' | 'business' | null; triggerWords?: string | null; trigger?: string | null; citation?: string | null } | null;
  otherRecipients?: {
    recipient: string;
    kind?: string | null;
    threshold?: { op: 'more-than' | 'at-least'; count: number } | null;
    deadline?: Deadline | null;
    triggerWords?: string | null;
    channel?: { kind?: string | null; value?: string | null } | null;
    contents?: string | null;
    citation?: string | null;
  }[];
  dataOwnerNotice?: { deadline?: Deadline | null; triggerWords?: string | null; citation?: string | null } | null;
  notes?: string | null;
}

/** Codes with a hand-written pack (their tests and notice packs): the research is kept as a source, not imported. */
export const HAND_WRITTEN: Readonly<Record<string, string>> = {
  'US-CA': 'california-1798-82',
  'US-NY': 'new-york-899-aa',
  SG: 'singapore-pdpa-26d',
  IN: 'india-dpdp',
  AU: 'australia-ndb',
  BR: 'lgpd-art48',
};

/**
 * The IANA zone(s) a jurisdiction's days are counted in: its main zone, or every zone of one that spans
 * several (the earliest deadline of them wins).
 */
export const ZONES: Readonly<Record<string, string | string[]>> = {
  'US-AL': 'America/Chicago', 'US-AK': ['America/Anchorage', 'America/Adak'], 'US-AZ': 'America/Phoenix', 'US-AR': 'America/Chicago',
  'US-CA': 'America/Los_Angeles', 'US-CO': 'America/Denver', 'US-CT': 'America/New_York', 'US-DE': 'America/New_York',
  'US-FL': ['America/New_York', 'America/Chicago'], 'US-GA': 'America/New_York', 'US-HI': 'Pacific/Honolulu',
  'US-ID': ['America/Boise', 'America/Los_Angeles'], 'US-IL': 'America/Chicago', 'US-IN': ['America/Indiana/Indianapolis', 'America/Chicago'],
  'US-IA': 'America/Chicago', 'US-KS': ['America/Chicago', 'America/Denver'], 'US-KY': ['America/New_York', 'America/Chicago'],
  'US-LA': 'America/Chicago', 'US-ME': 'America/New_York', 'US-MD': 'America/New_York', 'US-MA': 'America/New_York',
  'US-MI': ['America/Detroit', 'America/Menominee'], 'US-MN': 'America/Chicago', 'US-MS': 'America/Chicago', 'US-MO': 'America/Chicago',
  'US-MT': 'America/Denver', 'US-NE': ['America/Chicago', 'America/Denver'], 'US-NV': 'America/Los_Angeles', 'US-NH': 'America/New_York',
  'US-NJ': 'America/New_York', 'US-NM': 'America/Denver', 'US-NY': 'America/New_York', 'US-NC': 'America/New_York',
  'US-ND': ['America/Chicago', 'America/Denver'], 'US-OH': 'America/New_York', 'US-OK': 'America/Chicago',
  'US-OR': ['America/Los_Angeles', 'America/Boise'], 'US-PA': 'America/New_York', 'US-RI': 'America/New_York', 'US-SC': 'America/New_York',
  'US-SD': ['America/Chicago', 'America/Denver'], 'US-TN': ['America/Chicago', 'America/New_York'], 'US-TX': ['America/Chicago', 'America/Denver'],
  'US-UT': 'America/Denver', 'US-VT': 'America/New_York', 'US-VA': 'America/New_York', 'US-WA': 'America/Los_Angeles',
  'US-WV': 'America/New_York', 'US-WI': 'America/Chicago', 'US-WY': 'America/Denver', 'US-DC': 'America/New_York',
  'US-PR': 'America/Puerto_Rico', 'US-GU': 'Pacific/Guam', 'US-VI': 'America/St_Thomas',
  'CA-AB': 'America/Edmonton', 'CA-QC': 'America/Toronto',
  KR: 'Asia/Seoul', JP: 'Asia/Tokyo', CN: 'Asia/Shanghai', TH: 'Asia/Bangkok', PH: 'Asia/Manila', SA: 'Asia/Riyadh',
  CA: ['America/St_Johns', 'America/Halifax', 'America/Toronto', 'America/Winnipeg', 'America/Edmonton', 'America/Vancouver'],
  CH: 'Europe/Zurich', NZ: 'Pacific/Auckland', ZA: 'Africa/Johannesburg',
};

/** The research's trigger words → the fact breachclock counts from (rule-pack.ts TRIGGERS). */
const TRIGGER: Readonly<Record<string, Trigger>> = { discovery: 'detectedAt', 'vendor-notice': 'detectedAt', determination: 'assessedAt' };

const PROMPT: Readonly<Record<string, string>> = { 'without-unreasonable-delay': 'without unreasonable delay' };

/** Splits a text at this separator where it is not inside parentheses or brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length >= 2);
}

/**
 * A research record's contents as items, in its words (issue 28.5): split at semicolons, and an item of at least
 * four comma-separated parts at its commas ("timing, distribution and content of the notices" stays one item). A
 * lead-in ("AG form fields: …") and a closing remark on a comma list ("… (general knowledge; not read)") become the
 * note. Never reworded.
 */
export function contentItems(contents: string): { items: string[]; note?: string } {
  let text = contents.trim();
  const notes: string[] = [];
  const lead = /^([^:;]{3,40}):\s+/.exec(text);
  if (lead && lead[1]!.split('(').length === lead[1]!.split(')').length) {
    notes.push(lead[1]!);
    text = text.slice(lead[0].length);
  }
  const items = splitTopLevel(text, ';').flatMap((item) => {
    if (splitTopLevel(item, ',').length < 4) return [item];
    const closing = /\s*\(([^()]*)\)$/.exec(item);
    if (closing) notes.push(closing[1]!);
    return splitTopLevel(closing ? item.slice(0, closing.index) : item, ',').map((part) => part.replace(/^and\s+/, ''));
  });
  return { items, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const short = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface Imported {
  readonly packs: RulePackConfig[];
  readonly report: string[];
}

export function packsFromResearch(records: readonly ResearchRecord[], sourceFile: (code: string) => string): Imported {
  const report: string[] = [];
  const packs: RulePackConfig[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (!(JURISDICTIONS as readonly string[]).includes(r.code)) {
      report.push(`${r.code}: not a known jurisdiction code, skipped`);
      continue;
    }
    if (seen.has(r.code)) {
      report.push(`${r.code}: researched twice, the first record kept`);
      continue;
    }
    seen.add(r.code);
    if (HAND_WRITTEN[r.code]) {
      const researched = [
        `residents ${JSON.stringify(r.residentNotice?.deadline ?? null)} from ${r.residentNotice?.trigger ?? '?'}`,
        ...(r.otherRecipients ?? []).map((o) => `${o.recipient}: ${o.threshold ? `${o.threshold.op} ${o.threshold.count}, ` : ''}${JSON.stringify(o.deadline ?? null)}`),
      ].join('; ');
      report.push(`${r.code}: kept the hand-written pack ${HAND_WRITTEN[r.code]}; compare it with ${sourceFile(r.code)} (${r.confidence}: ${researched})`);
      continue;
    }
    const code = r.code as Jurisdiction;
    const zone = ZONES[code];
    const notes: string[] = [];
    const conflicting = r.confidence === 'conflicting';
    const resident = r.residentNotice ?? undefined;
    const triggerName = resident?.trigger ?? 'discovery';
    const trigger = TRIGGER[triggerName] ?? 'detectedAt';
    if (!TRIGGER[triggerName]) notes.push(`The statute's trigger ("${triggerName}") has no fact of its own: counted from detection (the earliest).`);
    else notes.push(`Trigger "${triggerName}" counted from \`${trigger}\`${trigger === 'assessedAt' ? ' (record the determination as the fact assessedAt)' : ''}.`);

    /** One clock from a research deadline; never an invented number. */
    const clockOf = (deadline: Deadline | null | undefined, dayKind: string | null | undefined, what: string): NonNullable<RulePackConfig['obligations'][number]['clocks'][number]> => {
      if (!deadline) {
        notes.push(`${what}: no deadline found in the research: shown as a target, not a legal deadline.`);
        return { trigger, prompt: 'no deadline found (see notes)' };
      }
      if (conflicting && deadline.kind !== 'without-unreasonable-delay') {
        notes.push(`${what}: sources conflict about the deadline (${JSON.stringify(deadline)} in one reading): shown as a target, not a legal deadline.`);
        return { trigger, prompt: 'sources conflict (see notes)' };
      }
      switch (deadline.kind) {
        case 'without-unreasonable-delay':
          return { trigger, prompt: PROMPT[deadline.kind]! };
        case 'hours':
          return { trigger, deadline: { unit: 'hours', value: deadline.hours } };
        case 'days':
          if (dayKind === 'business' || !zone) {
            notes.push(`${what}: ${deadline.days} ${dayKind ?? ''} days, but ${!zone ? 'no zone is known for ' + r.code : 'no holiday calendar for this jurisdiction'}: shown as a target.`);
            return { trigger, prompt: `within ${deadline.days} ${dayKind ?? ''} days (see notes)`.replace('  ', ' ') };
          }
          return { trigger, deadline: { unit: 'calendar-days', value: deadline.days, zone } };
        case 'before-residents':
        case 'same-time-as-residents':
          return { notLaterThan: 'resident-notice' };
        case 'after-residents-within-days':
          if (!zone) return { trigger, prompt: `within ${deadline.days} days after the residents (see notes)` };
          return { afterSubmissionOf: 'resident-notice', deadline: { unit: 'calendar-days', value: deadline.days, zone } };
      }
    };

    const country = !r.code.includes('-');
    const people = country ? `affected individuals (${r.name})` : `affected ${r.name} residents`;
    const obligations: RulePackConfig['obligations'] = [
      {
        id: 'resident-notice',
        label: `Notify ${people}`,
        recipient: people,
        roles: ['controller', 'joint-controller'],
        ...(resident?.citation ? { source: resident.citation } : {}),
        ...(resident?.triggerWords ? { triggerWords: short(resident.triggerWords) } : {}),
        clocks: [clockOf(resident?.deadline, resident?.dayKind, 'Resident notice')],
      },
    ];
    const ids = new Set(['resident-notice']);
    for (const other of r.otherRecipients ?? []) {
      const base = /attorney general/i.test(other.recipient) ? 'attorney-general' : other.kind === 'consumer-reporting-agencies' ? 'consumer-reporting-agencies' : slug(other.recipient).split('-').slice(0, 4).join('-') || 'other';
      let id = base;
      for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
      ids.add(id);
      const threshold = other.threshold
        ? other.threshold.op === 'at-least'
          ? { whenAffectedAtLeast: { jurisdiction: code, count: other.threshold.count } }
          : { whenAffectedAbove: { jurisdiction: code, count: other.threshold.count } }
        : {};
      const channelKind = (['form', 'portal', 'email', 'mail'] as const).find((k) => k === other.channel?.kind);
      const channel = channelKind ? { channel: { kind: channelKind, ...(other.channel?.value ? { value: other.channel.value } : {}) } } : {};
      obligations.push({
        id,
        label: `Notify ${other.recipient}${other.threshold ? ` (${other.threshold.op === 'at-least' ? `${other.threshold.count} or more` : `more than ${other.threshold.count}`} residents)` : ''}`,
        recipient: other.recipient,
        roles: ['controller', 'joint-controller'],
        ...(other.citation ? { source: other.citation } : {}),
        ...(other.triggerWords ? { triggerWords: short(other.triggerWords) } : {}),
        ...channel,
        ...(other.contents ? { contents: contentItems(other.contents).items } : {}),
        ...(other.contents && contentItems(other.contents).note ? { contentsNote: contentItems(other.contents).note } : {}),
        ...threshold,
        clocks: [clockOf(other.deadline, 'calendar', other.recipient)],
      });
    }
    if (r.dataOwnerNotice) {
      obligations.push({
        id: 'data-owner-notice',
        label: 'Notify the owner or licensee of the data (we hold it for them)',
        recipient: 'the data owner or licensee',
        roles: ['processor'],
        ...(r.dataOwnerNotice.citation ? { source: r.dataOwnerNotice.citation } : {}),
        ...(r.dataOwnerNotice.triggerWords ? { triggerWords: short(r.dataOwnerNotice.triggerWords) } : {}),
        clocks: [clockOf(r.dataOwnerNotice.deadline, 'calendar', 'Data owner notice')],
      });
    }
    const categories = (r.personalInformation?.categories ?? []).filter((c): c is (typeof DATA_CATEGORIES)[number] => (DATA_CATEGORIES as readonly string[]).includes(c));
    const unknown = (r.personalInformation?.categories ?? []).filter((c) => !(DATA_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length) report.push(`${r.code}: unknown data categories ${unknown.join(', ')} ignored`);
    const pi = r.personalInformation;
    const risk = r.riskOfHarmException;
    const confidenceNote =
      r.confidence === 'primary'
        ? undefined
        : r.confidence === 'secondary'
          ? `Only secondary sources were read for part of this pack (${sourceFile(r.code)}).`
          : `Sources disagree: deadlines in doubt are targets, not legal deadlines (${sourceFile(r.code)}).`;
    packs.push({
      id: `${slug(r.code)}-breach`,
      version: r.checkedOn.slice(0, 7),
      name: `${r.name}: ${r.law}`,
      legalSource: r.citation,
      checkedOn: r.checkedOn,
      confidence: r.confidence,
      ...(confidenceNote ? { confidenceNote } : {}),
      appliesWhen: { anyJurisdiction: [code], ...(categories.length ? { dataCategories: categories } : {}) },
      ...(pi?.encryptionSafeHarbour ? { encryptionSafeHarbour: short(`${pi.keyCondition ?? 'encrypted data (key condition not found in the research)'}${pi.citation ? ` (${pi.citation})` : ''}`) } : {}),
      ...(risk?.wording ? { riskOfHarmException: short(`${risk.wording}${risk.citation ? ` (${risk.citation})` : ''}${risk.documentation ? `; documentation: ${risk.documentation}` : ''}`, 500) } : {}),
      obligations,
      assumptions: [...notes, ...(r.notes ? [r.notes] : []), `Researched in ${sourceFile(r.code)}.`],
    });
  }
  return { packs, report };
}

/**
 * The generated module: what decides whether each pack applies (id, name, source, confidence, appliesWhen), as one
 * JSON string given to JSON.parse, not as an object literal (V8 parses JSON faster than the same data written as
 * JavaScript: ADR 0015). The long parts are in jurisdictions.details.json (detailsFile), read on first use
 * (issue 27.3, ADR 0018 session 12).
 */
export function dataModule(packs: readonly Record<string, unknown>[]): string {
  const cores = packs.map((pack) => Object.fromEntries(Object.entries(pack).filter(([key]) => !(JURISDICTION_DETAIL_KEYS as readonly string[]).includes(key))));
  return [
    '// Generated by scripts/import-jurisdiction-research.ts from docs/sources/jurisdictions/*.json: do not edit.',
    '// What decides whether each pack applies, as a JSON string (JSON.parse is faster at a cold start than an object',
    '// literal: ADR 0015); the long parts are in jurisdictions.details.json, read on first use (ADR 0018).',
    `export const jurisdictionCores: unknown = JSON.parse(${JSON.stringify(JSON.stringify(cores))});`,
    '',
  ].join('\n');
}

/** The generated jurisdictions.details.json: each pack's long parts (JURISDICTION_DETAIL_KEYS) by pack id. */
export function detailsFile(packs: readonly Record<string, unknown>[]): string {
  const byId = Object.fromEntries(packs.map((pack) => [pack.id, Object.fromEntries(Object.entries(pack).filter(([key]) => (JURISDICTION_DETAIL_KEYS as readonly string[]).includes(key)))]));
  return `${JSON.stringify(byId)}\n`;
}

/** The imported packs' ids alone: what configuration checks need, without the packs in their bundle (issue 27.3). */
export function idsModule(packs: readonly { id: string }[]): string {
  return [
    '// Generated by scripts/import-jurisdiction-research.ts with jurisdictions.data.ts: do not edit.',
    `export const JURISDICTION_PACK_IDS = ${JSON.stringify(packs.map((p) => p.id))} as const;`,
    '',
  ].join('\n');
}

function researchFiles(args: readonly string[]): string[] {
  return args.flatMap((arg) => (statSync(arg).isDirectory() ? readdirSync(arg).filter((f) => f.endsWith('.json')).sort().map((f) => join(arg, f)) : [arg]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = researchFiles(process.argv.slice(2));
  if (!files.length) {
    console.error('usage: npx tsx scripts/import-jurisdiction-research.ts <research.json | directory> …');
    process.exit(2);
  }
  const sources = new URL('../docs/sources/jurisdictions/', import.meta.url);
  mkdirSync(sources, { recursive: true });
  const records: ResearchRecord[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as ResearchRecord[];
    copyFileSync(file, new URL(basename(file), sources));
    for (const record of parsed) {
      records.push(record);
      if (!fileOf.has(record.code)) fileOf.set(record.code, `docs/sources/jurisdictions/${basename(file)}`);
    }
  }
  const { packs, report } = packsFromResearch(records, (code) => fileOf.get(code) ?? 'docs/sources/jurisdictions');
  parseRulePacks(packs); // throws, naming each problem, before anything is written
  writeFileSync(new URL('../lambdas/domain/regimes/packs/jurisdictions.data.ts', import.meta.url), dataModule(packs));
  writeFileSync(new URL(`../lambdas/domain/regimes/packs/${JURISDICTION_DETAILS_FILE}`, import.meta.url), detailsFile(packs));
  writeFileSync(new URL('../lambdas/domain/regimes/packs/jurisdictions.ids.ts', import.meta.url), idsModule(packs));
  // The US resident notice's contents (issue 28.5): the states' required and forbidden contents, classified.
  writeFileSync(new URL('../lambdas/domain/notices/packs/us-resident.data.ts', import.meta.url), usResidentDataModule(usResidentData(records)));
  for (const line of report) console.log(line);
  console.log(`${packs.length} packs from ${records.length} records in ${files.length} files`);
}
