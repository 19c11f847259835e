import type { Severity } from './incident.js';

/** What a monitoring tool says about one alert, whatever its format. */
export const ALERT_STATUSES = ['firing', 'resolved', 'acknowledged', 'info'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** One alert after normalisation. Pure data: the normalisers build it, routing and ingest act on it. */
export interface NormalisedAlert {
  readonly source: string;
  /** What makes two alerts "the same" within a source (e.g. GuardDuty finding id, Alertmanager fingerprint). */
  readonly fingerprint: string;
  readonly title: string;
  readonly severity: Severity;
  /** firing opens or attaches; resolved/acknowledged are recorded on the open incident, never close it. */
  readonly status?: AlertStatus;
  readonly description?: string;
  /** The tool's classification (GuardDuty finding type, Security Hub type); routing rules match it. */
  readonly category?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly occurredAt?: string;
  readonly observedAt?: string;
  /** The sender's id for this very delivery (SNS MessageId, EventBridge event id …): a repeat is not counted. */
  readonly senderEventId?: string;
  readonly link?: string;
  /** A sample or test finding the tool marks as such (GuardDuty additionalInfo.sample, ASFF Sample): recorded, never opened. */
  readonly sample?: boolean;
  readonly details?: Record<string, unknown>;
  /** The alert as received (JSON text), kept as evidence: encrypted at rest, expiring, never logged. */
  readonly raw?: string;
}

/** A payload that is not in the format the source expects; `issues` say what and where. */
export class PayloadFormatError extends Error {
  constructor(
    readonly source: string,
    readonly expected: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`Not a valid ${expected} payload`);
    this.name = 'PayloadFormatError';
  }
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  p1: 'critical',
  high: 'high',
  error: 'high',
  err: 'high',
  major: 'high',
  p2: 'high',
  medium: 'medium',
  warning: 'medium',
  warn: 'medium',
  moderate: 'medium',
  p3: 'medium',
  low: 'low',
  minor: 'low',
  p4: 'low',
  info: 'info',
  informational: 'info',
  none: 'info',
  debug: 'info',
  p5: 'info',
};

/** Maps a tool's severity word to ours; unknown or missing words become `fallback`. */
export function severityFromWord(word: string | undefined | null, fallback: Severity = 'medium'): Severity {
  if (!word) return fallback;
  return SEVERITY_WORDS[word.trim().toLowerCase()] ?? fallback;
}

/** FNV-1a 64-bit, hex: a stable short key for long identifiers. Not for security. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Keeps identifiers within the 256 characters a fingerprint may have, stable for the same input. */
export function stableKey(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 18)}~${fnv1a64(text)}`;
}

/** A fingerprint from labels, order-independent (what older Alertmanager senders leave out). */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  return fnv1a64(
    Object.keys(labels)
      .sort()
      .map((key) => `${key}=${labels[key]}`)
      .join('\u0000'),
  );
}

/** Parses the loose timestamps tools send ("+0000" offsets, epoch milliseconds) to ISO-8601, or undefined. */
export function looseInstant(value: unknown): string | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{10,13}$/.test(value))) {
    const n = Number(value);
    const ms = n < 1e12 ? n * 1000 : n;
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  // Go's zero time (Alertmanager's endsAt) and other pre-2000 placeholders mean "not set".
  return Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) ? new Date(ms).toISOString() : undefined;
}

/** Truncates a text for titles and descriptions. */
export function clip(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}
