import type { RE2JS } from 're2js';
import * as z from './zod-mini.js';
import { ALERT_STATUSES, type NormalisedAlert } from './alert.js';
import { ConfigurationError } from './errors.js';
import { once } from './once.js';
import { SEVERITIES, type Severity } from './incident-record.js';
import { ALERT_SOURCES } from './sources.js';

/**
 * Routing rules decide what an alert means for breachclock:
 *  - open:   a breach candidate: opens an incident, or attaches to the open one with its fingerprint;
 *  - attach: counted on an open incident with the same fingerprint, otherwise only recorded;
 *  - record: kept as evidence, never opens or attaches (a CPU alarm is not a breach candidate).
 * First matching rule wins. Resolutions never open anything (see ingest).
 */
export const ROUTING_ACTIONS = ['open', 'attach', 'record'] as const;
export type RoutingAction = (typeof ROUTING_ACTIONS)[number];

/**
 * The configuration schema, built on first use: the default rules need it only in a test
 * (test/unit/routing.test.ts parses them as configured rules would be), not at every cold start.
 */
const schemas = once(() => {
  const regex = z.string().check(z.minLength(1), z.maxLength(500));
  const rule = z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(80)),
    when: z._default(z.strictObject({
      source: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
      status: z.optional(z.array(z.enum(ALERT_STATUSES)).check(z.minLength(1))),
      minSeverity: z.optional(z.enum(SEVERITIES)),
      /** Regular expression on the tool's category (e.g. GuardDuty finding type). */
      category: z.optional(regex),
      /** Regular expression on title and description. */
      text: z.optional(regex),
      /** Label name → regular expression on its value (whole value, case-insensitive). */
      labels: z.optional(z.record(z.string(), regex)),
    }), {}),
    then: z.enum(ROUTING_ACTIONS),
    /** Override the incident severity for alerts this rule opens. */
    severity: z.optional(z.enum(SEVERITIES)),
    /**
     * How alerts this rule matches form an incident (issue 12): by these label names (and/or "source",
     * "category"), instead of the sender's own grouping. E.g. ["alertname", "cluster"]: one incident per
     * alert name and cluster, whatever instance fired.
     */
    groupBy: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(10))),
  });
  return { rule, rules: z.array(rule).check(z.minLength(1), z.maxLength(200)) };
});
export type RoutingRuleConfig = z.input<ReturnType<typeof schemas>['rule']>;

/**
 * A compiled pattern. Rules run on attacker-influenced text (titles, descriptions, labels up to 256 KiB),
 * so patterns are compiled by RE2JS, a linear-time engine (no backtracking: `(a+)+$` cannot take exponential
 * time); RE2 syntax has no backreferences or lookaround, which are refused when the rules are loaded.
 */
export interface Pattern {
  test(text: string): boolean;
}

interface CompiledRule {
  readonly name: string;
  readonly then: RoutingAction;
  readonly severity?: Severity;
  readonly source?: readonly string[];
  readonly status?: readonly string[];
  readonly minSeverity?: Severity;
  readonly category?: Pattern;
  readonly text?: Pattern;
  readonly labels?: readonly (readonly [string, Pattern])[];
  readonly groupBy?: readonly string[];
}

export interface RoutingRules {
  readonly rules: readonly CompiledRule[];
}

export interface RoutingDecision {
  readonly action: RoutingAction;
  readonly rule: string;
  readonly severity: Severity;
  /** The incident identity when the rule groups by its own keys (else the sender's fingerprint stands). */
  readonly groupFingerprint?: string;
}

