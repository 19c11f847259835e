import type { OutboxMessage } from '../../domain/messages.js';
import type { MessageSender } from '../../ports/message-sender.js';

/** Sends each message through the sender of its channel. */
export class ChannelRouter implements MessageSender {
  constructor(private readonly senders: { readonly slack: MessageSender; readonly sns: MessageSender }) {}

  send(message: OutboxMessage): Promise<{ providerMessageId?: string }> {
    return this.senders[message.channel].send(message);
  }
}
