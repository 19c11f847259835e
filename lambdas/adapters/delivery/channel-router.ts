import type { OutboxMessage } from '../../domain/messages.js';
import { PermanentDeliveryError, type MessageSender } from '../../ports/message-sender.js';

/** Sends each message through the sender of its channel. */
export class ChannelRouter implements MessageSender {
  constructor(private readonly senders: { readonly slack: MessageSender; readonly sns: MessageSender; readonly 'trail-anchor'?: MessageSender }) {}

  send(message: OutboxMessage): Promise<{ providerMessageId?: string }> {
    const sender = this.senders[message.channel];
    // Not retried: a deployment without anchoring configured shows the message as failed on the incident.
    if (!sender) return Promise.reject(new PermanentDeliveryError(`No sender is configured for the ${message.channel} channel`));
    return sender.send(message);
  }

  /** Asks the channel's sender whether a cut-off attempt went out (unknown when it cannot say). */
  async confirm(message: OutboxMessage): ReturnType<NonNullable<MessageSender['confirm']>> {
    const sender = this.senders[message.channel];
    return sender?.confirm ? sender.confirm(message) : { outcome: 'unknown' };
  }
}
