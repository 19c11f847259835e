import * as z from 'zod';
import { SEVERITIES } from '../domain/incident.js';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone, e.g. 2026-11-23T03:12:00Z' });

/** POST /alerts/generic — the format for custom scripts and tools without a dedicated normaliser. */
export const genericAlertSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    severity: z.enum(SEVERITIES),
    /** What makes two alerts "the same": same fingerprint while an incident is open → same incident. */
    fingerprint: z.string().trim().min(1).max(256),
    occurredAt: instant.optional(),
    observedAt: instant.optional(),
    /** The sender's id for this event: a retried delivery with the same id is not counted twice. */
    id: z.string().trim().min(1).max(256).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((alert) => alert.occurredAt !== undefined || alert.observedAt !== undefined, {
    message: 'give occurredAt (when it happened) or observedAt (when the tool saw it), or both',
    path: ['occurredAt'],
  });

export type GenericAlert = z.infer<typeof genericAlertSchema>;
