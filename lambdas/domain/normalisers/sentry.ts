import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, looseInstant, severityFromWord, stableKey, type NormalisedAlert } from '../alert.js';
import { json, parseWith, type Normaliser } from './common.js';

const eventAlertSchema = once(() => z.object({
  action: z.literal('triggered'),
  data: z.object({
    event: z.looseObject({
      event_id: z.string(),
      issue_id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
      title: z.string(),
      level: z.optional(z.string()),
      datetime: z.optional(z.string()),
      web_url: z.optional(z.string()),
      tags: z.optional(z.array(z.tuple([z.string(), z.string()]))),
    }),
    triggered_rule: z.optional(z.string()),
  }),
}));

const metricAlertSchema = once(() => z.object({
  action: z.enum(['critical', 'warning', 'resolved']),
  data: z.object({
    description_title: z.string(),
    description_text: z.optional(z.string()),
    web_url: z.optional(z.string()),
    metric_alert: z.looseObject({
      id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
      title: z.optional(z.string()),
      date_started: z.optional(z.string()),
      date_detected: z.optional(z.string()),
      alert_rule: z.looseObject({ id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)), name: z.string() }),
    }),
  }),
}));

const issueSchema = once(() => z.object({
  action: z.enum(['created', 'resolved', 'assigned', 'archived', 'ignored', 'unresolved']),
  data: z.object({
    issue: z.looseObject({ id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)), title: z.string(), level: z.optional(z.string()), firstSeen: z.optional(z.string()), permalink: z.optional(z.nullable(z.string())) }),
  }),
}));

/** Sentry integration-platform webhooks: issue alerts (event_alert), metric alerts and issue lifecycle. */
export const sentryNormaliser: Normaliser = {
  source: 'sentry',
  expected: 'Sentry webhook (Sentry-Hook-Resource event_alert, metric_alert or issue)',
  normalise({ body, headers }) {
    const resource = headers['sentry-hook-resource'];
    const requestId = headers['request-id'];
    switch (resource) {
      case 'event_alert': {
        const { data } = parseWith(eventAlertSchema(), body, 'sentry', 'Sentry issue alert (event_alert)');
        const labels = Object.fromEntries(data.event.tags ?? []);
        const occurredAt = looseInstant(data.event.datetime);
        return [
          {
            source: 'sentry',
            fingerprint: `issue:${data.event.issue_id}`,
            title: clip(data.event.title, 300),
            severity: severityFromWord(data.event.level, 'high'),
            status: 'firing',
            ...(data.triggered_rule ? { category: data.triggered_rule } : {}),
            ...(Object.keys(labels).length ? { labels } : {}),
            ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
            senderEventId: requestId ?? `event:${data.event.event_id}`,
            ...(data.event.web_url ? { link: data.event.web_url } : {}),
            raw: json(body),
          },
        ];
      }
      case 'metric_alert': {
        const { action, data } = parseWith(metricAlertSchema(), body, 'sentry', 'Sentry metric alert (metric_alert)');
        const occurredAt = looseInstant(data.metric_alert.date_started ?? data.metric_alert.date_detected);
        return [
          {
            source: 'sentry',
            // One Sentry metric-alert incident: its "resolved" carries the same id.
            fingerprint: stableKey(`metric:${data.metric_alert.id}`),
            title: clip(data.description_title, 300),
            severity: action === 'critical' ? 'critical' : 'medium',
            status: action === 'resolved' ? 'resolved' : 'firing',
            category: data.metric_alert.alert_rule.name,
            ...(data.description_text ? { description: clip(data.description_text, 2000) } : {}),
            ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
            ...(requestId ? { senderEventId: requestId } : {}),
            ...(data.web_url ? { link: data.web_url } : {}),
            raw: json(body),
          },
        ];
      }
      case 'issue': {
        const { action, data } = parseWith(issueSchema(), body, 'sentry', 'Sentry issue webhook (issue)');
        const status: NormalisedAlert['status'] = action === 'resolved' || action === 'ignored' || action === 'archived' ? 'resolved' : action === 'assigned' ? 'info' : 'firing';
        const occurredAt = looseInstant(data.issue.firstSeen);
        return [
          {
            source: 'sentry',
            fingerprint: `issue:${data.issue.id}`,
            title: clip(data.issue.title, 300),
            severity: severityFromWord(data.issue.level, 'high'),
            status,
            ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
            ...(requestId ? { senderEventId: requestId } : {}),
            ...(data.issue.permalink ? { link: data.issue.permalink } : {}),
            raw: json(body),
          },
        ];
      }
      default:
        throw new Error(`unreachable: resource ${resource}`);
    }
  },
};

export const SENTRY_RESOURCES = ['event_alert', 'metric_alert', 'issue'] as const;
