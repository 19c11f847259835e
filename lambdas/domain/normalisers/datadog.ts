import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, looseInstant, severityFromWord, stableKey, type AlertStatus } from '../alert.js';
import type { Severity } from '../incident.js';
import { json, parseWith, type Normaliser } from './common.js';

/**
 * Datadog webhook. The default payload has no stable alert id ($ID changes with every notification), so
 * alerts are grouped by their title without the "[Triggered]" prefix. The recommended payload
 * (docs/sources.md) adds $ALERT_ID, $AGGREG_KEY, $ALERT_TRANSITION, $ALERT_PRIORITY, $ALERT_TYPE and $TAGS.
 */
export const datadogSchema = once(() =>
  z.looseObject({
    id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
    title: z.string().check(z.minLength(1)),
    body: z.optional(z.string()),
    date: z.optional(z.union([z.string(), z.number()])),
    last_updated: z.optional(z.union([z.string(), z.number()])),
    event_type: z.optional(z.string()),
    org: z.optional(z.object({ id: z.optional(z.union([z.string(), z.number()])), name: z.optional(z.string()) })),
    alert_id: z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))),
    alert_cycle_key: z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))),
    aggreg_key: z.optional(z.string()),
    alert_transition: z.optional(z.string()),
    alert_status: z.optional(z.string()),
    alert_priority: z.optional(z.string()),
    alert_type: z.optional(z.string()),
    tags: z.optional(z.string()),
    link: z.optional(z.string()),
  }),
);

const TRANSITION_PREFIX = /^\s*\[(Triggered|Re-Triggered|Recovered|Warn|Warning|No Data|Re-Warn|P\d)[^\]]*\]\s*/i;

function statusOf(transition: string | undefined, title: string): AlertStatus {
  const word = (transition ?? TRANSITION_PREFIX.exec(title)?.[1] ?? 'Triggered').toLowerCase();
  if (word.startsWith('recovered')) return 'resolved';
  if (word.startsWith('no data')) return 'info';
  return 'firing';
}

function severityOf(priority: string | undefined, type: string | undefined): Severity {
  if (priority) return severityFromWord(priority);
  if (type === 'success') return 'info';
  return severityFromWord(type);
}

function tagsToLabels(tags: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of (tags ?? '').split(',')) {
    const [key, ...rest] = tag.trim().split(':');
    if (key) labels[key] = rest.join(':') || 'true';
  }
  return labels;
}

export const datadogNormaliser: Normaliser = {
  source: 'datadog',
  expected: 'Datadog webhook',
  normalise({ body }) {
    const event = parseWith(datadogSchema(), body, 'datadog', this.expected);
    const cleanTitle = event.title.replace(TRANSITION_PREFIX, '') || event.title;
    const identity = event.aggreg_key ? `aggreg:${event.aggreg_key}` : event.alert_id ? `monitor:${event.alert_id}` : `title:${cleanTitle}`;
    const occurredAt = looseInstant(event.date ?? event.last_updated);
    const labels = tagsToLabels(event.tags);
    return [
      {
        source: 'datadog',
        fingerprint: stableKey(identity),
        title: clip(cleanTitle, 300),
        severity: severityOf(event.alert_priority, event.alert_type),
        status: statusOf(event.alert_transition, event.title),
        senderEventId: event.id,
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(event.body ? { description: clip(event.body.replace(/%%%/g, ''), 2000) } : {}),
        ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
        ...(event.link ? { link: event.link } : {}),
        raw: json(body),
      },
    ];
  },
};
