import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, looseInstant, severityFromWord, stableKey, type NormalisedAlert } from '../alert.js';
import { json, parseWith, type Normaliser } from './common.js';

/** AWS Security Finding Format (ASFF), the fields breachclock reads. */
export const asffFindingSchema = once(() =>
  z.looseObject({
    Id: z.string().check(z.minLength(1)),
    ProductArn: z.string().check(z.minLength(1)),
    AwsAccountId: z.string(),
    Types: z.optional(z.array(z.string())),
    FirstObservedAt: z.optional(z.string()),
    CreatedAt: z.string(),
    UpdatedAt: z.string(),
    Severity: z.looseObject({ Label: z.optional(z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])), Normalized: z.optional(z.number()) }),
    Title: z.string(),
    Description: z.optional(z.string()),
    Resources: z.optional(z.array(z.looseObject({ Type: z.string(), Id: z.string() }))),
    Workflow: z.optional(z.object({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) })),
    RecordState: z.optional(z.enum(['ACTIVE', 'ARCHIVED'])),
    /** ASFF's own marker for sample findings. */
    Sample: z.optional(z.boolean()),
  }),
);

const securityHubEventBridgeSchema = once(() =>
  z.looseObject({
    'detail-type': z.enum(['Security Hub Findings - Imported', 'Security Hub Findings - Custom Action']),
    source: z.literal('aws.securityhub'),
    id: z.string(),
    detail: z.object({ findings: z.array(asffFindingSchema()).check(z.minLength(1)) }),
  }),
);
const securityHubFindingsSchema = once(() => z.looseObject({ findings: z.array(asffFindingSchema()).check(z.minLength(1)) }));
export const securityHubEventSchema = once(() => z.union([securityHubEventBridgeSchema(), securityHubFindingsSchema()]));

function normalisedLabel(finding: z.infer<ReturnType<typeof asffFindingSchema>>): string | undefined {
  if (finding.Severity.Label) return finding.Severity.Label;
  const n = finding.Severity.Normalized;
  if (n === undefined) return undefined;
  return n >= 90 ? 'CRITICAL' : n >= 70 ? 'HIGH' : n >= 40 ? 'MEDIUM' : n >= 1 ? 'LOW' : 'INFORMATIONAL';
}

export const securityHubNormaliser: Normaliser = {
  source: 'securityhub',
  expected: 'Security Hub findings (EventBridge "Security Hub Findings - Imported" event or {"findings":[ASFF…]})',
  normalise({ body }) {
    const parsed = parseWith(securityHubEventSchema(), body, 'securityhub', this.expected);
    const envelope = 'detail-type' in parsed ? (parsed as z.infer<ReturnType<typeof securityHubEventBridgeSchema>>) : undefined;
    const findings = envelope ? envelope.detail.findings : (parsed as z.infer<ReturnType<typeof securityHubFindingsSchema>>).findings;
    const eventId = envelope?.id;
    return findings.map((finding, index): NormalisedAlert => {
      const resolved = finding.Workflow?.Status === 'RESOLVED' || finding.Workflow?.Status === 'SUPPRESSED' || finding.RecordState === 'ARCHIVED';
      const observedAt = looseInstant(finding.FirstObservedAt ?? finding.CreatedAt);
      return {
        source: 'securityhub',
        // Finding ids are unique per product; the product ARN keeps two products' ids apart.
        fingerprint: stableKey(`${finding.ProductArn}|${finding.Id}`),
        title: clip(finding.Title, 300),
        severity: severityFromWord(normalisedLabel(finding)),
        status: resolved ? 'resolved' : 'firing',
        ...(finding.Types?.[0] ? { category: finding.Types[0] } : {}),
        labels: { account: finding.AwsAccountId, product: finding.ProductArn.split('/').slice(-2).join('/') },
        ...(finding.Description ? { description: clip(finding.Description, 2000) } : {}),
        ...(observedAt ? { observedAt } : {}),
        senderEventId: eventId ? `${eventId}#${index}` : `${finding.Id}@${finding.UpdatedAt}`,
        ...(finding.Sample === true ? { sample: true } : {}),
        raw: json(finding),
      };
    });
  },
};