/** The rule's grouping key for an alert: rule name and each named value (missing values count as empty). */
function groupFingerprint(rule: CompiledRule, alert: NormalisedAlert): string | undefined {
  if (!rule.groupBy) return undefined;
  const value = (key: string) => (key === 'source' ? alert.source : key === 'category' ? (alert.category ?? '') : (alert.labels?.[key] ?? ''));
  return `rule:${rule.name}|${rule.groupBy.map((key) => `${key}=${value(key)}`).join('|')}`;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Defaults (docs/sources.md): explicit breach signals open incidents, everything else attaches or is recorded. */
export const DEFAULT_ROUTING_CONFIG: RoutingRuleConfig[] = [
  { name: 'generic-alerts-open', when: { source: ['generic'] }, then: 'open' },
  {
    name: 'guardduty-breach-finding-types',
    when: {
      source: ['guardduty'],
      category: '^(Exfiltration|CredentialAccess|UnauthorizedAccess|Impact|Trojan|Backdoor|Stealth|PrivilegeEscalation|Persistence|DefenseEvasion|Policy:S3|Discovery:S3)',
    },
    then: 'open',
  },
  { name: 'securityhub-high-and-critical', when: { source: ['securityhub'], minSeverity: 'high' }, then: 'open' },
  { name: 'labelled-breach-candidate', when: { labels: { breach_candidate: 'true|yes|1' } }, then: 'open' },
  { name: 'labelled-security', when: { labels: { security: 'true|yes|1' } }, then: 'open' },
  { name: 'security-category-label', when: { labels: { category: 'security' } }, then: 'open' },
  { name: 'security-class', when: { labels: { class: 'security' } }, then: 'open' },
  { name: 'described-breach-candidate', when: { text: '\\bbreach[_ -]candidate\\b' }, then: 'open' },
  { name: 'everything-else-attaches', then: 'attach' },
];

const NEVER: Pattern = { test: () => false };

/**
 * The linear-time engine (RE2JS, about 150 kB), loaded the first time a rule needs a pattern: when configured
 * rules with a pattern are parsed, or when an alert first reaches a default rule's pattern (ADR 0018). Until
 * then a cold start neither evaluates it nor, in the bundle, runs its module body (esbuild defers a
 * dynamically imported module's evaluation).
 */
let engine: typeof RE2JS | undefined;

export async function loadPatternEngine(): Promise<typeof RE2JS> {
  return (engine ??= (await import('re2js')).RE2JS);
}

/** Thrown by a pattern reached before the engine is loaded; routeAlert loads it and routes again. */
class PatternEngineNotLoaded extends Error {}

function loadedEngine(): typeof RE2JS {
  if (!engine) throw new PatternEngineNotLoaded('the pattern engine is not loaded yet');
  return engine;
}

function compile(pattern: string, path: string, issues: string[], anchored: boolean, onFirstUse: boolean): Pattern {
  const source = anchored ? `^(?:${pattern})$` : pattern;
  if (onFirstUse) {
    // Only for the default rules, whose patterns a test compiles: a cold start compiles those its alerts reach.
    let re: RE2JS | undefined;
    return { test: (text) => (re ??= loadedEngine().compile(source, loadedEngine().CASE_INSENSITIVE)).matcher(text).find() };
  }
  try {
    const re = loadedEngine().compile(source, loadedEngine().CASE_INSENSITIVE);
    return { test: (text) => re.matcher(text).find() };
  } catch (error) {
    issues.push(`${path}: not a valid regular expression for the linear-time engine (RE2 syntax: no backreferences or lookaround): ${(error as Error).message}`);
    return NEVER;
  }
}

/**
 * Validates and compiles rules once at start; every problem is named with its path. The pattern engine is
 * loaded only when a rule has a pattern.
 */
export async function parseRoutingRules(config: unknown, knownSources: readonly string[] = ALERT_SOURCES): Promise<RoutingRules> {
  const parsed = schemas().rules.safeParse(config);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid routing rules', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (parsed.data.some(({ when }) => when.category !== undefined || when.text !== undefined || when.labels !== undefined)) await loadPatternEngine();
  return rulesFrom(parsed.data, knownSources, false);
}

/**
 * Rules of the right shape compiled: patterns by the linear-time engine, sources checked against those known.
 * Configured rules compile every pattern now, so a bad one stops the start; the defaults compile each pattern
 * the first time an alert reaches it.
 */
function rulesFrom(config: readonly RoutingRuleConfig[], knownSources: readonly string[], patternsOnFirstUse: boolean): RoutingRules {
  const issues: string[] = [];
  const rules = config.map((rule, index): CompiledRule => {
    const at = `${index}.when`;
    const when = rule.when ?? {};
    for (const source of when.source ?? []) {
      if (!knownSources.includes(source)) issues.push(`${at}.source: unknown source "${source}" (known: ${knownSources.join(', ')})`);
    }
    return {
      name: rule.name,
      then: rule.then,
      ...(rule.severity ? { severity: rule.severity } : {}),
      ...(rule.groupBy ? { groupBy: rule.groupBy } : {}),
      ...(when.source ? { source: when.source } : {}),
      ...(when.status ? { status: when.status } : {}),
      ...(when.minSeverity ? { minSeverity: when.minSeverity } : {}),
      ...(when.category ? { category: compile(when.category, `${at}.category`, issues, false, patternsOnFirstUse) } : {}),
      ...(when.text ? { text: compile(when.text, `${at}.text`, issues, false, patternsOnFirstUse) } : {}),
      ...(when.labels ? { labels: Object.entries(when.labels).map(([name, pattern]) => [name, compile(pattern, `${at}.labels.${name}`, issues, true, patternsOnFirstUse)] as const) } : {}),
    };
  });
  if (issues.length) throw new ConfigurationError('Invalid routing rules', issues);
  return { rules };
}

function matches(rule: CompiledRule, alert: NormalisedAlert): boolean {
  if (rule.source && !rule.source.includes(alert.source)) return false;
  if (rule.status && !rule.status.includes(alert.status ?? 'firing')) return false;
  if (rule.minSeverity && SEVERITY_RANK[alert.severity] < SEVERITY_RANK[rule.minSeverity]) return false;
  if (rule.category && !(alert.category && rule.category.test(alert.category))) return false;
  if (rule.text && !rule.text.test(`${alert.title}\n${alert.description ?? ''}`)) return false;
  if (rule.labels) {
    for (const [name, pattern] of rule.labels) {
      const value = alert.labels?.[name];
      if (value === undefined || !pattern.test(value)) return false;
    }
  }
  return true;
}

/**
 * The first matching rule decides; without any match the alert is only recorded. Asynchronous because the
 * first alert to reach a default rule's pattern loads the pattern engine (matching is pure: it runs again).
 */
export async function routeAlert(rules: RoutingRules, alert: NormalisedAlert): Promise<RoutingDecision> {
  try {
    return firstMatch(rules, alert);
  } catch (error) {
    if (!(error instanceof PatternEngineNotLoaded)) throw error;
    await loadPatternEngine();
    return firstMatch(rules, alert);
  }
}

function firstMatch(rules: RoutingRules, alert: NormalisedAlert): RoutingDecision {
  for (const rule of rules.rules) {
    if (matches(rule, alert)) {
      const grouped = groupFingerprint(rule, alert);
      return { action: rule.then, rule: rule.name, severity: rule.severity ?? alert.severity, ...(grouped ? { groupFingerprint: grouped } : {}) };
    }
  }
  return { action: 'record', rule: '(no rule matched)', severity: alert.severity };
}

/**
 * The default rules, compiled without the configuration schema at every cold start (issue 14.6), each pattern
 * on first use; the compiler checks their shape and test/unit/routing.test.ts their values and patterns,
 * parsing them as configured rules would be.
 */
export const DEFAULT_ROUTING: RoutingRules = rulesFrom(DEFAULT_ROUTING_CONFIG, ALERT_SOURCES, true);
