import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, looseInstant, severityFromWord, stableKey } from '../alert.js';
import { json, parseWith, type Normaliser } from './common.js';

/** PagerDuty Events API v2 (what many scripts and tools already speak). */
export const pagerDutySchema = once(() => z.discriminatedUnion('event_action', [
  z.object({
    routing_key: z.string().check(z.minLength(1)),
    event_action: z.literal('trigger'),
    dedup_key: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
    payload: z.object({
      summary: z.string().check(z.minLength(1), z.maxLength(1024)),
      source: z.string().check(z.minLength(1)),
      severity: z.enum(['critical', 'error', 'warning', 'info']),
      timestamp: z.optional(z.string()),
      component: z.optional(z.string()),
      group: z.optional(z.string()),
      class: z.optional(z.string()),
      custom_details: z.optional(z.unknown()),
    }),
    client: z.optional(z.string()),
    client_url: z.optional(z.string()),
    links: z.optional(z.array(z.unknown())),
    images: z.optional(z.array(z.unknown())),
  }),
  z.object({ routing_key: z.string().check(z.minLength(1)), event_action: z.literal('acknowledge'), dedup_key: z.string().check(z.minLength(1), z.maxLength(255)) }),
  z.object({ routing_key: z.string().check(z.minLength(1)), event_action: z.literal('resolve'), dedup_key: z.string().check(z.minLength(1), z.maxLength(255)) }),
]));

/** PagerDuty v3 webhooks (a webhook subscription: one event per request, the incident under event.data). */
export const pagerDutyWebhookSchema = once(() => z.object({
  event: z.object({
    id: z.string().check(z.minLength(1)),
    event_type: z.string().check(z.minLength(1)),
    resource_type: z.string().check(z.minLength(1)),
    occurred_at: z.optional(z.string()),
    data: z.looseObject({ id: z.optional(z.string().check(z.minLength(1))), type: z.optional(z.string()) }),
  }),
}));

const pagerDutyIncidentSchema = once(() => z.looseObject({
  id: z.string().check(z.minLength(1)),
  type: z.literal('incident'),
  title: z.string().check(z.minLength(1), z.maxLength(4096)),
  html_url: z.optional(z.string()),
  created_at: z.optional(z.string()),
  urgency: z.optional(z.string()),
  priority: z.optional(z.nullable(z.looseObject({ summary: z.optional(z.string()) }))),
  service: z.optional(z.nullable(z.looseObject({ summary: z.optional(z.string()) }))),
}));

/** v3 event types that carry an alert: opened (triggered, reopened), acknowledged and resolved at source. */
const WEBHOOK_STATUS: Readonly<Record<string, 'firing' | 'acknowledged' | 'resolved'>> = {
  'incident.triggered': 'firing',
  'incident.reopened': 'firing',
  'incident.acknowledged': 'acknowledged',
  'incident.resolved': 'resolved',
};

/** P1/P2 priorities name the severity; otherwise PagerDuty's urgency (high → high, low → medium). */
function webhookSeverity(incident: z.infer<ReturnType<typeof pagerDutyIncidentSchema>>) {
  const priority = incident.priority?.summary?.trim().toUpperCase();
  if (priority === 'P1') return 'critical' as const;
  if (priority === 'P2') return 'high' as const;
  return incident.urgency === 'high' ? ('high' as const) : ('medium' as const);
}

function normaliseWebhook(body: unknown, expected: string) {
  const { event } = parseWith(pagerDutyWebhookSchema(), body, 'pagerduty', expected);
  const status = WEBHOOK_STATUS[event.event_type];
  // Notes, responders, priority changes, services …: accepted (PagerDuty keeps the subscription healthy) and not alerts.
  if (!status || event.resource_type !== 'incident') return [];
  const incident = parseWith(pagerDutyIncidentSchema(), event.data, 'pagerduty', expected);
  const occurredAt = looseInstant(incident.created_at);
  return [
    {
      source: 'pagerduty',
      // One PagerDuty incident, one breachclock incident: every event of it joins the same fingerprint.
      fingerprint: stableKey(`incident:${incident.id}`),
      title: status === 'firing' ? clip(incident.title, 300) : `${status === 'resolved' ? 'Resolved' : 'Acknowledged'} at source: ${clip(incident.title, 250)}`,
      severity: status === 'firing' ? webhookSeverity(incident) : ('info' as const),
      status,
      labels: { pagerdutyIncident: incident.id, ...(incident.service?.summary ? { service: incident.service.summary } : {}) },
      ...(occurredAt && status === 'firing' ? { occurredAt, observedAt: occurredAt } : {}),
      ...(incident.html_url ? { link: incident.html_url } : {}),
      raw: json(body),
    },
  ];
}

export const pagerDutyNormaliser: Normaliser = {
  source: 'pagerduty',
  expected: 'PagerDuty Events API v2 event or v3 webhook',
  normalise({ body }) {
    if (typeof body === 'object' && body !== null && 'event' in body && !('event_action' in body)) return normaliseWebhook(body, this.expected);
    const event = parseWith(pagerDutySchema(), body, 'pagerduty', this.expected);
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
