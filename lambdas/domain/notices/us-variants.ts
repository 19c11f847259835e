import { DomainValidationError } from '../errors.js';
import type { RegimeClock } from '../regimes/engine.js';
import type { IncidentFacts } from '../regimes/facts.js';
import { RULE_PACKS } from '../regimes/packs/index.js';
import type { ElementId, NoticePack } from './notice-pack.js';
import { stateSource, usResident, US_RESIDENT_KIND, US_STATES_REGIME } from './packs/us-resident.js';
import { usResidentData } from './packs/us-resident.data.js';

/** Codes whose residents get a hand-written notice pack instead of a US resident variant. */
export const OWN_RESIDENT_PACKS: Readonly<Record<string, string>> = { 'US-CA': 'california-resident' };

const OBLIGATION = 'resident-notice';
const PREFIX = `${OBLIGATION}:`;

/** What one state asks of its residents' notice: the elements it requires and those it forbids. */
function requires(code: string): ElementId[] {
  return Object.entries(usResidentData.required).filter(([, states]) => states.some((s) => s.code === code)).map(([id]) => id as ElementId);
}
function forbids(code: string): ElementId[] {
  return Object.entries(usResidentData.forbidden).filter(([, states]) => states.some((s) => s.code === code)).map(([id]) => id as ElementId);
}

/** A state's conflicts with a set of states: what it forbids that they require, and what they forbid that it requires. */
function conflicts(code: string, with_: readonly string[]): { id: ElementId; forbiddenBy: string; requiredBy: string }[] {
  const out: { id: ElementId; forbiddenBy: string; requiredBy: string }[] = [];
  for (const other of with_) {
    for (const id of forbids(code)) if (requires(other).includes(id)) out.push({ id, forbiddenBy: code, requiredBy: other });
    for (const id of forbids(other)) if (requires(code).includes(id)) out.push({ id, forbiddenBy: other, requiredBy: code });
  }
  return out;
}

export interface UsResidentVariant {
  /** The obligation the notice records (`resident-notice:US-FL,US-MA,US-TX`): its id, and what a draft names. */
  readonly obligation: string;
  readonly states: readonly string[];
  /** The elements the variant's notice requires (some only when their data was exposed) and those it must not carry. */
  readonly requires: readonly ElementId[];
  readonly omits: readonly { readonly id: ElementId; readonly forbiddenBy: readonly string[] }[];
  /** Why these states share this notice (and why not the others'). */
  readonly why: string;
}

export interface UsResidentGrouping {
  readonly variants: readonly UsResidentVariant[];
  /** States with a hand-written pack of their own (California), drafted with that pack. */
  readonly ownPacks: readonly { readonly code: string; readonly kind: string }[];
  /** US codes with no research record (no resident notice pack). */
  readonly notCovered: readonly string[];
}

export const variantObligation = (states: readonly string[]): string => `${PREFIX}${[...states].sort().join(',')}`;

/** The states a US resident notice covers (from its obligation), or undefined for any other notice. */
export function variantStates(obligation: string | undefined): string[] | undefined {
  return obligation?.startsWith(PREFIX) ? obligation.slice(PREFIX.length).split(',') : undefined;
}

function describe(states: readonly string[], others: readonly string[]): UsResidentVariant {
  const req = [...new Set(states.flatMap(requires))];
  const omitted = new Map<ElementId, string[]>();
  for (const code of states) for (const id of forbids(code)) omitted.set(id, [...(omitted.get(id) ?? []), code]);
  const parts: string[] = [];
  if (!omitted.size) parts.push('No covered state forbids any content: the notice carries every element any of them requires');
  for (const [id, by] of omitted) {
    const apart = others.filter((o) => requires(o).includes(id));
    parts.push(`${by.join(', ')} forbid${by.length === 1 ? 's' : ''} \`${id}\` (${by.map((c) => usResidentData.forbidden[id]!.find((s) => s.code === c)!.citation).join('; ')}): this notice does not carry it${apart.length ? `, so ${apart.join(', ')}, which require${apart.length === 1 ? 's' : ''} it, get${apart.length === 1 ? 's' : ''} another variant` : '; no other covered state requires it'}`);
  }
  const silent = states.filter((c) => !requires(c).length);
  if (silent.length) parts.push(`${silent.join(', ')} list${silent.length === 1 ? 's' : ''} no contents in the research`);
  return { obligation: variantObligation(states), states: [...states].sort(), requires: ORDER_OF(req), omits: [...omitted].map(([id, forbiddenBy]) => ({ id, forbiddenBy })), why: `${parts.join('. ')}.` };
}

