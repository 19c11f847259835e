import * as z from 'zod';
import { clip, looseInstant, severityFromWord, stableKey } from '../alert.js';
import { json, parseWith, type Normaliser } from './common.js';

/** PagerDuty Events API v2 (what many scripts and tools already speak). */
export const pagerDutySchema = z.discriminatedUnion('event_action', [
  z.object({
    routing_key: z.string().min(1),
    event_action: z.literal('trigger'),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: z.object({
      summary: z.string().min(1).max(1024),
      source: z.string().min(1),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
      timestamp: z.string().optional(),
      component: z.string().optional(),
      group: z.string().optional(),
      class: z.string().optional(),
      custom_details: z.unknown().optional(),
    }),
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(z.unknown()).optional(),
    images: z.array(z.unknown()).optional(),
  }),
  z.object({ routing_key: z.string().min(1), event_action: z.literal('acknowledge'), dedup_key: z.string().min(1).max(255) }),
  z.object({ routing_key: z.string().min(1), event_action: z.literal('resolve'), dedup_key: z.string().min(1).max(255) }),
]);

export const pagerDutyNormaliser: Normaliser = {
  source: 'pagerduty',
  expected: 'PagerDuty Events API v2 event',
  normalise({ body }) {
    const event = parseWith(pagerDutySchema, body, 'pagerduty', this.expected);
    // The routing key is a credential: it is checked by authentication and never stored.
    const { routing_key: _key, ...evidence } = event;
    if (event.event_action !== 'trigger') {
      return [
        {
          source: 'pagerduty',
          fingerprint: stableKey(event.dedup_key),
          title: `${event.event_action === 'resolve' ? 'Resolved' : 'Acknowledged'} at source: ${event.dedup_key}`,
          severity: 'info',
          status: event.event_action === 'resolve' ? 'resolved' : 'acknowledged',
          raw: json(evidence),
        },
      ];
    }
    const { payload } = event;
    const occurredAt = looseInstant(payload.timestamp);
    const labels: Record<string, string> = { source: payload.source };
    if (payload.component) labels.component = payload.component;
    if (payload.group) labels.group = payload.group;
    if (payload.class) labels.class = payload.class;
    return [
      {
        source: 'pagerduty',
        fingerprint: stableKey(event.dedup_key ?? `${payload.source}|${payload.summary}`),
        title: clip(payload.summary, 300),
        severity: severityFromWord(payload.severity),
        status: 'firing',
        labels,
        ...(payload.class ? { category: payload.class } : {}),
        ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
        ...(event.client_url ? { link: event.client_url } : {}),
        raw: json(evidence),
      },
    ];
  },
};
