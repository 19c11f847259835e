import * as z from '../zod-mini.js';
import { once } from '../once.js';

/**
 * Where affected people live: ISO 3166-1 countries, and ISO 3166-2 subdivisions that have their own breach law
 * (every US state, DC, Puerto Rico, Guam, the US Virgin Islands; Alberta and Quebec). EU stands for the EU/EEA
 * (one-stop shop, lead authority), UK for the United Kingdom; US is "somewhere in the US, state not recorded".
 * Stored incidents carry these codes: add, never rename or remove.
 */
export const JURISDICTIONS = [
  'EU', 'UK', 'US', 'BR', 'SG', 'IN', 'AU', 'CH', 'OTHER',
  'US-AL', 'US-AK', 'US-AZ', 'US-AR', 'US-CA', 'US-CO', 'US-CT', 'US-DE', 'US-FL', 'US-GA', 'US-HI', 'US-ID', 'US-IL', 'US-IN', 'US-IA',
  'US-KS', 'US-KY', 'US-LA', 'US-ME', 'US-MD', 'US-MA', 'US-MI', 'US-MN', 'US-MS', 'US-MO', 'US-MT', 'US-NE', 'US-NV', 'US-NH', 'US-NJ',
  'US-NM', 'US-NY', 'US-NC', 'US-ND', 'US-OH', 'US-OK', 'US-OR', 'US-PA', 'US-RI', 'US-SC', 'US-SD', 'US-TN', 'US-TX', 'US-UT', 'US-VT',
  'US-VA', 'US-WA', 'US-WV', 'US-WI', 'US-WY', 'US-DC', 'US-PR', 'US-GU', 'US-VI',
  'CA-AB', 'CA-QC',
  'KR', 'JP', 'CN', 'TH', 'PH', 'SA', 'CA', 'NZ', 'ZA',
] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const DATA_CATEGORIES = [
  'contact',
  'identity',
  'credentials',
  'payment',
  'financial',
  'health',
  'special-category',
  'criminal',
  'location',
  'government-id',
  'usage',
  'biometric',
  'other',
] as const;

export const PEOPLE_CATEGORIES = ['customers', 'children', 'staff', 'patients', 'partners', 'other'] as const;

/**
 * Facts a responder or DPO records about an incident (POST /api/incidents/{id}/actions, "record-facts"). Built on
 * first use (ADR 0018): only the API's contracts and the CLI parse facts, and building the schema (its timestamps'
 * patterns, the jurisdictions' enum) at the import of every function that computes clocks cost a cold start.
 */
export const incidentFactsSchema = once(() => {
  const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' });
  return z.strictObject({
    jurisdictions: z.optional(z.array(z.strictObject({ code: z.enum(JURISDICTIONS), affected: z.number().check(z.int(), z.gte(0)), lead: z.optional(z.boolean()) })).check(z.maxLength(80))),
    dataCategories: z.optional(z.array(z.enum(DATA_CATEGORIES)).check(z.maxLength(20))),
    peopleCategories: z.optional(z.array(z.enum(PEOPLE_CATEGORIES)).check(z.maxLength(10))),
    role: z.optional(z.enum(['controller', 'processor', 'joint-controller'])),
    /** As processor: the controllers to inform and their contractual deadline (hours), if any. */
    controllers: z.optional(z.array(z.strictObject({
      name: z.string().check(z.minLength(1), z.maxLength(200)),
      contractualHours: z.optional(z.number().check(z.positive(), z.lte(720))),
      informedAt: z.optional(instant),
      /** This controller's own share (Art. 33(2), 28(3)(f)): its notice states these, never the incident's totals. */
      affected: z.optional(z.number().check(z.int(), z.gte(0))),
      records: z.optional(z.number().check(z.int(), z.gte(0))),
      dataCategories: z.optional(z.array(z.enum(DATA_CATEGORIES)).check(z.maxLength(20))),
      peopleCategories: z.optional(z.array(z.enum(PEOPLE_CATEGORIES)).check(z.maxLength(10))),
    })).check(z.maxLength(50))),
    sectors: z.optional(z.strictObject({
      nis2: z.optional(z.enum(['essential', 'important'])),
      doraFinancialEntity: z.optional(z.boolean()),
      hipaaCoveredEntity: z.optional(z.boolean()),
      /** A HIPAA business associate of a covered entity (45 CFR 160.103): it tells the covered entity (164.410). */
      hipaaBusinessAssociate: z.optional(z.boolean()),
      secRegistrant: z.optional(z.boolean()),
      /** A DFS-regulated covered entity (23 NYCRR 500). */
      nydfsCovered: z.optional(z.boolean()),
    })),
    encryption: z.optional(z.strictObject({ encrypted: z.boolean(), keyCompromised: z.boolean() })),
    /** We (not a vendor or another party) were the source of the breach: California's identity-theft services offer, 1798.82(d)(2)(G). */
    weWereTheSource: z.optional(z.boolean()),
    /** Notification was delayed as a result of a law-enforcement investigation (California 1798.82(c), (d)(2)(D)). */
    lawEnforcementDelay: z.optional(z.boolean()),
    /** The entity's own IANA zone, for laws that count calendar days without naming a zone (HIPAA). */
    entityTimeZone: z.optional(z.string().check(z.maxLength(64), z.refine((value) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: value });
          return true;
        } catch {
          return false;
        }
      }, 'not an IANA time zone such as America/Chicago'))),
    /** Timestamps some regimes key off (each its own fact). */
    occurredAt: z.optional(instant),
    classifiedAt: z.optional(instant),
    materialityDeterminedAt: z.optional(instant),
    assessedAt: z.optional(instant),
  });
});

export type IncidentFacts = z.infer<ReturnType<typeof incidentFactsSchema>>;

export function affectedIn(facts: IncidentFacts, code: Jurisdiction): number | undefined {
  return facts.jurisdictions?.find((j) => j.code === code)?.affected;
}

/** Facts that are objects of flags: recording one flag keeps the others (deep merge). */
const NESTED = ['sectors', 'encryption'] as const;

/** Every fact path that may be removed with record-facts' `remove` (a top-level fact, or one nested flag). */
export const removableFacts = once((): readonly string[] => [
  ...Object.keys(incidentFactsSchema().shape),
  ...Object.keys(incidentFactsSchema().shape.sectors._zod.def.innerType.shape).map((k) => `sectors.${k}`),
]);

/**
 * record-facts is a documented deep merge: top-level facts replace (a list is replaced whole), the flag
 * objects (sectors, encryption) merge flag by flag, and `remove` deletes named facts afterwards.
 */
export function mergeFacts(current: IncidentFacts | undefined, update: IncidentFacts, remove: readonly string[] = []): IncidentFacts {
  const merged: Record<string, unknown> = { ...current, ...update };
  for (const key of NESTED) {
    if (current?.[key] && update[key]) merged[key] = { ...current[key], ...update[key] };
  }
  for (const path of remove) {
    const [head, tail] = path.split('.') as [string, string | undefined];
    if (!tail) delete merged[head];
    else if (merged[head] && typeof merged[head] === 'object') {
      const { [tail]: _removed, ...rest } = merged[head] as Record<string, unknown>;
      merged[head] = rest;
      if (!Object.keys(rest).length) delete merged[head];
    }
  }
  return merged as IncidentFacts;
}
