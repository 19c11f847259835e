import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, looseInstant, stableKey } from '../alert.js';
import type { Severity } from '../incident.js';
import { json, parseWith, type Normaliser } from './common.js';

export const guardDutyFindingSchema = once(() =>
  z.looseObject({
    id: z.string().check(z.minLength(1)),
    arn: z.optional(z.string()),
    type: z.string().check(z.minLength(1)),
    accountId: z.string(),
    region: z.string(),
    severity: z.number().check(z.gte(0), z.lte(10)),
    title: z.string(),
    description: z.optional(z.string()),
    createdAt: z.string(),
    updatedAt: z.optional(z.string()),
    resource: z.optional(z.looseObject({ resourceType: z.optional(z.string()) })),
    service: z.optional(z.looseObject({
      archived: z.optional(z.boolean()),
      count: z.optional(z.number()),
      eventFirstSeen: z.optional(z.string()),
      eventLastSeen: z.optional(z.string()),
      /** AWS's sample findings (CreateSampleFindings) carry additionalInfo.sample: true. */
      additionalInfo: z.optional(z.looseObject({ sample: z.optional(z.union([z.boolean(), z.string()])) })),
    })),
  }),
);

/** Either the EventBridge event ("GuardDuty Finding") or, over HTTP, the same event or a bare finding. */
const guardDutyEventBridgeSchema = once(() =>
  z.looseObject({ 'detail-type': z.literal('GuardDuty Finding'), source: z.literal('aws.guardduty'), id: z.string(), detail: guardDutyFindingSchema() }),
);
export const guardDutyEventSchema = once(() => z.union([guardDutyEventBridgeSchema(), guardDutyFindingSchema()]));
type GuardDutyFinding = z.infer<ReturnType<typeof guardDutyFindingSchema>>;
type GuardDutyEventBridge = z.infer<ReturnType<typeof guardDutyEventBridgeSchema>>;

/** GuardDuty's severity bands: 9–10 critical, 7–8.9 high, 4–6.9 medium, 1–3.9 low. */
export function guardDutySeverity(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

export const guardDutyNormaliser: Normaliser = {
  source: 'guardduty',
  expected: 'GuardDuty finding (EventBridge "GuardDuty Finding" event or finding JSON)',
  normalise({ body }) {
    const parsed = parseWith(guardDutyEventSchema(), body, 'guardduty', this.expected);
    const envelope = 'detail-type' in parsed ? (parsed as GuardDutyEventBridge) : undefined;
    const finding: GuardDutyFinding = envelope ? envelope.detail : (parsed as GuardDutyFinding);
    const eventId = envelope?.id;
    const occurredAt = looseInstant(finding.service?.eventFirstSeen);
    const observedAt = looseInstant(finding.createdAt);
    return [
      {
        source: 'guardduty',
        // The finding id, not the EventBridge event id: repeat occurrences update the same finding.
        fingerprint: stableKey(finding.id),
        title: clip(finding.title, 300),
        severity: guardDutySeverity(finding.severity),
        status: finding.service?.archived ? 'resolved' : 'firing',
        category: finding.type,
        labels: { account: finding.accountId, region: finding.region, ...(finding.resource?.resourceType ? { resourceType: finding.resource.resourceType } : {}) },
        ...(finding.description ? { description: clip(finding.description, 2000) } : {}),
        ...(occurredAt ? { occurredAt } : {}),
        ...(observedAt ? { observedAt } : {}),
        // EventBridge redelivers an event with the same id; each new occurrence is a new event.
        senderEventId: eventId ?? `${finding.id}@${finding.updatedAt ?? finding.createdAt}#${finding.service?.count ?? 1}`,
        ...(finding.arn ? { link: `https://console.aws.amazon.com/guardduty/home?region=${finding.region}#/findings?fId=${finding.id}` } : {}),
        ...(finding.service?.additionalInfo?.sample === true || finding.service?.additionalInfo?.sample === 'true' ? { sample: true } : {}),
        raw: json(body),
      },
    ];
  },
};
