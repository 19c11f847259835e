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

/** What an alert carries besides its identity, wherever it is kept: its times, classification and evidence. */
const CARRIED_FIELDS = ['occurredAt', 'observedAt', 'category', 'labels', 'link', 'description', 'details', 'raw'] as const;
export type CarriedAlertFields = Pick<NormalisedAlert, (typeof CARRIED_FIELDS)[number]>;

/** The carried fields an alert has (a set one only), to copy from a normalised alert to a kept one and back. */
export function carriedFields(alert: CarriedAlertFields): CarriedAlertFields {
  const carried: Record<string, unknown> = {};
  for (const field of CARRIED_FIELDS) if (alert[field]) carried[field] = alert[field];
  return carried as CarriedAlertFields;
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

/**
 * The most one alert may take as stored (its JSON, the raw payload included), in bytes. DynamoDB refuses an
 * item over 400 KB (409,600 bytes), and an alert's item holds its keys, outcome, times and counters besides;
 * a large group's chunks hold alerts of up to 300,000 bytes too (issue 27.5).
 */
export const MAX_STORED_ALERT_BYTES = 300_000;

/** An alert too large to store: refused (413) before anything is written, so the sender does not retry it forever. */
export class AlertTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly field: string,
    readonly fieldBytes: number,
    readonly index?: number,
    readonly count?: number,
  ) {
    const which = index === undefined || count === undefined || count === 1 ? 'The alert' : `Alert ${index + 1} of ${count}`;
    super(
      `${which} is ${bytes.toLocaleString('en')} bytes as stored (its largest field, "${field}", is ${fieldBytes.toLocaleString('en')} bytes); ` +
        `the limit is ${MAX_STORED_ALERT_BYTES.toLocaleString('en')} bytes per alert (DynamoDB's item limit is 400 KB): nothing was stored`,
    );
    this.name = 'AlertTooLargeError';
  }

  /** Where: the alert (by its place in the request) and its largest field. */
  get path(): string {
    return `${this.index === undefined ? 'alert' : `alerts[${this.index}]`}.${this.field}`;
  }
}

const utf8 = new TextEncoder();
const jsonBytes = (value: unknown) => utf8.encode(JSON.stringify(value) ?? '').length;

/** Throws AlertTooLargeError for the first alert (as normalised, before bounding) that is too large to store. */
export function assertStorable(alerts: readonly NormalisedAlert[]): void {
  alerts.forEach((alert, index) => {
    const bytes = jsonBytes(alert);
    if (bytes <= MAX_STORED_ALERT_BYTES) return;
    const [field, fieldBytes] = Object.entries(alert)
      .map(([name, value]) => [name, jsonBytes(value)] as const)
      .reduce((largest, entry) => (entry[1] > largest[1] ? entry : largest), ['', 0] as readonly [string, number]);
    throw new AlertTooLargeError(bytes, field, fieldBytes, alerts.length > 1 ? index : undefined, alerts.length);
  });
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
    // Beyond ±8.64e15 ms a Date is invalid (toISOString throws): not a time.
    return Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) && ms <= 8.64e15 ? new Date(ms).toISOString() : undefined;
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

/** Lone UTF-16 surrogates (invalid UTF-8 on the wire, refused by DynamoDB) become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const MAX_NAME = 128;
const MAX_LABELS = 64;
const MAX_LABEL_VALUE = 1_024;
const MAX_DETAIL_STRING = 4_096;
const MAX_DETAIL_DEPTH = 8;
const MAX_DETAILS_JSON = 64 * 1024;

/** A map key DynamoDB accepts and people can read: well-formed, non-empty, at most 128 characters. */
function name(key: string): string {
  const clean = wellFormed(key).trim();
  if (!clean) return '(empty)';
  // Own properties named like Object's (constructor, __proto__, toString …) confuse object handling downstream
  // (the DynamoDB marshaller takes {constructor: "!"} for a class instance): kept with a mark.
  if (clean in Object.prototype) return `${clean} (name)`;
  return stableKey(clean, MAX_NAME);
}

function boundedValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return clip(wellFormed(value), MAX_DETAIL_STRING);
  if (typeof value === 'number') {
    // What DynamoDB and its JS marshalling both take: a magnitude of 0 or from 1e-130 up to 2^53−1 (the
    // marshaller refuses larger JS numbers, which have lost precision anyway); anything else is kept as text.
    const magnitude = Math.abs(value);
    return Number.isFinite(value) && (magnitude === 0 || (magnitude >= 1e-130 && magnitude <= Number.MAX_SAFE_INTEGER)) ? value : String(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DETAIL_DEPTH) return clip(JSON.stringify(value) ?? '', MAX_DETAIL_STRING);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => boundedValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value).slice(0, 200)) out[name(key)] = boundedValue(v, depth + 1);
  return out;
}

/**
 * What the store can hold, whatever the sender put in (issue 15.7): ids within DynamoDB's key limits
 * (long ones keep a readable prefix and a hash), label and detail names non-empty and well-formed, values
 * clipped, details bounded in depth and size. The raw payload is kept as sent (it is one string) as evidence.
 */
export function boundedAlert(alert: NormalisedAlert): NormalisedAlert {
  const labels = alert.labels
    ? Object.fromEntries(Object.entries(alert.labels).slice(0, MAX_LABELS).map(([k, v]) => [name(k), clip(wellFormed(String(v)), MAX_LABEL_VALUE)]))
    : undefined;
  let details = alert.details ? (boundedValue(alert.details, 0) as Record<string, unknown>) : undefined;
  if (details && JSON.stringify(details).length > MAX_DETAILS_JSON) details = { truncated: true, note: 'details larger than 64 KiB: see the raw payload (evidence)' };
  return {
    ...alert,
    fingerprint: stableKey(wellFormed(alert.fingerprint), 400),
    title: wellFormed(alert.title),
    ...(alert.description !== undefined ? { description: wellFormed(alert.description) } : {}),
    ...(alert.category !== undefined ? { category: clip(wellFormed(alert.category), 256) } : {}),
    ...(alert.senderEventId !== undefined ? { senderEventId: stableKey(wellFormed(alert.senderEventId), 400) } : {}),
    ...(alert.link !== undefined ? { link: clip(wellFormed(alert.link), 2_048) } : {}),
    ...(labels ? { labels } : {}),
    ...(details ? { details } : {}),
  };
}
