import type { Incident } from '../../domain/incident.js';
import type { MessageContext, OutboxMessage } from '../../domain/messages.js';
import { renderIncidentMessage } from '../../domain/slack-message.js';
import type { Clock } from '../../ports/clock.js';
import { PermanentDeliveryError, type MessageSender, type SendResult } from '../../ports/message-sender.js';
import { SlackMessageGoneError, type SlackMessageRef, type SlackWebApi } from '../../ports/slack-api.js';

export interface LiveMessageStore {
  getIncident(incidentId: string): Promise<Incident | undefined>;
  /** Stores the live message's ref if none is stored yet (or `replacing` is the stored one); returns the winner's ref when another was first. */
  setSlackMessage(incidentId: string, ref: SlackMessageRef, replacing?: SlackMessageRef): Promise<SlackMessageRef | undefined>;
}

/**
 * One Slack message per incident that stays current (Slack app with a bot token). Every state-change
 * message refreshes it from the incident's state at delivery time, so late or repeated deliveries never
 * show an old state. Escalations also post their text (with mentions) in the message's thread, broadcast to
 * the channel, so they notify people.
 */
export class LiveSlackSender implements MessageSender {
  constructor(
    private readonly deps: {
      readonly web: SlackWebApi;
      readonly channel: string;
      readonly store: LiveMessageStore;
      readonly clock: Clock;
      readonly messageContext?: MessageContext;
    },
  ) {}

  async send(message: OutboxMessage): Promise<SendResult> {
    const { web, channel, store, clock } = this.deps;
    if (message.kind === 'digest') {
      // A channel's burst of escalations in one post (the dispatcher wrote its text); no incident's live message.
      const posted = await web.postMessage({ channel: message.slackChannel ?? channel, text: message.text, metadata: outboxMetadata(message) });
      return { providerMessageId: posted.ts };
    }
    const incident = await store.getIncident(message.incidentId);
    if (!incident) throw new PermanentDeliveryError(`Incident ${message.incidentId} not found`);
    const rendered = renderIncidentMessage(incident, clock.now(), this.deps.messageContext ?? {});
    let ref = incident.slackMessage;
    let reposted: SendResult['reposted'];
    const postLive = async (replacing?: SlackMessageRef): Promise<SlackMessageRef> => {
      const posted = await web.postMessage({ channel, ...rendered });
      const existing = await store.setSlackMessage(incident.id, posted, replacing);
      if (!existing) return posted;
      // Another delivery posted first: keep one live message.
      await web.deleteMessage(posted);
      await web.updateMessage(existing, rendered);
      return existing;
    };
    if (ref) {
      try {
        await web.updateMessage(ref, rendered);
      } catch (error) {
        if (!(error instanceof SlackMessageGoneError)) throw error;
        // Someone deleted the live message (or the workspace lost it): post it again rather than fail every
        // later delivery, and say so on the timeline (the dispatcher records `reposted`).
        const gone = ref;
        ref = await postLive(gone);
        if (ref.ts !== gone.ts) reposted = { channel: ref.channel, ts: ref.ts, reason: error.message };
      }
    } else {
      ref = await postLive();
    }
    if (message.kind === 'escalation') {
      // In the live message's thread (broadcast, so it notifies), or in the step's own channel.
      const reply =
        message.slackChannel && message.slackChannel !== ref.channel
          ? await web.postMessage({ channel: message.slackChannel, text: message.text, metadata: outboxMetadata(message) })
          : await web.postMessage({ channel: ref.channel, text: message.text, threadTs: ref.ts, replyBroadcast: true, metadata: outboxMetadata(message) });
      return { providerMessageId: reply.ts, ...(reposted ? { reposted } : {}) };
    }
    return { providerMessageId: ref.ts, ...(reposted ? { reposted } : {}) };
  }

  /**
   * Whether an escalation or digest whose attempt was cut off was posted: its metadata names the outbox message,
   * looked for where it would be (the live message's thread, or the step's or digest's channel), back to an hour
   * before the message was created. A state change needs no answer: it updates the live message to the current
   * state, so sending it again changes nothing.
   */
  async confirm(message: OutboxMessage): Promise<{ outcome: 'delivered'; providerMessageId: string } | { outcome: 'not-found' | 'unknown' }> {
    const { web, channel, store } = this.deps;
    if (!web.findPosted || message.kind === 'state' || message.kind === undefined) return { outcome: 'unknown' };
    let where: { channel: string; threadTs?: string };
    if (message.kind === 'digest' || (message.slackChannel && message.slackChannel !== channel)) {
      where = { channel: message.slackChannel ?? channel };
    } else {
      const ref = (await store.getIncident(message.incidentId))?.slackMessage;
      if (!ref) return { outcome: 'not-found' }; // no live message: the escalation's post (in its thread) cannot exist
      if (message.slackChannel && message.slackChannel !== ref.channel) where = { channel: message.slackChannel };
      else where = { channel: ref.channel, threadTs: ref.ts };
    }
    const oldest = Math.floor((Date.parse(message.createdAt) - 3_600_000) / 1000);
    const found = await web.findPosted({ ...where, eventType: OUTBOX_EVENT, key: 'outbox_message', value: message.messageId, ...(Number.isFinite(oldest) ? { oldest: `${oldest}.000000` } : {}) });
    return found ? { outcome: 'delivered', providerMessageId: found.ts } : { outcome: 'not-found' };
  }
}

/** The metadata event type on breachclock's escalation and digest posts. */
export const OUTBOX_EVENT = 'breachclock_outbox';
const outboxMetadata = (message: OutboxMessage) => ({ eventType: OUTBOX_EVENT, payload: { outbox_message: message.messageId, incident: message.incidentId } });
