import { measuresProposed, measuresTaken } from './tasks/tasks.js';
import type { Incident } from './incident.js';
import type { Notice } from './notices/notice.js';
import { effectiveFacts } from './regimes/engine.js';
import { jurisdictionCounts, type JurisdictionCount } from './regimes/jurisdiction-counts.js';
import { RULE_PACKS } from './regimes/packs/index.js';
import { incidentClocks } from './regimes/pinned.js';
import type { RulePack } from './regimes/rule-pack.js';

/**
 * One line of the Art. 33(5) register: every breach, notified or not, with its facts, effects and remedial
 * action, the decision, who decided and why, every clock with its due time and whether it was met, and the
 * notices. Built from the incident and its notices; pure.
 */
export const REGISTER_OUTCOMES = ['notified', 'not-notified', 'pending', 'dismissed'] as const;
export type RegisterOutcome = (typeof REGISTER_OUTCOMES)[number];

export interface RegisterEntry {
  readonly incidentId: string;
  readonly title: string;
  readonly status: Incident['status'];
  readonly severity: Incident['severity'];
  readonly source: string;
  readonly occurredAt: string | null;
  readonly detectedAt: string;
  readonly awareAt: string | null;
  readonly awareness: { readonly by: string; readonly justification: string } | null;
  readonly outcome: RegisterOutcome;
  /** The facts as recorded: nothing the clocks assume for an incident without facts (EU, controller) is shown as one. */
  readonly facts: {
    /** The recorded role, or "controller (assumed: no role recorded)". */
    readonly role: string;
    readonly jurisdictions: readonly { readonly code: string; readonly affected: number }[];
    /** People affected in the recorded jurisdictions; null when none is recorded. */
    readonly affected: number | null;
    readonly dataCategories: readonly string[];
    readonly peopleCategories: readonly string[];
    readonly encryption: string | null;
  };
  /** The effects: the assessed risk, what was lost, and the likely consequences stated in the notices. */
  readonly effects: {
    readonly riskLevel: string | null;
    readonly severityScore: number | null;
    readonly breachTypes: readonly string[];
    readonly art34Exemption: string | null;
    readonly assessedBy: string | null;
    readonly rationale: string | null;
    readonly likelyConsequences: string | null;
  };
  /** Remedial action: the measures the notices state, and how the incident was closed. */
  readonly remedialAction: { readonly measuresTaken: string | null; readonly measuresProposed: string | null; readonly closeReason: string | null };
  readonly decisions: readonly {
    readonly regime: string;
    readonly notify: boolean;
    readonly rationale: string;
    readonly proposedBy: string;
    readonly confirmedBy: string | null;
    readonly stale: boolean;
    readonly override: string | null;
    readonly reasonsForDelay: string | null;
  }[];
  readonly clocks: readonly {
    readonly regime: string;
    readonly obligation: string;
    readonly dueAt: string | null;
    /** The version of the rule pack the deadline was counted under (pinned on the incident; frozen at closing). */
    readonly version: string;
    /** A pack version other than the one recorded: the deadline the current version gives (open: until adopted). */
    readonly currentRule: { readonly version: string | null; readonly dueAt: string | null } | null;
    readonly status: string;
    /** met (submitted in time), missed (submitted late, or overdue), open, or not applicable. */
    readonly result: 'met' | 'missed' | 'open' | 'not-required' | 'not-in-force' | 'waiting';
    readonly submittedAt: string | null;
    readonly reference: string | null;
  }[];
  /** Per jurisdiction: its people, the laws whose clocks run for them, and which thresholds are crossed by how many (issue 28.6). */
  readonly byJurisdiction: readonly JurisdictionCount[];
  readonly notices: readonly { readonly noticeId: string; readonly kind: string; readonly language: string; readonly status: string; readonly approvedBy: string | null; readonly submittedAt: string | null; readonly reference: string | null }[];
  readonly dismissal: { readonly by: string; readonly at: string; readonly reason: string } | null;
  readonly closed: { readonly by: string; readonly at: string; readonly reason: string } | null;
  /** The audit trail's head when the entry was made: an export pins the trail it was made from. */
  readonly trailHead: string | null;
}

function latestField(notices: readonly Notice[], field: string): string | null {
  // The authority notice's words first (what the authority was told), then any other notice's.
  const ordered = [...notices].filter((n) => n.status !== 'withdrawn').sort((a, b) => (a.audience === 'authority' ? -1 : 0) - (b.audience === 'authority' ? -1 : 0) || b.createdAt.localeCompare(a.createdAt));
  for (const notice of ordered) if (notice.fields[field]) return notice.fields[field]!;
  return null;
}

