import * as z from 'zod';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' });

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

/** Facts a responder or DPO records about an incident (POST /api/incidents/{id}/actions, "record-facts"). */
export const incidentFactsSchema = z
  .object({
    jurisdictions: z
      .array(z.object({ code: z.enum(JURISDICTIONS), affected: z.number().int().min(0), lead: z.boolean().optional() }).strict())
      .max(80)
      .optional(),
    dataCategories: z.array(z.enum(DATA_CATEGORIES)).max(20).optional(),
    peopleCategories: z.array(z.enum(PEOPLE_CATEGORIES)).max(10).optional(),
    role: z.enum(['controller', 'processor', 'joint-controller']).optional(),
    /** As processor: the controllers to inform and their contractual deadline (hours), if any. */
    controllers: z
      .array(
        z
          .object({
            name: z.string().min(1).max(200),
            contractualHours: z.number().positive().max(720).optional(),
            informedAt: instant.optional(),
            /** This controller's own share (Art. 33(2), 28(3)(f)): its notice states these, never the incident's totals. */
            affected: z.number().int().min(0).optional(),
            records: z.number().int().min(0).optional(),
            dataCategories: z.array(z.enum(DATA_CATEGORIES)).max(20).optional(),
            peopleCategories: z.array(z.enum(PEOPLE_CATEGORIES)).max(10).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    sectors: z
      .object({
        nis2: z.enum(['essential', 'important']).optional(),
        doraFinancialEntity: z.boolean().optional(),
        hipaaCoveredEntity: z.boolean().optional(),
        /** A HIPAA business associate of a covered entity (45 CFR 160.103): it tells the covered entity (164.410). */
        hipaaBusinessAssociate: z.boolean().optional(),
        secRegistrant: z.boolean().optional(),
        /** A DFS-regulated covered entity (23 NYCRR 500). */
        nydfsCovered: z.boolean().optional(),
      })
      .strict()
      .optional(),
    encryption: z.object({ encrypted: z.boolean(), keyCompromised: z.boolean() }).strict().optional(),
    /** We (not a vendor or another party) were the source of the breach: California's identity-theft services offer, 1798.82(d)(2)(G). */
    weWereTheSource: z.boolean().optional(),
    /** Notification was delayed as a result of a law-enforcement investigation (California 1798.82(c), (d)(2)(D)). */
    lawEnforcementDelay: z.boolean().optional(),
    /** The entity's own IANA zone, for laws that count calendar days without naming a zone (HIPAA). */
    entityTimeZone: z
      .string()
      .max(64)
      .refine((value) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: value });
          return true;
        } catch {
          return false;
        }
      }, 'not an IANA time zone such as America/Chicago')
      .optional(),
    /** Timestamps some regimes key off (each its own fact). */
    occurredAt: instant.optional(),
    classifiedAt: instant.optional(),
    materialityDeterminedAt: instant.optional(),
    assessedAt: instant.optional(),
  })
  .strict();

export type IncidentFacts = z.infer<typeof incidentFactsSchema>;

export function affectedIn(facts: IncidentFacts, code: Jurisdiction): number | undefined {
  return facts.jurisdictions?.find((j) => j.code === code)?.affected;
}

/** Facts that are objects of flags: recording one flag keeps the others (deep merge). */
const NESTED = ['sectors', 'encryption'] as const;

/** Every fact path that may be removed with record-facts' `remove` (a top-level fact, or one nested flag). */
export const REMOVABLE_FACTS: readonly string[] = [
  ...Object.keys(incidentFactsSchema.shape),
  ...Object.keys(incidentFactsSchema.shape.sectors.unwrap().shape).map((k) => `sectors.${k}`),
];

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
