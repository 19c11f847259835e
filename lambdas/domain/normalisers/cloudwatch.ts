import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, looseInstant, stableKey, type NormalisedAlert } from '../alert.js';
import { parseWith } from './common.js';

/** The alarm state change CloudWatch publishes to SNS (the SNS "Message", JSON text). */
export const cloudWatchAlarmSchema = once(() =>
  z.looseObject({
    AlarmName: z.string().check(z.minLength(1)),
    AlarmDescription: z.optional(z.nullable(z.string())),
    AWSAccountId: z.string(),
    NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
    NewStateReason: z.optional(z.string()),
    StateChangeTime: z.string(),
    Region: z.optional(z.string()),
    AlarmArn: z.optional(z.string()),
    OldStateValue: z.optional(z.string()),
    Trigger: z.optional(z.looseObject({ MetricName: z.optional(z.string()), Namespace: z.optional(z.string()) })),
  }),
);

/** A CloudWatch alarm from an SNS Notification. Identity: alarm name + account + region. */
export function cloudWatchAlarmAlert(messageText: string, snsMessageId: string): NormalisedAlert {
  let message: unknown;
  try {
    message = JSON.parse(messageText);
  } catch {
    message = messageText;
  }
  const alarm = parseWith(cloudWatchAlarmSchema(), message, 'cloudwatch', 'CloudWatch alarm notification (SNS Message)');
  const regionCode = alarm.AlarmArn?.split(':')[3] ?? alarm.Region ?? 'unknown-region';
  const occurredAt = looseInstant(alarm.StateChangeTime);
  const labels: Record<string, string> = { account: alarm.AWSAccountId, region: regionCode };
  if (alarm.Trigger?.Namespace) labels.namespace = alarm.Trigger.Namespace;
  if (alarm.Trigger?.MetricName) labels.metric = alarm.Trigger.MetricName;
  return {
    source: 'cloudwatch',
    fingerprint: stableKey(`${alarm.AWSAccountId}/${regionCode}/${alarm.AlarmName}`),
    title: clip(`${alarm.AlarmName}${alarm.NewStateReason ? `: ${alarm.NewStateReason}` : ''}`, 300),
    severity: 'medium',
    status: alarm.NewStateValue === 'ALARM' ? 'firing' : alarm.NewStateValue === 'OK' ? 'resolved' : 'info',
    labels,
    ...(alarm.AlarmDescription ? { description: clip(alarm.AlarmDescription, 2000) } : {}),
    ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
    senderEventId: snsMessageId,
    raw: messageText,
  };
}
