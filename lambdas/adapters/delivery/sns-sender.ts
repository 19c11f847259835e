import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OutboxMessage } from '../../domain/messages.js';
import { PermanentDeliveryError, type MessageSender } from '../../ports/message-sender.js';

/** Publishes to the SNS topic a logical name (e.g. "dpo") maps to; subscribers get SMS or email. */
export class SnsSender implements MessageSender {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArns: Readonly<Record<string, string>>,
  ) {}

  async send(message: OutboxMessage): Promise<{ providerMessageId?: string }> {
    const topicArn = message.topic ? this.topicArns[message.topic] : undefined;
    if (!topicArn) throw new PermanentDeliveryError(`No SNS topic is configured for "${message.topic ?? '(none)'}"`);
    const result = await this.client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: message.subject,
        Message: message.text,
        MessageAttributes: { incidentId: { DataType: 'String', StringValue: message.incidentId } },
      }),
    );
    return result.MessageId ? { providerMessageId: result.MessageId } : {};
  }
}
