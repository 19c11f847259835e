import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PermanentSendError, SendNotAcceptedError, type EmailSender, type OutgoingEmail } from '../../ports/notice-delivery.js';

/** SES errors that will not go away by retrying the same send. */
const PERMANENT = new Set(['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException', 'NotFoundException', 'AccountSuspendedException', 'SendingPausedException']);

/** SES answered with a refusal (throttling, quota, credentials: any 4xx), so nothing was sent. */
export function notAccepted(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (error as { name?: string }).name ?? '';
  return (status !== undefined && status >= 400 && status < 500) || ['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'Throttling'].includes(name);
}

/** SES message tags allow letters, digits, _ and - (at most 256 characters). */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

/** Email through SES v2 with a configuration set (its event destination reports deliveries, bounces and complaints). */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { readonly from: string; readonly configurationSet?: string; readonly replyTo?: string },
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [email.to] },
          ...(this.options.replyTo ? { ReplyToAddresses: [this.options.replyTo] } : {}),
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' }, ...(email.html ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}) },
            },
          },
        }),
      );
      if (!result.MessageId) throw new Error('SES answered without a message id');
      return { messageId: result.MessageId };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (PERMANENT.has(name)) throw new PermanentSendError(`SES refused the email: ${name}`, { cause: error });
      if (notAccepted(error)) throw new SendNotAcceptedError(`SES did not accept the email: ${name}`, { cause: error });
      throw error;
    }
  }
}