export function registerEntry(incident: Incident, notices: readonly Notice[], now: Date, packs: readonly RulePack[] = RULE_PACKS): RegisterEntry {
  const facts = effectiveFacts(incident.facts);
  // As shown on the incident: a closed one's clocks as they were at closing, whatever a later pack version says.
  const clocks = incidentClocks(packs, incident, now);
  const risk = incident.riskAssessment;
  const submissions = Object.values(incident.submissions ?? {});
  const decisions = Object.values(incident.decisions ?? {});
  let outcome: RegisterOutcome;
  if (incident.status === 'dismissed') outcome = 'dismissed';
  else if (submissions.length) outcome = 'notified'; // a report recorded as submitted, to whoever the law names
  else if (decisions.length && decisions.every((d) => d.confirmedBy && !d.stale && !d.notify)) outcome = 'not-notified';
  else outcome = 'pending';
  return {
    incidentId: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    source: incident.source,
    occurredAt: facts.occurredAt ?? incident.occurredAt ?? null,
    detectedAt: incident.detectedAt,
    awareAt: incident.awareAt ?? null,
    awareness: incident.awareSetBy && incident.awareJustification ? { by: incident.awareSetBy, justification: incident.awareJustification } : null,
    outcome,
    facts: {
      role: incident.facts?.role ?? 'controller (assumed: no role recorded)',
      jurisdictions: (incident.facts?.jurisdictions ?? []).map((j) => ({ code: j.code, affected: j.affected })),
      affected: incident.facts?.jurisdictions?.length ? incident.facts.jurisdictions.reduce((sum, j) => sum + j.affected, 0) : null,
      dataCategories: facts.dataCategories ?? [],
      peopleCategories: facts.peopleCategories ?? [],
      encryption: facts.encryption ? (facts.encryption.encrypted ? (facts.encryption.keyCompromised ? 'encrypted, key compromised' : 'encrypted, key safe') : 'not encrypted') : null,
    },
    effects: {
      riskLevel: risk?.level ?? null,
      severityScore: risk?.severityScore ?? null,
      breachTypes: risk?.input.breachTypes ?? [],
      art34Exemption: risk?.art34Exemption ?? null,
      assessedBy: risk?.by ?? null,
      rationale: risk?.rationale ?? null,
      likelyConsequences: latestField(notices, 'likely-consequences'),
    },
    // The notices' words where an officer wrote them; otherwise what the response tasks record (Art. 33(5)).
    remedialAction: {
      measuresTaken: latestField(notices, 'measures-taken') ?? measuresTaken(incident.tasks) ?? null,
      measuresProposed: latestField(notices, 'measures-proposed') ?? measuresProposed(incident.tasks, incident) ?? null,
      closeReason: incident.closeReason ?? null,
    },
    decisions: decisions.map((d) => ({
      regime: d.regime,
      notify: d.notify,
      rationale: d.rationale,
      proposedBy: d.proposedBy,
      confirmedBy: d.confirmedBy ?? null,
      stale: Boolean(d.stale),
      override: d.override?.reason ?? null,
      reasonsForDelay: d.reasonsForDelay ?? null,
    })),
    clocks: clocks.map((c) => ({
      regime: c.regime,
      obligation: c.obligation,
      dueAt: c.dueAt,
      version: c.version,
      currentRule: c.ruleChange ? { version: c.ruleChange.current.version, dueAt: c.ruleChange.current.dueAt } : null,
      status: c.status,
      result:
        c.status === 'submitted' ? (c.submission!.late ? 'missed' : 'met')
        : c.status === 'overdue' ? 'missed'
        : c.status === 'not-required' ? 'not-required'
        : c.status === 'not-in-force' ? 'not-in-force'
        : c.status === 'waiting-for-trigger' ? 'waiting'
        : 'open',
      submittedAt: c.submission?.submittedAt ?? null,
      reference: c.submission?.reference ?? null,
    })),
    byJurisdiction: jurisdictionCounts(RULE_PACKS, incident.facts),
    notices: notices.map((n) => ({ noticeId: n.noticeId, kind: n.kind, language: n.language, status: n.status, approvedBy: n.approval?.by ?? null, submittedAt: n.submission?.submittedAt ?? null, reference: n.submission?.reference ?? null })),
    dismissal: incident.dismissedAt ? { by: incident.dismissedBy ?? '', at: incident.dismissedAt, reason: incident.dismissReason ?? '' } : null,
    closed: incident.closedAt ? { by: incident.closedBy ?? '', at: incident.closedAt, reason: incident.closeReason ?? '' } : null,
    trailHead: incident.trail?.hash ?? null,
  };
}

