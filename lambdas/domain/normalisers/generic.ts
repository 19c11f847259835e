import * as z from 'zod';
import { once } from '../once.js';
import { ALERT_STATUSES } from '../alert.js';
import { SEVERITIES } from '../incident-record.js';
import { json, parseWith, type Normaliser } from './common.js';

const instant = once(() => z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone, e.g. 2026-11-23T03:12:00Z' }));

/** POST /alerts/generic — the format for custom scripts and tools without a dedicated normaliser. */
export const genericAlertSchema = once(() =>
  z
    .object({
      title: z.string().trim().min(1).max(300),
      severity: z.enum(SEVERITIES),
      fingerprint: z.string().trim().min(1).max(256),
      status: z.enum(ALERT_STATUSES).optional(),
      occurredAt: instant().optional(),
      observedAt: instant().optional(),
      id: z.string().trim().min(1).max(256).optional(),
      description: z.string().max(4000).optional(),
      category: z.string().max(200).optional(),
      labels: z.record(z.string(), z.string().max(500)).optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .strict()
    .refine((alert) => alert.occurredAt !== undefined || alert.observedAt !== undefined, {
      message: 'give occurredAt (when it happened) or observedAt (when the tool saw it), or both',
      path: ['occurredAt'],
    }),
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
