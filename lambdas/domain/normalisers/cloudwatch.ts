import * as z from 'zod';
import { once } from '../once.js';
import { clip, looseInstant, stableKey, type NormalisedAlert } from '../alert.js';
import { parseWith } from './common.js';

/** The alarm state change CloudWatch publishes to SNS (the SNS "Message", JSON text). */
export const cloudWatchAlarmSchema = once(() =>
  z
    .object({
      AlarmName: z.string().min(1),
      AlarmDescription: z.string().nullable().optional(),
      AWSAccountId: z.string(),
      NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
      NewStateReason: z.string().optional(),
      StateChangeTime: z.string(),
      Region: z.string().optional(),
      AlarmArn: z.string().optional(),
      OldStateValue: z.string().optional(),
      Trigger: z.object({ MetricName: z.string().optional(), Namespace: z.string().optional() }).passthrough().optional(),
    })
    .passthrough(),
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