/** The register's CSV columns, in order (a header even when the period has no incident). */
export const REGISTER_COLUMNS = [
  'incident',
  'title',
  'status',
  'outcome',
  'severity',
  'source',
  'occurred_at',
  'detected_at',
  'aware_at',
  'awareness_by',
  'awareness_justification',
  'role',
  'jurisdictions',
  'people_affected',
  'thresholds',
  'data_categories',
  'people_categories',
  'encryption',
  'risk_level',
  'severity_score',
  'breach_types',
  'art34_exemption',
  'risk_assessed_by',
  'risk_rationale',
  'likely_consequences',
  'measures_taken',
  'measures_proposed',
  'close_reason',
  'decisions',
  'clocks',
  'notices',
  'dismissed',
  'closed',
  'trail_head',
] as const;
export type RegisterColumn = (typeof REGISTER_COLUMNS)[number];

/** One flat row per incident for CSV (lists joined with "; "). */
export function registerRow(entry: RegisterEntry): Record<RegisterColumn, string | number> {
  return {
    incident: entry.incidentId,
    title: entry.title,
    status: entry.status,
    outcome: entry.outcome,
    severity: entry.severity,
    source: entry.source,
    occurred_at: entry.occurredAt ?? '',
    detected_at: entry.detectedAt,
    aware_at: entry.awareAt ?? '',
    awareness_by: entry.awareness?.by ?? '',
    awareness_justification: entry.awareness?.justification ?? '',
    role: entry.facts.role,
    jurisdictions: entry.facts.jurisdictions.map((j) => `${j.code}:${j.affected}`).join('; '),
    people_affected: entry.facts.affected ?? '',
    thresholds: entry.byJurisdiction
      .flatMap((j) => j.thresholds.map((t) => `${j.code} ${t.regime}/${t.obligation}: ${t.rule} (${t.affected}: ${t.crossed ? 'crossed' : `${-t.margin} short`})`))
      .join(' | '),
    data_categories: entry.facts.dataCategories.join('; '),
    people_categories: entry.facts.peopleCategories.join('; '),
    encryption: entry.facts.encryption ?? '',
    risk_level: entry.effects.riskLevel ?? '',
    severity_score: entry.effects.severityScore ?? '',
    breach_types: entry.effects.breachTypes.join('; '),
    art34_exemption: entry.effects.art34Exemption ?? '',
    risk_assessed_by: entry.effects.assessedBy ?? '',
    risk_rationale: entry.effects.rationale ?? '',
    likely_consequences: entry.effects.likelyConsequences ?? '',
    measures_taken: entry.remedialAction.measuresTaken ?? '',
    measures_proposed: entry.remedialAction.measuresProposed ?? '',
    close_reason: entry.remedialAction.closeReason ?? '',
    decisions: entry.decisions
      .map((d) => `${d.regime}: ${d.notify ? 'notify' : 'do not notify'} (proposed by ${d.proposedBy}${d.confirmedBy ? `, confirmed by ${d.confirmedBy}` : ', unconfirmed'}${d.stale ? ', stale' : ''}${d.override ? `, OVERRIDE: ${d.override}` : ''}) because ${d.rationale}${d.reasonsForDelay ? `; delay: ${d.reasonsForDelay}` : ''}`)
      .join(' | '),
    clocks: entry.clocks
      .map((c) => `${c.regime}/${c.obligation} (v${c.version}): due ${c.dueAt ?? '-'} ${c.result}${c.reference ? ` (ref ${c.reference} at ${c.submittedAt})` : ''}${c.currentRule ? ` [rule changed: v${c.currentRule.version ?? '-'} due ${c.currentRule.dueAt ?? '-'}]` : ''}`)
      .join(' | '),
    notices: entry.notices.map((n) => `${n.kind} (${n.language}) ${n.status}${n.approvedBy ? `, approved by ${n.approvedBy}` : ''}${n.reference ? `, ref ${n.reference}` : ''}`).join(' | '),
    dismissed: entry.dismissal ? `${entry.dismissal.at} by ${entry.dismissal.by}: ${entry.dismissal.reason}` : '',
    closed: entry.closed ? `${entry.closed.at} by ${entry.closed.by}: ${entry.closed.reason}` : '',
    trail_head: entry.trailHead ?? '',
  };
}
