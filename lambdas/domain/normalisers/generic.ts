import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { ALERT_STATUSES } from '../alert.js';
import { SEVERITIES } from '../incident-record.js';
import { json, parseWith, type Normaliser } from './common.js';

const instant = once(() => z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone, e.g. 2026-11-23T03:12:00Z' }));

/** POST /alerts/generic — the format for custom scripts and tools without a dedicated normaliser. */
export const genericAlertSchema = once(() =>
  z.strictObject({
      title: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
      severity: z.enum(SEVERITIES),
      fingerprint: z.string().check(z.trim(), z.minLength(1), z.maxLength(256)),
      status: z.optional(z.enum(ALERT_STATUSES)),
      occurredAt: z.optional(instant()),
      observedAt: z.optional(instant()),
      id: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
      description: z.optional(z.string().check(z.maxLength(4000))),
      category: z.optional(z.string().check(z.maxLength(200))),
      labels: z.optional(z.record(z.string(), z.string().check(z.maxLength(500)))),
      details: z.optional(z.record(z.string(), z.unknown())),
    }).check(z.refine((alert) => alert.occurredAt !== undefined || alert.observedAt !== undefined, {
      message: 'give occurredAt (when it happened) or observedAt (when the tool saw it), or both',
      path: ['occurredAt'],
    })),
);

export const genericNormaliser: Normaliser = {
  source: 'generic',
  expected: 'breachclock generic alert',
  normalise({ body }) {
    const alert = parseWith(genericAlertSchema(), body, 'generic', this.expected);
    return [
      {
        source: 'generic',
        fingerprint: alert.fingerprint,
        title: alert.title,
        severity: alert.severity,
        status: alert.status ?? 'firing',
        ...(alert.occurredAt ? { occurredAt: alert.occurredAt } : {}),
        ...(alert.observedAt ? { observedAt: alert.observedAt } : {}),
        ...(alert.id ? { senderEventId: alert.id } : {}),
        ...(alert.description ? { description: alert.description } : {}),
        ...(alert.category ? { category: alert.category } : {}),
        ...(alert.labels ? { labels: alert.labels } : {}),
        ...(alert.details ? { details: alert.details } : {}),
        raw: json(body),
      },
    ];
  },
};
