import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { parseDuration } from '../duration.js';
import { ConfigurationError } from '../errors.js';
import { ROLES, type Role } from '../role-names.js';

/**
 * Response-task templates: data, like the escalation ladder and the rule packs, validated once at start
 * (TASK_TEMPLATES; docs/tasks.md). Per incident kind and per regime, a checklist: contain, preserve
 * evidence, eradicate, restore, verify, and the regime's own steps. Every incident gets the common tasks.
 */
export const TASK_PHASES = ['triage', 'contain', 'preserve', 'eradicate', 'restore', 'verify', 'notify'] as const;
export type TaskPhase = (typeof TASK_PHASES)[number];

/** Phases whose completed tasks are the "measures taken" (Art. 33(3)(d)) and the register's remedial action (Art. 33(5)). */
export const MEASURE_PHASES: readonly TaskPhase[] = ['contain', 'eradicate', 'restore', 'verify'];

/** What a task's due offset counts from: the detection, or the awareness (the detection until it is confirmed). */
export type DueBasis = 'detectedAt' | 'awareAt';

export interface TaskTemplate {
  readonly id: string;
  readonly title: string;
  readonly phase: TaskPhase;
  readonly role: Role;
  readonly due?: { readonly from: DueBasis; readonly after: string; readonly afterMs: number };
  readonly blocksClose: boolean;
  /** The action that does the task: the task is recorded as done by it (a regime's task, by that regime's decision or submission). */
  readonly completedBy?: TaskCompletion;
}

/** Actions that complete a regime's task when they happen (issue 25.2): its decision confirmed, its report submitted. */
export const TASK_COMPLETIONS = ['decision-confirmed', 'submission-recorded'] as const;
export type TaskCompletion = (typeof TASK_COMPLETIONS)[number];

export interface IncidentKind {
  readonly label: string;
  /** Words in an alert's category, title or alert name that make an incident of this kind when it opens. */
  readonly keywords: readonly string[];
  readonly tasks: readonly TaskTemplate[];
}

export interface TaskTemplates {
  readonly common: readonly TaskTemplate[];
  readonly kinds: Readonly<Record<string, IncidentKind>>;
  readonly regimes: Readonly<Record<string, readonly TaskTemplate[]>>;
}

/** The configuration schemas, built on first use (the defaults need them only once, on first use too). */
const schemas = once(() => {
  const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lowercase letters, digits and dashes (at most 48)'));
  const template = z.strictObject({
    id,
    title: z.string().check(z.trim(), z.minLength(3), z.maxLength(200)),
    phase: z.enum(TASK_PHASES),
    role: z.enum(ROLES),
    due: z.optional(z.strictObject({ after: z.string(), from: z._default(z.enum(['detectedAt', 'awareAt']), 'awareAt') })),
    blocksClose: z._default(z.boolean(), false),
    completedBy: z.optional(z.enum(TASK_COMPLETIONS)),
  });
  const templates = z.strictObject({
    common: z._default(z.array(template).check(z.maxLength(40)), []),
    kinds: z.record(id, z.strictObject({
      label: z.string().check(z.trim(), z.minLength(3), z.maxLength(80)),
      keywords: z._default(z.array(z.string().check(z.trim(), z.minLength(3), z.maxLength(60))).check(z.maxLength(40)), []),
      tasks: z.array(template).check(z.maxLength(40)),
    })),
    regimes: z._default(z.record(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'a regime id such as gdpr-art33')), z.array(template).check(z.maxLength(40))), {}),
  });
  return { template, templates };
});

