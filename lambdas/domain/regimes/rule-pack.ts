import * as z from '../zod-mini.js';
import { ConfigurationError } from '../errors.js';
import { DATA_CATEGORIES, JURISDICTIONS } from './facts.js';
import { KNOWN_CALENDARS } from './deadline-time.js';

/** The facts a deadline can key off. Each regime's clock keys off its own trigger. */
export const TRIGGERS = ['awareAt', 'regimeAwareAt', 'detectedAt', 'classifiedAt', 'materialityDeterminedAt', 'assessedAt'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const zone = z.string().check(
  z.minLength(1),
  z.refine((value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, 'not an IANA time zone'),
);

const deadlineSchema = z.discriminatedUnion('unit', [
  z.strictObject({ unit: z.literal('hours'), value: z.number().check(z.positive()) }),
  /** Several zones: the earliest deadline of them (a law that names no zone, for an entity in several). */
  z.strictObject({ unit: z.literal('calendar-days'), value: z.number().check(z.int(), z.positive()), zone: z.union([zone, z.array(zone).check(z.minLength(1))]) }),
  z.strictObject({
    unit: z.literal('business-days'),
    value: z.number().check(z.int(), z.positive()),
    zone,
    calendar: z.string(),
    /** The filing cutoff on the last day ("HH:MM", e.g. EDGAR: after 17:30 a filing counts as filed the next business day). */
    cutoff: z.optional(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'))),
  }),
  z.strictObject({ unit: z.literal('months'), value: z.number().check(z.int(), z.positive()), zone }),
]);

const obligationId = z.string().check(z.regex(/^[a-z0-9-]+$/));

const clockSchema = z
  .strictObject({
    /** The fact the count starts from … */
    trigger: z.optional(z.enum(TRIGGERS)),
    /**
     * … or the recorded submission of an earlier report of the same pack (NIS2 final report: one month after
     * the incident notification was submitted). Until it is submitted, the count runs provisionally from
     * that report's due time.
     */
    afterSubmissionOf: z.optional(obligationId),
    /**
     * … or no later than another obligation of the pack ("before the residents", "at the same time as the
     * residents"): due at that obligation's recorded submission, else at its due time (provisionally). No deadline
     * of its own; a target when that obligation's due time is a target.
     */
    notLaterThan: z.optional(obligationId),
    /** Hours between the trigger and the start of the count. */
    afterHours: z.optional(z.number().check(z.gte(0))),
    /** Count calendar days in the entity's own zone (fact entityTimeZone) when it is recorded. */
    entityZone: z.optional(z.boolean()),
    deadline: z.optional(deadlineSchema),
    /**
     * No fixed due time in law, in the statute's words ("without unreasonable delay", "as soon as practicable",
     * "expeditiously"): the clock shows the organisation's own target (engine option promptNoticeTargetDays),
     * marked deadlineKind "target", never an overdue legal deadline.
     */
    prompt: z.optional(z.string().check(z.minLength(3), z.maxLength(80))),
    /** The deadline is the organisation's own target, not the law's (a processor with no DPA deadline: 24 hours): deadlineKind "target". */
    target: z.optional(z.boolean()),
  })
  .check(
    z.refine((clock) => [clock.trigger, clock.afterSubmissionOf, clock.notLaterThan].filter((v) => v !== undefined).length === 1, 'give exactly one of trigger, afterSubmissionOf and notLaterThan'),
    z.refine(
      (clock) => (clock.notLaterThan !== undefined ? clock.deadline === undefined && clock.prompt === undefined && clock.afterHours === undefined : (clock.deadline === undefined) !== (clock.prompt === undefined)),
      'give exactly one of deadline and prompt (neither with notLaterThan)',
    ),
  );

/**
 * A count of affected people in a jurisdiction. `inAnyOneState`: the people of the jurisdiction's busiest state or
 * territory, not their total (HIPAA's media notice: "more than 500 residents of a State or jurisdiction").
 */
const threshold = z.strictObject({ jurisdiction: z.enum(JURISDICTIONS), count: z.number().check(z.int(), z.gte(0)), inAnyOneState: z.optional(z.literal(true)) });

const obligationSchema = z.strictObject({
  id: obligationId,
  label: z.string().check(z.minLength(3)),
  recipient: z.string().check(z.minLength(2)),
  /** The statute section of this obligation (the pack's legalSource names the law). */
  source: z.optional(z.string().check(z.minLength(2))),
  /** The trigger as the statute words it, quoted. */
  triggerWords: z.optional(z.string().check(z.minLength(3))),
  /** How the notice is submitted, as data: a form or portal URL, an email address, a postal address. */
  channel: z.optional(z.strictObject({ kind: z.enum(['form', 'portal', 'email', 'mail']), value: z.optional(z.string().check(z.minLength(3))) })),
  /**
   * What the statute says the notice must contain, item by item in the research's words (a regulator's or the
   * consumer reporting agencies' notice); `contentsNote` is what the research said of the whole list (e.g.
   * "general knowledge; not read"). Absent: the research found no contents. The notice packs draft from it
   * (notices/jurisdiction-reports.ts).
   */
  contents: z.optional(z.array(z.string().check(z.minLength(2))).check(z.minLength(1))),
  contentsNote: z.optional(z.string().check(z.minLength(2))),
  /** Only for these roles (e.g. a vendor's notice to the data owner: processor). */
  roles: z.optional(z.array(z.enum(['controller', 'processor', 'joint-controller'])).check(z.minLength(1))),
  /** Several ways to count (e.g. DORA: 4 h after classification or 24 h after awareness): the earliest wins. */
  clocks: z.array(clockSchema).check(z.minLength(1)),
  /** Only when more than `count` people in `jurisdiction` are affected (e.g. California AG above 500). */
  whenAffectedAbove: z.optional(threshold),
  /** Only when at least `count` people in `jurisdiction` are affected ("500 or more residents"). */
  whenAffectedAtLeast: z.optional(threshold),
  /** Only when at most `count` are affected. */
  whenAffectedAtMost: z.optional(threshold),
});

export const rulePackSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  version: z.string().check(z.regex(/^\d{4}-\d{2}$/, 'YYYY-MM of the law as encoded')),
  name: z.string().check(z.minLength(3)),
  legalSource: z.string().check(z.minLength(3)),
  appliesWhen: z.strictObject({
    anyJurisdiction: z.optional(z.array(z.enum(JURISDICTIONS)).check(z.minLength(1))),
    roles: z.optional(z.array(z.enum(['controller', 'processor', 'joint-controller'])).check(z.minLength(1))),
    sector: z.optional(z.enum(['nis2', 'dora', 'hipaa', 'hipaa-business-associate', 'sec', 'nydfs'])),
    /**
     * The law's personal-information definition: it applies only when the recorded data categories include
     * one of these. Until categories are recorded it applies provisionally (the clock says so).
     */
    dataCategories: z.optional(z.array(z.enum(DATA_CATEGORIES)).check(z.minLength(1))),
  }),
  /** The date the pack's legal text was last checked against its sources. */
  checkedOn: z.iso.date(),
  /** primary: the statute or regulator's text was read; secondary: only third-party summaries; conflicting: sources disagree. */
  confidence: z.enum(['primary', 'secondary', 'conflicting']),
  /** Why the confidence is not primary, or what disagrees. */
  confidenceNote: z.optional(z.string().check(z.minLength(3))),
  /**
   * The encryption safe harbour and its key condition as the statute words it: with the fact encryption
   * { encrypted: true, keyCompromised: false } the pack shows "not required (safe harbour)", not a clock.
   */
  encryptionSafeHarbour: z.optional(z.string().check(z.minLength(3))),
  /**
   * The statute lets the business decide no notice is needed (risk of harm): the clock names the exception;
   * the decision is documented with dismiss-regime (who, why), which turns the pack's clocks "not required".
   */
  riskOfHarmException: z.optional(z.string().check(z.minLength(3))),
  /**
   * What the regime is about: a personal-data breach, or an incident that need not involve personal data
   * (NIS2 significant incident, DORA major ICT incident, SEC material incident, NYDFS cybersecurity event).
   * Dismissing a personal-data breach does not dismiss an incident regime: it must be named.
   */
  subject: z._default(z.enum(['personal-data', 'incident']), 'personal-data'),
  /** The date the obligation commences (e.g. India's DPDP Rules 2025, rule 7): before it the clock shows "not in force". */
  inForceFrom: z.optional(z.iso.date()),
  /** Processor packs get one obligation per controller (contractual hours, else this internal target). */
  perController: z.optional(z.strictObject({ defaultHours: z.number().check(z.positive()) })),
  obligations: z.array(obligationSchema).check(z.minLength(1)),
  assumptions: z.array(z.string().check(z.minLength(3))).check(z.minLength(1)),
});

export type RulePack = z.infer<typeof rulePackSchema>;
export type RulePackConfig = z.input<typeof rulePackSchema>;
export type Obligation = RulePack['obligations'][number];

/** Validates every pack once at load: unknown fields, bad zones, unknown holiday calendars, duplicate ids. */
export function parseRulePacks(configs: readonly unknown[]): RulePack[] {
  const issues: string[] = [];
  const packs: RulePack[] = [];
  const ids = new Set<string>();
  configs.forEach((config, index) => {
    const parsed = rulePackSchema.safeParse(config);
    if (!parsed.success) {
      issues.push(...parsed.error.issues.map((i) => `packs.${index}.${i.path.join('.')}: ${i.message}`));
      return;
    }
    if (ids.has(parsed.data.id)) issues.push(`packs.${index}.id: duplicate rule pack "${parsed.data.id}"`);
    ids.add(parsed.data.id);
    const obligationIds = new Set(parsed.data.obligations.map((o) => o.id));
    for (const obligation of parsed.data.obligations) {
      for (const clock of obligation.clocks) {
        for (const [field, ref] of [['afterSubmissionOf', clock.afterSubmissionOf], ['notLaterThan', clock.notLaterThan]] as const) {
          if (ref !== undefined && (!obligationIds.has(ref) || ref === obligation.id)) {
            issues.push(`${parsed.data.id}.${obligation.id}: ${field} "${ref}" is not another obligation of the pack`);
          }
        }
        if (clock.deadline?.unit === 'business-days' && !KNOWN_CALENDARS.includes(clock.deadline.calendar)) {
          issues.push(`${parsed.data.id}.${obligation.id}: unknown holiday calendar "${clock.deadline.calendar}"`);
        }
      }
    }
    packs.push(parsed.data);
  });
  if (issues.length) throw new ConfigurationError('Invalid rule packs', issues);
  return packs;
}
