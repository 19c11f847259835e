import { escapeSlack } from './slack-text.js';
import { formatDuration } from './duration.js';
import type { EscalationStep, EscalationTarget } from './escalation-ladder.js';
import { gdprClock, type ClockView } from './gdpr-clock.js';
import type { Incident, TimelineEvent } from './incident.js';

/** Slack and SNS reach people; trail-anchor signs and stores the audit trail's head (domain/trail-anchor.ts). */
export type DeliveryChannel = 'slack' | 'sns' | 'trail-anchor';

/**
 * A message to deliver, written to the outbox in the same transaction as the state change it reports.
 * The id is deterministic (incident, event, target), so writing it twice is refused by the store and a
 * redelivered stream record finds it already delivered. Messages carry incident facts only: no alert
 * details, no personal data of affected people.
 */
export interface OutboxMessage {
  readonly messageId: string;
  readonly incidentId: string;
  readonly channel: DeliveryChannel;
  /**
   * A state change refreshes the incident's live Slack message; an escalation also alerts people; a digest
   * is one Slack post for a channel's burst of escalations (docs/architecture.md, Delivery).
   */
  readonly kind?: 'state' | 'escalation' | 'digest';
  /** Logical SNS topic (e.g. "dpo"); mapped to an ARN by configuration. */
  readonly topic?: string;
  /** A Slack channel other than the incident's (escalation step target). */
  readonly slackChannel?: string;
  readonly subject: string;
  readonly text: string;
  readonly createdAt: string;
}

export interface MessageContext {
  /** Where people open the incident (dashboard or API); optional. */
  readonly incidentUrl?: (incidentId: string) => string;
}

function clockLine(clock: ClockView): string {
  const due = clock.dueAt.replace('.000Z', 'Z');
  switch (clock.status) {
    case 'running':
      return `GDPR Art. 33 deadline ${due} (${formatDuration(clock.timeLeftMs)} left${clock.provisional ? ', provisional: runs from detection until awareness is confirmed' : ''})`;
    case 'overdue':
      return `GDPR Art. 33 deadline ${due} PASSED ${formatDuration(-clock.timeLeftMs)} ago: notify now, with reasons for the delay`;
    case 'met':
      return `GDPR Art. 33 notification made (deadline was ${due})`;
    case 'stopped':
      return `GDPR Art. 33 clock stopped (incident ${clock.status})`;
  }
}

function header(incident: Incident): string {
  return `[${incident.severity.toUpperCase()}] ${incident.id}: ${incident.title}`;
}

function footer(incident: Incident, context: MessageContext): string {
  const link = context.incidentUrl ? `\nOpen: ${context.incidentUrl(incident.id)}` : '';
  return `Status: ${incident.status} · alerts: ${incident.alertCount}${link}`;
}

/** SNS subjects: ASCII printable, at most 100 characters, no line breaks. */
export function subjectOf(text: string): string {
  const ascii = text.replace(/[^\x20-\x7E]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/** Slack notice of a state change (opened, acknowledged, confirmed, dismissed, closed). */
export function stateChangeMessage(incident: Incident, event: TimelineEvent, now: Date, context: MessageContext = {}): OutboxMessage {
  const clock = gdprClock(incident, now);
  // Slack text: everything from alerts and people escaped (no planted mentions or disguised links).
  const text = escapeSlack([`${header(incident)}`, event.summary, clockLine(clock), footer(incident, context)].join('\n'));
  return {
    messageId: `${incident.id}.${event.type}.v${incident.version}.slack`,
    incidentId: incident.id,
    channel: 'slack',
    kind: 'state',
    subject: subjectOf(`${event.type.replace('incident.', '')}: ${incident.id}`),
    text,
    createdAt: now.toISOString(),
  };
}

/** One message per target of an escalation step that fired. */
export function escalationMessages(
  incident: Incident,
  step: EscalationStep,
  now: Date,
  context: MessageContext = {},
  passedOver: readonly EscalationStep[] = [],
): OutboxMessage[] {
  const clock = gdprClock(incident, now);
  const body = [
    `Escalation level ${step.level}: ${step.label}`,
    ...(passedOver.length ? [`Caught up: ${passedOver.map((s) => `level ${s.level} (${s.label})`).join('; ')} ${passedOver.length === 1 ? 'was' : 'were'} already due and ${passedOver.length === 1 ? 'is' : 'are'} passed over, so this is one message at the most severe level.`] : []),
    header(incident),
    clockLine(clock),
    footer(incident, context),
  ].join('\n');
  return step.targets.map((target: EscalationTarget, index) => {
    const base = {
      messageId: `${incident.id}.escalation.${step.id}.e${incident.planEpoch}.${index}`,
      incidentId: incident.id,
      subject: subjectOf(`breachclock L${step.level} ${incident.id}: ${step.label}`),
      createdAt: now.toISOString(),
      kind: 'escalation' as const,
    };
    return target.kind === 'slack'
      ? { ...base, channel: 'slack' as const, ...(target.slackChannel ? { slackChannel: target.slackChannel } : {}), text: target.mention ? `${target.mention} ${escapeSlack(body)}` : escapeSlack(body) }
      : { ...base, channel: 'sns' as const, topic: target.topic, text: body };
  });
}

/** What a channel's digest says: the escalations merged into it (their subjects), the first 40 listed. */
export function digestText(lines: readonly string[], mentions: readonly string[] = []): string {
  const sorted = [...lines].sort();
  const shown = sorted.slice(0, 40);
  return [
    ...(mentions.length ? [[...new Set(mentions)].sort().join(' ')] : []),
    `${sorted.length} escalations for this channel at once (Slack takes about one post a second per channel), in one post:`,
    ...shown.map((line) => `• ${escapeSlack(line)}`),
    ...(sorted.length > shown.length ? [`… and ${sorted.length - shown.length} more: each incident's page shows its escalation.`] : []),
  ].join('\n');
}