/** In the order the notice shows them. */
const ORDER_OF = (ids: readonly ElementId[]): ElementId[] => usResident.elements.map((e) => e.id).filter((id) => ids.includes(id));

/**
 * Groups an incident's US jurisdictions into the fewest resident-notice variants whose contents agree: no state of
 * a variant forbids what another of it requires. Pure. The states that forbid nothing share one variant (their
 * requirements never conflict); each state that forbids something joins the first variant none of whose states
 * it conflicts with, else starts its own. With today's research (two forbidding states, Massachusetts and
 * Illinois, which do not conflict with each other) that is the fewest possible: one variant when no covered
 * state requires what they forbid, else two. California is drafted with its own pack; a code without research
 * has no variant.
 */
export function groupUsResidentVariants(codes: readonly string[]): UsResidentGrouping {
  const us = [...new Set(codes.filter((c) => c.startsWith('US-')))].sort();
  const ownPacks = us.filter((c) => OWN_RESIDENT_PACKS[c]).map((code) => ({ code, kind: OWN_RESIDENT_PACKS[code]! }));
  const known = new Set(usResidentData.states.map((s) => s.code));
  const notCovered = us.filter((c) => !OWN_RESIDENT_PACKS[c] && !known.has(c));
  const covered = us.filter((c) => known.has(c));
  const groups: string[][] = [];
  const plain = covered.filter((c) => !forbids(c).length);
  if (plain.length) groups.push(plain);
  for (const code of covered.filter((c) => forbids(c).length)) {
    const group = groups.find((g) => !conflicts(code, g).length);
    if (group) group.push(code);
    else groups.push([code]);
  }
  return { variants: groups.map((g) => describe(g, covered.filter((c) => !g.includes(c)))), ownPacks, notCovered };
}

/** Why these states cannot share one notice (empty: they can). */
export function variantConflicts(states: readonly string[]): string[] {
  return states.flatMap((code, i) => conflicts(code, states.slice(i + 1))).map((c) => `${c.forbiddenBy} forbids \`${c.id}\`, which ${c.requiredBy} requires`);
}

/** Whether the research has a resident notice record for this code (California excepted: its own pack). */
export const hasUsResidentRecord = (code: string): boolean => usResidentData.states.some((s) => s.code === code);

/**
 * The US resident pack for one variant: the elements its states require (the states resolved, each source naming
 * those states with the research's words), without what any of them forbids; the rest of the union is left out.
 */
export function usResidentVariantPack(pack: NoticePack, states: readonly string[]): NoticePack {
  if (!pack.elements.some((e) => e.when?.jurisdictionsAny)) return pack; // already a variant's
  const forbidden = new Set(states.flatMap(forbids));
  const names = states.map((c) => usResidentData.states.find((s) => s.code === c)?.name ?? c).join(', ');
  const elements = pack.elements.flatMap((element): NoticePack['elements'] => {
    if (forbidden.has(element.id)) return [];
    if (element.id === 'organisation') {
      // Always carried (the sender); its source names only the covered states that list it.
      const listed = (usResidentData.required.organisation ?? []).filter((s) => states.includes(s.code));
      return [{ ...element, legalSource: `the sender of the notice (organisation profile)${listed.length ? `; a listed item of ${listed.map((s) => stateSource(s)).join(', ')}` : ''}` }];
    }
    if (element.required !== 'when' || !element.when?.jurisdictionsAny) return [element];
    const by = (usResidentData.required[element.id] ?? []).filter((s) => states.includes(s.code));
    if (!by.length) return [];
    const { jurisdictionsAny: _, ...facts } = element.when;
    const legalSource = by.map((s) => stateSource(s, true)).join('; ');
    return [Object.keys(facts).length ? { ...element, legalSource, required: 'when', when: facts } : { id: element.id, label: element.label, legalSource, required: 'always' }];
  });
  const emailOtherwise = states.flatMap((c) => pack.emailByRegion?.[c] ?? []);
  return { ...pack, name: `${pack.name}: ${names}`, ...(pack.emailByRegion ? { emailOtherwise } : {}), legalSource: states.map((c) => usResidentData.states.find((s) => s.code === c)?.law ?? c).join('; '), elements };
}

