import * as z from './zod-mini.js';
import { once } from './once.js';
import type { IncidentFacts } from './regimes/facts.js';

/**
 * Risk to people, after the EDPB Guidelines 9/2022 factors and ENISA's severity methodology
 * (Recommendations for a methodology of the assessment of severity of personal data breaches, 2013):
 * severity = data-processing context × ease of identification + circumstances of the breach.
 */
export const RISK_LEVELS = ['none', 'risk', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What an assessment weighs; built on first use (ADR 0018): only an assessment parses it. */
export const riskInputSchema = once(() =>
  z.strictObject({
    /** Which of confidentiality, integrity, availability were lost. */
    breachTypes: z.array(z.enum(['confidentiality', 'integrity', 'availability'])).check(z.minLength(1)),
    /** How easily people can be identified from the data (ENISA: negligible .25, limited .5, significant .75, maximum 1). */
    easeOfIdentification: z.enum(['negligible', 'limited', 'significant', 'maximum']),
    /** Was it deliberate (theft, hacking) rather than an accident? */
    malicious: z.boolean(),
    /** Is the data now with an unknown or untrusted party? */
    unknownRecipients: z._default(z.boolean(), true),
    /** Art. 34(3)(b): measures taken since make the high risk no longer likely to materialise. */
    laterMeasuresRemoveHighRisk: z._default(z.boolean(), false),
    /** Art. 34(3)(c): telling each person would involve disproportionate effort (a public communication instead). */
    disproportionateEffort: z._default(z.boolean(), false),
  }),
);

export type RiskInput = z.input<ReturnType<typeof riskInputSchema>>;

/**
 * One line of the score's explanation: what was weighed, what it was, and the points it adds. The points of all
 * lines add up to the severity score (the data context and the ease of identification are multiplied first:
 * ENISA's DPC × EI, one line), so an officer can see where every part of the score comes from.
 */
export interface RiskFactor {
  readonly factor: string;
  readonly detail: string;
  readonly points: number;
}

export interface RiskAssessment {
  readonly level: RiskLevel;
  readonly severityScore: number;
  readonly factors: readonly string[];
  /** The score factor by factor (absent on assessments recorded before it existed). */
  readonly explanation?: readonly RiskFactor[];
  /** Art. 34(3) exemption from telling people, when one applies. */
  readonly art34Exemption?: 'a-unintelligible' | 'b-later-measures' | 'c-disproportionate-effort';
  /** Authorities to be notified (risk or high risk), people to be told (high risk, no exemption a/b). */
  readonly notifyAuthority: boolean;
  readonly notifyPeople: boolean;
  readonly publicCommunication: boolean;
}

const SENSITIVITY: Record<string, number> = {
  'special-category': 4,
  /** Biometric data processed to identify a person is a special category (GDPR Art. 9(1)). */
  biometric: 4,
  health: 4,
  criminal: 4,
  credentials: 3,
  payment: 3,
  financial: 3,
  'government-id': 3,
  location: 2,
  identity: 2,
  contact: 1,
  usage: 1,
  other: 1,
};
const SENSITIVITY_OF = (categories: readonly string[]): number => Math.max(...categories.map((c) => SENSITIVITY[c] ?? 1));
const EASE: Record<RiskInput['easeOfIdentification'], number> = { negligible: 0.25, limited: 0.5, significant: 0.75, maximum: 1 };

/** Pure: facts (data and people categories, numbers, encryption) and the assessor's inputs in, a level out. */
export function assessRisk(facts: IncidentFacts, raw: RiskInput): RiskAssessment {
  const input = riskInputSchema().parse(raw);
  const factors: string[] = [];
  const categories = facts.dataCategories?.length ? facts.dataCategories : ['other'];
  let dpc = SENSITIVITY_OF(categories);
  factors.push(`data: ${categories.join(', ')} (context ${dpc})`);
  const vulnerable = (facts.peopleCategories ?? []).some((p) => p === 'children' || p === 'patients');
  if (vulnerable) {
    dpc = Math.min(4, dpc + 1);
    factors.push('vulnerable people affected (children or patients): context +1');
  }
  const unintelligible = Boolean(facts.encryption?.encrypted && !facts.encryption.keyCompromised);
  const confidentialityOnly = input.breachTypes.every((t) => t === 'confidentiality');
  // EDPB Guidelines 9/2022: encryption with a safe key cures the confidentiality loss only; an integrity or
  // availability loss of the same data is assessed on its own.
  const unintelligibleOnly = unintelligible && confidentialityOnly;
  const ease = unintelligibleOnly ? 0.25 : EASE[input.easeOfIdentification];
  if (unintelligible) {
    factors.push(
      confidentialityOnly
        ? 'data encrypted and key not compromised: unintelligible to others'
        : 'data encrypted and key not compromised, but integrity or availability was also lost: assessed without the encryption relief',
    );
  }
  const explanation: RiskFactor[] = [];
  const base = SENSITIVITY_OF(categories);
  const context = `${categories.join(', ')}: context ${base}${vulnerable ? `, +1 for vulnerable people (children or patients)${base === 4 ? ', at most 4' : ''}` : ''}`;
  explanation.push({
    factor: 'Data context × ease of identification (ENISA DPC × EI)',
    detail: `${context}; identification ${unintelligibleOnly ? `${input.easeOfIdentification}, taken as negligible: encrypted with the key safe` : input.easeOfIdentification} (× ${ease})`,
    points: dpc * ease,
  });
  let circumstances = 0;
  if (input.breachTypes.includes('confidentiality')) {
    const points = unintelligibleOnly ? 0 : input.unknownRecipients ? 0.5 : 0.25;
    circumstances += points;
    explanation.push({ factor: 'Confidentiality lost', detail: unintelligibleOnly ? 'the data is unintelligible (encrypted, key not compromised)' : input.unknownRecipients ? 'the data is with an unknown or untrusted party' : 'the recipients are known and trusted', points });
  }
  if (input.breachTypes.includes('integrity')) {
    circumstances += 0.25;
    explanation.push({ factor: 'Integrity lost', detail: 'data was altered', points: 0.25 });
  }
  if (input.breachTypes.includes('availability')) {
    circumstances += 0.25;
    explanation.push({ factor: 'Availability lost', detail: 'data was lost or out of reach', points: 0.25 });
  }
  if (input.malicious) circumstances += 0.5;
  explanation.push({ factor: 'Intent', detail: input.malicious ? 'deliberate (theft, hacking)' : 'an accident', points: input.malicious ? 0.5 : 0 });
  const total = (facts.jurisdictions ?? []).reduce((sum, j) => sum + j.affected, 0);
  let score = dpc * ease + circumstances;
  // EDPB: the number of people affected raises the impact (tiers are breachclock's, documented in regimes.md).
  const volume = total > 10_000 ? 0.5 : total > 1_000 ? 0.25 : 0;
  factors.push(volume ? `${total} people affected: +${volume}` : `${total} people affected`);
  explanation.push({ factor: 'People affected', detail: `${total} (over 1,000: +0.25; over 10,000: +0.5)`, points: volume });
  score += volume;
  score = Math.round(score * 100) / 100;
  const level: RiskLevel = score < 2 ? 'none' : score < 3 ? 'risk' : 'high';
  factors.push(`severity ${score} (ENISA: < 2 low, 2-3 medium, ≥ 3 high)`);

  let art34Exemption: RiskAssessment['art34Exemption'];
  // (a) is recorded wherever it is the reason people need not be told (a confidentiality-only loss of
  // unintelligible data), whatever the level: the register must show why; (b) and (c) relieve a high risk.
  if (unintelligibleOnly) art34Exemption = 'a-unintelligible';
  else if (level === 'high') {
    if (input.laterMeasuresRemoveHighRisk) art34Exemption = 'b-later-measures';
    else if (input.disproportionateEffort) art34Exemption = 'c-disproportionate-effort';
  }
  return {
    level,
    severityScore: score,
    factors,
    explanation,
    ...(art34Exemption ? { art34Exemption } : {}),
    notifyAuthority: level !== 'none',
    notifyPeople: level === 'high' && art34Exemption === undefined,
    publicCommunication: art34Exemption === 'c-disproportionate-effort',
  };
}
