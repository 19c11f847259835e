import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { notAccepted } from './ses-email-sender.js';
import { PermanentSendError, SendNotAcceptedError, type SmsSender } from '../../ports/notice-delivery.js';

const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException']);

/** SMS through SNS (transactional, so it is not dropped as marketing), with the sender id when configured. */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: { readonly senderId?: string } = {},
  ) {}

  async send(sms: { phone: string; text: string; tags: Readonly<Record<string, string>> }): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new PublishCommand({
          PhoneNumber: sms.phone,
          Message: sms.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(this.options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.options.senderId } } : {}),
          },
        }),
      );
      if (!result.MessageId) throw new Error('SNS answered without a message id');
      return { messageId: result.MessageId };
    } catch (error) {
      if (PERMANENT.has((error as { name?: string }).name ?? '')) throw new PermanentSendError(`SNS refused the SMS: ${(error as Error).name}`, { cause: error });
      if (notAccepted(error)) throw new SendNotAcceptedError(`SNS did not accept the SMS: ${(error as Error).name}`, { cause: error });
      throw error;
    }
  }
}
