import { affected, effectiveFacts, packApplies, thresholdCount } from './engine.js';
import type { IncidentFacts, Jurisdiction } from './facts.js';
import type { RulePack } from './rule-pack.js';

/** One threshold of a law that applies: a recipient owed notice only from a number of people on (issue 28.6). */
export interface ThresholdView {
  readonly regime: string;
  readonly obligation: string;
  readonly label: string;
  readonly recipient: string;
  /** As the statute counts: "more than 1,000", "at least 500", "at most 499". */
  readonly rule: string;
  readonly count: number;
  /** The people the threshold counts (its jurisdiction's; US: every state together). */
  readonly affected: number;
  readonly crossed: boolean;
  /** How far past (crossed) or short of (not crossed) the first count that triggers it: 0 = exactly at it. */
  readonly margin: number;
}

/** Where the affected people live, which laws' clocks run for them, and which thresholds their numbers cross. */
export interface JurisdictionCount {
  readonly code: Jurisdiction;
  readonly affected: number;
  readonly regimes: readonly { readonly regime: string; readonly name: string }[];
  readonly thresholds: readonly ThresholdView[];
}

const number = (n: number) => n.toLocaleString('en-US');

/**
 * Per recorded jurisdiction: its people, the packs that apply because of them, and each threshold of those
 * packs counted in it, crossed or not and by how many. Pure; recorded facts only (no defaults shown as facts:
 * an incident without facts has no rows).
 */
export function jurisdictionCounts(packs: readonly RulePack[], recorded: IncidentFacts | undefined): JurisdictionCount[] {
  if (!recorded?.jurisdictions?.length) return [];
  const facts = effectiveFacts(recorded);
  const applying = packs.filter((pack) => packApplies(pack, facts));
  // US-wide thresholds (HIPAA's 500, counted over every state) get a row of their own when only states are recorded.
  const rows: { code: Jurisdiction; affected: number }[] = recorded.jurisdictions.map(({ code, affected: people }) => ({ code, affected: people }));
  const usWide = applying.some((pack) => pack.obligations.some((o) => [o.whenAffectedAbove, o.whenAffectedAtLeast, o.whenAffectedAtMost].some((t) => t?.jurisdiction === 'US')));
  if (usWide && !rows.some((row) => row.code === 'US') && rows.some((row) => row.code.startsWith('US-'))) rows.push({ code: 'US', affected: affected(facts, 'US') });
  return rows.map(({ code, affected: people }) => {
    const thresholds: ThresholdView[] = [];
    const regimes = applying.filter((pack) => pack.appliesWhen.anyJurisdiction?.includes(code));
    for (const pack of applying) {
      for (const obligation of pack.obligations) {
        if (obligation.roles && !obligation.roles.includes(facts.role ?? 'controller')) continue;
        const rules = [
          [obligation.whenAffectedAbove, 'more than', 1],
          [obligation.whenAffectedAtLeast, 'at least', 0],
          [obligation.whenAffectedAtMost, 'at most', 0],
        ] as const;
        for (const [threshold, words, past] of rules) {
          if (!threshold || threshold.jurisdiction !== code) continue;
          const counted = thresholdCount(facts, threshold);
          const margin = words === 'at most' ? threshold.count - counted : counted - threshold.count - past;
          thresholds.push({ regime: pack.id, obligation: obligation.id, label: obligation.label, recipient: obligation.recipient, rule: `${words} ${number(threshold.count)}${threshold.inAnyOneState ? ' in any one state' : ''}`, count: threshold.count, affected: counted, crossed: margin >= 0, margin });
        }
      }
    }
    return { code, affected: people, regimes: regimes.map((pack) => ({ regime: pack.id, name: pack.name })), thresholds };
  });
}