/** Validates task templates once at start; throws ConfigurationError listing every problem (path and what). */
export function parseTaskTemplates(config: unknown, knownRegimes: readonly string[]): TaskTemplates {
  const parsed = schemas().templates.safeParse(config);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid task templates', parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const issues: string[] = [];
  const set = (templates: readonly z.infer<ReturnType<typeof schemas>['template']>[], at: string): TaskTemplate[] => {
    const seen = new Set<string>();
    return templates.map((template, index) => {
      if (seen.has(template.id)) issues.push(`${at}.${index}.id: duplicate task id "${template.id}"`);
      seen.add(template.id);
      let due: TaskTemplate['due'];
      if (template.due) {
        try {
          const afterMs = parseDuration(template.due.after, `${at}.${index}.due.after`);
          if (afterMs <= 0) issues.push(`${at}.${index}.due.after: must be after the basis (got "${template.due.after}")`);
          due = { from: template.due.from, after: template.due.after, afterMs };
        } catch (error) {
          issues.push(`${at}.${index}.due.after: ${(error as Error).message}`);
        }
      }
      if (template.completedBy && !at.startsWith('regimes.')) issues.push(`${at}.${index}.completedBy: only a regime's task is done by that regime's decision or submission`);
      return { id: template.id, title: template.title, phase: template.phase, role: template.role, blocksClose: template.blocksClose, ...(due ? { due } : {}), ...(template.completedBy ? { completedBy: template.completedBy } : {}) };
    });
  };
  const common = set(parsed.data.common, 'common');
  const kinds = Object.fromEntries(
    Object.entries(parsed.data.kinds).map(([kind, value]) => [kind, { label: value.label, keywords: value.keywords.map((k) => k.toLowerCase()), tasks: set(value.tasks, `kinds.${kind}.tasks`) }]),
  );
  if (!Object.keys(kinds).length) issues.push('kinds: at least one incident kind is needed');
  const regimes = Object.fromEntries(
    Object.entries(parsed.data.regimes).map(([regime, templates]) => {
      if (!knownRegimes.includes(regime)) issues.push(`regimes.${regime}: not a regime breachclock knows; known: ${knownRegimes.join(', ')}`);
      return [regime, set(templates, `regimes.${regime}`)];
    }),
  );
  if (issues.length) throw new ConfigurationError('Invalid task templates', issues);
  return { common, kinds, regimes };
}

