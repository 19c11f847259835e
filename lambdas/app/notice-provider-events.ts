import type { DeliveryStore } from '../ports/delivery-store.js';
import type { Clock } from '../ports/clock.js';

/**
 * What the SES events function does, in a module of its own: it records a provider's event on a recipient and
 * never renders a notice, so its bundle carries neither the notice packs nor the jurisdiction packs (ADR 0018).
 */

/** An SES event (through SNS or EventBridge): delivery, bounce or complaint, recorded on the recipient it belongs to. */
export interface ProviderEvent {
  readonly eventType: string;
  readonly mail: { readonly messageId: string; readonly timestamp?: string; readonly tags?: Readonly<Record<string, readonly string[]>> };
  readonly delivery?: { readonly timestamp?: string };
  readonly bounce?: { readonly bounceType?: string; readonly bounceSubType?: string; readonly timestamp?: string };
  readonly complaint?: { readonly complaintFeedbackType?: string; readonly timestamp?: string };
}

export async function recordProviderEvent(deps: { readonly deliveries: DeliveryStore; readonly clock: Clock }, event: ProviderEvent): Promise<'recorded' | 'ignored' | 'unknown-message'> {
  const type = ({ Delivery: 'delivered', Bounce: 'bounced', Complaint: 'complained' } as const)[event.eventType as 'Delivery' | 'Bounce' | 'Complaint'];
  if (!type) return 'ignored';
  const timestamp = event.delivery?.timestamp ?? event.bounce?.timestamp ?? event.complaint?.timestamp ?? event.mail.timestamp;
  const at = timestamp && Number.isFinite(Date.parse(timestamp)) ? new Date(timestamp) : deps.clock.now();
  const detail = event.bounce ? `${event.bounce.bounceType ?? 'bounce'}/${event.bounce.bounceSubType ?? ''}` : event.complaint ? `complaint: ${event.complaint.complaintFeedbackType ?? 'unspecified'}` : undefined;
  // The tags the sender set (incidentId, noticeId, recipient key) find a parked send whose message id was never recorded.
  const tag = (name: string) => event.mail.tags?.[name]?.[0];
  const [incidentId, noticeId, key] = [tag('incidentId'), tag('noticeId'), tag('recipient')];
  const tagged = incidentId && noticeId && key ? { ref: { incidentId, noticeId }, key } : undefined;
  return (await deps.deliveries.recordEvent(event.mail.messageId, type, at, detail, tagged)) ? 'recorded' : 'unknown-message';
}