/** The pack a notice is drafted with: a US resident notice's variant, else the pack itself. */
export function packForNotice(pack: NoticePack, obligation: string | undefined): NoticePack {
  const states = pack.regime === US_STATES_REGIME ? variantStates(obligation) : undefined;
  return states ? usResidentVariantPack(pack, states) : pack;
}

/** The rule pack (regime id) of each code's own resident notice clock. */
function residentRegimes(states: readonly string[]): Set<string> {
  return new Set(RULE_PACKS.filter((p) => p.appliesWhen.anyJurisdiction?.some((c) => states.includes(c)) && p.obligations.some((o) => o.id === OBLIGATION)).map((p) => p.id));
}

/**
 * The clocks a variant's notice answers: the `resident-notice` clock of each state it covers whose law applies,
 * earliest due first (a clock with no fixed deadline last). Its submission is recorded against every one of them.
 */
export function variantClocks(clocks: readonly RegimeClock[], obligation: string | undefined): RegimeClock[] {
  const states = variantStates(obligation);
  if (!states) return [];
  const regimes = residentRegimes(states);
  const own = clocks.filter((c) => regimes.has(c.regime) && c.obligation === OBLIGATION);
  return [...own].sort((a, b) => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff'));
}

/** The clock a variant's notice is drafted against: the earliest of {@link variantClocks} (undefined when none applies). */
export function variantClock(clocks: readonly RegimeClock[], obligation: string | undefined): RegimeClock | undefined {
  return variantClocks(clocks, obligation)[0];
}

/**
 * Checks the states a new US resident notice covers (400 on `states`): US codes of the incident's recorded
 * jurisdictions with a research record, not California (its own pack), that can share one notice. Answers its obligation.
 */
export function checkVariantStates(states: readonly string[] | undefined, facts: IncidentFacts | undefined): string {
  const grouping = groupUsResidentVariants((facts?.jurisdictions ?? []).map((j) => j.code));
  const offered = grouping.variants.map((v) => v.states.join(','));
  if (!states?.length) throw new DomainValidationError('states', `Name the states this resident notice covers, one variant of the incident's: ${offered.map((v) => `[${v}]`).join(' ') || 'none (record facts.jurisdictions with US states)'}`);
  const recorded = new Set((facts?.jurisdictions ?? []).map((j) => j.code as string));
  for (const code of states) {
    if (OWN_RESIDENT_PACKS[code]) throw new DomainValidationError('states', `${code} residents get the ${OWN_RESIDENT_PACKS[code]} notice`);
    if (!hasUsResidentRecord(code)) throw new DomainValidationError('states', `${code} has no US resident notice research`);
    if (!recorded.has(code)) throw new DomainValidationError('states', `${code} is not among the incident's recorded jurisdictions`);
  }
  const conflicting = variantConflicts(states);
  if (conflicting.length) throw new DomainValidationError('states', `These states cannot share one notice: ${conflicting.join('; ')}`);
  return variantObligation(states);
}

/** Refuses an officer's field for an element a covered state forbids (400 on `fields.<id>`). */
export function checkForbiddenFields(obligation: string | undefined, fields: Readonly<Record<string, unknown>>): void {
  const states = variantStates(obligation);
  if (!states) return;
  for (const id of Object.keys(fields)) {
    const by = (usResidentData.forbidden[id] ?? []).filter((s) => states.includes(s.code));
    if (by.length) throw new DomainValidationError(`fields.${id}`, `A notice to residents of ${by.map((s) => s.code).join(', ')} must not carry \`${id}\` (${by.map((s) => `${s.citation}: "${s.words}"`).join('; ')})`);
  }
}

export { US_RESIDENT_KIND, US_STATES_REGIME };