/** The default templates (docs/tasks.md shows them and how to write your own). */
export const DEFAULT_TASK_TEMPLATES_CONFIG = {
  common: [
    { id: 'scope', title: 'Establish what happened, which systems and which data are involved', phase: 'triage', role: 'responder', due: { after: '4h', from: 'detectedAt' } },
    { id: 'preserve-logs', title: 'Preserve logs and evidence under legal hold (export, hash, restrict access)', phase: 'preserve', role: 'responder', due: { after: '12h', from: 'detectedAt' }, blocksClose: true },
    { id: 'verify-closed', title: 'Verify the breach is contained and no access continues', phase: 'verify', role: 'responder', blocksClose: true },
    { id: 'lessons', title: 'Record lessons learned and follow-up actions', phase: 'verify', role: 'responder' },
  ],
  kinds: {
    'credential-compromise': {
      label: 'Credential compromise',
      keywords: ['credential', 'brute force', 'bruteforce', 'password spray', 'stuffing', 'unauthorizedaccess:iamuser', 'credentialaccess', 'account takeover', 'mfa fatigue'],
      tasks: [
        { id: 'revoke-sessions', title: 'Revoke active sessions and tokens of the affected accounts', phase: 'contain', role: 'responder', due: { after: '1h', from: 'detectedAt' }, blocksClose: true },
        { id: 'rotate-credentials', title: 'Reset passwords and rotate keys of the affected accounts', phase: 'contain', role: 'responder', due: { after: '4h', from: 'detectedAt' }, blocksClose: true },
        { id: 'enforce-mfa', title: 'Enforce MFA on the affected accounts', phase: 'eradicate', role: 'responder', due: { after: '24h', from: 'detectedAt' } },
        { id: 'review-access', title: 'Review what the accounts accessed while compromised', phase: 'triage', role: 'responder', due: { after: '24h', from: 'detectedAt' } },
      ],
    },
    'data-exfiltration': {
      label: 'Data exfiltration',
      keywords: ['exfiltration', 'data transfer', 'bulk export', 'public bucket', 'made public', 'policy:s3', 'data leak'],
      tasks: [
        { id: 'block-egress', title: 'Block the exfiltration path (revoke access, close the bucket, block the destination)', phase: 'contain', role: 'responder', due: { after: '1h', from: 'detectedAt' }, blocksClose: true },
        { id: 'snapshot', title: 'Snapshot the affected systems before changing them', phase: 'preserve', role: 'responder', due: { after: '2h', from: 'detectedAt' } },
        { id: 'quantify', title: 'Quantify the records and people affected', phase: 'triage', role: 'responder', due: { after: '24h', from: 'detectedAt' } },
        { id: 'remove-copies', title: 'Request removal of copies where they were published', phase: 'eradicate', role: 'legal' },
      ],
    },
    ransomware: {
      label: 'Ransomware',
      keywords: ['ransom', 'encrypted files', 'impact:', 'trojan', 'backdoor', 'malware'],
      tasks: [
        { id: 'isolate-hosts', title: 'Isolate the affected hosts from the network', phase: 'contain', role: 'responder', due: { after: '1h', from: 'detectedAt' }, blocksClose: true },
        { id: 'snapshot', title: 'Image the affected hosts for forensics', phase: 'preserve', role: 'responder', due: { after: '4h', from: 'detectedAt' } },
        { id: 'eradicate-malware', title: 'Remove the malware and the attacker\'s persistence', phase: 'eradicate', role: 'responder', blocksClose: true },
        { id: 'restore-backups', title: 'Restore from clean backups and check their integrity', phase: 'restore', role: 'responder', blocksClose: true },
      ],
    },
    'lost-device': {
      label: 'Lost or stolen device',
      keywords: ['lost device', 'stolen', 'lost laptop', 'lost phone'],
      tasks: [
        { id: 'remote-wipe', title: 'Lock and wipe the device remotely', phase: 'contain', role: 'responder', due: { after: '2h', from: 'detectedAt' }, blocksClose: true },
        { id: 'check-encryption', title: 'Check whether the device was encrypted and the key is safe', phase: 'triage', role: 'responder', due: { after: '4h', from: 'detectedAt' } },
        { id: 'revoke-device', title: "Revoke the device's certificates, sessions and tokens", phase: 'contain', role: 'responder', due: { after: '4h', from: 'detectedAt' } },
      ],
    },
    'misdirected-email': {
      label: 'Misdirected email',
      keywords: ['misdirected', 'wrong recipient', 'sent to the wrong'],
      tasks: [
        { id: 'recall', title: 'Recall the message and ask the recipient to delete it', phase: 'contain', role: 'responder', due: { after: '2h', from: 'detectedAt' }, blocksClose: true },
        { id: 'deletion-confirmed', title: 'Obtain written confirmation of deletion from the recipient', phase: 'verify', role: 'dpo', due: { after: '48h', from: 'detectedAt' } },
      ],
    },
  },
  regimes: {
    'gdpr-art33': [
      { id: 'decide-notify', title: 'Assess the risk and decide whether to notify the supervisory authority (Art. 33)', phase: 'notify', role: 'dpo', due: { after: '24h', from: 'awareAt' }, blocksClose: true, completedBy: 'decision-confirmed' },
      { id: 'decide-people', title: 'Decide whether the affected people must be told (Art. 34) and what to tell them', phase: 'notify', role: 'dpo', due: { after: '48h', from: 'awareAt' } },
      { id: 'document', title: 'Document the breach in the register, notified or not (Art. 33(5))', phase: 'notify', role: 'dpo', blocksClose: true },
    ],
    'uk-gdpr-art33': [
      { id: 'decide-notify', title: 'Decide whether to report to the ICO (UK GDPR Art. 33)', phase: 'notify', role: 'dpo', due: { after: '24h', from: 'awareAt' }, blocksClose: true, completedBy: 'decision-confirmed' },
    ],
    'nis2-art23': [
      { id: 'early-warning', title: 'Decide on the NIS2 early warning to the CSIRT (24 h)', phase: 'notify', role: 'legal', due: { after: '12h', from: 'awareAt' }, completedBy: 'decision-confirmed' },
    ],
    'dora-art19': [
      { id: 'classify', title: 'Classify the ICT incident as major or not (DORA Art. 18)', phase: 'notify', role: 'legal', due: { after: '4h', from: 'detectedAt' }, completedBy: 'decision-confirmed' },
    ],
    'sec-8k-105': [
      { id: 'materiality', title: 'Determine materiality without unreasonable delay (Form 8-K Item 1.05)', phase: 'notify', role: 'legal', due: { after: '48h', from: 'detectedAt' }, completedBy: 'decision-confirmed' },
    ],
  },
};


/** The default templates, validated on first use (a test checks them; no cost at a cold start that needs none). */
export const defaultTaskTemplates = once(
  (): TaskTemplates => parseTaskTemplates(DEFAULT_TASK_TEMPLATES_CONFIG, Object.keys(DEFAULT_TASK_TEMPLATES_CONFIG.regimes)),
);
